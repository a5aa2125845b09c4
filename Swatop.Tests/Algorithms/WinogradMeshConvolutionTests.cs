using System.Numerics.Tensors;
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
        yield return new TestCaseData(Operator.Conv2d(3, 16, 64, 9, 9, 3, padding: 1), new WinogradMeshSchedule { OutputTile = 2, TileColumns = 3, Segments = 4, OutBlock = 32, InBlock = 8, DoubleBuffer = true, BlockPuts = true, PerPosition = true, CoreGroups = 2, SplitAxis = "n" })
            .SetName("Fused F(2x2) double, one position's blocks at a time, double-buffered across input blocks, output blocks and chunks, block puts, on two core groups");
        yield return new TestCaseData(Operator.Conv2d(1, 16, 32, 10, 7, 3, padding: 2, elementType: ElementType.Float32), new WinogradMeshSchedule { OutputTile = 4, TileColumns = 1, Segments = 8, OutBlock = 32, InBlock = 8, PerPosition = true })
            .SetName("Fused F(4x4) float, one position's blocks at a time, single buffers, two input blocks, padding 2");
        yield return new TestCaseData(Operator.Conv2d(2, 16, 64, 6, 6, 3, padding: 1, groups: 2), new WinogradMeshSchedule { OutputTile = 4, TileColumns = 1, Segments = 8, OutBlock = 32, InBlock = 8, DoubleBuffer = true, PerPosition = true })
            .SetName("Fused F(4x4) double, one position's blocks at a time, double-buffered, two groups");
    }

    private static IEnumerable<TestCaseData> PerPositionTwins()
    {
        yield return new TestCaseData(Operator.Conv2d(2, 16, 64, 9, 9, 3, padding: 1), new WinogradMeshSchedule { OutputTile = 2, TileColumns = 3, Segments = 4, OutBlock = 32, InBlock = 8, DoubleBuffer = true, BlockPuts = true, CoreGroups = 2, SplitAxis = "n" })
            .SetName("F(2x2) double, double-buffered, block puts, two blocks of each kind");
        yield return new TestCaseData(Operator.Conv2d(1, 16, 32, 10, 7, 3, padding: 2, elementType: ElementType.Float32), new WinogradMeshSchedule { OutputTile = 4, TileColumns = 1, Segments = 8, OutBlock = 32, InBlock = 8 })
            .SetName("F(4x4) float, single buffers, two input blocks");
    }

    [TestCaseSource(nameof(Shapes))]
    public void A_fused_winograd_kernel_on_the_emulator_matches_the_reference_within_its_bound(OperatorSpec spec, WinogradMeshSchedule schedule) => WinogradEmulatorCheck.Check(spec, schedule, seed: 11);

    /// <summary>One position's blocks at a time run the same multiply-adds in the same order, so the output is the same to the bit.</summary>
    [TestCaseSource(nameof(PerPositionTwins))]
    public void One_position_at_a_time_computes_the_same_output_bit_for_bit_as_all_positions_at_once(OperatorSpec spec, WinogradMeshSchedule schedule)
    {
        var twin = schedule with { PerPosition = true };
        var target = Sw26010Target.Default;
        Assert.That(twin.PerPosition && !schedule.PerPosition);
        Assert.That(RunBits(spec, twin, target), Is.EqualTo(RunBits(spec, schedule, target)));
    }

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

    private static long[] RunBits(OperatorSpec spec, WinogradMeshSchedule schedule, Sw26010Target target)
    {
        var kernel = spec.WithSchedule(schedule).Emit(target);
        var inputs = ReferenceOperands.Draw(spec, seed: 21);
        var shapes = spec.Expression.Inputs.Select(i => i.Tensor.Shape.Select(s => (nint)s).ToArray()).ToArray();
        if (spec.ElementType == ElementType.Float64)
        {
            var run = kernel.Run(Tensor.Create(inputs[0], shapes[0]), Tensor.Create(inputs[1], shapes[1]));
            var output = new double[spec.Expression.Output.Tensor.ElementLength];
            run.Output.FlattenTo(output);
            return [.. output.Select(BitConverter.DoubleToInt64Bits)];
        }

        float[][] narrow = [.. inputs.Select(v => v.Select(x => (float)x).ToArray())];
        var narrowRun = kernel.Run(Tensor.Create(narrow[0], shapes[0]), Tensor.Create(narrow[1], shapes[1]));
        var narrowOutput = new float[spec.Expression.Output.Tensor.ElementLength];
        narrowRun.Output.FlattenTo(narrowOutput);
        return [.. narrowOutput.Select(x => (long)BitConverter.SingleToInt32Bits(x))];
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
