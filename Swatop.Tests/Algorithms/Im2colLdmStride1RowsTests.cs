using Swatop.Core;
using Swatop.Core.Algorithms.Im2col;
using Swatop.Core.Layouts;
using Swatop.Core.Scheduling;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Emit.Verification;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Hardware.Sw26010.Tuning;
using Swatop.Primitives;
using Swatop.Tests.Emit;

namespace Swatop.Tests.Algorithms;

/// <summary>
/// The column block in LDM with a channel's input rows in one get where the taps read past the right edge
/// (<see cref="Im2colLdmSchedule.ChannelRowsPastEdge"/>: a stride-1 3 x 3 layer with padding; the columns past the edge
/// zeroed in A, or left out of a copied tap's run) and with a group's output rows run on across its images
/// (<see cref="Im2colLdmSchedule.RowsAcrossImages"/>: no tile computes rows past an image's output): exact on the
/// emulator and through gcc and the shim, refused where a rule is broken, offered by the space where they change the
/// kernel, priced as the emulator times them, and faster where the layers of ResNet-50 and VGG-16 need them.
/// </summary>
public sealed class Im2colLdmStride1RowsTests
{
    private static readonly Sw26010Target Target = Sw26010Target.Default;

    /// <summary>Percent within which the model's price is the emulator's time, and its DMA seconds the controller's busy time.</summary>
    private const double Tolerance = 5;

    private static Im2colLdmPlan Plan(OperatorSpec spec, Im2colLdmSchedule schedule) => (Im2colLdmPlan)Im2colAlgorithm.Instance.Plan(spec, schedule, Target.Limits);

    private static IEnumerable<TestCaseData> Kernels()
    {
        yield return new TestCaseData(Operator.Conv2d(3, 16, 40, 10, 12, 3, padding: 1),
                new Im2colLdmSchedule { RowsPerCpe = 2, OutBlock = 64, InBlock = 56, OverlapPuts = true, SpreadPuts = true, ResidentWeights = true, CopyTaps = true, ChannelRowsPastEdge = true, RowsAcrossImages = true, CoreGroups = 2, SplitAxis = "n" })
            .SetName("A double 3 x 3 stride-1 layer, every decision on: a channel's rows a get, copied taps, rows across two images and one");
        yield return new TestCaseData(Operator.Conv2d(2, 8, 32, 9, 11, 3, padding: 1),
                new Im2colLdmSchedule { RowsPerCpe = 3, OutBlock = 32, InBlock = 40, ChannelRowsPastEdge = true })
            .SetName("A channel's rows a get with the taps transposed and both paddings zeroed, puts waited for, rows of padding below");
        yield return new TestCaseData(Operator.Conv2d(3, 12, 32, 12, 13, 3, padding: 1, elementType: ElementType.Float32),
                new Im2colLdmSchedule { RowsPerCpe = 1, OutBlock = 32, InBlock = 48, OverlapPuts = true, CopyTaps = true, ChannelRowsPastEdge = true, RowsAcrossImages = true })
            .SetName("A float layer, one row a CPE run on across three images, a channel's rows a get, copied taps, tap blocks pipelined");
        yield return new TestCaseData(Operator.Conv2d(2, 16, 32, 13, 13, 3, stride: 2, padding: 1).WithEpilogue(EpilogueStep.Bias(), EpilogueStep.Relu()),
                new Im2colLdmSchedule { RowsPerCpe = 1, OutBlock = 32, InBlock = 48, OverlapPuts = true, ChannelRowsPastEdge = true, RowsAcrossImages = true })
            .SetName("A stride-2 layer of odd width whose last output column reads past the edge, a fused bias and ReLU");
    }

    [TestCaseSource(nameof(Kernels))]
    public void A_kernel_with_the_new_decisions_matches_the_reference_and_the_emulator_through_the_shim(OperatorSpec spec, Im2colLdmSchedule schedule)
    {
        Assert.That(Plan(spec, schedule).ChannelRowGets, Is.True);
        var check = EmittedC.CheckAgainstEmulator(spec, schedule, seed: 13, GccShimOptions.Default);
        Assert.That(check.Comparison.Passed, check.Comparison.ToString());
    }

    [Test]
    public void Each_decision_alone_computes_the_same_output_as_the_kernel_without_it()
    {
        var spec = Operator.Conv2d(3, 16, 32, 12, 12, 3, padding: 1);
        var plain = new Im2colLdmSchedule { RowsPerCpe = 1, OutBlock = 32, InBlock = 48, OverlapPuts = true, CopyTaps = true };
        var reference = Output(spec, plain);
        foreach (var schedule in new[] { plain with { ChannelRowsPastEdge = true }, plain with { RowsAcrossImages = true }, plain with { CopyTaps = false, ChannelRowsPastEdge = true } })
        {
            Assert.That(Output(spec, schedule), Is.EqualTo(reference), $"{schedule}: the same products in the same order");
        }
    }

    [Test]
    public void A_stride_1_layer_gets_a_channel_s_rows_in_one_get_past_the_edge_and_its_rows_run_on_across_images()
    {
        var res3 = Operator.Conv2d(128, 128, 128, 28, 28, 3, padding: 1);
        var schedule = new Im2colLdmSchedule { RowsPerCpe = 2, OutBlock = 128, InBlock = 192, OverlapPuts = true, CoreGroups = 4, SplitAxis = "n" };
        var plain = Plan(res3, schedule);
        Assert.That((plain.ReadsPastRightEdge, plain.ChannelRowGets), Is.EqualTo((true, false)), "a get a row unless asked");
        var rows = Plan(res3, schedule with { ChannelRowsPastEdge = true, RowsAcrossImages = true });
        Assert.That(rows.ChannelRowGets, Is.True);
        Assert.That(rows.SlotRows, Is.EqualTo(4), "two output rows of stride 1 read four input rows");
        Assert.That((rows.LeftPaddingColumns(0), rows.RightPaddingColumns(0), rows.RightPaddingColumns(1), rows.RightPaddingColumns(2)), Is.EqualTo((1, 0, 0, 1)));
        Assert.That(rows.SlotTail, Is.EqualTo(1), "the last row's last tap reads one element past it");
        Assert.That(plain.TilesPerGroup, Is.EqualTo(64), "32 images of two tiles, the second 4 rows past the output");
        Assert.That(rows.TilesPerGroup, Is.EqualTo(56), "32 x 28 rows in tiles of 16");
        Assert.That(rows.Accept(AlikeImageUnit.Instance), Is.EqualTo(4), "four images' rows fill seven tiles");
        Assert.That(Plan(res3, schedule with { RowsAcrossImages = true, SpreadPuts = true }).Accept(AlikeImageUnit.Instance), Is.EqualTo(8), "spread puts: at least eight tiles");
    }

    [Test]
    public void A_decision_that_breaks_a_rule_is_refused_naming_it()
    {
        var unpadded = Assert.Throws<ScheduleException>(() => Plan(Operator.Conv2d(2, 16, 32, 12, 12, 3),
            new Im2colLdmSchedule { RowsPerCpe = 1, OutBlock = 32, InBlock = 48, ChannelRowsPastEdge = true }));
        Assert.That(unpadded!.Id, Is.EqualTo(ScheduleDiagnostics.IllegalTile));
        Assert.That(unpadded.ParamName, Is.EqualTo(nameof(Im2colLdmSchedule.ChannelRowsPastEdge)));
        Assert.That(unpadded.Message, Does.Contain("reads no column past it"));
        var oneRow = Assert.Throws<ScheduleException>(() => Plan(Operator.Conv2d(2, 16, 32, 12, 12, 1, padding: 1),
            new Im2colLdmSchedule { RowsPerCpe = 1, OutBlock = 32, InBlock = 16, ChannelRowsPastEdge = true }));
        Assert.That(oneRow!.ParamName, Is.EqualTo(nameof(Im2colLdmSchedule.ChannelRowsPastEdge)));
        var odd = Assert.Throws<ScheduleException>(() => Plan(Operator.Conv2d(2, 16, 32, 12, 12, 3, padding: 1),
            new Im2colLdmSchedule { RowsPerCpe = 5, OutBlock = 32, InBlock = 48, RowsAcrossImages = true }));
        Assert.That(odd!.Id, Is.EqualTo(ScheduleDiagnostics.IllegalTile));
        Assert.That(odd.ParamName, Is.EqualTo(nameof(Im2colLdmSchedule.RowsAcrossImages)));
        Assert.That(odd.Message, Does.Contain("RowsPerCpe = 5").And.Contain("12 output rows"));
        var images = Assert.Throws<ScheduleException>(() => Plan(Operator.Conv2d(4, 16, 32, 12, 12, 3, stride: 2, padding: 1),
            new Im2colLdmSchedule { RowsPerCpe = 2, OutBlock = 32, InBlock = 48, ImagesPerTile = 2, RowsAcrossImages = true }));
        Assert.That(images!.Message, Does.Contain("one image a tile"));
    }

    [Test]
    public void The_decisions_round_trip_through_json_and_are_off_when_absent()
    {
        Schedule schedule = new Im2colLdmSchedule { RowsPerCpe = 2, OutBlock = 128, InBlock = 192, OverlapPuts = true, SpreadPuts = true, ResidentWeights = true, CopyTaps = true, ChannelRowsPastEdge = true, RowsAcrossImages = true, CoreGroups = 4, SplitAxis = "n" };
        var json = schedule.ToJson();
        Assert.That(Schedule.FromJson(json), Is.EqualTo(schedule));
        Assert.That(schedule.ToCSharp(), Does.Contain("ChannelRowsPastEdge = true, RowsAcrossImages = true"));
        Assert.That(schedule.ToString(), Does.Contain("channel rows past the edge").And.Contain("rows across images"));
        var without = json.Replace(",\"channelRowsPastEdge\":true", "", StringComparison.Ordinal).Replace(",\"rowsAcrossImages\":true", "", StringComparison.Ordinal);
        Assert.That(without, Is.Not.EqualTo(json));
        Assert.That(Schedule.FromJson(without), Is.EqualTo((Im2colLdmSchedule)schedule with { ChannelRowsPastEdge = false, RowsAcrossImages = false }), "a schedule written before replays as it was");
    }

    [Test]
    public void The_space_offers_the_decisions_only_where_they_change_the_kernel()
    {
        var padded = Operator.Conv2d(4, 16, 32, 12, 12, 3, padding: 1);
        var points = new Im2colLdmSpace(padded, Target.Limits, PlacementConstraints.None).EnumeratePlans().Cast<Im2colLdmPlan>().ToList();
        Assert.That(points.Any(p => p.Schedule is { ChannelRowsPastEdge: true, CopyTaps: true, RowsAcrossImages: true }), Is.True);
        Assert.That(points.Where(p => p.Schedule.RowsAcrossImages).All(p => 12 % p.Schedule.RowsPerCpe == 0 && 12 % p.TileRows != 0), Is.True);
        Assert.That(points.Where(p => p.Schedule.RowsAcrossImages).Select(p => p.Schedule.RowsPerCpe).Distinct().Order(), Is.EqualTo(new[] { 1, 2 }), "rows a CPE up to 2 (12 rows over 8 mesh rows), tiles of 8 and 16 rows, neither dividing 12");
        var unpadded = Operator.Conv2d(4, 16, 32, 12, 12, 3);
        Assert.That(new Im2colLdmSpace(unpadded, Target.Limits, PlacementConstraints.None).Enumerate().Cast<Im2colLdmSchedule>().Any(s => s.ChannelRowsPastEdge), Is.False, "no tap reads past the edge");
    }

    private static IEnumerable<TestCaseData> Layers()
    {
        yield return new TestCaseData(Operator.Conv2d(8, 128, 128, 28, 28, 3, padding: 1),
                new Im2colLdmSchedule { RowsPerCpe = 2, OutBlock = 128, InBlock = 192, OverlapPuts = true, SpreadPuts = true, ResidentWeights = true, CopyTaps = true, ChannelRowsPastEdge = true, RowsAcrossImages = true, CoreGroups = 4, SplitAxis = "n" })
            .SetName("ResNet-50's res3 3 x 3 layer at batch 8, every decision on");
        yield return new TestCaseData(Operator.Conv2d(4, 128, 128, 112, 112, 3, padding: 1),
                new Im2colLdmSchedule { RowsPerCpe = 1, OutBlock = 64, InBlock = 144, OverlapPuts = true, SpreadPuts = true, ResidentWeights = true, CopyTaps = true, ChannelRowsPastEdge = true, CoreGroups = 4, SplitAxis = "n" })
            .SetName("VGG-16's conv2_2 at batch 4, a channel's rows a get past the edge");
    }

    [TestCaseSource(nameof(Layers))]
    public void The_model_prices_the_kernel_as_the_emulator_times_it(OperatorSpec spec, Im2colLdmSchedule schedule) =>
        ColumnBlockPrice.AssertAsTimed(spec, schedule, Tolerance);

    [Test]
    public void A_channel_s_rows_in_one_get_make_a_layer_bound_by_the_controller_faster()
    {
        var spec = Operator.Conv2d(4, 128, 128, 112, 112, 3, padding: 1);
        var rows = new Im2colLdmSchedule { RowsPerCpe = 1, OutBlock = 64, InBlock = 144, OverlapPuts = true, SpreadPuts = true, ResidentWeights = true, CopyTaps = true, ChannelRowsPastEdge = true, CoreGroups = 4, SplitAxis = "n" };
        Assert.That(Time(spec, rows), Is.LessThan(0.95 * Time(spec, rows with { ChannelRowsPastEdge = false })), "a request a channel instead of one a row and tap row");
    }

    [Test]
    public void Rows_across_images_make_a_layer_whose_tiles_pass_an_image_s_rows_faster()
    {
        var spec = Operator.Conv2d(16, 128, 128, 28, 28, 3, padding: 1);
        // A channel's rows a get keep the controller under the compute, which the tiles past the images' rows then add to.
        var across = new Im2colLdmSchedule { RowsPerCpe = 2, OutBlock = 128, InBlock = 192, OverlapPuts = true, SpreadPuts = true, ResidentWeights = true, CopyTaps = true, ChannelRowsPastEdge = true, RowsAcrossImages = true, CoreGroups = 4, SplitAxis = "n" };
        Assert.That(Time(spec, across), Is.LessThan(0.92 * Time(spec, across with { RowsAcrossImages = false })), "seven tiles for four images instead of eight");
    }

    [Test]
    public void A_schedule_with_rows_across_images_is_extrapolated_from_parts_of_whole_tiles()
    {
        // 12 x 12 outputs: 12 rows do not fill tiles of 8 or 16, so a part holds the images whose rows fill whole tiles.
        var spec = Operator.Conv2d(48, 16, 32, 12, 12, 3, padding: 1, elementType: ElementType.Float32);
        var measurer = new TargetMeasurer(Target, TuningObjective.EndToEnd);
        var schedules = new Im2colLdmSpace(spec, Target.Limits, PlacementConstraints.None).Enumerate().Cast<Im2colLdmSchedule>()
            .Where(s => s.RowsAcrossImages && RepresentativePart.For(spec, s, Target.Limits) is { SharesAlike: true }).ToList();
        Assert.That(schedules.Any(s => s.SpreadPuts) && schedules.Any(s => !s.SpreadPuts), Is.True, "schedules with rows across images, with and without spread puts, have representative parts");
        foreach (var schedule in new[] { schedules.First(s => s.SpreadPuts), schedules.First(s => !s.SpreadPuts && s.OverlapPuts) })
        {
            var plan = Plan(spec, schedule);
            var part = RepresentativePart.For(spec, schedule, Target.Limits)!;
            Assert.That(part.UnitImages * 12 % plan.TileRows, Is.EqualTo(0), $"{schedule}: a unit's rows fill whole tiles");
            var candidate = measurer.MeasureCandidate(spec, schedule, CancellationToken.None);
            var full = measurer.Measure(spec, schedule, CancellationToken.None);
            var error = Math.Abs(candidate.Seconds - full.Seconds) / full.Seconds;
            Assert.That(error, Is.LessThanOrEqualTo(5e-3), $"{schedule}: extrapolated {candidate.Seconds} s against {full.Seconds} s in full");
        }
    }

    private static double Time(OperatorSpec spec, Im2colLdmSchedule schedule) =>
        ((Sw26010Kernel)spec.WithSchedule(schedule).Emit(Target)).MeasureReport().Profile.SimulatedSeconds;

    private static double[] Output(OperatorSpec spec, Im2colLdmSchedule schedule)
    {
        var kernel = spec.WithSchedule(schedule).Emit(Target);
        var (left, right) = ReferenceOperands.Draw(spec.Expression, 4);
        var shapes = spec.Expression.Inputs.Select(i => i.Tensor.Shape.Select(s => (nint)s).ToArray()).ToArray();
        var run = kernel.Run(System.Numerics.Tensors.Tensor.Create(left, shapes[0]), System.Numerics.Tensors.Tensor.Create(right, shapes[1]));
        var output = new double[spec.Expression.Output.Tensor.ElementLength];
        run.Output.FlattenTo(output);
        var comparison = ReferenceComparison.Compare(spec.Expression, spec.ElementType, left, right, output);
        Assert.That(comparison.Passed, $"{schedule}: {comparison}");
        return output;
    }
}
