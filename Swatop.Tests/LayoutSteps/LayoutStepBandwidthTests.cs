using Swatop.Core;
using Swatop.Core.Layouts;
using Swatop.Core.LayoutSteps;
using Swatop.Core.Lowering;
using Swatop.Hardware.Sw26010;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Hardware.Sw26010.Tuning;
using Swatop.Primitives;

namespace Swatop.Tests.LayoutSteps;

/// <summary>
/// ResNet-50's stage-3 activations at batch 128 (128 channels of 28 x 28) through layout steps on the emulated chip,
/// timed against the DMA plateau of the bytes they move (<see cref="LayoutStepPlateau"/>) and priced by the cost model.
/// </summary>
public sealed class LayoutStepBandwidthTests
{
    private static readonly Sw26010Target Target = Sw26010Target.Default;
    private static readonly TensorDeclaration Activation = new("x", [128, 128, 28, 28]);

    private static IEnumerable<TestCaseData> Copies()
    {
        foreach (var type in new[] { ElementType.Float64, ElementType.Float32 })
        {
            yield return new TestCaseData(LayoutStep.Pack(new TensorPlacement(LayoutStepShapeTests.Padded(Activation, 1), Distribution.Replicated(4)), type), 1.3)
                .SetArgDisplayNames($"copy into padded rows, {type}");
        }
    }

    private static IEnumerable<TestCaseData> Transposes()
    {
        var split = new SplitDistribution(4, 2, 1, 28, 7, 1);
        yield return new TestCaseData(LayoutStep.Pack(new TensorPlacement(LayoutStepShapeTests.BatchInnermost(Activation, 1), Distribution.Replicated(4)), ElementType.Float64), 1.6)
            .SetArgDisplayNames("pack to the batch innermost, double");
        yield return new TestCaseData(LayoutStep.Unpack(new TensorPlacement(LayoutStepShapeTests.BatchInnermost(Activation, 0), split), ElementType.Float64), 1.45)
            .SetArgDisplayNames("unpack from the batch innermost, split by rows, double");
        yield return new TestCaseData(LayoutStep.Unpack(new TensorPlacement(LayoutStepShapeTests.BatchInnermost(Activation, 0), split), ElementType.Float32), 1.6)
            .SetArgDisplayNames("unpack from the batch innermost, split by rows, float");
    }

    /// <summary>Reorders between blocked layouts of ResNet-50's stage 2 and 3 activations (batch 128, split by batch), as a graph tuner chooses them, and from blocked into channels-last rows.</summary>
    private static IEnumerable<TestCaseData> Reorders()
    {
        var stage2 = new TensorDeclaration("output", [128, 256, 56, 56]);
        var reduced = new TensorDeclaration("output", [128, 64, 56, 56]);
        var batch = new SplitDistribution(4, 0, 1, 128, 32, 1);
        TensorPlacement Place(TensorDeclaration tensor, int[] order, long[] origins, long[] lengths, long[] blocks) =>
            new(new TensorLayout(tensor, [.. order], [.. origins], [.. lengths], [.. blocks]), batch);
        yield return new TestCaseData(LayoutStep.Reorder("reorder output",
                Place(stage2, [2, 3, 0, 1], [0, 0, 0, 0], [128, 256, 56, 56], [16, 32, 0, 0]), Place(stage2, [2, 3, 1, 0], [0, 0, 0, 0], [128, 256, 56, 56], [16, 32, 0, 0]), ElementType.Float64), 1.3)
            .SetArgDisplayNames("reorder batch and channel blocks swapped, double");
        yield return new TestCaseData(LayoutStep.Reorder("reorder output",
                Place(reduced, [2, 3, 0, 1], [0, 0, 0, 0], [128, 128, 56, 56], [4, 16, 0, 0]), Place(reduced, [2, 3, 0, 1], [0, 0, 1, 1], [128, 64, 58, 58], [4, 8, 0, 0]), ElementType.Float32), 1.3)
            .SetArgDisplayNames("reorder into narrower channel blocks, padded, float");
        yield return new TestCaseData(LayoutStep.Reorder("reorder output",
                Place(reduced, [2, 3, 0, 1], [0, 0, 0, 0], [128, 128, 56, 56], [4, 16, 0, 0]), Place(reduced, [0, 3, 2, 1], [0, 0, 0, 0], [128, 64, 56, 56], [0, 0, 0, 0]), ElementType.Float64), 1.3)
            .SetArgDisplayNames("reorder batch and channel blocks into channels last, double");
    }

    [TestCaseSource(nameof(Reorders))]
    public void A_reorder_between_blocked_layouts_moves_its_bytes_within_1_3_times_the_dma_plateau(LayoutStep step, double most) =>
        Assert.That(Seconds(step) / Plateau(step), Is.LessThanOrEqualTo(most), LayoutStepTiling.For(step, Target.Limits.LdmBudgetBytes).ToString());

    [TestCaseSource(nameof(Copies))]
    public void A_copy_into_padded_rows_moves_its_bytes_within_1_3_times_the_dma_plateau(LayoutStep step, double most) =>
        Assert.That(Seconds(step) / Plateau(step), Is.LessThanOrEqualTo(most));

    [TestCaseSource(nameof(Transposes))]
    public void A_transposing_step_comes_within_its_tile_bound_of_the_dma_plateau(LayoutStep step, double most) =>
        Assert.That(Seconds(step) / Plateau(step), Is.LessThanOrEqualTo(most), "a tile and its transpose share the LDM; see docs/performance.md for the bound");

    [TestCaseSource(nameof(Copies))]
    [TestCaseSource(nameof(Transposes))]
    [TestCaseSource(nameof(Reorders))]
    public void The_cost_models_price_is_within_a_factor_of_two_of_the_emulator(LayoutStep step, double unused)
    {
        _ = unused;
        var price = LayoutStepCost.Seconds(Target.Spec, step, LayoutStepTiling.For(step, Target.Limits.LdmBudgetBytes),
            sourceShared: step.Kind == LayoutStepKind.Pack, destinationShared: step.Kind == LayoutStepKind.Unpack);
        Assert.That(price / Seconds(step), Is.InRange(0.5, 2.0));
    }

    private static double Plateau(LayoutStep step) =>
        LayoutStepPlateau.Seconds(Target.Spec, step, sourceShared: step.Kind == LayoutStepKind.Pack, destinationShared: step.Kind == LayoutStepKind.Unpack);

    /// <summary>The step's simulated seconds, timing only, every core group emulated: a reorder's both sides in each group's own memory.</summary>
    private static double Seconds(LayoutStep step)
    {
        var compiled = Sw26010LayoutStep.Compile(Target, step);
        var chip = new Sw26010Chip(Target.Spec, Target.Options with { TimingOnly = true });
        var pack = step.Kind == LayoutStepKind.Pack;
        var shared = chip.SharedMemory.Allocate<byte>("framework", step.Tensor.ElementLength * step.ElementBytes);
        var own = Enumerable.Range(0, step.CoreGroups)
            .Select(g => chip.CoreGroups[g].Memory.Allocate<byte>("kernel", (pack ? step.Destination : step.Source).Elements * step.ElementBytes)).ToArray();
        if (step.Kind == LayoutStepKind.Reorder)
        {
            var targets = Enumerable.Range(0, step.CoreGroups)
                .Select(g => chip.CoreGroups[g].Memory.Allocate<byte>("reordered", step.Destination.Elements * step.ElementBytes)).ToArray();
            return chip.Run(group => compiled.Program(own[group.Index], targets[group.Index]), step.CoreGroups).Profile.SimulatedSeconds;
        }

        var report = chip.Run(group => pack ? compiled.Program(shared, own[group.Index]) : compiled.Program(own[group.Index], shared), step.CoreGroups);
        return report.Profile.SimulatedSeconds;
    }
}
