using Swatop.Core;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Layouts;
using Swatop.Core.Scheduling;
using Swatop.Hardware.Sw26010.Emit.Verification;
using Swatop.Tests.Emit;

namespace Swatop.Tests.Scheduling;

/// <summary>
/// Schedules that merge a 1 x 1 convolution's output rows and columns into one axis: the kernel reads and
/// writes the framework's layout in place, the merge is refused where the tensors do not hold the pair as
/// one dimension, and its kernels compute what the reference does, on the emulator and through the shim.
/// </summary>
public sealed class MergedAxesTests
{
    private static readonly OperatorSpec Nchw = Operator.Conv2d(4, 40, 24, 9, 7, 1);
    private static readonly OperatorSpec Nhwc = Operator.Conv2d(4, 40, 24, 9, 7, 1, layout: ConvLayout.Nhwc);

    /// <summary>M walks the image's 63 positions, N the output channels, K the input channels.</summary>
    private static ImplicitGemmSchedule Merged(string m = "oh_ow", string n = "co", int coreGroups = 1, string? split = null) => new()
    {
        Mapping = new GemmMapping(m, n, "ci"),
        TileM = 128, TileN = 32, TileK = 40,
        IndexOrder = ["n", "co", "oh_ow"],
        ReductionOrder = ["ci"],
        MergedAxes = ["oh", "ow"],
        CoreGroups = coreGroups, SplitAxis = split,
    };

    [TestCase(ConvLayout.Nchw, new[] { "oh_ow", "n_oh_ow" }, TestName = "NCHW holds the output rows and columns as one dimension, its last, which the images join as mesh rows")]
    [TestCase(ConvLayout.Nhwc, new[] { "n_oh", "oh_ow" }, TestName = "NHWC holds the rows and columns, and the images and rows, as one dimension")]
    public void A_1x1_stride_1_convolution_merges_the_axes_its_tensors_hold_together(ConvLayout layout, string[] merged)
    {
        var spec = Operator.Conv2d(4, 40, 24, 9, 7, 1, layout: layout);
        var points = ImplicitGemmSpace.For(spec, SmallOperators.Limits).Enumerate().Where(s => !s.MergedAxes.IsEmpty).ToList();
        Assert.That(points.Select(s => string.Join('_', s.MergedAxes)).Distinct(), Is.EquivalentTo(merged));
        Assert.That(points, Is.All.Matches<ImplicitGemmSchedule>(s => s.Mapping.M == string.Join('_', s.MergedAxes) || s.Mapping.N == string.Join('_', s.MergedAxes)),
            "a merged point walks the merged axis with M or N");
        Assert.That(points.Where(s => s.MergedAxes.SequenceEqual(["oh", "ow"])), Is.All.Matches<ImplicitGemmSchedule>(s => s.ReductionOrder.SequenceEqual(["ci"])),
            "the 1 x 1 kernel's taps, which index the merged dimensions, are gone");
    }

    [TestCase(3, 1, TestName = "A 3 x 3 kernel reads rows and columns through its taps")]
    [TestCase(1, 2, TestName = "A stride of 2 leaves gaps between the positions it reads")]
    public void A_convolution_whose_input_does_not_hold_the_output_positions_as_one_dimension_does_not_merge(int kernel, int stride)
    {
        var spec = Operator.Conv2d(2, 8, 8, 9, 7, kernel, stride: stride);
        Assert.That(ImplicitGemmSpace.For(spec, SmallOperators.Limits).Enumerate().Where(s => !s.MergedAxes.IsEmpty), Is.Empty);
        ScheduleMust.Fail(() => LoopPlan.Create(spec, Merged(), SmallOperators.Limits), ScheduleDiagnostics.IllegalMerge, nameof(ImplicitGemmSchedule.MergedAxes), "oh", "ow");
    }

    [Test]
    public void Axes_that_are_not_two_index_axes_of_the_operator_are_refused_by_name()
    {
        ScheduleMust.Fail(() => LoopPlan.Create(Nchw, Merged() with { MergedAxes = ["oh", "ci"] }, SmallOperators.Limits),
            ScheduleDiagnostics.IllegalMerge, nameof(ImplicitGemmSchedule.MergedAxes), "'ci'", "two index axes");
        ScheduleMust.Fail(() => LoopPlan.Create(Nchw, Merged() with { MergedAxes = ["ow", "oh"] }, SmallOperators.Limits),
            ScheduleDiagnostics.IllegalMerge, nameof(ImplicitGemmSchedule.MergedAxes), "adjacent dimensions");
        ScheduleMust.Fail(() => LoopPlan.Create(Nchw, Merged() with { MergedAxes = ["oh"] }, SmallOperators.Limits),
            ScheduleDiagnostics.IllegalMerge, nameof(ImplicitGemmSchedule.MergedAxes), "two index axes");
    }

    [Test]
    public void The_kernel_reads_and_writes_the_framework_tensors_as_they_are()
    {
        foreach (var (spec, schedule) in new[] { (Nchw, Merged()), (Nhwc, Merged(m: "co", n: "oh_ow") with { TileM = 128, TileN = 64 }) })
        {
            var plan = LoopPlan.Create(spec, schedule, SmallOperators.Limits);
            var placements = plan.Placements.ToDictionary(p => p.Tensor.Name);
            Assert.That(placements["input"].Layout.IsIdentity, placements["input"].Layout.ToString());
            Assert.That(placements["output"].Layout.IsIdentity, placements["output"].Layout.ToString());
            Assert.That(placements["input"].Tensor, Is.EqualTo(spec.Expression.Left.Tensor), "placements name the framework tensors, not the view's");
        }
    }

    [Test]
    public void Blocked_layouts_block_the_operands_without_the_merged_axis_only()
    {
        var plan = LoopPlan.Create(Nchw, Merged() with { BlockedLayouts = true }, SmallOperators.Limits);
        var placements = plan.Placements.ToDictionary(p => p.Tensor.Name);
        Assert.That(placements["weights"].Layout.IsBlocked(0), "the weights (K x N) hold no merged axis and are blocked");
        Assert.That(placements["input"].Layout.IsIdentity && placements["output"].Layout.IsIdentity, "the operands that read the merged axis are not");
    }

    [Test]
    public void The_core_groups_split_the_merged_axis_in_whole_rows_and_hold_those_rows()
    {
        var spec = Operator.Conv2d(1, 16, 32, 32, 32, 1);
        var plan = LoopPlan.Create(spec, Merged(coreGroups: 4, split: "oh_ow") with { TileK = 16, IndexOrder = ["oh_ow", "n", "co"] }, SmallOperators.Limits);
        var output = (SplitDistribution)plan.DistributionOf(spec.Expression.Output.Tensor);
        Assert.That((output.Dimension, output.PositionsPerGroup), Is.EqualTo((2, 8L)), "two tiles of 128 positions a group are 8 rows of 32 in dimension oh");
        Assert.That(plan.DistributionOf(spec.Expression.Left.Tensor), Is.EqualTo(output), "each group reads only its rows of the input");
    }

    [Test]
    public void A_split_of_the_merged_axis_in_part_of_a_row_is_refused()
    {
        var spec = Operator.Conv2d(1, 16, 32, 20, 20, 1);
        var schedule = Merged(coreGroups: 4, split: "oh_ow") with { TileK = 16, IndexOrder = ["oh_ow", "n", "co"] };
        ScheduleMust.Fail(() => LoopPlan.Create(spec, schedule, SmallOperators.Limits), ScheduleDiagnostics.IllegalMerge, nameof(ImplicitGemmSchedule.SplitAxis),
            "whole rows", "ow");
    }

    [Test]
    public void A_merged_schedule_reads_back_from_its_json_and_json_without_merges_reads_as_none()
    {
        var merged = Merged();
        Assert.That(Schedule.FromJson(merged.ToJson()), Is.EqualTo(merged));
        Assert.That(merged.ToJson(), Does.Contain("\"mergedAxes\":[\"oh\",\"ow\"]"));
        var before = merged.ToJson().Replace("\"mergedAxes\":[\"oh\",\"ow\"],", "", StringComparison.Ordinal);
        Assert.That(((ImplicitGemmSchedule)Schedule.FromJson(before)).MergedAxes, Is.Empty);
        Assert.That(merged.ToCSharp(), Does.Contain("MergedAxes = [\"oh\", \"ow\"]"));
    }

    [Test]
    public void Merged_kernels_match_the_reference_and_the_emulator_through_the_shim()
    {
        EmittedC.CheckAgainstEmulator(Nchw, Merged(coreGroups: 4, split: "n"), seed: 3, GccShimOptions.Default);
        EmittedC.CheckAgainstEmulator(Nhwc, Merged(m: "co", n: "oh_ow") with { TileN = 64 }, seed: 4, GccShimOptions.Default);
        var rows = Operator.Conv2d(1, 16, 32, 32, 32, 1, elementType: Primitives.ElementType.Float32);
        EmittedC.CheckAgainstEmulator(rows, Merged(coreGroups: 4, split: "oh_ow") with { TileK = 16, IndexOrder = ["oh_ow", "n", "co"] }, seed: 5, GccShimOptions.Default);
    }
}
