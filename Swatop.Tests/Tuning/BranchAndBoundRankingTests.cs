using Swatop.Core;
using Swatop.Core.LayoutSteps;
using Swatop.Core.Scheduling;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Hardware.Sw26010.Tuning;

namespace Swatop.Tests.Tuning;

/// <summary>
/// The model-guided ranking skips the tile shapes whose lower bound its kept estimates beat: the bound never exceeds
/// a plan's estimate, and the candidates measured are those of ranking every point.
/// </summary>
public sealed class BranchAndBoundRankingTests
{
    private static readonly Sw26010Target Target = Sw26010Target.Default;

    private static IEnumerable<TestCaseData> Operators() =>
    [
        new TestCaseData(Operator.Gemm(130, 40, 20)).SetArgDisplayNames("gemm 130x40x20"),
        new TestCaseData(Operator.Conv2d(4, 16, 32, 8, 8, 3, padding: 1)).SetArgDisplayNames("conv 3x3 padded"),
        new TestCaseData(Operator.Conv2d(8, 32, 64, 7, 7, 1, stride: 2)).SetArgDisplayNames("conv 1x1 stride 2"),
        new TestCaseData(Operator.Conv2d(2, 16, 32, 6, 6, 1).WithEpilogue(EpilogueStep.Bias(), EpilogueStep.ResidualAdd(), EpilogueStep.Relu())).SetArgDisplayNames("conv 1x1 + bias + residual + relu"),
    ];

    [TestCaseSource(nameof(Operators))]
    public void A_familys_lower_bound_never_exceeds_the_estimate_of_any_of_its_plans(OperatorSpec spec)
    {
        var model = new Sw26010CostModel(Target.Spec);
        var space = ScheduleSpace.For(spec, Target.Limits);
        var bounded = 0;
        foreach (var family in space.EnumerateFamilies(2))
        {
            var bound = model.LowerBound(family);
            var kernelBound = model.LowerBound(family, TuningObjective.Kernel);
            bounded += bound > 0 ? 1 : 0;
            foreach (var plan in family.Plans().Take(40))
            {
                Assert.That(kernelBound, Is.LessThanOrEqualTo(model.Estimate(plan, TuningObjective.Kernel)), $"kernel estimate of {plan.Schedule}");
                Assert.That(bound, Is.LessThanOrEqualTo(model.Estimate(plan)), $"end-to-end estimate of {plan.Schedule}");
            }
        }

        Assert.That(bounded, Is.GreaterThan(0), "the implicit GEMM's tile shapes are bounded");
    }

    [TestCaseSource(nameof(Operators))]
    public void The_bounded_ranking_measures_the_candidates_of_ranking_every_point(OperatorSpec spec)
    {
        var model = new Sw26010CostModel(Target.Spec);
        var space = ScheduleSpace.For(spec, Target.Limits);
        foreach (var everyPoint in BoundedRanking.AssertMeasuresTheCandidatesOfRankingEveryPoint(space, model))
        {
            Assert.That(everyPoint.Ranked, Is.EqualTo(space.Enumerate().Count()));
        }
    }

    [Test]
    public void On_a_layer_its_compute_bounds_the_ranking_skips_the_shapes_that_compute_too_long()
    {
        var spec = Operator.Conv2d(4, 16, 32, 8, 8, 3, padding: 1);
        var model = new Sw26010CostModel(Target.Spec);
        var space = ScheduleSpace.For(spec, Target.Limits);
        var withBound = BoundedRanking.Search(space, model, TuningObjective.EndToEnd);
        Assert.That(withBound.Ranked, Is.LessThan(space.Enumerate().Count() * 0.8), "about 60% of the points are ranked");
    }
}
