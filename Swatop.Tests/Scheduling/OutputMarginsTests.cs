using System.Numerics.Tensors;
using Swatop.Core;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Layouts;
using Swatop.Core.Scheduling;
using Swatop.Hardware.Sw26010.Emit.Verification;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Tests.Emit;

namespace Swatop.Tests.Scheduling;

/// <summary>
/// An implicit GEMM kernel that keeps zero margins around its output, so that it lies padded where a 3 x 3
/// convolution reads its input: the layout widens by the margins and nothing else changes, the kernel computes
/// what the reference does (the margins unpacked away, on the emulator and through the shim), the schedule reads
/// back from its JSON, and margins a blocked or split dimension would take are refused by name.
/// </summary>
public sealed class OutputMarginsTests
{
    /// <summary>A 1 x 1 convolution over 128 images: M over its output channels, N over the images, both blocked, the core groups sharing the images.</summary>
    private static readonly OperatorSpec Conv = Operator.Conv2d(128, 16, 128, 3, 3, 1);

    private static readonly OutputMargins Halo = new([0, 0, 1, 1], [0, 0, 1, 1]);

    private static ImplicitGemmSchedule Blocked() => ImplicitGemmSpace.For(Conv, SmallOperators.Limits).Enumerate()
        .First(s => s.Mapping == new GemmMapping("co", "n", "ci") && s.BlockedLayouts && s.CoreGroups == 4 && s.SplitAxis == "n" && s.MergedAxes.IsEmpty);

    [Test]
    public void Margins_widen_the_output_layout_by_their_positions_and_leave_every_other_placement_as_it_was()
    {
        var plain = LoopPlan.Create(Conv, Blocked(), SmallOperators.Limits);
        var padded = LoopPlan.Create(Conv, Blocked() with { OutputMargins = Halo }, SmallOperators.Limits);
        var (before, after) = (plain.Placements[^1], padded.Placements[^1]);
        Assert.That(after.Layout.Origins, Is.EqualTo(new long[] { 0, 0, 1, 1 }));
        Assert.That(after.Layout.Lengths, Is.EqualTo(new[] { before.Layout.Lengths[0], before.Layout.Lengths[1], 5L, 5L }));
        Assert.That(after.Layout.Order, Is.EqualTo(before.Layout.Order));
        Assert.That(after.Layout.Blocks, Is.EqualTo(before.Layout.Blocks));
        Assert.That(after.Distribution, Is.EqualTo(before.Distribution));
        Assert.That(padded.Placements[..^1], Is.EqualTo(plain.Placements[..^1]), "the inputs lie as before");
        Assert.That(OutputMargins.Between(before.Layout, after.Layout), Is.EqualTo(Halo), "the margins that widen one layout into the other");
        Assert.That(OutputMargins.Between(after.Layout, before.Layout), Is.Null, "a narrower layout is no widening");
        Assert.That(OutputMargins.Between(before.Layout, before.Layout), Is.Null, "nor is the same layout");
    }

    [Test]
    public void A_kernel_with_margins_computes_what_the_reference_does_and_writes_only_the_framework_elements()
    {
        var kernel = Conv.WithSchedule(Blocked() with { OutputMargins = Halo }).Emit(Sw26010Target.Default);
        var input = Tensor.Create(Enumerable.Range(0, 128 * 16 * 9).Select(i => (double)(i % 7) - 3).ToArray(), [128, 16, 3, 3]);
        var weights = Tensor.Create(Enumerable.Range(0, 128 * 16).Select(i => (double)(i % 5) - 2).ToArray(), [128, 16, 1, 1]);

        var run = kernel.Run(input, weights);

        var actual = new double[Conv.Expression.Output.Tensor.ElementLength];
        run.Output.FlattenTo(actual);
        Assert.That(actual, Is.EqualTo(ReferenceEvaluator.Evaluate(Conv.Expression, input.ToArray(), weights.ToArray())), "small integers: exact");
        Assert.That(kernel.Lowered.OutputPlacement.Layout.Elements, Is.GreaterThan(Conv.Expression.Output.Tensor.ElementLength), "the kernel's output tensor holds the margins");
    }

    [Test]
    public void A_kernel_with_margins_emits_C_that_matches_the_emulator_on_the_shim()
    {
        EmittedC.CheckAgainstEmulator(Conv, Blocked() with { OutputMargins = new([0, 0, 1, 0], [0, 0, 0, 2]) }, seed: 6, GccShimOptions.Default);
    }

    [Test]
    public void A_schedule_with_margins_reads_back_from_its_json_and_one_without_writes_none()
    {
        var padded = Blocked() with { OutputMargins = Halo };
        Assert.That(Schedule.FromJson(padded.ToJson()), Is.EqualTo(padded));
        Assert.That(padded, Is.Not.EqualTo(Blocked()));
        Assert.That(padded.ToJson(), Does.Contain("\"outputMargins\":{\"before\":[0,0,1,1],\"after\":[0,0,1,1]}"));
        Assert.That(Blocked().ToJson(), Does.Not.Contain("outputMargins"));
        Assert.That(padded.ToCSharp(), Does.Contain("OutputMargins = new OutputMargins([0, 0, 1, 1], [0, 0, 1, 1])"));
        Assert.That(padded.ToString(), Does.EndWith("margins before [0 0 1 1] after [0 0 1 1]"));
    }

    [Test]
    public void Margins_that_do_not_fit_the_output_are_refused_by_name()
    {
        var schedule = Blocked();
        ScheduleMust.Fail(() => LoopPlan.Create(Conv, schedule with { OutputMargins = new([1, 1], [1, 1]) }, SmallOperators.Limits),
            ScheduleDiagnostics.IllegalMargins, nameof(ImplicitGemmSchedule.OutputMargins), "4 dimensions");
        ScheduleMust.Fail(() => LoopPlan.Create(Conv, schedule with { OutputMargins = new([0, 0, -1, 0], [0, 0, 0, 0]) }, SmallOperators.Limits),
            ScheduleDiagnostics.IllegalMargins, nameof(ImplicitGemmSchedule.OutputMargins), "at least 0");
        ScheduleMust.Fail(() => LoopPlan.Create(Conv, schedule with { OutputMargins = new([0, 1, 0, 0], [0, 0, 0, 0]) }, SmallOperators.Limits),
            ScheduleDiagnostics.IllegalMargins, nameof(ImplicitGemmSchedule.OutputMargins), "dimension 1", "blocks");
        var unblocked = schedule with { BlockedLayouts = false, OutputMargins = new([1, 0, 0, 0], [0, 0, 0, 0]) };
        ScheduleMust.Fail(() => LoopPlan.Create(Conv, unblocked, SmallOperators.Limits),
            ScheduleDiagnostics.IllegalMargins, nameof(ImplicitGemmSchedule.OutputMargins), "dimension 0", "split over the core groups");
        ScheduleMust.Fail(() => LoopPlan.Create(Conv, schedule with { MergedAxes = ["oh", "ow"], OutputMargins = Halo }, SmallOperators.Limits),
            ScheduleDiagnostics.IllegalMargins, nameof(ImplicitGemmSchedule.OutputMargins), "merges");
    }

    [Test]
    public void The_split_of_a_kernel_with_margins_is_the_one_without()
    {
        var plan = LoopPlan.Create(Conv, Blocked() with { OutputMargins = Halo }, SmallOperators.Limits);
        Assert.That(plan.DistributionOf(Conv.Expression.Output.Tensor), Is.EqualTo(new SplitDistribution(4, 0, 1, 128, 1, 32)));
    }
}
