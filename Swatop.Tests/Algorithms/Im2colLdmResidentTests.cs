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
/// The column block in LDM with every tap block's weights kept in LDM (<see cref="Im2colLdmSchedule.ResidentWeights"/>),
/// a tile's puts spread over the next tile's tap blocks (<see cref="Im2colLdmSchedule.SpreadPuts"/>) and a stride-1
/// layer's taps copied by the multiply-accumulate primitive (<see cref="Im2colLdmSchedule.CopyTaps"/>): exact on the
/// emulator and through gcc and the shim, refused where a rule is broken, offered by the space where they differ, and
/// priced as the emulator times them; and the column block offered where the whole column matrix would be too large.
/// </summary>
public sealed class Im2colLdmResidentTests
{
    private static readonly Sw26010Target Target = Sw26010Target.Default;

    private static IEnumerable<TestCaseData> Kernels()
    {
        yield return new TestCaseData(Operator.Conv2d(3, 16, 40, 11, 13, 3, padding: 1),
                new Im2colLdmSchedule { RowsPerCpe = 1, OutBlock = 64, InBlock = 56, OverlapPuts = true, SpreadPuts = true, ResidentWeights = true, CopyTaps = true, CoreGroups = 2, SplitAxis = "n" })
            .SetName("A double 3 x 3 layer, every decision on: three tap blocks (the last shorter), a partial output block, two core groups sharing three images");
        yield return new TestCaseData(Operator.Conv2d(2, 24, 64, 12, 12, 3, padding: 1, elementType: ElementType.Float32),
                new Im2colLdmSchedule { RowsPerCpe = 2, OutBlock = 32, InBlock = 64, OverlapPuts = true, SpreadPuts = true, CopyTaps = true })
            .SetName("A float layer with spread puts and copied taps, the weights pipelined, two output blocks");
        yield return new TestCaseData(Operator.Conv2d(2, 16, 32, 10, 10, 3, padding: 1),
                new Im2colLdmSchedule { RowsPerCpe = 3, OutBlock = 32, InBlock = 48, ResidentWeights = true, CopyTaps = true })
            .SetName("Resident weights and copied taps with the puts waited for at once, a tile past the output's rows");
        yield return new TestCaseData(Operator.Conv2d(2, 8, 32, 9, 9, 3, padding: 1),
                new Im2colLdmSchedule { RowsPerCpe = 1, OutBlock = 32, InBlock = 72, OverlapPuts = true, SpreadPuts = true })
            .SetName("One tap block with spread puts: a tile's puts during the next tile's only tap block");
        yield return new TestCaseData(Operator.Conv2d(2, 16, 32, 12, 12, 3, stride: 2, padding: 1).WithEpilogue(EpilogueStep.Bias(), EpilogueStep.Relu()),
                new Im2colLdmSchedule { RowsPerCpe = 1, OutBlock = 32, InBlock = 48, OverlapPuts = true, SpreadPuts = true, ResidentWeights = true })
            .SetName("A stride-2 layer with a fused bias and ReLU, resident weights and spread puts, its taps transposed");
    }

    [TestCaseSource(nameof(Kernels))]
    public void A_kernel_with_the_new_decisions_matches_the_reference_and_the_emulator_through_the_shim(OperatorSpec spec, Im2colLdmSchedule schedule)
    {
        var check = EmittedC.CheckAgainstEmulator(spec, schedule, seed: 9, GccShimOptions.Default);
        Assert.That(check.Comparison.Passed, check.Comparison.ToString());
    }

    [Test]
    public void Each_decision_alone_computes_the_same_output_as_the_kernel_without_it()
    {
        var spec = Operator.Conv2d(2, 16, 32, 12, 12, 3, padding: 1);
        var plain = new Im2colLdmSchedule { RowsPerCpe = 1, OutBlock = 32, InBlock = 48, OverlapPuts = true };
        var reference = Output(spec, plain);
        foreach (var schedule in new[] { plain with { SpreadPuts = true }, plain with { ResidentWeights = true }, plain with { CopyTaps = true } })
        {
            Assert.That(Output(spec, schedule), Is.EqualTo(reference), $"{schedule}: the same products in the same order");
        }
    }

    [Test]
    public void Resident_weights_hold_every_tap_block_and_are_gotten_once_a_group_and_output_block()
    {
        var spec = Operator.Conv2d(2, 16, 32, 12, 12, 3, padding: 1);
        var schedule = new Im2colLdmSchedule { RowsPerCpe = 1, OutBlock = 32, InBlock = 48, OverlapPuts = true };
        var pipelined = Plan(spec, schedule);
        var resident = Plan(spec, schedule with { ResidentWeights = true });
        Assert.That(resident.TapBlocks, Is.EqualTo(3));
        Assert.That((resident.WeightsHoisted, resident.PipelinesWeights, resident.PipelinesTaps), Is.EqualTo((true, false, true)));
        Assert.That(resident.WeightBufferElements, Is.EqualTo(3 * resident.WeightElements));
        Assert.That(pipelined.WeightBufferElements, Is.EqualTo(2 * pipelined.WeightElements));
        var gets = Activity(spec, schedule).DmaGetBytes - Activity(spec, schedule with { ResidentWeights = true }).DmaGetBytes;
        var tiles = 2 * pipelined.TilesPerImage;
        Assert.That(gets, Is.EqualTo((tiles - 1) * 32L * 144 * 8), "the weights (32 channels of 144 taps) are gotten once instead of once a tile");
    }

    [Test]
    public void A_decision_that_breaks_a_rule_is_refused_naming_it()
    {
        var spreadAlone = Assert.Throws<ScheduleException>(() => Plan(Operator.Conv2d(2, 16, 32, 12, 12, 3, padding: 1),
            new Im2colLdmSchedule { RowsPerCpe = 1, OutBlock = 32, InBlock = 48, SpreadPuts = true }));
        Assert.That(spreadAlone!.Id, Is.EqualTo(ScheduleDiagnostics.IllegalTile));
        Assert.That(spreadAlone.Message, Does.Contain("SpreadPuts").And.Contain("OverlapPuts"));
        var copyStride2 = Assert.Throws<ScheduleException>(() => Plan(Operator.Conv2d(2, 16, 32, 12, 12, 3, stride: 2, padding: 1),
            new Im2colLdmSchedule { RowsPerCpe = 1, OutBlock = 32, InBlock = 48, CopyTaps = true }));
        Assert.That(copyStride2!.Id, Is.EqualTo(ScheduleDiagnostics.IllegalTile));
        Assert.That(copyStride2.Message, Does.Contain("CopyTaps").And.Contain("stride of 1"));
    }

    [Test]
    public void The_space_offers_the_decisions_only_where_they_change_the_kernel()
    {
        var stride1 = Operator.Conv2d(2, 16, 32, 12, 12, 3, padding: 1);
        var points = new Im2colLdmSpace(stride1, Target.Limits, PlacementConstraints.None).EnumeratePlans().Cast<Im2colLdmPlan>().ToList();
        Assert.That(points.Where(p => p.Schedule.ResidentWeights || p.Schedule.SpreadPuts).All(p => p.TapBlocks > 1), Is.True, "one tap block: the weights are gotten once already");
        Assert.That(points.Where(p => p.Schedule.SpreadPuts).All(p => p.Schedule.OverlapPuts), Is.True);
        Assert.That(points.Any(p => p.Schedule is { ResidentWeights: true, SpreadPuts: true, CopyTaps: true }), Is.True);
        var stride2 = Operator.Conv2d(2, 16, 32, 12, 12, 3, stride: 2, padding: 1);
        Assert.That(new Im2colLdmSpace(stride2, Target.Limits, PlacementConstraints.None).Enumerate().Cast<Im2colLdmSchedule>().Any(s => s.CopyTaps), Is.False);
    }

    [Test]
    public void The_decisions_round_trip_through_json_and_are_off_when_absent()
    {
        Schedule schedule = new Im2colLdmSchedule { RowsPerCpe = 1, OutBlock = 128, InBlock = 96, OverlapPuts = true, SpreadPuts = true, ResidentWeights = true, CopyTaps = true, CoreGroups = 4, SplitAxis = "n" };
        var json = schedule.ToJson();
        Assert.That(Schedule.FromJson(json), Is.EqualTo(schedule));
        Assert.That(schedule.ToCSharp(), Does.Contain("SpreadPuts = true, ResidentWeights = true, CopyTaps = true"));
        var without = json.Replace(",\"spreadPuts\":true", "", StringComparison.Ordinal).Replace(",\"residentWeights\":true", "", StringComparison.Ordinal)
            .Replace(",\"copyTaps\":true", "", StringComparison.Ordinal);
        Assert.That(Schedule.FromJson(without), Is.EqualTo((Im2colLdmSchedule)schedule with { SpreadPuts = false, ResidentWeights = false, CopyTaps = false }));
    }

    [Test]
    public void The_column_block_applies_where_the_whole_column_matrix_would_be_too_large_for_a_tensor()
    {
        var conv12 = Operator.Conv2d(128, 64, 64, 224, 224, 3, padding: 1);
        Assert.That(Im2colAlgorithm.WhyNotWhole(conv12), Does.Contain("more than a tensor may"));
        Assert.That(Im2colAlgorithm.Instance.AppliesTo(conv12), Is.True);
        var space = Im2colAlgorithm.Instance.Space(conv12, Target.Limits, PlacementConstraints.None);
        Assert.That(space.Enumerate().All(s => s is Im2colLdmSchedule), Is.True, "only the column block");
        Assert.That(space.Enumerate().Any(), Is.True);
        Assert.Throws<ArgumentException>(() => Im2colAlgorithm.ColumnOperator(conv12));
        var residual = conv12.WithEpilogue(Epilogue.Of(EpilogueStep.ResidualAdd()));
        Assert.That(Im2colAlgorithm.WhyNot(residual), Does.Contain("more than a tensor may").And.Contain("residual"));
    }

    /// <summary>The model's kernel time within this many per cent of the emulator's on the layers below.</summary>
    private const double Tolerance = 5;

    private static IEnumerable<TestCaseData> Priced()
    {
        var conv21 = Operator.Conv2d(4, 64, 128, 112, 112, 3, padding: 1);
        var chosen = new Im2colLdmSchedule { RowsPerCpe = 1, OutBlock = 128, InBlock = 96, OverlapPuts = true, SpreadPuts = true, ResidentWeights = true, CopyTaps = true, CoreGroups = 4, SplitAxis = "n" };
        yield return new TestCaseData(conv21, chosen).SetName("VGG-16's conv2_1 at batch 4, every decision on");
        yield return new TestCaseData(conv21, chosen with { ResidentWeights = false, CopyTaps = false, InBlock = 120 })
            .SetName("VGG-16's conv2_1 at batch 4, spread puts alone, the weights pipelined");
        yield return new TestCaseData(Operator.Conv2d(4, 128, 256, 56, 56, 3, padding: 1), chosen with { InBlock = 232 })
            .SetName("VGG-16's conv3_1 at batch 4, every decision on");
    }

    [TestCaseSource(nameof(Priced))]
    public void The_model_prices_the_kernel_as_the_emulator_times_it(OperatorSpec spec, Im2colLdmSchedule schedule)
    {
        var model = new Sw26010CostModel(Target.Spec);
        var plan = Im2colAlgorithm.Instance.Plan(spec, schedule, Target.Limits);
        var report = ((Sw26010Kernel)spec.WithSchedule(schedule).Emit(Target)).MeasureReport();
        Assert.That(model.Estimate(plan, TuningObjective.Kernel), Is.EqualTo(report.Profile.SimulatedSeconds).Within(Tolerance).Percent);
    }

    [Test]
    public void Spreading_a_tiles_puts_over_the_next_tiles_tap_blocks_makes_the_kernel_faster()
    {
        var spec = Operator.Conv2d(4, 64, 128, 112, 112, 3, padding: 1);
        var spread = new Im2colLdmSchedule { RowsPerCpe = 1, OutBlock = 128, InBlock = 120, OverlapPuts = true, SpreadPuts = true, CoreGroups = 4, SplitAxis = "n" };
        double Time(Im2colLdmSchedule s) => ((Sw26010Kernel)spec.WithSchedule(s).Emit(Target)).MeasureReport().Profile.SimulatedSeconds;
        Assert.That(Time(spread), Is.LessThan(0.95 * Time(spread with { SpreadPuts = false })), "the next tap block's gets no longer wait behind all of a tile's puts");
    }

    private static Im2colLdmPlan Plan(OperatorSpec spec, Im2colLdmSchedule schedule) => (Im2colLdmPlan)Im2colAlgorithm.Instance.Plan(spec, schedule, Target.Limits);

    private static Swatop.Hardware.Sw26010.Emulation.CpeActivity Activity(OperatorSpec spec, Im2colLdmSchedule schedule) =>
        ((Sw26010Kernel)spec.WithSchedule(schedule).Emit(Target)).MeasureReport().CoreGroups[0].Total;

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
