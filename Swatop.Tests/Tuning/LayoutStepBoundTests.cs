using Swatop.Core;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Scheduling;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Hardware.Sw26010.Tuning;
using Swatop.Primitives;

namespace Swatop.Tests.Tuning;

/// <summary>
/// End to end, an implicit GEMM family's tighter lower bound (<see cref="Sw26010CostModel.TightLowerBound"/>) counts the least its plans' layout steps can cost: the steps follow
/// from the tile shape's layouts and the split, so the bound still never exceeds any plan's estimate, it rises above the
/// kernel's bound where the shape packs a tensor, and the bounded ranking still measures the candidates of ranking every point.
/// </summary>
public sealed class LayoutStepBoundTests
{
    private static readonly Sw26010Target Target = Sw26010Target.Default;

    private static IEnumerable<TestCaseData> Layers() =>
    [
        new TestCaseData(Operator.Conv2d(4, 16, 32, 8, 8, 3, padding: 1)).SetArgDisplayNames("3x3 double"),
        new TestCaseData(Operator.Conv2d(8, 32, 32, 10, 10, 3, padding: 1, elementType: ElementType.Float32)).SetArgDisplayNames("3x3 float"),
        new TestCaseData(Operator.Conv2d(8, 32, 64, 7, 7, 1, stride: 2)).SetArgDisplayNames("1x1 stride 2"),
    ];

    [TestCaseSource(nameof(Layers))]
    public void An_implicit_gemm_familys_end_to_end_bound_with_its_least_layout_steps_never_exceeds_any_of_its_plans_estimate(OperatorSpec spec)
    {
        var model = new Sw26010CostModel(Target.Spec);
        var raised = 0;
        foreach (var family in ImplicitGemmSpace.For(spec, Target.Limits).EnumerateFamilies())
        {
            var (bound, kernel) = (model.TightLowerBound(family), model.LowerBound(family, TuningObjective.Kernel));
            raised += bound > kernel ? 1 : 0;
            foreach (var plan in family.Plans())
            {
                Assert.That(bound, Is.LessThanOrEqualTo(model.Estimate(plan)), $"end-to-end estimate of {plan.Schedule}");
            }
        }

        Assert.That(raised, Is.GreaterThan(0), "some family's bound counts the layout steps its plans cannot do without");
    }

    [TestCaseSource(nameof(Layers))]
    public void The_bounded_ranking_with_the_steps_in_the_bound_measures_the_candidates_of_ranking_every_point(OperatorSpec spec)
    {
        var model = new Sw26010CostModel(Target.Spec);
        var space = ScheduleSpace.For(spec, Target.Limits);
        foreach (var everyPoint in BoundedRanking.AssertMeasuresTheCandidatesOfRankingEveryPoint(space, model))
        {
            Assert.That(everyPoint.Ranked, Is.EqualTo(space.Enumerate().Count()));
        }
    }
}
