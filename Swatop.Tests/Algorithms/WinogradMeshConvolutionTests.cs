using Swatop.Core;
using Swatop.Core.Algorithms.Winograd;
using Swatop.Core.Algorithms.WinogradMesh;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Tests.Algorithms;

/// <summary>Fused Winograd kernels (the products on the mesh GEMM) on the emulator against the reference, within Winograd's rounding bound.</summary>
public sealed class WinogradMeshConvolutionTests
{
    private static IEnumerable<TestCaseData> Shapes()
    {
        yield return new TestCaseData(Operator.Conv2d(2, 8, 32, 9, 9, 3, padding: 1), new WinogradMeshSchedule { OutputTile = 2, TileColumns = 3, Segments = 4, OutBlock = 32, InBlock = 8 })
            .SetName("Fused F(2x2) double, padded, odd output, tiles cut at the border");
        yield return new TestCaseData(Operator.Conv2d(1, 16, 32, 10, 7, 3, elementType: ElementType.Float32), new WinogradMeshSchedule { OutputTile = 4, TileColumns = 1, Segments = 8, OutBlock = 32, InBlock = 8 })
            .SetName("Fused F(4x4) float, unpadded, two input blocks");
        yield return new TestCaseData(Operator.Conv2d(2, 8, 64, 6, 6, 3, padding: 2, elementType: ElementType.Float32), new WinogradMeshSchedule { OutputTile = 2, TileColumns = 1, Segments = 8, OutBlock = 32, InBlock = 8 })
            .SetName("Fused F(2x2) float, padding 2, two output blocks, segments of one tile");
        yield return new TestCaseData(Operator.Conv2d(1, 8, 32, 9, 9, 3, padding: 2), new WinogradMeshSchedule { OutputTile = 4, TileColumns = 3, Segments = 4, OutBlock = 32, InBlock = 8 })
            .SetName("Fused F(4x4) double, padding 2");
        yield return new TestCaseData(Operator.Conv2d(3, 16, 64, 6, 6, 3, padding: 1, groups: 2), new WinogradMeshSchedule { OutputTile = 2, TileColumns = 3, Segments = 4, OutBlock = 32, InBlock = 8, CoreGroups = 2, SplitAxis = "n" })
            .SetName("Fused F(2x2) double, two groups, on two core groups sharing three images");
        yield return new TestCaseData(Operator.Conv2d(4, 8, 32, 5, 12, 3, padding: 1), new WinogradMeshSchedule { OutputTile = 4, TileColumns = 1, Segments = 8, OutBlock = 32, InBlock = 8, CoreGroups = 4, SplitAxis = "n" })
            .SetName("Fused F(4x4) double, on four core groups");
        yield return new TestCaseData(Operator.Conv2d(3, 16, 64, 9, 9, 3, padding: 1), new WinogradMeshSchedule { OutputTile = 2, TileColumns = 3, Segments = 4, OutBlock = 32, InBlock = 8, DoubleBuffer = true, CoreGroups = 2, SplitAxis = "n" })
            .SetName("Fused F(2x2) double, double-buffered across input blocks, output blocks and chunks, on two core groups sharing three images");
        yield return new TestCaseData(Operator.Conv2d(1, 8, 32, 10, 7, 3, padding: 2, elementType: ElementType.Float32), new WinogradMeshSchedule { OutputTile = 4, TileColumns = 1, Segments = 8, OutBlock = 32, InBlock = 8, DoubleBuffer = true })
            .SetName("Fused F(4x4) float, double-buffered, one block of each kind, padding 2");
        yield return new TestCaseData(Operator.Conv2d(2, 8, 64, 9, 9, 3, padding: 1), new WinogradMeshSchedule { OutputTile = 2, TileColumns = 3, Segments = 4, OutBlock = 32, InBlock = 8, BlockPuts = true })
            .SetName("Fused F(2x2) double, block puts of segments that do not span a row, two output blocks");
        yield return new TestCaseData(Operator.Conv2d(3, 16, 32, 6, 6, 3, padding: 1, elementType: ElementType.Float32), new WinogradMeshSchedule { OutputTile = 2, TileColumns = 3, Segments = 4, OutBlock = 32, InBlock = 8, BlockPuts = true, DoubleBuffer = true, CoreGroups = 2, SplitAxis = "n" })
            .SetName("Fused F(2x2) float, block puts of segments that span a row, double-buffered, on two core groups");
        yield return new TestCaseData(Operator.Conv2d(3, 8, 32, 7, 7, 3, padding: 1, elementType: ElementType.Float32), new WinogradMeshSchedule { OutputTile = 4, TileColumns = 2, Segments = 16, OutBlock = 32, InBlock = 8, BlockPuts = true })
            .SetName("Fused F(4x4) float, block puts of segments that span a row and cut its last tile");
    }

    [TestCaseSource(nameof(Shapes))]
    public void A_fused_winograd_kernel_on_the_emulator_matches_the_reference_within_its_bound(OperatorSpec spec, WinogradMeshSchedule schedule) => WinogradEmulatorCheck.Check(spec, schedule, seed: 11);

    [Test]
    public void Random_3x3_convolutions_with_random_fused_winograd_schedules_match_the_reference_within_the_bound()
    {
        var random = new Random(16);
        for (var i = 0; i < 4; i++)
        {
            var groups = random.Next(1, 3);
            var spec = Operator.Conv2d(random.Next(1, 3), groups * 8 * random.Next(1, 3), groups * 32, random.Next(3, 10), random.Next(3, 10), 3,
                padding: random.Next(0, 3), groups: groups, elementType: random.Next(2) == 0 ? ElementType.Float32 : ElementType.Float64);
            var space = new WinogradMeshSpace(spec, Sw26010Target.Default.Limits, Swatop.Core.Layouts.PlacementConstraints.None);
            WinogradEmulatorCheck.Check(spec, (WinogradMeshSchedule)space.Sample(random), seed: i);
        }
    }

    [Test]
    public void The_reference_comparison_holds_a_fused_schedule_to_winograds_bound()
    {
        var spec = Operator.Conv2d(1, 8, 32, 6, 6, 3, padding: 1);
        var inputs = ReferenceOperands.Draw(spec, seed: 3);
        var output = ReferenceEvaluator.Evaluate(spec.Expression, inputs[0], inputs[1]);
        var schedule = new WinogradMeshSchedule { OutputTile = 4, TileColumns = 1, Segments = 8, OutBlock = 32, InBlock = 8 };
        Assert.That(ReferenceComparison.Compare(spec, schedule, inputs, output).Tolerance, Is.EqualTo(1), "Winograd's comparison reports its errors over the bound");
        output[7] += 1e-9;
        Assert.That(ReferenceComparison.Compare(spec, schedule, inputs, output).Mismatches, Is.EqualTo(1));
    }
}
