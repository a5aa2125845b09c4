using Swatop.Core;
using Swatop.Core.Algorithms.WinogradGemm;
using Swatop.Core.Scheduling;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Hardware.Sw26010.Tuning;

namespace Swatop.Tests.Algorithms;

/// <summary>Where the composite Winograd algorithm applies, what its space offers, and how a schedule of it is written, priced and forced.</summary>
public sealed class WinogradGemmSpaceTests
{
    private static readonly OperatorSpec Layer = Operator.Conv2d(8, 32, 64, 14, 14, 3, padding: 1);

    private static IEnumerable<TestCaseData> NotApplicable()
    {
        yield return new TestCaseData(Operator.Conv2d(2, 16, 32, 9, 9, 3, stride: 2, padding: 1), "3 x 3 convolutions of stride 1").SetName("A 3 x 3 convolution of stride 2");
        yield return new TestCaseData(Operator.Conv2d(2, 16, 32, 9, 9, 1), "3 x 3 convolutions of stride 1").SetName("A 1 x 1 convolution");
        yield return new TestCaseData(Operator.Conv2d(2, 4, 32, 9, 9, 3, padding: 1), "a multiple of 8, and this one has 4").SetName("A 3 x 3 convolution of 4 input channels");
        yield return new TestCaseData(Operator.Conv2d(2, 16, 16, 9, 9, 3, padding: 1), "a multiple of 32, and this one has 16").SetName("A 3 x 3 convolution of 16 output channels");
        yield return new TestCaseData(Operator.Gemm(64, 32, 16), "computes convolutions only").SetName("A GEMM");
    }

    [TestCaseSource(nameof(NotApplicable))]
    public void The_space_never_offers_the_composite_winograd_where_it_does_not_apply_and_forcing_it_is_refused(OperatorSpec spec, string rule)
    {
        var space = ScheduleSpace.For(spec, Sw26010Target.Default.Limits);
        Assert.That(space.Spaces.Any(s => s is WinogradGemmSpace), Is.False);
        var error = Assert.Throws<ScheduleException>(() => ScheduleSpace.For(spec, Sw26010Target.Default.Limits, null, WinogradGemmSchedule.AlgorithmName));
        Assert.That(error!.Id, Is.EqualTo(ScheduleDiagnostics.NotApplicable));
        Assert.That(error.Message, Does.Contain("'winograd-gemm' does not apply").And.Contain(rule));
        var plan = Assert.Throws<ScheduleException>(() => WinogradGemmAlgorithm.Instance.Plan(spec, new WinogradGemmSchedule(), Sw26010Target.Default.Limits));
        Assert.That(plan!.Id, Is.EqualTo(ScheduleDiagnostics.NotApplicable));
    }

    [Test]
    public void A_stride_1_3x3_convolution_of_whole_mesh_channels_gets_the_composite_winograd_and_every_point_fits_the_ldm()
    {
        var limits = Sw26010Target.Default.Limits;
        var space = ScheduleSpace.For(Layer, limits, null, WinogradGemmSchedule.AlgorithmName);
        var plans = space.Spaces.OfType<WinogradGemmSpace>().Single().EnumeratePlans().Cast<WinogradGemmPlan>().ToList();
        Assert.That(plans, Is.Not.Empty);
        Assert.That(plans.Select(p => p.Schedule.OutputTile).Distinct(), Is.EquivalentTo(new[] { 2, 4 }));
        Assert.That(plans.Max(p => p.LdmBytes), Is.LessThanOrEqualTo(limits.LdmBudgetBytes));
        Assert.That(plans.All(p => p.Schedule.TileChunk % 128 == 0 && p.Schedule.OutBlock % 32 == 0 && p.Schedule.GemmIn % p.Schedule.InBlock == 0), Is.True, "every mesh GEMM shape is legal");
        Assert.That(plans.Select(p => p.Schedule.GemmIn).Distinct(), Is.EquivalentTo(new[] { 8, 16, 32 }), "a call's K runs up to all of a group's input channels");
    }

    private static IEnumerable<TestCaseData> BrokenRules()
    {
        var legal = new WinogradGemmSchedule { OutputTile = 2, TileColumns = 7, Segments = 2, OutBlock = 32, InBlock = 8, GemmIn = 16 };
        yield return new TestCaseData(legal with { OutputTile = 3 }, "OutputTile").SetName("An output tile of 3");
        yield return new TestCaseData(legal with { TileColumns = 4, Segments = 4 }, "Segments").SetName("A CPE's tiles not a multiple of 16");
        yield return new TestCaseData(legal with { OutBlock = 48 }, "OutBlock").SetName("An output block of 48");
        yield return new TestCaseData(legal with { GemmIn = 24 }, "GemmIn").SetName("A call's K that does not divide the input channels");
        yield return new TestCaseData(legal with { InBlock = 32 }, "InBlock").SetName("A transform block that does not divide the call's K");
    }

    [TestCaseSource(nameof(BrokenRules))]
    public void A_decision_that_breaks_a_rule_is_refused_naming_it(WinogradGemmSchedule schedule, string parameter)
    {
        var error = Assert.Throws<ScheduleException>(() => WinogradGemmAlgorithm.Instance.Plan(Layer, schedule, Sw26010Target.Default.Limits));
        Assert.That(error!.Id, Is.EqualTo(ScheduleDiagnostics.IllegalTile));
        Assert.That(error.Message, Does.StartWith($"{ScheduleDiagnostics.IllegalTile}: {parameter} = "));
    }

    [Test]
    public void A_composite_winograd_schedule_round_trips_through_json_and_prints_as_csharp()
    {
        var schedule = new WinogradGemmSchedule { OutputTile = 4, TileColumns = 3, Segments = 4, OutBlock = 64, InBlock = 8, GemmIn = 32, CoreGroups = 4, SplitAxis = "n" };
        var json = schedule.ToJson();
        Assert.That(json, Does.Contain("\"algorithm\":\"winograd-gemm\""));
        Assert.That(Schedule.FromJson(json), Is.EqualTo(schedule));
        Assert.That(Schedule.FromJson(json), Is.Not.EqualTo(schedule with { GemmIn = 16 }));
        Assert.That(schedule.ToCSharp(), Does.StartWith("new WinogradGemmSchedule { OutputTile = 4,").And.Contain("GemmIn = 32"));
        const string older = "{\"algorithm\":\"winograd-gemm\",\"outputTile\":4,\"tileColumns\":3,\"segments\":4,\"outBlock\":64,\"inBlock\":8,\"gemmIn\":32,\"coreGroups\":4,\"splitAxis\":\"n\"}";
        Assert.That(Schedule.FromJson(older), Is.EqualTo(schedule), "a schedule's JSON written before the layouts keeps the former layouts and puts");

        var laidOut = schedule with { TilesByInputBlock = true, SumsByPosition = true, OverlapSumPuts = true };
        Assert.That(Schedule.FromJson(laidOut.ToJson()), Is.EqualTo(laidOut));
        Assert.That(laidOut, Is.Not.EqualTo(laidOut with { SumsByPosition = false }));
        Assert.That(laidOut.ToCSharp(), Does.Contain("TilesByInputBlock = true, SumsByPosition = true, OverlapSumPuts = true"));
        Assert.That(laidOut.ToString(), Does.Contain("V by input block M by position overlapped C puts"));
    }

    [Test]
    public void The_space_offers_the_layouts_that_put_fewer_blocks_and_both_ways_of_putting_the_c_blocks()
    {
        var space = new WinogradGemmSpace(Layer, Sw26010Target.Default.Limits, Swatop.Core.Layouts.PlacementConstraints.None);
        var schedules = space.EnumeratePlans().Cast<WinogradGemmPlan>().Select(p => p.Schedule).ToList();
        Assert.That(schedules.All(s => s.TilesByInputBlock && s.SumsByPosition), Is.True);
        Assert.That(schedules.Select(s => s.OverlapSumPuts).Distinct(), Is.EquivalentTo(new[] { false, true }));
    }

    [Test]
    public void Laying_v_out_by_input_block_and_m_by_position_moves_the_same_bytes_in_fewer_put_blocks_and_takes_less_time()
    {
        // Four transform blocks of 8 channels and two output blocks: the former layouts put V a block a position and the C blocks a block an output channel.
        var layer = Operator.Conv2d(4, 32, 64, 14, 14, 3, padding: 1);
        var former = new WinogradGemmSchedule { OutputTile = 2, TileColumns = 7, Segments = 2, OutBlock = 32, InBlock = 8, GemmIn = 32 };
        var laidOut = former with { TilesByInputBlock = true, SumsByPosition = true };
        var target = Sw26010Target.Default;
        var before = ((Sw26010Kernel)layer.WithSchedule(former).Emit(target)).MeasureReport();
        var after = ((Sw26010Kernel)layer.WithSchedule(laidOut).Emit(target)).MeasureReport();
        Assert.That(after.Total.DmaPutBytes, Is.EqualTo(before.Total.DmaPutBytes));
        Assert.That(after.Total.DmaGetBytes, Is.EqualTo(before.Total.DmaGetBytes));
        Assert.That(after.Total.DmaBlocks, Is.LessThan(before.Total.DmaBlocks), "the blocks moved");
        Assert.That(layer.WithSchedule(laidOut).Emit(target).Measure().KernelSeconds, Is.LessThan(layer.WithSchedule(former).Emit(target).Measure().KernelSeconds), "the emulator's time");
        var model = new Sw26010CostModel(target.Spec);
        double Price(WinogradGemmSchedule s) => model.Account((WinogradGemmPlan)WinogradGemmAlgorithm.Instance.Plan(layer, s, target.Limits)).Seconds;
        Assert.That(Price(laidOut), Is.LessThan(Price(former)), "the price");
    }

    [Test]
    public void The_workspaces_count_in_a_core_groups_main_memory()
    {
        var schedule = new WinogradGemmSchedule { OutputTile = 2, TileColumns = 7, Segments = 2, OutBlock = 32, InBlock = 8, GemmIn = 32, CoreGroups = 4, SplitAxis = "n" };
        var plan = (WinogradGemmPlan)WinogradGemmAlgorithm.Instance.Plan(Layer, schedule, Sw26010Target.Default.Limits);
        // U: 16 positions x 64 x 32 filter pairs; V: 16 positions x 32 channels x 128 tiles; M: 16 positions x 64 channels x 128 tiles.
        Assert.That(plan.Workspaces.Sum(w => w.Elements), Is.EqualTo((16L * 64 * 32) + (16L * 32 * 128) + (16L * 64 * 128)));
        Assert.That(MainMemoryFootprint.Of(plan).CoreGroupBytes, Is.GreaterThanOrEqualTo(plan.WorkspaceBytes));
    }

    [TestCase(2, 3, 4, 8, false)]
    [TestCase(4, 1, 8, 16, false)]
    [TestCase(4, 1, 8, 16, true)]
    public void The_bytes_the_model_counts_are_those_the_emulator_moves(int tile, int columns, int segments, int gemmIn, bool laidOut)
    {
        // 7 x 7: the first and last rows of tiles and the last segment of a row read fewer rows and columns than an interior one.
        var layer = Operator.Conv2d(3, 16, 64, 7, 7, 3, padding: 1);
        var schedule = new WinogradGemmSchedule { OutputTile = tile, TileColumns = columns, Segments = segments, OutBlock = 32, InBlock = 8, GemmIn = gemmIn, TilesByInputBlock = laidOut, SumsByPosition = laidOut, OverlapSumPuts = laidOut };
        var plan = (WinogradGemmPlan)WinogradGemmAlgorithm.Instance.Plan(layer, schedule, Sw26010Target.Default.Limits);
        var account = new Sw26010CostModel(Sw26010Target.Default.Spec).Account(plan);
        var report = ((Sw26010Kernel)layer.WithSchedule(schedule).Emit(Sw26010Target.Default)).MeasureReport();
        Assert.That(account.GetBytes, Is.EqualTo((double)report.Total.DmaGetBytes), "the bytes got");
        Assert.That(account.PutBytes, Is.EqualTo((double)report.Total.DmaPutBytes), "the bytes put");
    }

    [TestCase(2, 7, 2, 32, 8, 32, false, false)]
    [TestCase(4, 1, 8, 64, 8, 16, false, false)]
    [TestCase(2, 3, 4, 64, 16, 32, false, false)]
    [TestCase(2, 7, 2, 32, 8, 32, true, false)]
    [TestCase(2, 7, 2, 32, 8, 16, true, true)]
    [TestCase(4, 1, 8, 32, 8, 32, false, true)]
    public void The_price_of_a_composite_plan_is_within_a_tenth_of_the_emulators_time(int tile, int columns, int segments, int outBlock, int inBlock, int gemmIn, bool laidOut, bool overlap)
    {
        var target = Sw26010Target.Default;
        var schedule = new WinogradGemmSchedule
        {
            OutputTile = tile, TileColumns = columns, Segments = segments, OutBlock = outBlock, InBlock = inBlock, GemmIn = gemmIn, TilesByInputBlock = laidOut, SumsByPosition = laidOut,
            OverlapSumPuts = overlap, CoreGroups = 4, SplitAxis = "n",
        };
        var plan = (WinogradGemmPlan)WinogradGemmAlgorithm.Instance.Plan(Layer, schedule, target.Limits);
        var account = new Sw26010CostModel(target.Spec).Account(plan);
        var measured = Layer.WithSchedule(schedule).Emit(target).Measure().KernelSeconds;
        Assert.That(account.Seconds / measured, Is.InRange(0.9, 1.1), $"estimate {account.Seconds * 1e3:F4} ms, emulator {measured * 1e3:F4} ms");
    }
}
