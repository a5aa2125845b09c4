using Swatop.Core;
using Swatop.Core.Layouts;
using Swatop.Core.LayoutSteps;
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

    [TestCaseSource(nameof(Copies))]
    public void A_copy_into_padded_rows_moves_its_bytes_within_1_3_times_the_dma_plateau(LayoutStep step, double most) =>
        Assert.That(Seconds(step) / Plateau(step), Is.LessThanOrEqualTo(most));

    [TestCaseSource(nameof(Transposes))]
    public void A_transposing_step_comes_within_its_tile_bound_of_the_dma_plateau(LayoutStep step, double most) =>
        Assert.That(Seconds(step) / Plateau(step), Is.LessThanOrEqualTo(most), "a tile and its transpose share the LDM; see docs/performance.md for the bound");

    [TestCaseSource(nameof(Copies))]
    [TestCaseSource(nameof(Transposes))]
    public void The_cost_models_price_is_within_a_factor_of_two_of_the_emulator(LayoutStep step, double unused)
    {
        _ = unused;
        var pack = step.Kind == LayoutStepKind.Pack;
        var price = LayoutStepCost.Seconds(Target.Spec, step, LayoutStepTiling.For(step, Target.Limits.LdmBudgetBytes), sourceShared: pack, destinationShared: !pack);
        Assert.That(price / Seconds(step), Is.InRange(0.5, 2.0));
    }

    private static double Plateau(LayoutStep step) =>
        LayoutStepPlateau.Seconds(Target.Spec, step, sourceShared: step.Kind == LayoutStepKind.Pack, destinationShared: step.Kind != LayoutStepKind.Pack);

    /// <summary>The step's simulated seconds, timing only, every core group emulated.</summary>
    private static double Seconds(LayoutStep step)
    {
        var compiled = Sw26010LayoutStep.Compile(Target, step);
        var chip = new Sw26010Chip(Target.Spec, Target.Options with { TimingOnly = true });
        var pack = step.Kind == LayoutStepKind.Pack;
        var shared = chip.SharedMemory.Allocate<byte>("framework", step.Tensor.ElementLength * step.ElementBytes);
        var own = Enumerable.Range(0, step.CoreGroups)
            .Select(g => chip.CoreGroups[g].Memory.Allocate<byte>("kernel", (pack ? step.Destination : step.Source).Elements * step.ElementBytes)).ToArray();
        var report = chip.Run(group => pack ? compiled.Program(shared, own[group.Index]) : compiled.Program(own[group.Index], shared), step.CoreGroups);
        return report.Profile.SimulatedSeconds;
    }
}
