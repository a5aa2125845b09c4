using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core;
using Swatop.Hardware.Sw26010.Emit.Verification;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Tests.Emit;

/// <summary>
/// A few emitted kernels built with <c>-fsanitize=address,undefined</c> (<see cref="GccShimOptions.Sanitize"/>)
/// against the shim, whose LDM arena poisons what no <c>ldm_malloc</c> holds: each runs, matches the
/// reference and the emulator, and the sanitizers report nothing (a report fails the run).
/// </summary>
public sealed class EmittedKernelSanitizerTests
{
    private static IEnumerable<TestCaseData> Kernels()
    {
        yield return new TestCaseData(Operator.Gemm(256, 40, 16), 2).SetName("A double GEMM with a border tile on 2 core groups");
        yield return new TestCaseData(Operator.Conv2d(1, 8, 32, 7, 7, 3, stride: 2, padding: 1, elementType: ElementType.Float32), 4).SetName("A float convolution with stride 2 and padding 1");
        yield return new TestCaseData(Operator.Conv2d(2, 8, 16, 9, 9, 3, padding: 1, dilation: 2, groups: 2), 1).SetName("A double grouped, dilated, padded convolution");
        yield return new TestCaseData(Operator.Gemm(40, 24, 12, batch: 3, elementType: ElementType.Float32), 1).SetName("A float batched GEMM of odd sizes");
    }

    /// <summary>The schedule is the default of the space for <paramref name="coreGroups"/> core groups, compiled for the 4-group chip.</summary>
    [TestCaseSource(nameof(Kernels))]
    public void Runs_clean_under_address_and_undefined_behaviour_sanitizers(OperatorSpec spec, int coreGroups)
    {
        var schedule = ImplicitGemmSpace.For(spec, Sw26010Target.Default.Limits with { CoreGroups = coreGroups }).Default();
        var check = EmittedC.CheckAgainstEmulator(spec, schedule, seed: 7, GccShimOptions.Default with { Sanitize = true });
        Assert.That(check.Comparison.Passed, check.Comparison.ToString());
    }
}
