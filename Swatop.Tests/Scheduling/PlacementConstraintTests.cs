using Swatop.Core;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Layouts;
using Swatop.Core.Lowering;
using Swatop.Core.Scheduling;

namespace Swatop.Tests.Scheduling;

/// <summary>
/// A space can be asked for the schedules that keep a tensor in a given placement, as a consumer that
/// reads its producer's output as it is needs; a plan's placements are the ones its lowered kernel advertises.
/// </summary>
public sealed class PlacementConstraintTests
{
    private static OperatorSpec Spec => SmallOperators.Gemm;

    private static TargetLimits Limits => SmallOperators.Limits;

    [Test]
    public void A_plans_placements_are_the_ones_its_lowered_kernel_advertises()
    {
        foreach (var plan in ImplicitGemmSpace.For(Spec, Limits).EnumeratePlans().Take(40))
        {
            var lowered = KernelLowering.Lower(plan);
            foreach (var operand in plan.Operands)
            {
                Assert.That(plan.PlacementOf(operand), Is.EqualTo(lowered.Placements[operand.Access.Tensor.Name]), plan.Schedule.ToString());
            }
        }
    }

    [Test]
    public void A_space_constrained_to_an_output_placement_holds_exactly_the_points_that_keep_it()
    {
        var all = ImplicitGemmSpace.For(Spec, Limits).EnumeratePlans().ToList();
        var output = Spec.Expression.Output.Tensor.Name;
        var required = all[0].PlacementOf(all[0].Output);
        var constrained = ImplicitGemmSpace.For(Spec, Limits, PlacementConstraints.None.Require(output, required)).Enumerate().ToList();
        var keeping = all.Where(plan => plan.PlacementOf(plan.Output).Matches(required)).Select(plan => plan.Schedule).ToList();
        Assert.That(constrained, Is.EqualTo(keeping));
        Assert.That(constrained, Has.Count.GreaterThan(0).And.Count.LessThan(all.Count), "the constraint keeps some points and leaves out others");
        Assert.That(ScheduleSpace.For(Spec, Limits, PlacementConstraints.None.Require(output, required)).Enumerate(), Is.EqualTo(constrained));
    }

    [Test]
    public void A_space_constrained_to_an_input_placement_holds_exactly_the_points_that_read_it_there()
    {
        // A graph's reader: the input kept in a placement some kernel of the space reads it in, as a producer left it.
        var spec = Operator.Conv2d(4, 16, 32, 12, 12, 3, padding: 1);
        var all = ImplicitGemmSpace.For(spec, Limits).EnumeratePlans().ToList();
        var input = spec.Expression.Inputs.First().Tensor;
        var required = all.Select(plan => plan.PlacementOf(plan.Operands.First(o => o.Access.Tensor.Name == input.Name))).First(p => !p.Layout.IsIdentity);
        var keeping = all.Where(plan => plan.PlacementOf(plan.Operands.First(o => o.Access.Tensor.Name == input.Name)).Matches(required)).Select(plan => plan.Schedule).ToList();
        var constrained = ImplicitGemmSpace.For(spec, Limits, PlacementConstraints.None.Require(input.Name, required)).Enumerate().ToList();
        Assert.That(constrained, Is.EqualTo(keeping));
        Assert.That(constrained, Has.Count.GreaterThan(0).And.Count.LessThan(all.Count), "the constraint keeps some points and leaves out others");
    }

    [TestCase(0, TestName = "A share of the images over the core groups")]
    [TestCase(2, TestName = "A share of the rows over the core groups, which merged kernels split in whole rows")]
    public void A_space_constrained_to_share_a_tensor_holds_exactly_the_points_that_share_it(int dimension)
    {
        var spec = Operator.Conv2d(4, 16, 32, 32, 32, 1);
        var all = ImplicitGemmSpace.For(spec, Limits).EnumeratePlans().ToList();
        var output = spec.Expression.Output.Tensor;
        var share = all.Select(plan => plan.DistributionOf(output)).OfType<SplitDistribution>().First(d => d.Dimension == dimension);
        var keeping = all.Where(plan => plan.DistributionOf(output).Equals(share)).Select(plan => plan.Schedule).ToList();
        var constrained = ImplicitGemmSpace.For(spec, Limits, PlacementConstraints.None.RequireShare(output.Name, share)).Enumerate().ToList();
        Assert.That(constrained, Is.EqualTo(keeping));
        Assert.That(keeping, Has.Some.Matches<ImplicitGemmSchedule>(s => !s.MergedAxes.IsEmpty), "merged kernels are among those that share it");
    }

    [Test]
    public void Sws0012_a_schedule_that_keeps_a_tensor_elsewhere_is_refused_naming_both_placements()
    {
        var all = ImplicitGemmSpace.For(Spec, Limits).EnumeratePlans().ToList();
        var output = Spec.Expression.Output.Tensor.Name;
        var required = all[0].PlacementOf(all[0].Output);
        var other = all.First(plan => !plan.PlacementOf(plan.Output).Matches(required));
        var space = ScheduleSpace.For(Spec, Limits, PlacementConstraints.None.Require(output, required));
        ScheduleMust.Fail(() => space.Validate(other.Schedule), ScheduleDiagnostics.PlacementMismatch, "placement",
            $"tensor '{output}' would be kept as {other.PlacementOf(other.Output)}", $"it must be kept as {required}");
        Assert.That(space.Validate(all[0].Schedule), Is.Not.Null);
    }

    [Test]
    public void A_placement_no_point_keeps_leaves_an_empty_space()
    {
        var output = Spec.Expression.Output.Tensor;
        var impossible = new TensorPlacement(new TensorLayout(output, [0, 1], [0, 0], [output.Shape[0], output.Shape[1]], [0, 0]), Distribution.Replicated(3));
        var space = ImplicitGemmSpace.For(Spec, Limits, PlacementConstraints.None.Require(output.Name, impossible));
        Assert.That(space.Enumerate(), Is.Empty);
        Assert.That(() => space.Default(), Throws.InvalidOperationException.With.Message.Contains("empty"));
    }

    [Test]
    public void Constraints_are_values()
    {
        var plan = ImplicitGemmSpace.For(Spec, Limits).EnumeratePlans().First();
        var placement = plan.PlacementOf(plan.Output);
        var one = PlacementConstraints.None.Require("C", placement);
        var again = PlacementConstraints.None.Require("C", plan.PlacementOf(plan.Output));
        Assert.That(again, Is.EqualTo(one));
        Assert.That(again.GetHashCode(), Is.EqualTo(one.GetHashCode()));
        Assert.That(one, Is.Not.EqualTo(PlacementConstraints.None));
        Assert.That(PlacementConstraints.None.ToString(), Is.EqualTo("none"));
        Assert.That(() => PlacementConstraints.None.Require(" ", placement), Throws.ArgumentException);
    }
}
