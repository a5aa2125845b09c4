using Swatop.Core;
using Swatop.Core.Algorithms.WinogradMesh;
using Swatop.Hardware.Sw26010.Emit.Verification;
using Swatop.Primitives;
using Swatop.Tests.Emit;

namespace Swatop.Tests.Algorithms;

/// <summary>
/// Fused Winograd kernels emitted as athread C, built with gcc against the shim and run: each matches the reference
/// within Winograd's bound, and the emulator's output bit for bit and its per-CPE counts count for count.
/// </summary>
public sealed class WinogradMeshEmittedCTests
{
    private static IEnumerable<TestCaseData> Kernels()
    {
        yield return new TestCaseData(Operator.Conv2d(2, 8, 32, 9, 9, 3, padding: 1), new WinogradMeshSchedule { OutputTile = 2, TileColumns = 3, Segments = 4, OutBlock = 32, InBlock = 8, CoreGroups = 2, SplitAxis = "n" })
            .SetName("A double fused F(2x2, 3x3) convolution on two core groups");
        yield return new TestCaseData(Operator.Conv2d(1, 16, 32, 10, 7, 3, padding: 2, elementType: ElementType.Float32), new WinogradMeshSchedule { OutputTile = 4, TileColumns = 1, Segments = 8, OutBlock = 32, InBlock = 8 })
            .SetName("A float fused F(4x4, 3x3) convolution, padding 2");
        yield return new TestCaseData(Operator.Conv2d(1, 16, 64, 6, 6, 3, padding: 1, groups: 2), new WinogradMeshSchedule { OutputTile = 4, TileColumns = 1, Segments = 8, OutBlock = 32, InBlock = 8 })
            .SetName("A double grouped fused F(4x4, 3x3) convolution");
        yield return new TestCaseData(Operator.Conv2d(2, 16, 64, 9, 9, 3, padding: 1), new WinogradMeshSchedule { OutputTile = 2, TileColumns = 3, Segments = 4, OutBlock = 32, InBlock = 8, DoubleBuffer = true, CoreGroups = 2, SplitAxis = "n" })
            .SetName("A double double-buffered fused F(2x2, 3x3) convolution on two core groups");
        yield return new TestCaseData(Operator.Conv2d(2, 16, 32, 6, 6, 3, padding: 1, elementType: ElementType.Float32), new WinogradMeshSchedule { OutputTile = 2, TileColumns = 3, Segments = 4, OutBlock = 32, InBlock = 8, DoubleBuffer = true, BlockPuts = true })
            .SetName("A float double-buffered fused F(2x2, 3x3) convolution whose segments span a row, with block puts");
        yield return new TestCaseData(Operator.Conv2d(1, 8, 32, 9, 9, 3, padding: 1), new WinogradMeshSchedule { OutputTile = 2, TileColumns = 3, Segments = 4, OutBlock = 32, InBlock = 8, BlockPuts = true })
            .SetName("A double fused F(2x2, 3x3) convolution with block puts of segments that do not span a row");
        yield return new TestCaseData(Operator.Conv2d(2, 16, 64, 9, 9, 3, padding: 1), new WinogradMeshSchedule { OutputTile = 2, TileColumns = 3, Segments = 4, OutBlock = 32, InBlock = 8, DoubleBuffer = true, BlockPuts = true, PerPosition = true, CoreGroups = 2, SplitAxis = "n" })
            .SetName("A double fused F(2x2, 3x3) convolution, one position's blocks at a time, double-buffered, with block puts, on two core groups");
        yield return new TestCaseData(Operator.Conv2d(1, 16, 32, 10, 7, 3, padding: 2, elementType: ElementType.Float32), new WinogradMeshSchedule { OutputTile = 4, TileColumns = 1, Segments = 8, OutBlock = 32, InBlock = 8, PerPosition = true })
            .SetName("A float fused F(4x4, 3x3) convolution, one position's blocks at a time, single buffers");
    }

    [TestCaseSource(nameof(Kernels))]
    public void A_fused_winograd_kernel_built_against_the_shim_matches_the_reference_and_the_emulator(OperatorSpec spec, WinogradMeshSchedule schedule)
    {
        var check = EmittedC.CheckAgainstEmulator(spec, schedule, seed: 5, GccShimOptions.Default);
        Assert.That(check.Comparison.Passed, check.Comparison.ToString());
    }
}
