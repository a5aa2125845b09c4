using Swatop.Core;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Layouts;
using Swatop.Core.Scheduling;
using Swatop.Hardware.Sw26010.Emit.Verification;
using Swatop.Tests.Emit;

namespace Swatop.Tests.Scheduling;

/// <summary>
/// Schedules that fold the batch into the output columns (<c>MergedAxes = ["ow", "n"]</c>): one block of images a core
/// group, kept innermost within the width, so that M walks columns and images together. The fold's layouts are the
/// framework tensor's batch-blocked layout, it is refused where M would not walk it or the batch gives a group fewer than
/// two images, and its kernels compute what the reference does, on the emulator and through the shim.
/// </summary>
public sealed class BatchFoldTests
{
    /// <summary>A 3 x 3 convolution of 8 images: two a core group.</summary>
    private static readonly OperatorSpec Conv3x3 = Operator.Conv2d(8, 16, 16, 6, 6, 3, padding: 1);

    /// <summary>M walks 6 columns of 2 images, N the output channels, K the input channels; the groups split the blocks of images.</summary>
    private static ImplicitGemmSchedule Folded(string m = "ow_n", string n = "co") => new()
    {
        Mapping = new GemmMapping(m, n, "ci"),
        TileM = 128, TileN = 32, TileK = 16,
        IndexOrder = ["n", "oh", "co", "ow_n"],
        ReductionOrder = ["ci", "kh", "kw"],
        MergedAxes = ["ow", "n"],
        CoreGroups = 4, SplitAxis = "n",
    };

    /// <summary>The space of <paramref name="spec"/> whose output must be shared by the core groups along the batch, as a graph's batch-shared search asks.</summary>
    private static ImplicitGemmSpace BatchShared(OperatorSpec spec) =>
        ImplicitGemmSpace.For(spec, SmallOperators.Limits, PlacementConstraints.None.RequireShare(
            spec.Expression.Output.Tensor.Name, Swatop.Core.Layouts.BatchShare.Of(spec, SmallOperators.Limits)!));

    [Test]
    public void A_3x3_convolution_whose_batch_the_core_groups_share_folds_its_batch_into_the_columns_and_M_walks_the_fold()
    {
        var points = BatchShared(Conv3x3).Enumerate().Where(s => !s.MergedAxes.IsEmpty).ToList();
        Assert.That(points.Select(s => string.Join('_', s.MergedAxes)).Distinct(), Is.EquivalentTo(new[] { "ow_n" }));
        Assert.That(points, Is.All.Matches<ImplicitGemmSchedule>(s => s.Mapping.M == "ow_n"), "a folded point walks the folded axis with M");
    }

    [Test]
    public void An_operator_tuned_on_its_own_is_offered_no_fold_yet_a_folded_schedule_is_valid_in_its_space()
    {
        var space = ImplicitGemmSpace.For(Conv3x3, SmallOperators.Limits);
        Assert.That(space.Enumerate().Where(s => s.MergedAxes.SequenceEqual(["ow", "n"])), Is.Empty);
        Assert.That(space.Validate(Folded()).Schedule, Is.EqualTo(Folded()));
    }

    [Test]
    public void The_folded_layouts_hold_each_group_s_images_innermost_within_the_padded_columns()
    {
        var plan = LoopPlan.Create(Conv3x3, Folded(), SmallOperators.Limits);
        var placements = plan.Placements.ToDictionary(p => p.Tensor.Name);
        var input = placements["input"].Layout;
        Assert.That(input.Tensor, Is.EqualTo(Conv3x3.Expression.Left.Tensor), "placements name the framework tensors, not the view's");
        Assert.That(input.Blocks[0], Is.EqualTo(2), "the batch is cut in blocks of 2 images, one block a group");
        Assert.That(input.Order[^1], Is.EqualTo(3), "the columns are the innermost dimension, the images of a block inside them");
        Assert.That((input.Origins[3], input.Lengths[3]), Is.EqualTo((1L, 8L)), "one column of zeros either side");
        Assert.That(input.Strides[0], Is.EqualTo(1), "an image of a block is the next element");
        Assert.That(input.Strides[3], Is.EqualTo(2), "a column is a block of images further");
        var output = (SplitDistribution)plan.DistributionOf(Conv3x3.Expression.Output.Tensor);
        Assert.That((output.Dimension, output.PositionsPerGroup), Is.EqualTo((0, 2L)), "each group holds its 2 images");
        Assert.That(placements["weights"].Layout.Blocks.All(b => b == 0) || plan.Schedule.BlockedLayouts, "the weights do not fold");
    }

    [Test]
    public void A_fold_whose_M_does_not_walk_the_folded_axis_is_refused()
    {
        ScheduleMust.Fail(() => LoopPlan.Create(Conv3x3, Folded(m: "co", n: "ow_n"), SmallOperators.Limits),
            ScheduleDiagnostics.IllegalMerge, nameof(ImplicitGemmSchedule.Mapping), "M = ow_n");
    }

    [TestCase(4, TestName = "Four images over four core groups give each group one")]
    [TestCase(6, TestName = "Six images do not divide over four core groups")]
    public void A_batch_that_does_not_give_each_core_group_whole_blocks_of_two_images_or_more_does_not_fold(int batch)
    {
        var spec = Operator.Conv2d(batch, 16, 16, 6, 6, 3, padding: 1);
        Assert.That(BatchShared(spec).Enumerate().Where(s => !s.MergedAxes.IsEmpty), Is.Empty);
        ScheduleMust.Fail(() => LoopPlan.Create(spec, Folded(), SmallOperators.Limits), ScheduleDiagnostics.IllegalMerge, nameof(ImplicitGemmSchedule.MergedAxes),
            "cannot fold", "core groups");
    }

    [Test]
    public void A_stride_of_2_does_not_fold()
    {
        var spec = Operator.Conv2d(8, 16, 16, 12, 12, 1, stride: 2);
        ScheduleMust.Fail(() => LoopPlan.Create(spec, Folded() with { ReductionOrder = ["ci", "kh", "kw"] }, SmallOperators.Limits),
            ScheduleDiagnostics.IllegalMerge, nameof(ImplicitGemmSchedule.MergedAxes), "coefficient 1");
    }

    [Test]
    public void Folded_kernels_match_the_reference_and_the_emulator_through_the_shim()
    {
        EmittedC.CheckAgainstEmulator(Conv3x3, Folded(), seed: 11, GccShimOptions.Default);
        var pointwise = Operator.Conv2d(8, 32, 16, 5, 4, 1, elementType: Primitives.ElementType.Float32);
        EmittedC.CheckAgainstEmulator(pointwise, Folded() with { TileK = 32, ReductionOrder = ["ci", "kh", "kw"] }, seed: 12, GccShimOptions.Default);
    }
}
