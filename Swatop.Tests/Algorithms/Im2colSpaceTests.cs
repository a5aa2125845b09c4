using Swatop.Core;
using Swatop.Core.Algorithms.Im2col;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Layouts;
using Swatop.Core.LayoutSteps;
using Swatop.Core.Scheduling;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Hardware.Sw26010.Tuning;

namespace Swatop.Tests.Algorithms;

/// <summary>Where explicit im2col applies, what its space offers, how a schedule of it is written and forced, and how its column matrix is laid out and priced.</summary>
public sealed class Im2colSpaceTests
{
    private static readonly OperatorSpec Conv1Like = Operator.Conv2d(4, 3, 64, 32, 32, 7, stride: 2, padding: 3);

    private static IEnumerable<TestCaseData> NotApplicable()
    {
        yield return new TestCaseData(Operator.Conv2d(2, 16, 16, 9, 9, 1)).SetName("A 1 x 1 convolution of stride one and no padding");
        yield return new TestCaseData(Operator.Gemm(64, 32, 16)).SetName("A GEMM");
        yield return new TestCaseData(Operator.Conv2d(2, 8, 8, 9, 9, 3, padding: 1, layout: ConvLayout.Nhwc)).SetName("An NHWC convolution");
    }

    [TestCaseSource(nameof(NotApplicable))]
    public void The_space_never_offers_im2col_where_it_does_not_apply(OperatorSpec spec)
    {
        var space = ScheduleSpace.For(spec, Sw26010Target.Default.Limits);
        Assert.That(space.Spaces.Any(s => s is Im2colSpace), Is.False);
        Assert.That(space.Enumerate().Take(5000).Any(s => s is Im2colSchedule), Is.False);
        var error = Assert.Throws<ScheduleException>(() => ScheduleSpace.For(spec, Sw26010Target.Default.Limits, null, Im2colSchedule.AlgorithmName));
        Assert.That(error!.Id, Is.EqualTo(ScheduleDiagnostics.NotApplicable));
        Assert.That(error.Message, Does.Contain("'im2col' does not apply"));
    }

    [Test]
    public void A_few_channel_convolution_gets_im2col_points_whose_gemm_reduces_over_every_channel_and_tap()
    {
        var limits = Sw26010Target.Default.Limits;
        var space = ScheduleSpace.For(Conv1Like, limits);
        var plans = space.Spaces.OfType<Im2colSpace>().Single().EnumeratePlans().OfType<Im2colPlan>().ToList();
        Assert.That(plans, Is.Not.Empty);
        Assert.That(plans.Max(p => p.LdmBytes), Is.LessThanOrEqualTo(limits.LdmBudgetBytes));
        Assert.That(plans.Select(p => p.Schedule).Distinct().Count(), Is.EqualTo(plans.Count));
        Assert.That(plans.All(p => p.Gemm.Operator.Expression.ReductionAxes.Single(a => a.Name == "ci").Extent == 3 * 7 * 7), Is.True);
        Assert.That(plans.All(p => p.Columns.Layout.Window == ColumnWindow.Input((Conv2dAttributes)Conv1Like.Attributes)), Is.True);
    }

    [Test]
    public void An_im2col_schedule_round_trips_through_json_and_prints_as_csharp()
    {
        Schedule schedule = Im2colAlgorithm.Instance.Space(Conv1Like, Sw26010Target.Default.Limits, PlacementConstraints.None).Enumerate().First(s => s.CoreGroups > 1);
        var json = schedule.ToJson();
        Assert.That(json, Does.StartWith("{\"algorithm\":\"im2col\""));
        Assert.That(Schedule.FromJson(json), Is.EqualTo(schedule));
        Assert.That(schedule.ToCSharp(), Does.StartWith("new Im2colSchedule").And.Contain("Gemm = new ImplicitGemmSchedule"));
    }

    [Test]
    public void A_schedule_whose_gemm_runs_on_other_core_groups_is_refused_naming_both()
    {
        var gemm = (ImplicitGemmSchedule)ImplicitGemmSpace.For(Im2colAlgorithm.ColumnOperator(Conv1Like), Sw26010Target.Default.Limits).Default();
        var schedule = Im2colSchedule.Of(gemm) with { CoreGroups = gemm.CoreGroups == 1 ? 2 : 1 };
        var error = Assert.Throws<ScheduleException>(() => Im2colAlgorithm.Instance.Plan(Conv1Like, schedule, Sw26010Target.Default.Limits));
        Assert.That(error!.Id, Is.EqualTo(ScheduleDiagnostics.IllegalSplit));
        Assert.That(error.Message, Does.Contain("runs on its GEMM's core groups"));
    }

    [Test]
    public void A_column_step_whose_rows_overflow_the_ldm_is_refused_naming_the_budget()
    {
        var wide = Operator.Conv2d(1, 1, 128, 7, 6000, 7, stride: 2);
        var gemm = (ImplicitGemmSchedule)ImplicitGemmSpace.For(Im2colAlgorithm.ColumnOperator(wide), Sw26010Target.Default.Limits).Default();
        var error = Assert.Throws<ScheduleException>(() => Im2colAlgorithm.Instance.Plan(wide, Im2colSchedule.Of(gemm), Sw26010Target.Default.Limits));
        Assert.That(error!.Id, Is.EqualTo(ScheduleDiagnostics.IllegalColumns));
        Assert.That(error.Message, Does.Contain("bytes of LDM").And.Contain("budget"));
    }

    [Test]
    public void Forcing_im2col_tunes_in_its_space_alone_and_auto_ranks_it_with_the_others()
    {
        var model = new Sw26010CostModel(Sw26010Target.Default.Spec);
        var forced = Conv1Like.Tune(Sw26010Target.Default, new TuningOptions { Algorithm = Im2colSchedule.AlgorithmName, Trials = 2, Strategy = new ModelGuidedSearch(model, 2) });
        Assert.That(forced.Schedule.Algorithm, Is.EqualTo(Im2colSchedule.AlgorithmName), "the whole matrix or the column block in LDM");
        var all = ScheduleSpace.For(Conv1Like, Sw26010Target.Default.Limits).EnumeratePlans().ToList();
        Assert.That(all.Select(p => p.Schedule.Algorithm).Distinct(), Is.EquivalentTo(new[] { ImplicitGemmSchedule.AlgorithmName, Im2colSchedule.AlgorithmName }));
    }

    [Test]
    public void The_cost_model_prices_an_im2col_plan_as_its_gemm_plus_the_column_step()
    {
        var model = new Sw26010CostModel(Sw26010Target.Default.Spec);
        var plan = (Im2colPlan)Im2colAlgorithm.Instance.Space(Conv1Like, Sw26010Target.Default.Limits, PlacementConstraints.None).EnumeratePlans().First();
        var column = model.EstimateStep(LayoutStep.Pack(plan.Columns, Conv1Like.ElementType));
        Assert.That(column, Is.GreaterThan(0));
        Assert.That(model.Estimate(plan, TuningObjective.Kernel), Is.EqualTo(plan.Accept<CostAccount>(model).Seconds));
        Assert.That(model.Estimate(plan, TuningObjective.Kernel), Is.LessThanOrEqualTo(model.Account(plan.Gemm).Seconds), "the GEMM reads the column matrix in its own group's memory");
        Assert.That(model.Estimate(plan), Is.GreaterThanOrEqualTo(model.Estimate(plan, TuningObjective.Kernel) + column));

        // The column step is priced from its own transfers: twice the images, about twice the time.
        var twice = Operator.Conv2d(8, 3, 64, 32, 32, 7, stride: 2, padding: 3);
        var plan2 = (Im2colPlan)Im2colAlgorithm.Instance.Space(twice, Sw26010Target.Default.Limits, PlacementConstraints.None).EnumeratePlans().First(p => p.Schedule.CoreGroups == plan.Schedule.CoreGroups);
        Assert.That(model.EstimateStep(LayoutStep.Pack(plan2.Columns, twice.ElementType)) / column, Is.InRange(1.6, 2.2));
    }

    [Test]
    public void A_column_matrix_layout_is_never_the_identity_and_has_no_single_offset()
    {
        var plan = (Im2colPlan)Im2colAlgorithm.Instance.Space(Conv1Like, Sw26010Target.Default.Limits, PlacementConstraints.None).EnumeratePlans().First();
        var layout = plan.Columns.Layout;
        Assert.That(layout.IsIdentity, Is.False);
        Assert.That(layout.ToString(), Does.Contain("im2col 7x7 stride 2x2"));
        Assert.That(layout.Elements, Is.GreaterThanOrEqualTo(4L * 147 * 16 * 16));
        var error = Assert.Throws<InvalidOperationException>(() => layout.OffsetOf([0, 0, 0, 0]));
        Assert.That(error!.Message, Does.Contain("column matrix"));
        Assert.That(layout.HasSameArrangement(layout with { Window = null }), Is.False);
    }
}
