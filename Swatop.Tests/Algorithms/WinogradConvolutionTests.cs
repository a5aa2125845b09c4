using Swatop.Core;
using Swatop.Core.Algorithms.Winograd;
using Swatop.Core.Scheduling;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Tests.Algorithms;

/// <summary>Winograd kernels on the emulator against the reference, within the algorithm's rounding bound.</summary>
public sealed class WinogradConvolutionTests
{
    private static IEnumerable<TestCaseData> Shapes()
    {
        yield return new TestCaseData(Operator.Conv2d(2, 4, 6, 9, 9, 3, padding: 1), new WinogradSchedule { OutputTile = 2, TileColumns = 3, OutBlock = 3, InBlock = 2 })
            .SetName("F(2x2) double, padded, odd output, tiles cut at the border");
        yield return new TestCaseData(Operator.Conv2d(2, 4, 6, 9, 9, 3, padding: 1), new WinogradSchedule { OutputTile = 4, TileColumns = 1, OutBlock = 6, InBlock = 4 })
            .SetName("F(4x4) double, padded, odd output");
        yield return new TestCaseData(Operator.Conv2d(1, 3, 5, 10, 7, 3, elementType: ElementType.Float32), new WinogradSchedule { OutputTile = 2, TileColumns = 2, OutBlock = 5, InBlock = 3 })
            .SetName("F(2x2) float, unpadded");
        yield return new TestCaseData(Operator.Conv2d(1, 3, 5, 10, 7, 3, padding: 2, elementType: ElementType.Float32), new WinogradSchedule { OutputTile = 4, TileColumns = 3, OutBlock = 1, InBlock = 1 })
            .SetName("F(4x4) float, padding 2");
        yield return new TestCaseData(Operator.Conv2d(3, 8, 4, 6, 6, 3, padding: 1, groups: 2), new WinogradSchedule { OutputTile = 2, TileColumns = 3, OutBlock = 2, InBlock = 4, CoreGroups = 2, SplitAxis = "n" })
            .SetName("F(2x2) double, two groups, on two core groups");
        yield return new TestCaseData(Operator.Conv2d(4, 4, 4, 5, 12, 3, padding: 1, groups: 4), new WinogradSchedule { OutputTile = 4, TileColumns = 2, OutBlock = 1, InBlock = 1, CoreGroups = 4, SplitAxis = "n" })
            .SetName("F(4x4) double, depthwise, on four core groups");
    }

    [TestCaseSource(nameof(Shapes))]
    public void A_winograd_kernel_on_the_emulator_matches_the_reference_within_its_bound(OperatorSpec spec, WinogradSchedule schedule) => WinogradEmulatorCheck.Check(spec, schedule, seed: 11);

    [Test]
    public void Random_3x3_convolutions_with_random_winograd_schedules_match_the_reference_within_the_bound()
    {
        var random = new Random(15);
        for (var i = 0; i < 6; i++)
        {
            var groups = random.Next(1, 3);
            var spec = Operator.Conv2d(random.Next(1, 3), groups * random.Next(1, 5), groups * random.Next(1, 5), random.Next(3, 12), random.Next(3, 12), 3,
                padding: random.Next(0, 3), groups: groups, elementType: random.Next(2) == 0 ? ElementType.Float32 : ElementType.Float64);
            var space = new WinogradSpace(spec, Sw26010Target.Default.Limits, Swatop.Core.Layouts.PlacementConstraints.None);
            WinogradEmulatorCheck.Check(spec, (WinogradSchedule)space.Sample(random), seed: i);
        }
    }

    [Test]
    public void An_output_off_by_more_than_the_bound_is_a_mismatch()
    {
        var spec = Operator.Conv2d(1, 2, 2, 6, 6, 3, padding: 1);
        var inputs = ReferenceOperands.Draw(spec, seed: 3);
        var output = ReferenceEvaluator.Evaluate(spec.Expression, inputs[0], inputs[1]);
        Assert.That(WinogradComparison.Compare(spec, 4, inputs, output).Passed, Is.True);
        output[7] += 1e-9;
        var comparison = WinogradComparison.Compare(spec, 4, inputs, output);
        Assert.That(comparison.Mismatches, Is.EqualTo(1));
        Assert.That(comparison.WorstIndex, Is.EqualTo(7));
    }

    [Test]
    public void The_bound_grows_with_the_tile_and_with_the_unit_roundoff()
    {
        var spec = Operator.Conv2d(1, 8, 1, 8, 8, 3, padding: 1);
        var conv = (Conv2dAttributes)spec.Attributes;
        var inputs = ReferenceOperands.Draw(spec, seed: 4);
        var f2 = WinogradErrorBound.Bound(conv, 2, ElementType.Float64, inputs[0], inputs[1]);
        var f4 = WinogradErrorBound.Bound(conv, 4, ElementType.Float64, inputs[0], inputs[1]);
        var f4Float = WinogradErrorBound.Bound(conv, 4, ElementType.Float32, inputs[0], inputs[1]);
        Assert.That(f4.Sum(), Is.GreaterThan(4 * f2.Sum()));
        Assert.That(f4Float[0] / f4[0], Is.EqualTo(Math.Pow(2, 29)).Within(0.01).Percent);
    }
}
