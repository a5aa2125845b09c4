using Swatop.Core;
using Swatop.Core.Algorithms.Im2col;
using Swatop.Core.Layouts;
using Swatop.Core.LayoutSteps;
using Swatop.Core.Scheduling;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Hardware.Sw26010.Tuning;
using Swatop.Primitives;

namespace Swatop.Tests.Tuning;

/// <summary>
/// Explicit im2col's families are bounded with their column step end to end: the bound never exceeds a plan's
/// estimate under either objective, it counts the step only where the estimate does, and the bounded ranking measures
/// the candidates of ranking every point.
/// </summary>
public sealed class Im2colLowerBoundTests
{
    private static readonly Sw26010Target Target = Sw26010Target.Default;

    private static IEnumerable<TestCaseData> Layers() =>
    [
        new TestCaseData(Operator.Conv2d(2, 3, 64, 224, 224, 7, stride: 2, padding: 3)).SetArgDisplayNames("ResNet-50 conv1"),
        new TestCaseData(Operator.Conv2d(2, 64, 128, 56, 56, 3, padding: 1, elementType: ElementType.Float32)).SetArgDisplayNames("VGG 3x3 float"),
        new TestCaseData(Operator.Conv2d(2, 16, 32, 20, 20, 3, padding: 2, dilation: 2)).SetArgDisplayNames("3x3 dilation 2"),
        new TestCaseData(Operator.Conv2d(3, 8, 16, 15, 13, new Size2(3, 5), stride: new Size2(2, 3), padding: new Padding2(2, 2, 1, 1))).SetArgDisplayNames("3x5 strided, tall padding"),
    ];

    private static IEnumerable<TestCaseData> SmallLayers() =>
    [
        new TestCaseData(Operator.Conv2d(2, 8, 16, 12, 12, 3, padding: 1)).SetArgDisplayNames("3x3 padded"),
        new TestCaseData(Operator.Conv2d(2, 3, 16, 17, 17, 5, stride: 2, padding: 2)).SetArgDisplayNames("5x5 stride 2, 3 channels"),
        new TestCaseData(Operator.Conv2d(2, 8, 8, 12, 12, 3, padding: 2, dilation: 2)).SetArgDisplayNames("3x3 dilation 2"),
    ];

    [TestCaseSource(nameof(Layers))]
    public void An_im2col_familys_bound_never_exceeds_the_estimate_of_any_of_its_plans_under_either_objective(OperatorSpec spec)
    {
        var model = new Sw26010CostModel(Target.Spec);
        var space = new Im2colSpace(spec, Target.Limits, PlacementConstraints.None);
        var families = 0;
        foreach (var family in space.EnumerateFamilies(2))
        {
            var endToEnd = model.LowerBound(family);
            var kernel = model.LowerBound(family, TuningObjective.Kernel);
            var plans = family.Plans().Take(30).ToList();
            families += plans.Count > 0 ? 1 : 0;
            foreach (var plan in plans)
            {
                Assert.That(kernel, Is.LessThanOrEqualTo(model.Estimate(plan, TuningObjective.Kernel)), $"kernel estimate of {plan.Schedule}");
                Assert.That(endToEnd, Is.LessThanOrEqualTo(model.Estimate(plan)), $"end-to-end estimate of {plan.Schedule}");
            }
        }

        Assert.That(families, Is.GreaterThan(0), "the layer has im2col plans");
    }

    [TestCaseSource(nameof(Layers))]
    public void The_column_steps_bound_never_exceeds_the_price_of_any_column_step_of_the_layer(OperatorSpec spec)
    {
        var model = new Sw26010CostModel(Target.Spec);
        var steps = new Im2colSpace(spec, Target.Limits, PlacementConstraints.None).EnumeratePlans()
            .OfType<Im2colPlan>().Select(plan => LayoutStep.Pack(plan.Columns, spec.ElementType)).Distinct().ToList();
        Assert.That(steps, Is.Not.Empty);
        foreach (var step in steps)
        {
            var bound = ColumnStepCost.LowerBound(Target.Spec, step, Target.Limits.CoreGroups);
            Assert.That(bound, Is.LessThanOrEqualTo(model.EstimateStep(step)), $"{step}");
        }
    }

    [Test]
    public void End_to_end_an_im2col_familys_bound_counts_its_column_step_and_for_the_kernel_alone_it_does_not()
    {
        var spec = Operator.Conv2d(2, 64, 128, 56, 56, 3, padding: 1, elementType: ElementType.Float32);
        var model = new Sw26010CostModel(Target.Spec);
        var family = new Im2colSpace(spec, Target.Limits, PlacementConstraints.None).EnumerateFamilies(2).First(f => f.Probe() is Im2colPlan);
        var probe = (Im2colPlan)family.Probe()!;
        var step = ColumnStepCost.LowerBound(Target.Spec, LayoutStep.Pack(probe.Columns, spec.ElementType), Target.Limits.CoreGroups);
        Assert.That(step, Is.GreaterThan(0));
        Assert.That(model.LowerBound(family), Is.EqualTo(model.LowerBound(family, TuningObjective.Kernel) + step).Within(1e-6).Percent);
    }

    [TestCaseSource(nameof(SmallLayers))]
    public void The_bounded_ranking_measures_the_candidates_of_ranking_every_point_with_im2col_in_the_space(OperatorSpec spec)
    {
        var model = new Sw26010CostModel(Target.Spec);
        var space = ScheduleSpace.For(spec, Target.Limits);
        Assert.That(space.Enumerate().Any(s => s is Im2colSchedule), "the space offers im2col");
        BoundedRanking.AssertMeasuresTheCandidatesOfRankingEveryPoint(space, model);
    }

    [Test]
    public void The_im2col_families_of_a_3x3_layer_are_bounded_with_their_column_step_end_to_end()
    {
        var spec = Operator.Conv2d(2, 32, 64, 28, 28, 3, padding: 1, elementType: ElementType.Float32);
        var model = new Sw26010CostModel(Target.Spec);
        var families = new Im2colSpace(spec, Target.Limits, PlacementConstraints.None).EnumerateFamilies(2).ToList();
        Assert.That(families, Is.Not.Empty);
        var im2col = families.Where(f => f.Probe() is Im2colPlan).ToList();
        Assert.That(im2col, Is.Not.Empty, "a family whose GEMM's probe the column step can serve is probed by the im2col plan around it");
        Assert.That(im2col.All(f => model.LowerBound(f) > model.LowerBound(f, TuningObjective.Kernel)), "every such family's end-to-end bound counts its column step");
    }
}
