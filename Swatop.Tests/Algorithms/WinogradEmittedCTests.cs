using Swatop.Core;
using Swatop.Core.Algorithms.Winograd;
using Swatop.Hardware.Sw26010.Emit.Verification;
using Swatop.Primitives;
using Swatop.Tests.Emit;

namespace Swatop.Tests.Algorithms;

/// <summary>
/// Winograd kernels emitted as athread C, built with gcc against the shim and run: each matches the reference within
/// the algorithm's bound, and the emulator's output bit for bit and its per-CPE counts count for count.
/// </summary>
public sealed class WinogradEmittedCTests
{
    private static IEnumerable<TestCaseData> Kernels()
    {
        yield return new TestCaseData(Operator.Conv2d(2, 4, 6, 9, 9, 3, padding: 1), new WinogradSchedule { OutputTile = 2, TileColumns = 3, OutBlock = 3, InBlock = 2, CoreGroups = 2, SplitAxis = "n" })
            .SetName("A double F(2x2, 3x3) convolution on two core groups");
        yield return new TestCaseData(Operator.Conv2d(1, 3, 5, 10, 7, 3, padding: 2, elementType: ElementType.Float32), new WinogradSchedule { OutputTile = 4, TileColumns = 1, OutBlock = 5, InBlock = 3 })
            .SetName("A float F(4x4, 3x3) convolution, padding 2");
        yield return new TestCaseData(Operator.Conv2d(2, 8, 4, 6, 6, 3, padding: 1, groups: 2), new WinogradSchedule { OutputTile = 4, TileColumns = 2, OutBlock = 1, InBlock = 2 })
            .SetName("A double grouped F(4x4, 3x3) convolution");
    }

    [TestCaseSource(nameof(Kernels))]
    public void A_winograd_kernel_built_against_the_shim_matches_the_reference_and_the_emulator(OperatorSpec spec, WinogradSchedule schedule)
    {
        var check = EmittedC.CheckAgainstEmulator(spec, schedule, seed: 5, GccShimOptions.Default);
        Assert.That(check.Comparison.Passed, check.Comparison.ToString());
    }
}
