using Swatop.Core;
using Swatop.Core.Algorithms.Im2col;
using Swatop.Core.Layouts;
using Swatop.Core.Scheduling;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Emit.Verification;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;
using Swatop.Tests.Emit;

namespace Swatop.Tests.Algorithms;

/// <summary>
/// The column block in LDM on stride-2 layers read and written in NCHW in place: tiles of several images (the weights
/// read once for them), a channel's input rows in one get (3 x 3 stride 2, the left padding zeroed in A), and a pair's
/// rows in one strided get (1 x 1 stride 2). Each kernel is checked against the reference on the emulator and through
/// the emitted C on the shim, and priced by the cost model as the emulator times it.
/// </summary>
public sealed class Im2colLdmStride2Tests
{
    private static readonly Sw26010Target Target = Sw26010Target.Default;

    /// <summary>Percent within which the model's price is the emulator's time, and its DMA seconds the controller's busy time (as Im2colLdmSpaceTests).</summary>
    private const double Tolerance = 5;

    private static Im2colLdmPlan Plan(OperatorSpec spec, Im2colLdmSchedule schedule) => (Im2colLdmPlan)Im2colAlgorithm.Instance.Plan(spec, schedule, Target.Limits);

    private static IEnumerable<TestCaseData> Kernels()
    {
        yield return new TestCaseData(Operator.Conv2d(4, 16, 32, 12, 12, 3, stride: 2, padding: 1),
                new Im2colLdmSchedule { RowsPerCpe = 2, OutBlock = 32, InBlock = 48, OverlapPuts = true, ImagesPerTile = 2, CoreGroups = 2, SplitAxis = "n" }, true, false)
            .SetName("A double 3 x 3 stride-2 layer, two images a tile, a channel's rows a get, tap blocks pipelined");
        yield return new TestCaseData(Operator.Conv2d(2, 12, 40, 13, 14, 3, stride: 2, padding: 1),
                new Im2colLdmSchedule { RowsPerCpe = 3, OutBlock = 32, InBlock = 40 }, true, false)
            .SetName("An odd height, a channel's rows a get, tiles past the output's rows and rows of padding below, puts waited for");
        yield return new TestCaseData(Operator.Conv2d(8, 24, 64, 10, 10, 1, stride: 2),
                new Im2colLdmSchedule { RowsPerCpe = 5, OutBlock = 32, InBlock = 8, OverlapPuts = true, ImagesPerTile = 8 }, false, true)
            .SetName("A double 1 x 1 stride-2 layer, eight images a tile, a pair's rows in one strided get");
        yield return new TestCaseData(Operator.Conv2d(8, 16, 32, 14, 14, 3, stride: 2, padding: 1, elementType: ElementType.Float32).WithEpilogue(EpilogueStep.Bias(), EpilogueStep.Relu()),
                new Im2colLdmSchedule { RowsPerCpe = 2, OutBlock = 32, InBlock = 72, OverlapPuts = true, ImagesPerTile = 4, CoreGroups = 2, SplitAxis = "n" }, true, false)
            .SetName("A float 3 x 3 stride-2 layer with a fused bias and ReLU, four images a tile over two mesh rows each");
    }

    [TestCaseSource(nameof(Kernels))]
    public void A_stride_2_column_block_kernel_matches_the_reference_on_the_emulator_and_through_the_emitted_c(OperatorSpec spec, Im2colLdmSchedule schedule, bool channelRows, bool stridedRows)
    {
        var plan = Plan(spec, schedule);
        Assert.That((plan.ChannelRowGets, plan.StridedRowGets), Is.EqualTo((channelRows, stridedRows)));
        var check = EmittedC.CheckAgainstEmulator(spec, schedule, seed: 11, GccShimOptions.Default);
        Assert.That(check.Comparison.Passed, check.Comparison.ToString());
    }

    [Test]
    public void A_3_x_3_stride_2_layer_gets_a_channel_s_rows_in_one_get_and_a_1_x_1_one_a_pair_s_rows_in_one_strided_get()
    {
        var threeByThree = Plan(Operator.Conv2d(8, 256, 256, 28, 28, 3, stride: 2, padding: 1), new Im2colLdmSchedule { RowsPerCpe = 4, OutBlock = 128, InBlock = 288, OverlapPuts = true, ImagesPerTile = 2 });
        Assert.That(threeByThree.ChannelRowGets, Is.True);
        Assert.That(threeByThree.SlotRows, Is.EqualTo(9), "four output rows of stride 2 read nine input rows");
        Assert.That(threeByThree.ChannelsPerCpe, Is.EqualTo(5), "36 taps a CPE reach at most five channels of nine taps");
        Assert.That((threeByThree.LeftPaddingColumns(0), threeByThree.LeftPaddingColumns(1)), Is.EqualTo((1, 0)));
        Assert.That(threeByThree.TileRows, Is.EqualTo(16), "four mesh rows an image");
        Assert.That(threeByThree.TilesPerGroup, Is.EqualTo(4), "eight images, two a tile, one tile an image");

        var stride1 = Plan(Operator.Conv2d(2, 64, 64, 28, 28, 3, padding: 1), new Im2colLdmSchedule { RowsPerCpe = 2, OutBlock = 64, InBlock = 192 });
        Assert.That((stride1.ChannelRowGets, stride1.StridedRowGets), Is.EqualTo((false, false)), "a stride-1 3 x 3 layer reads past the right edge: a get a row");

        var downsample = Plan(Operator.Conv2d(8, 1024, 2048, 14, 14, 1, stride: 2), new Im2colLdmSchedule { RowsPerCpe = 7, OutBlock = 256, InBlock = 128, ImagesPerTile = 8 });
        Assert.That((downsample.ChannelRowGets, downsample.StridedRowGets), Is.EqualTo((false, true)));
        var padded = Plan(Operator.Conv2d(2, 16, 32, 14, 14, 1, stride: 2, padding: 1), new Im2colLdmSchedule { RowsPerCpe = 2, OutBlock = 32, InBlock = 16 });
        Assert.That(padded.StridedRowGets, Is.False, "spans with padding columns take a get a row");
    }

    [TestCase(3, 8, 1, "1, 2, 4 or 8")]
    [TestCase(4, 6, 2, "divide every core group's images")]
    [TestCase(8, 12, 1, "divide every core group's images")]
    public void Images_a_tile_that_break_a_rule_are_refused_naming_it(int images, int batch, int groups, string rule)
    {
        var spec = Operator.Conv2d(batch, 16, 32, 12, 12, 3, stride: 2, padding: 1);
        var schedule = new Im2colLdmSchedule { RowsPerCpe = 2, OutBlock = 32, InBlock = 48, ImagesPerTile = images, CoreGroups = groups, SplitAxis = groups == 1 ? null : "n" };
        var error = Assert.Throws<ScheduleException>(() => Im2colAlgorithm.Instance.Plan(spec, schedule, Target.Limits));
        Assert.That(error!.Id, Is.EqualTo(ScheduleDiagnostics.IllegalTile));
        Assert.That(error.ParamName, Is.EqualTo(nameof(Im2colLdmSchedule.ImagesPerTile)));
        Assert.That(error.Message, Does.Contain(rule));
    }

    [Test]
    public void Images_a_tile_round_trip_through_json_and_are_1_when_absent()
    {
        Schedule schedule = new Im2colLdmSchedule { RowsPerCpe = 4, OutBlock = 128, InBlock = 288, OverlapPuts = true, ImagesPerTile = 2, CoreGroups = 4, SplitAxis = "n" };
        var json = schedule.ToJson();
        Assert.That(Schedule.FromJson(json), Is.EqualTo(schedule));
        Assert.That(schedule.ToCSharp(), Does.Contain("ImagesPerTile = 2"));
        Assert.That(schedule.ToString(), Does.Contain("2 images a tile"));
        var old = Schedule.FromJson(json.Replace(",\"imagesPerTile\":2", "", StringComparison.Ordinal));
        Assert.That(old, Is.EqualTo((Im2colLdmSchedule)schedule with { ImagesPerTile = 1 }), "a schedule written before takes one image a tile");
        Assert.That(old, Is.Not.EqualTo(schedule));
    }

    [Test]
    public void The_space_offers_tiles_of_several_images_where_they_divide_every_group_s_images_and_they_cover_an_image()
    {
        var spec = Operator.Conv2d(8, 64, 64, 14, 14, 3, stride: 2, padding: 1);
        var points = new Im2colLdmSpace(spec, Target.Limits, PlacementConstraints.None).Enumerate().Cast<Im2colLdmSchedule>().ToList();
        Assert.That(points.Select(s => s.ImagesPerTile).Distinct().Order(), Is.EqualTo(new[] { 1, 2, 4, 8 }));
        Assert.That(points.Where(s => s.CoreGroups == 4).Select(s => s.ImagesPerTile).Distinct().Order(), Is.EqualTo(new[] { 1, 2 }), "two images a group");
        Assert.That(points.Where(s => s.CoreGroups == 3).Select(s => s.ImagesPerTile).Distinct(), Is.EqualTo(new[] { 1 }), "groups of 3, 3 and 2 images");
        foreach (var s in points.Where(s => s.ImagesPerTile > 1))
        {
            var plan = Plan(spec, s);
            Assert.That(plan.TilesPerImage, Is.EqualTo(1), s.ToString());
        }
    }

    [Test]
    public void A_representative_part_of_the_batch_holds_whole_tiles_of_images()
    {
        var spec = Operator.Conv2d(128, 64, 64, 14, 14, 3, stride: 2, padding: 1);
        var plan = Plan(spec, new Im2colLdmSchedule { RowsPerCpe = 2, OutBlock = 64, InBlock = 192, ImagesPerTile = 4, CoreGroups = 4, SplitAxis = "n" });
        Assert.That(plan.Accept(AlikeImageUnit.Instance), Is.EqualTo(4));
    }

    private static IEnumerable<TestCaseData> Layers()
    {
        yield return new TestCaseData(Operator.Conv2d(8, 256, 256, 28, 28, 3, stride: 2, padding: 1),
                new Im2colLdmSchedule { RowsPerCpe = 4, OutBlock = 128, InBlock = 288, OverlapPuts = true, ImagesPerTile = 2, CoreGroups = 4, SplitAxis = "n" })
            .SetName("ResNet-50's res4 3 x 3 stride-2 layer at batch 8, two images a tile, a channel's rows a get");
        yield return new TestCaseData(Operator.Conv2d(4, 128, 128, 56, 56, 3, stride: 2, padding: 1),
                new Im2colLdmSchedule { RowsPerCpe = 2, OutBlock = 128, InBlock = 144, OverlapPuts = true, CoreGroups = 4, SplitAxis = "n" })
            .SetName("ResNet-50's res3 3 x 3 stride-2 layer at batch 4, a channel's rows a get");
        yield return new TestCaseData(Operator.Conv2d(8, 512, 512, 14, 14, 3, stride: 2, padding: 1),
                new Im2colLdmSchedule { RowsPerCpe = 4, OutBlock = 128, InBlock = 256, OverlapPuts = true, ImagesPerTile = 4, CoreGroups = 2, SplitAxis = "n" })
            .SetName("ResNet-50's res5 3 x 3 stride-2 layer at batch 8, four images a tile, a channel's rows a get");
        yield return new TestCaseData(Operator.Conv2d(16, 1024, 2048, 14, 14, 1, stride: 2),
                new Im2colLdmSchedule { RowsPerCpe = 7, OutBlock = 256, InBlock = 128, ImagesPerTile = 8, CoreGroups = 2, SplitAxis = "n" })
            .SetName("ResNet-50's res5 downsample at batch 16, eight images a tile, a pair's rows in one strided get");
    }

    [TestCaseSource(nameof(Layers))]
    public void The_model_prices_a_stride_2_column_block_kernel_as_the_emulator_times_it(OperatorSpec spec, Im2colLdmSchedule schedule) =>
        ColumnBlockPrice.AssertAsTimed(spec, schedule, Tolerance);
}
