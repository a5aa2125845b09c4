using Swatop.Core;
using Swatop.Core.Algorithms.WinogradGemm;
using Swatop.Core.Layouts;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Tests.Algorithms;

/// <summary>Composite Winograd kernels (V and M through workspace tensors, the products on the mesh GEMM) on the emulator against the reference, within Winograd's rounding bound.</summary>
public sealed class WinogradGemmConvolutionTests
{
    private static IEnumerable<TestCaseData> Shapes()
    {
        yield return new TestCaseData(Operator.Conv2d(2, 8, 32, 9, 9, 3, padding: 1), new WinogradGemmSchedule { OutputTile = 2, TileColumns = 3, Segments = 4, OutBlock = 32, InBlock = 8, GemmIn = 8 })
            .SetName("Composite F(2x2) double, padded, odd output, tiles cut at the border");
        yield return new TestCaseData(Operator.Conv2d(1, 16, 32, 10, 7, 3, elementType: ElementType.Float32), new WinogradGemmSchedule { OutputTile = 4, TileColumns = 1, Segments = 8, OutBlock = 32, InBlock = 8, GemmIn = 16 })
            .SetName("Composite F(4x4) float, unpadded, two transform blocks a mesh GEMM call");
        yield return new TestCaseData(Operator.Conv2d(1, 32, 64, 6, 6, 3, padding: 2, elementType: ElementType.Float32), new WinogradGemmSchedule { OutputTile = 2, TileColumns = 1, Segments = 8, OutBlock = 32, InBlock = 8, GemmIn = 16 })
            .SetName("Composite F(2x2) float, padding 2, two output blocks, two mesh GEMM calls of two transform blocks");
        yield return new TestCaseData(Operator.Conv2d(1, 8, 32, 9, 9, 3, padding: 2), new WinogradGemmSchedule { OutputTile = 4, TileColumns = 3, Segments = 4, OutBlock = 32, InBlock = 8, GemmIn = 8 })
            .SetName("Composite F(4x4) double, padding 2");
        yield return new TestCaseData(Operator.Conv2d(3, 16, 64, 6, 6, 3, padding: 1, groups: 2), new WinogradGemmSchedule { OutputTile = 2, TileColumns = 3, Segments = 4, OutBlock = 32, InBlock = 8, GemmIn = 8, CoreGroups = 2, SplitAxis = "n" })
            .SetName("Composite F(2x2) double, two groups, on two core groups sharing three images");
        yield return new TestCaseData(Operator.Conv2d(4, 16, 64, 5, 12, 3, padding: 1), new WinogradGemmSchedule { OutputTile = 4, TileColumns = 1, Segments = 8, OutBlock = 64, InBlock = 8, GemmIn = 16, CoreGroups = 4, SplitAxis = "n" })
            .SetName("Composite F(4x4) double, on four core groups, one output block of 64");
        yield return new TestCaseData(Operator.Conv2d(2, 32, 32, 7, 7, 3, padding: 1), new WinogradGemmSchedule { OutputTile = 2, TileColumns = 3, Segments = 4, OutBlock = 32, InBlock = 16, GemmIn = 32 })
            .SetName("Composite F(2x2) double, 7 x 7, transform blocks of 16, one mesh GEMM call of K 32, chunks that cross images");
        yield return new TestCaseData(Operator.Conv2d(2, 32, 64, 7, 7, 3, padding: 1), new WinogradGemmSchedule { OutputTile = 2, TileColumns = 3, Segments = 4, OutBlock = 32, InBlock = 8, GemmIn = 16, TilesByInputBlock = true, SumsByPosition = true })
            .SetName("Composite F(2x2) double, V by input block and M by position, two transform blocks a call, two calls, two output blocks");
        yield return new TestCaseData(Operator.Conv2d(2, 32, 96, 9, 9, 3, padding: 1), new WinogradGemmSchedule { OutputTile = 4, TileColumns = 1, Segments = 8, OutBlock = 32, InBlock = 8, GemmIn = 16, TilesByInputBlock = true, SumsByPosition = true, OverlapSumPuts = true, CoreGroups = 2, SplitAxis = "n" })
            .SetName("Composite F(4x4) double, new layouts, C blocks put while the next output blocks' calls run, two calls a position, three output blocks");
        yield return new TestCaseData(Operator.Conv2d(1, 16, 64, 6, 8, 3, padding: 1, elementType: ElementType.Float32), new WinogradGemmSchedule { OutputTile = 2, TileColumns = 3, Segments = 4, OutBlock = 32, InBlock = 8, GemmIn = 16, OverlapSumPuts = true })
            .SetName("Composite F(2x2) float, former layouts, C blocks put a block an output channel while the next output block's call runs");
    }

    [TestCaseSource(nameof(Shapes))]
    public void A_composite_winograd_kernel_on_the_emulator_matches_the_reference_within_its_bound(OperatorSpec spec, WinogradGemmSchedule schedule) => WinogradEmulatorCheck.Check(spec, schedule, seed: 11);

    [Test]
    public void Random_3x3_convolutions_with_random_composite_winograd_schedules_match_the_reference_within_the_bound()
    {
        var random = new Random(17);
        for (var i = 0; i < 4; i++)
        {
            var groups = random.Next(1, 3);
            var spec = Operator.Conv2d(random.Next(1, 3), groups * 8 * random.Next(1, 3), groups * 32, random.Next(3, 10), random.Next(3, 10), 3,
                padding: random.Next(0, 3), groups: groups, elementType: random.Next(2) == 0 ? ElementType.Float32 : ElementType.Float64);
            var space = new WinogradGemmSpace(spec, Sw26010Target.Default.Limits, PlacementConstraints.None);
            WinogradEmulatorCheck.Check(spec, (WinogradGemmSchedule)space.Sample(random), seed: i);
        }
    }

    [Test]
    public void The_reference_comparison_holds_a_composite_schedule_to_winograds_bound()
    {
        var spec = Operator.Conv2d(1, 8, 32, 6, 6, 3, padding: 1);
        var inputs = ReferenceOperands.Draw(spec, seed: 3);
        var output = ReferenceEvaluator.Evaluate(spec.Expression, inputs[0], inputs[1]);
        var schedule = new WinogradGemmSchedule { OutputTile = 4, TileColumns = 1, Segments = 8, OutBlock = 32, InBlock = 8, GemmIn = 8 };
        Assert.That(ReferenceComparison.Compare(spec, schedule, inputs, output).Tolerance, Is.EqualTo(1), "Winograd's comparison reports its errors over the bound");
        output[7] += 1e-9;
        Assert.That(ReferenceComparison.Compare(spec, schedule, inputs, output).Mismatches, Is.EqualTo(1));
    }
}
