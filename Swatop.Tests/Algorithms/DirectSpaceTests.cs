using Swatop.Core;
using Swatop.Core.Algorithms.Direct;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Scheduling;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Hardware.Sw26010.Tuning;

namespace Swatop.Tests.Algorithms;

/// <summary>Where the direct convolution applies, what its space offers, and how a schedule of it is written and forced.</summary>
public sealed class DirectSpaceTests
{
    private static readonly OperatorSpec Depthwise = Operator.Conv2d(8, 32, 32, 14, 14, 3, padding: 1, groups: 32);

    private static IEnumerable<TestCaseData> NotApplicable()
    {
        yield return new TestCaseData(Operator.Conv2d(2, 16, 16, 9, 9, 3, padding: 1)).SetName("An ordinary convolution");
        yield return new TestCaseData(Operator.Conv2d(2, 32, 32, 9, 9, 3, padding: 1, groups: 2)).SetName("A grouped convolution of 16 channels a group");
        yield return new TestCaseData(Operator.Gemm(64, 32, 16)).SetName("A GEMM");
        yield return new TestCaseData(Operator.Conv2d(2, 8, 8, 9, 9, 3, padding: 1, groups: 8, layout: ConvLayout.Nhwc)).SetName("A depthwise NHWC convolution");
    }

    [TestCaseSource(nameof(NotApplicable))]
    public void The_space_never_offers_the_direct_convolution_where_it_does_not_apply(OperatorSpec spec)
    {
        var space = ScheduleSpace.For(spec, Sw26010Target.Default.Limits);
        Assert.That(space.Enumerate().Take(5000).Any(s => s is DirectSchedule), Is.False);
        var error = Assert.Throws<ScheduleException>(() => ScheduleSpace.For(spec, Sw26010Target.Default.Limits, null, DirectSchedule.AlgorithmName));
        Assert.That(error!.Id, Is.EqualTo(ScheduleDiagnostics.NotApplicable));
        Assert.That(error.Message, Does.Contain("'direct' does not apply"));
    }

    [Test]
    public void A_depthwise_convolution_gets_the_direct_algorithm_and_every_direct_point_fits_the_ldm_budget()
    {
        var limits = Sw26010Target.Default.Limits;
        var space = ScheduleSpace.For(Depthwise, limits);
        Assert.That(space.Spaces.Select(s => s.GetType()), Is.EqualTo(new[] { typeof(ImplicitGemmSpace), typeof(DirectSpace), typeof(Swatop.Core.Algorithms.Winograd.WinogradSpace), typeof(Swatop.Core.Algorithms.Im2col.Im2colSpace) }));
        var plans = space.Spaces[1].EnumeratePlans().ToList();
        Assert.That(plans, Is.Not.Empty);
        Assert.That(plans.Max(p => p.LdmBytes), Is.LessThanOrEqualTo(limits.LdmBudgetBytes));
        Assert.That(plans.Select(p => p.Schedule).Distinct().Count(), Is.EqualTo(plans.Count));
    }

    [Test]
    public void A_schedule_whose_buffers_overflow_the_ldm_is_refused_naming_the_budget()
    {
        var wide = Operator.Conv2d(1, 64, 64, 200, 200, 3, padding: 1, groups: 64);
        var error = Assert.Throws<ScheduleException>(() => DirectAlgorithm.Instance.Plan(wide, new DirectSchedule { TileRows = 200, TileGroups = 8 }, Sw26010Target.Default.Limits));
        Assert.That(error!.Id, Is.EqualTo(ScheduleDiagnostics.LdmOverflow));
        Assert.That(error.Message, Does.Contain("bytes of LDM").And.Contain("budget"));
    }

    [Test]
    public void A_direct_schedule_round_trips_through_json()
    {
        Schedule schedule = new DirectSchedule { TileRows = 7, TileGroups = 4, DoubleBuffer = true, CoreGroups = 4, SplitAxis = "n" };
        var json = schedule.ToJson();
        Assert.That(json, Does.StartWith("{\"algorithm\":\"direct\""));
        Assert.That(Schedule.FromJson(json), Is.EqualTo(schedule));
    }

    [Test]
    public void Forcing_the_direct_convolution_tunes_in_its_space_alone()
    {
        var result = Depthwise.Tune(Sw26010Target.Default, new TuningOptions { Algorithm = DirectSchedule.AlgorithmName, Trials = 2, Strategy = new Swatop.Core.Tuning.ModelGuidedSearch(new Sw26010CostModel(Sw26010Target.Default.Spec), 2) });
        Assert.That(result.Schedule, Is.TypeOf<DirectSchedule>());
    }

    [Test]
    public void An_unknown_algorithm_is_refused_naming_the_known_ones()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new TuningOptions { Algorithm = "fft" });
        Assert.That(error!.Message, Does.Contain("'fft' names no algorithm").And.Contain("implicit-gemm, direct, winograd"));
    }

    [Test]
    public void The_cost_model_prices_a_direct_plan_from_its_transfers_and_multiply_adds()
    {
        var model = new Sw26010CostModel(Sw26010Target.Default.Spec);
        var plan = (DirectPlan)DirectAlgorithm.Instance.Plan(Depthwise, new DirectSchedule { TileRows = 7 }, Sw26010Target.Default.Limits);
        var account = model.Account(plan);
        Assert.That(account.PutBytes, Is.EqualTo(8.0 * 32 * 14 * 14 * 8));
        Assert.That(account.Seconds, Is.GreaterThan(account.ComputeSeconds).And.GreaterThan(0));
        var doubled = (DirectPlan)DirectAlgorithm.Instance.Plan(Depthwise, new DirectSchedule { TileRows = 1, DoubleBuffer = true }, Sw26010Target.Default.Limits);
        Assert.That(model.Account(doubled).HiddenDmaSeconds, Is.GreaterThan(0));
    }
}
