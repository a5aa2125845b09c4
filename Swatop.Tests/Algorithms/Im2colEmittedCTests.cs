using Swatop.Core;
using Swatop.Core.Algorithms.Im2col;
using Swatop.Core.Layouts;
using Swatop.Hardware.Sw26010.Emit.Verification;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;
using Swatop.Tests.Emit;

namespace Swatop.Tests.Algorithms;

/// <summary>
/// Explicit im2col kernels emitted as athread C, built with gcc against the shim and run: the column step, the
/// GEMM (and a filter step where the GEMM packs the weights) each a CPE function; each matches the reference, and
/// the emulator's output bit for bit and its per-CPE counts count for count.
/// </summary>
public sealed class Im2colEmittedCTests
{
    private static IEnumerable<TestCaseData> Kernels()
    {
        yield return new TestCaseData(Operator.Conv2d(2, 3, 16, 17, 17, 7, stride: 2, padding: 3), 1)
            .SetName("A double conv1-like convolution: 3 channels, 7 x 7, stride 2, at batch 2");
        yield return new TestCaseData(Operator.Conv2d(4, 3, 16, 17, 17, 7, stride: 2, padding: 3, elementType: ElementType.Float32), 4)
            .SetName("A float conv1-like convolution on four core groups");
        yield return new TestCaseData(Operator.Conv2d(2, 12, 6, 11, 10, 3, stride: 2, padding: 1, dilation: 2, groups: 3), 1)
            .SetName("A double grouped convolution of stride 2 and dilation 2");
    }

    [TestCaseSource(nameof(Kernels))]
    public void An_im2col_kernel_built_against_the_shim_matches_the_reference_and_the_emulator(OperatorSpec spec, int coreGroups)
    {
        var space = Im2colAlgorithm.Instance.Space(spec, Sw26010Target.Default.Limits, PlacementConstraints.None);
        var schedule = space.Enumerate().First(s => s.CoreGroups == coreGroups);
        var check = EmittedC.CheckAgainstEmulator(spec, schedule, seed: 5, GccShimOptions.Default);
        Assert.That(check.Comparison.Passed, check.Comparison.ToString());
        Assert.That(EmittedC.Kernel(spec, schedule).Sources.Files.Single(f => f.Key == "slave.c").Value, Does.Contain("pack_input"));
    }
}
