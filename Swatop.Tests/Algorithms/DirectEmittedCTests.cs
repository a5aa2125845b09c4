using Swatop.Core;
using Swatop.Core.Algorithms.Direct;
using Swatop.Hardware.Sw26010.Emit.Verification;
using Swatop.Primitives;
using Swatop.Tests.Emit;

namespace Swatop.Tests.Algorithms;

/// <summary>
/// Direct convolution kernels emitted as athread C, built with gcc against the shim and run: each matches the
/// reference, and the emulator's output bit for bit and its per-CPE counts count for count.
/// </summary>
public sealed class DirectEmittedCTests
{
    private static IEnumerable<TestCaseData> Kernels()
    {
        yield return new TestCaseData(Operator.Conv2d(2, 8, 8, 9, 9, 3, padding: 1, groups: 8), new DirectSchedule { TileRows = 4, CoreGroups = 2, SplitAxis = "n" })
            .SetName("A double depthwise 3 x 3 convolution on two core groups");
        yield return new TestCaseData(Operator.Conv2d(2, 8, 8, 9, 9, 3, padding: 1, groups: 8, elementType: ElementType.Float32), new DirectSchedule { TileRows = 2, TileGroups = 2 })
            .SetName("A float depthwise 3 x 3 convolution");
        yield return new TestCaseData(Operator.Conv2d(2, 12, 6, 11, 10, 3, stride: 2, padding: 1, dilation: 2, groups: 3), new DirectSchedule { TileRows = 3 })
            .SetName("A double grouped convolution of stride 2 and dilation 2");
        yield return new TestCaseData(Operator.Conv2d(4, 16, 16, 8, 8, 3, padding: 1, groups: 16), new DirectSchedule { TileRows = 4, DoubleBuffer = true })
            .SetName("A double depthwise convolution with double buffers");
        yield return new TestCaseData(Operator.Conv2d(2, 8, 8, 9, 9, 3, stride: 2, padding: 1, groups: 8, elementType: ElementType.Float32).WithEpilogue(Epilogue.Of(EpilogueStep.Bias(), EpilogueStep.Relu6())),
                new DirectSchedule { TileRows = 2, TileGroups = 2 })
            .SetName("A float depthwise convolution of stride 2 with a bias and a ReLU6");
    }

    [TestCaseSource(nameof(Kernels))]
    public void A_direct_kernel_built_against_the_shim_matches_the_reference_and_the_emulator(OperatorSpec spec, DirectSchedule schedule)
    {
        var check = EmittedC.CheckAgainstEmulator(spec, schedule, seed: 5, GccShimOptions.Default);
        Assert.That(check.Comparison.Passed, check.Comparison.ToString());
    }
}
