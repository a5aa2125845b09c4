using Swatop.Core;
using Swatop.Core.Algorithms.WinogradGemm;
using Swatop.Hardware.Sw26010.Emit.Verification;
using Swatop.Primitives;
using Swatop.Tests.Emit;

namespace Swatop.Tests.Algorithms;

/// <summary>
/// Composite Winograd kernels emitted as athread C, their workspace tensors allocated by the host file in each core group's
/// share, built with gcc against the shim and run: each matches the reference within Winograd's bound, and the emulator's
/// output bit for bit and its per-CPE counts count for count.
/// </summary>
public sealed class WinogradGemmEmittedCTests
{
    private static IEnumerable<TestCaseData> Kernels()
    {
        yield return new TestCaseData(Operator.Conv2d(2, 8, 32, 9, 9, 3, padding: 1), new WinogradGemmSchedule { OutputTile = 2, TileColumns = 3, Segments = 4, OutBlock = 32, InBlock = 8, GemmIn = 8, CoreGroups = 2, SplitAxis = "n" })
            .SetName("A double composite F(2x2, 3x3) convolution on two core groups");
        yield return new TestCaseData(Operator.Conv2d(1, 16, 64, 10, 7, 3, padding: 2, elementType: ElementType.Float32), new WinogradGemmSchedule { OutputTile = 4, TileColumns = 1, Segments = 8, OutBlock = 32, InBlock = 8, GemmIn = 16 })
            .SetName("A float composite F(4x4, 3x3) convolution, padding 2, two output blocks");
        yield return new TestCaseData(Operator.Conv2d(1, 16, 64, 6, 6, 3, padding: 1, groups: 2), new WinogradGemmSchedule { OutputTile = 4, TileColumns = 1, Segments = 8, OutBlock = 32, InBlock = 8, GemmIn = 8 })
            .SetName("A double grouped composite F(4x4, 3x3) convolution");
        yield return new TestCaseData(Operator.Conv2d(2, 32, 64, 7, 7, 3, padding: 1), new WinogradGemmSchedule { OutputTile = 2, TileColumns = 3, Segments = 4, OutBlock = 32, InBlock = 8, GemmIn = 16, TilesByInputBlock = true, SumsByPosition = true, OverlapSumPuts = true, CoreGroups = 2, SplitAxis = "n" })
            .SetName("A double composite F(2x2, 3x3) convolution, V by input block, M by position, C blocks put under the next calls");
    }

    [TestCaseSource(nameof(Kernels))]
    public void A_composite_winograd_kernel_built_against_the_shim_matches_the_reference_and_the_emulator(OperatorSpec spec, WinogradGemmSchedule schedule)
    {
        var check = EmittedC.CheckAgainstEmulator(spec, schedule, seed: 5, GccShimOptions.Default);
        Assert.That(check.Comparison.Passed, check.Comparison.ToString());
    }
}
