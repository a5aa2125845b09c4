using Swatop.Core;
using Swatop.Core.Algorithms.Direct;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Algorithms.Winograd;
using Swatop.Core.Scheduling;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Hardware.Sw26010.Tuning;

namespace Swatop.Tests.Algorithms;

/// <summary>Where Winograd's algorithm applies, what its space offers, and how a schedule of it is written, priced, tuned and forced.</summary>
public sealed class WinogradSpaceTests
{
    private static readonly OperatorSpec Layer = Operator.Conv2d(8, 32, 32, 14, 14, 3, padding: 1);

    private static IEnumerable<TestCaseData> NotApplicable()
    {
        yield return new TestCaseData(Operator.Conv2d(2, 16, 16, 9, 9, 3, stride: 2, padding: 1)).SetName("A 3 x 3 convolution of stride 2");
        yield return new TestCaseData(Operator.Conv2d(2, 16, 16, 9, 9, 1)).SetName("A 1 x 1 convolution");
        yield return new TestCaseData(Operator.Conv2d(2, 16, 16, 9, 9, 5, padding: 2)).SetName("A 5 x 5 convolution");
        yield return new TestCaseData(Operator.Conv2d(2, 16, 16, 9, 9, 3, padding: 2, dilation: 2)).SetName("A dilated 3 x 3 convolution");
        yield return new TestCaseData(Operator.Conv2d(2, 16, 16, 9, 9, 3, padding: 1, layout: ConvLayout.Nhwc)).SetName("An NHWC 3 x 3 convolution");
        yield return new TestCaseData(Operator.Gemm(64, 32, 16)).SetName("A GEMM");
    }

    [TestCaseSource(nameof(NotApplicable))]
    public void The_space_never_offers_winograd_where_it_does_not_apply_and_forcing_it_is_refused(OperatorSpec spec)
    {
        var space = ScheduleSpace.For(spec, Sw26010Target.Default.Limits);
        Assert.That(space.Spaces.Any(s => s is WinogradSpace), Is.False);
        Assert.That(space.Enumerate().Take(5000).Any(s => s is WinogradSchedule), Is.False);
        var error = Assert.Throws<ScheduleException>(() => ScheduleSpace.For(spec, Sw26010Target.Default.Limits, null, WinogradSchedule.AlgorithmName));
        Assert.That(error!.Id, Is.EqualTo(ScheduleDiagnostics.NotApplicable));
        Assert.That(error.Message, Does.Contain("'winograd' does not apply"));
        var plan = Assert.Throws<ScheduleException>(() => WinogradAlgorithm.Instance.Plan(spec, new WinogradSchedule(), Sw26010Target.Default.Limits));
        Assert.That(plan!.Id, Is.EqualTo(ScheduleDiagnostics.NotApplicable));
    }

    [Test]
    public void A_stride_1_3x3_convolution_gets_winograd_beside_the_gemms_and_every_point_fits_the_ldm()
    {
        var limits = Sw26010Target.Default.Limits;
        var space = ScheduleSpace.For(Layer, limits);
        Assert.That(space.Spaces.Select(s => s.GetType()), Is.EqualTo(new[] { typeof(ImplicitGemmSpace), typeof(WinogradSpace), typeof(Swatop.Core.Algorithms.Im2col.Im2colSpace), typeof(Swatop.Core.Algorithms.WinogradMesh.WinogradMeshSpace), typeof(Swatop.Core.Algorithms.WinogradGemm.WinogradGemmSpace) }));
        var plans = space.Spaces[1].EnumeratePlans().Cast<WinogradPlan>().ToList();
        Assert.That(plans.Select(p => p.Schedule.OutputTile).Distinct(), Is.EquivalentTo(new[] { 2, 4 }));
        Assert.That(plans.Max(p => p.LdmBytes), Is.LessThanOrEqualTo(limits.LdmBudgetBytes));
        Assert.That(plans.Select(p => p.Schedule).Distinct().Count(), Is.EqualTo(plans.Count));
    }

    [Test]
    public void A_depthwise_3x3_convolution_gets_every_algorithm()
    {
        var space = ScheduleSpace.For(Operator.Conv2d(2, 8, 8, 9, 9, 3, padding: 1, groups: 8), Sw26010Target.Default.Limits);
        Assert.That(space.Spaces.Select(s => s.GetType()), Is.EqualTo(new[] { typeof(ImplicitGemmSpace), typeof(DirectSpace), typeof(WinogradSpace), typeof(Swatop.Core.Algorithms.Im2col.Im2colSpace) }));
    }

    [TestCase(3, 2, 2, 2, "OutputTile")]
    [TestCase(2, 99, 2, 2, "TileColumns")]
    [TestCase(2, 2, 5, 2, "OutBlock")]
    [TestCase(2, 2, 2, 3, "InBlock")]
    public void A_decision_that_breaks_a_rule_is_refused_naming_it(int tile, int columns, int outBlock, int inBlock, string parameter)
    {
        var error = Assert.Throws<ScheduleException>(() => WinogradAlgorithm.Instance.Plan(Layer,
            new WinogradSchedule { OutputTile = tile, TileColumns = columns, OutBlock = outBlock, InBlock = inBlock }, Sw26010Target.Default.Limits));
        Assert.That(error!.Id, Is.EqualTo(ScheduleDiagnostics.IllegalTile));
        Assert.That(error.Message, Does.Contain($": {parameter} = "));
    }

    [Test]
    public void A_schedule_whose_buffers_overflow_the_ldm_is_refused_naming_the_budget()
    {
        var wide = Operator.Conv2d(1, 64, 64, 200, 200, 3, padding: 1);
        var error = Assert.Throws<ScheduleException>(() => WinogradAlgorithm.Instance.Plan(wide,
            new WinogradSchedule { OutputTile = 4, TileColumns = 50, OutBlock = 64, InBlock = 64 }, Sw26010Target.Default.Limits));
        Assert.That(error!.Id, Is.EqualTo(ScheduleDiagnostics.LdmOverflow));
        Assert.That(error.Message, Does.Contain("bytes of LDM").And.Contain("budget"));
    }

    [Test]
    public void A_winograd_schedule_round_trips_through_json_and_prints_as_csharp()
    {
        Schedule schedule = new WinogradSchedule { OutputTile = 4, TileColumns = 7, OutBlock = 8, InBlock = 16, CoreGroups = 4, SplitAxis = "n" };
        var json = schedule.ToJson();
        Assert.That(json, Does.StartWith("{\"algorithm\":\"winograd\""));
        Assert.That(Schedule.FromJson(json), Is.EqualTo(schedule));
        Assert.That(schedule.ToCSharp(), Is.EqualTo("new WinogradSchedule { OutputTile = 4, TileColumns = 7, OutBlock = 8, InBlock = 16, CoreGroups = 4, SplitAxis = \"n\" }"));
    }

    [Test]
    public void Forcing_winograd_tunes_in_its_space_alone()
    {
        var result = Layer.Tune(Sw26010Target.Default, new TuningOptions { Algorithm = WinogradSchedule.AlgorithmName, Trials = 2, Strategy = new ModelGuidedSearch(new Sw26010CostModel(Sw26010Target.Default.Spec), 2) });
        Assert.That(result.Schedule, Is.TypeOf<WinogradSchedule>());
    }

    [Test]
    public void The_cost_model_prices_a_winograd_plan_from_its_transfers_and_multiply_adds()
    {
        var model = new Sw26010CostModel(Sw26010Target.Default.Spec);
        var limits = Sw26010Target.Default.Limits;
        var f2 = model.Account((WinogradPlan)WinogradAlgorithm.Instance.Plan(Layer, new WinogradSchedule { OutputTile = 2, TileColumns = 7, OutBlock = 4, InBlock = 8 }, limits));
        var f4 = model.Account((WinogradPlan)WinogradAlgorithm.Instance.Plan(Layer, new WinogradSchedule { OutputTile = 4, TileColumns = 4, OutBlock = 4, InBlock = 8 }, limits));
        Assert.That(f2.PutBytes, Is.EqualTo(8.0 * 32 * 14 * 14 * 8));
        Assert.That(f2.Seconds, Is.GreaterThan(f2.ComputeSeconds).And.GreaterThan(0));
        Assert.That(f4.PutBytes, Is.EqualTo(f2.PutBytes));
        Assert.That(f4.GetBytes, Is.GreaterThan(0));
    }
}
