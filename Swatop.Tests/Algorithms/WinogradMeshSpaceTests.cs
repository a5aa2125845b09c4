using Swatop.Core;
using Swatop.Core.Algorithms.Winograd;
using Swatop.Core.Algorithms.WinogradMesh;
using Swatop.Core.Scheduling;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Hardware.Sw26010.Tuning;

namespace Swatop.Tests.Algorithms;

/// <summary>Where the fused Winograd algorithm applies, what its space offers, and how a schedule of it is written, priced, tuned and forced.</summary>
public sealed class WinogradMeshSpaceTests
{
    private static readonly OperatorSpec Layer = Operator.Conv2d(8, 32, 64, 14, 14, 3, padding: 1);

    private static IEnumerable<TestCaseData> NotApplicable()
    {
        yield return new TestCaseData(Operator.Conv2d(2, 16, 32, 9, 9, 3, stride: 2, padding: 1), "3 x 3 convolutions of stride 1").SetName("A 3 x 3 convolution of stride 2");
        yield return new TestCaseData(Operator.Conv2d(2, 16, 32, 9, 9, 1), "3 x 3 convolutions of stride 1").SetName("A 1 x 1 convolution");
        yield return new TestCaseData(Operator.Conv2d(2, 4, 32, 9, 9, 3, padding: 1), "a multiple of 8, and this one has 4").SetName("A 3 x 3 convolution of 4 input channels");
        yield return new TestCaseData(Operator.Conv2d(2, 16, 16, 9, 9, 3, padding: 1), "a multiple of 32, and this one has 16").SetName("A 3 x 3 convolution of 16 output channels");
        yield return new TestCaseData(Operator.Conv2d(2, 32, 64, 9, 9, 3, padding: 1, groups: 4), "a multiple of 32, and this one has 16").SetName("A grouped 3 x 3 convolution of 16 output channels a group");
        yield return new TestCaseData(Operator.Conv2d(2, 16, 32, 9, 9, 3, padding: 1, groups: 16), "a multiple of 8, and this one has 1").SetName("A depthwise 3 x 3 convolution");
        yield return new TestCaseData(Operator.Gemm(64, 32, 16), "computes convolutions only").SetName("A GEMM");
    }

    [TestCaseSource(nameof(NotApplicable))]
    public void The_space_never_offers_the_fused_winograd_where_it_does_not_apply_and_forcing_it_is_refused(OperatorSpec spec, string rule)
    {
        var space = ScheduleSpace.For(spec, Sw26010Target.Default.Limits);
        Assert.That(space.Spaces.Any(s => s is WinogradMeshSpace), Is.False);
        Assert.That(space.Enumerate().Take(5000).Any(s => s is WinogradMeshSchedule), Is.False);
        var error = Assert.Throws<ScheduleException>(() => ScheduleSpace.For(spec, Sw26010Target.Default.Limits, null, WinogradMeshSchedule.AlgorithmName));
        Assert.That(error!.Id, Is.EqualTo(ScheduleDiagnostics.NotApplicable));
        Assert.That(error.Message, Does.Contain("'winograd-mesh' does not apply").And.Contain(rule));
        var plan = Assert.Throws<ScheduleException>(() => WinogradMeshAlgorithm.Instance.Plan(spec, new WinogradMeshSchedule(), Sw26010Target.Default.Limits));
        Assert.That(plan!.Id, Is.EqualTo(ScheduleDiagnostics.NotApplicable));
    }

    [Test]
    public void A_stride_1_3x3_convolution_of_whole_mesh_channels_gets_the_fused_winograd_and_every_point_fits_the_ldm()
    {
        var limits = Sw26010Target.Default.Limits;
        var space = ScheduleSpace.For(Layer, limits);
        Assert.That(space.Spaces.Select(s => s.GetType()), Does.Contain(typeof(WinogradMeshSpace)).And.Contain(typeof(WinogradSpace)));
        var plans = space.Spaces.OfType<WinogradMeshSpace>().Single().EnumeratePlans().Cast<WinogradMeshPlan>().ToList();
        Assert.That(plans.Select(p => p.Schedule.OutputTile).Distinct(), Is.EquivalentTo(new[] { 2, 4 }));
        Assert.That(plans.Max(p => p.LdmBytes), Is.LessThanOrEqualTo(limits.LdmBudgetBytes));
        Assert.That(plans.All(p => p.Schedule.TileChunk % 128 == 0 && p.Schedule.OutBlock % 32 == 0 && p.Schedule.InBlock % 8 == 0), Is.True, "every mesh GEMM shape is legal");
        Assert.That(plans.Select(p => p.Schedule).Distinct().Count(), Is.EqualTo(plans.Count));
        Assert.That(plans.Select(p => p.Schedule.DoubleBuffer).Distinct(), Is.EquivalentTo(new[] { false, true }), "single and double buffers are both offered");
        Assert.That(plans.Select(p => p.Schedule.BlockPuts).Distinct(), Is.EquivalentTo(new[] { false, true }), "row and block puts are both offered");
    }

    [Test]
    public void Double_buffers_cost_ldm_for_two_copies_of_the_raw_input_and_filters_and_the_model_prices_the_gets_under_the_compute()
    {
        var limits = Sw26010Target.Default.Limits;
        var single = new WinogradMeshSchedule { OutputTile = 2, TileColumns = 7, Segments = 2, OutBlock = 32, InBlock = 16, CoreGroups = 4, SplitAxis = "n" };
        var singlePlan = (WinogradMeshPlan)WinogradMeshAlgorithm.Instance.Plan(Layer, single, limits);
        var doublePlan = (WinogradMeshPlan)WinogradMeshAlgorithm.Instance.Plan(Layer, single with { DoubleBuffer = true }, limits);
        Assert.That(doublePlan.LdmBytes, Is.GreaterThan(singlePlan.LdmBytes + (2 * singlePlan.InputElements * 8) - (singlePlan.RawFilterElements * 8)));
        var model = new Sw26010CostModel(Sw26010Target.Default.Spec);
        var (a, b) = (model.Account(singlePlan), model.Account(doublePlan));
        Assert.That(a.HiddenDmaSeconds, Is.Zero);
        Assert.That(b.HiddenDmaSeconds, Is.GreaterThan(0));
        Assert.That(b.Seconds, Is.LessThan(a.Seconds));
        Assert.That(b.ComputeSeconds, Is.EqualTo(a.ComputeSeconds));
    }

    [TestCase(3, 3, 4, 32, 8, "OutputTile")]
    [TestCase(2, 99, 1, 32, 8, "TileColumns")]
    [TestCase(2, 3, 3, 32, 8, "Segments")]
    [TestCase(2, 3, 4, 16, 8, "OutBlock")]
    [TestCase(2, 3, 4, 48, 8, "OutBlock")]
    [TestCase(2, 3, 4, 32, 12, "InBlock")]
    public void A_decision_that_breaks_a_rule_is_refused_naming_it(int tile, int columns, int segments, int outBlock, int inBlock, string parameter)
    {
        var error = Assert.Throws<ScheduleException>(() => WinogradMeshAlgorithm.Instance.Plan(Layer,
            new WinogradMeshSchedule { OutputTile = tile, TileColumns = columns, Segments = segments, OutBlock = outBlock, InBlock = inBlock }, Sw26010Target.Default.Limits));
        Assert.That(error!.Id, Is.EqualTo(ScheduleDiagnostics.IllegalTile));
        Assert.That(error.Message, Does.Contain($": {parameter} = "));
    }

    [Test]
    public void A_schedule_whose_buffers_overflow_the_ldm_is_refused_naming_the_budget()
    {
        var error = Assert.Throws<ScheduleException>(() => WinogradMeshAlgorithm.Instance.Plan(Layer,
            new WinogradMeshSchedule { OutputTile = 4, TileColumns = 3, Segments = 16, OutBlock = 64, InBlock = 32 }, Sw26010Target.Default.Limits));
        Assert.That(error!.Id, Is.EqualTo(ScheduleDiagnostics.LdmOverflow));
        Assert.That(error.Message, Does.Contain("bytes of LDM").And.Contain("budget"));
    }

    [Test]
    public void A_fused_winograd_schedule_round_trips_through_json_and_prints_as_csharp()
    {
        Schedule schedule = new WinogradMeshSchedule { OutputTile = 2, TileColumns = 7, Segments = 2, OutBlock = 64, InBlock = 16, CoreGroups = 4, SplitAxis = "n" };
        var json = schedule.ToJson();
        Assert.That(json, Does.StartWith("{\"algorithm\":\"winograd-mesh\""));
        Assert.That(Schedule.FromJson(json), Is.EqualTo(schedule));
        Assert.That(schedule.ToCSharp(), Is.EqualTo("new WinogradMeshSchedule { OutputTile = 2, TileColumns = 7, Segments = 2, OutBlock = 64, InBlock = 16, CoreGroups = 4, SplitAxis = \"n\" }"));
        Schedule doubled = ((WinogradMeshSchedule)schedule) with { DoubleBuffer = true };
        Assert.That(Schedule.FromJson(doubled.ToJson()), Is.EqualTo(doubled));
        Assert.That(Schedule.FromJson(doubled.ToJson()), Is.Not.EqualTo(schedule));
        Assert.That(doubled.ToCSharp(), Does.Contain("InBlock = 16, DoubleBuffer = true, CoreGroups = 4"));
        Schedule blocked = ((WinogradMeshSchedule)schedule) with { BlockPuts = true };
        Assert.That(Schedule.FromJson(blocked.ToJson()), Is.EqualTo(blocked));
        Assert.That(blocked.ToCSharp(), Does.Contain("InBlock = 16, BlockPuts = true, CoreGroups = 4"));
        Schedule positioned = ((WinogradMeshSchedule)schedule) with { DoubleBuffer = true, PerPosition = true };
        Assert.That(Schedule.FromJson(positioned.ToJson()), Is.EqualTo(positioned));
        Assert.That(Schedule.FromJson(positioned.ToJson()), Is.Not.EqualTo(doubled));
        Assert.That(positioned.ToCSharp(), Does.Contain("DoubleBuffer = true, PerPosition = true, CoreGroups = 4"));
        Assert.That(json, Does.Contain(",\"perPosition\":false"));
        Assert.That(Schedule.FromJson(json.Replace(",\"perPosition\":false", "", StringComparison.Ordinal)), Is.EqualTo(schedule), "absent, one position at a time is off");
    }

    [Test]
    public void A_segment_that_reads_whole_input_rows_gets_a_channels_rows_as_one_block()
    {
        var limits = Sw26010Target.Default.Limits;
        var spanning = (WinogradMeshPlan)WinogradMeshAlgorithm.Instance.Plan(Layer, new WinogradMeshSchedule { OutputTile = 2, TileColumns = 7, Segments = 2, OutBlock = 32, InBlock = 16 }, limits);
        var partial = (WinogradMeshPlan)WinogradMeshAlgorithm.Instance.Plan(Layer, new WinogradMeshSchedule { OutputTile = 2, TileColumns = 3, Segments = 4, OutBlock = 32, InBlock = 16 }, limits);
        Assert.That((spanning.InputRowsAdjacent, partial.InputRowsAdjacent), Is.EqualTo((true, false)));

        // One image of 6 x 6, F(2x2): 3 segments of 3 tiles, all on mesh row 0. Each of its CPEs gets 4 filter blocks (one an
        // output channel), its one channel's rows of the 3 segments (3, 4 and 3 rows inside the image: 3 blocks, not 10) and
        // puts 2 rows of 4 output channels a segment (24 blocks); the other 56 CPEs get only their filters.
        var small = Operator.Conv2d(1, 8, 32, 6, 6, 3, padding: 1);
        var schedule = new WinogradMeshSchedule { OutputTile = 2, TileColumns = 3, Segments = 4, OutBlock = 32, InBlock = 8 };
        Assert.That(((WinogradMeshPlan)WinogradMeshAlgorithm.Instance.Plan(small, schedule, limits)).InputRowsAdjacent, Is.True);
        var report = ((Sw26010Kernel)small.WithSchedule(schedule).Emit(Sw26010Target.Default)).MeasureReport();
        Assert.That(report.Total.DmaBlocks, Is.EqualTo((8 * (4 + 3 + 24)) + (56 * 4)));
    }

    [Test]
    public void One_position_at_a_time_is_offered_only_for_blocks_that_do_not_fit_otherwise_and_lets_a_deep_layer_take_larger_input_blocks()
    {
        var limits = Sw26010Target.Default.Limits;
        var deep = Operator.Conv2d(8, 256, 256, 14, 14, 3, padding: 1);
        var plans = ScheduleSpace.For(deep, limits).Spaces.OfType<WinogradMeshSpace>().Single().EnumeratePlans().Cast<WinogradMeshPlan>().ToList();
        var positioned = plans.Where(p => p.Schedule.PerPosition).ToList();
        Assert.That(positioned, Is.Not.Empty);
        Assert.That(positioned.All(p => p.Schedule.DoubleBuffer && p.Schedule.BlockPuts && p.LdmBytes <= limits.LdmBudgetBytes), Is.True);
        foreach (var plan in positioned)
        {
            var twin = Assert.Throws<ScheduleException>(() => WinogradMeshAlgorithm.Instance.Plan(deep, plan.Schedule with { PerPosition = false }, limits), plan.Schedule.ToString());
            Assert.That(twin!.Id, Is.EqualTo(ScheduleDiagnostics.LdmOverflow));
        }

        var wide = new WinogradMeshSchedule { OutputTile = 2, TileColumns = 7, Segments = 2, OutBlock = 64, InBlock = 64, DoubleBuffer = true, BlockPuts = true, PerPosition = true, CoreGroups = 4, SplitAxis = "n" };
        Assert.That(positioned.Select(p => p.Schedule), Does.Contain(wide), "a mesh GEMM of K = 64 beside N = 64");
        Assert.That(plans.Where(p => !p.Schedule.PerPosition && p.Schedule.OutBlock == 64 && p.Schedule.DoubleBuffer).Max(p => p.Schedule.InBlock), Is.LessThan(64));
        var plan64 = positioned.Single(p => p.Schedule == wide);
        Assert.That(plan64.TileElements, Is.EqualTo(plan64.BlockTiles * plan64.BlockIn), "the tiles' buffer holds one position");
        Assert.That(plan64.FilterElements, Is.EqualTo(plan64.Pairs), "the filters' buffer holds one position");
    }

    [Test]
    public void Forcing_the_fused_winograd_tunes_in_its_space_alone()
    {
        var result = Layer.Tune(Sw26010Target.Default, new TuningOptions { Algorithm = WinogradMeshSchedule.AlgorithmName, Trials = 2, Strategy = new ModelGuidedSearch(new Sw26010CostModel(Sw26010Target.Default.Spec), 2) });
        Assert.That(result.Schedule, Is.TypeOf<WinogradMeshSchedule>());
    }

    [TestCase(2, 7, 2, 32, 16)]
    [TestCase(2, 3, 4, 64, 8)]
    [TestCase(4, 1, 8, 32, 8)]
    [TestCase(2, 7, 2, 32, 16, true)]
    [TestCase(4, 1, 8, 32, 8, true)]
    [TestCase(2, 7, 2, 32, 16, false, true)]
    [TestCase(2, 7, 2, 32, 16, true, true)]
    [TestCase(2, 7, 2, 32, 16, true, true, true)]
    public void The_price_of_a_fused_plan_is_within_a_quarter_of_the_emulators_time(int tile, int columns, int segments, int outBlock, int inBlock, bool doubled = false, bool blockPuts = false, bool perPosition = false)
    {
        var target = Sw26010Target.Default;
        var schedule = new WinogradMeshSchedule { OutputTile = tile, TileColumns = columns, Segments = segments, OutBlock = outBlock, InBlock = inBlock, DoubleBuffer = doubled, BlockPuts = blockPuts, PerPosition = perPosition, CoreGroups = 4, SplitAxis = "n" };
        var plan = (WinogradMeshPlan)WinogradMeshAlgorithm.Instance.Plan(Layer, schedule, target.Limits);
        var account = new Sw26010CostModel(target.Spec).Account(plan);
        var measured = Layer.WithSchedule(schedule).Emit(target).Measure().KernelSeconds;
        Assert.That(account.PutBytes, Is.EqualTo(2.0 * 64 * 14 * 14 * 8), "the core group with the most images puts its outputs once");
        Assert.That(account.Seconds / measured, Is.InRange(0.75, 1.25), $"estimate {account.Seconds * 1e3:F4} ms, emulator {measured * 1e3:F4} ms");
    }

    [TestCase(2, 3, 4, 8)]
    [TestCase(4, 1, 8, 8)]
    [TestCase(2, 1, 8, 16)]
    public void The_input_bytes_the_model_counts_are_those_the_emulator_gets_border_segments_included(int tile, int columns, int segments, int inBlock)
    {
        // 7 x 7: the first and last rows of tiles and the last segment of a row read fewer rows and columns than an interior one.
        var layer = Operator.Conv2d(3, 16, 32, 7, 7, 3, padding: 1);
        var schedule = new WinogradMeshSchedule { OutputTile = tile, TileColumns = columns, Segments = segments, OutBlock = 32, InBlock = inBlock };
        var plan = (WinogradMeshPlan)WinogradMeshAlgorithm.Instance.Plan(layer, schedule, Sw26010Target.Default.Limits);
        var account = new Sw26010CostModel(Sw26010Target.Default.Spec).Account(plan);
        var report = ((Sw26010Kernel)layer.WithSchedule(schedule).Emit(Sw26010Target.Default)).MeasureReport();
        Assert.That(account.GetBytes, Is.EqualTo((double)report.Total.DmaGetBytes));
        Assert.That(account.PutBytes, Is.EqualTo((double)report.Total.DmaPutBytes));
    }

    [TestCase(128, 16)]
    [TestCase(64, 32)]
    public void With_block_puts_the_price_is_within_5_percent_of_the_emulators_time_where_the_puts_outweigh_the_output_transform(int outBlock, int inBlock)
    {
        // A channel's puts take longer than its transform: they run under the next channel's transform, not under the input blocks.
        var layer = Operator.Conv2d(8, 32, 128, 14, 14, 3, padding: 1);
        var target = Sw26010Target.Default;
        var schedule = new WinogradMeshSchedule { OutputTile = 2, TileColumns = 7, Segments = 2, OutBlock = outBlock, InBlock = inBlock, DoubleBuffer = true, BlockPuts = true, CoreGroups = 4, SplitAxis = "n" };
        var plan = (WinogradMeshPlan)WinogradMeshAlgorithm.Instance.Plan(layer, schedule, target.Limits);
        var model = new Sw26010CostModel(target.Spec);
        var parts = model.Parts(plan);
        Assert.That(parts.PutSeconds, Is.GreaterThan(parts.OutputTransformSeconds));
        var measured = layer.WithSchedule(schedule).Emit(target).Measure().KernelSeconds;
        Assert.That(model.Account(plan).Seconds / measured, Is.InRange(0.95, 1.05), $"estimate {model.Account(plan).Seconds * 1e3:F4} ms, emulator {measured * 1e3:F4} ms");
    }
}
