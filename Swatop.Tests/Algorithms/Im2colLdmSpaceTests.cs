using Swatop.Core;
using Swatop.Core.Algorithms.Im2col;
using Swatop.Core.Layouts;
using Swatop.Core.Scheduling;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Hardware.Sw26010.Tuning;

namespace Swatop.Tests.Algorithms;

/// <summary>Where the column block in LDM is offered, how its schedule is written and refused, and how the model prices it against the emulator.</summary>
public sealed class Im2colLdmSpaceTests
{
    private static readonly Sw26010Target Target = Sw26010Target.Default;

    private static readonly OperatorSpec Conv1Like = Operator.Conv2d(4, 3, 64, 32, 32, 7, stride: 2, padding: 3);

    [Test]
    public void The_im2col_space_offers_the_column_block_in_ldm_after_the_whole_matrix_and_the_default_stays_the_whole_matrix()
    {
        var space = Im2colAlgorithm.Instance.Space(Conv1Like, Target.Limits, PlacementConstraints.None);
        var schedules = space.Enumerate().ToList();
        var ldm = schedules.OfType<Im2colLdmSchedule>().ToList();
        Assert.That(ldm, Is.Not.Empty);
        Assert.That(schedules.FindIndex(s => s is Im2colLdmSchedule), Is.GreaterThan(schedules.FindLastIndex(s => s is Im2colSchedule)), "the whole matrix's points come first");
        Assert.That(space.Default(), Is.InstanceOf<Im2colSchedule>());
        Assert.That(ldm.All(s => s.Algorithm == Im2colSchedule.AlgorithmName), Is.True);
        Assert.That(ldm.Select(s => (Im2colLdmPlan)space.Validate(s)).Max(p => p.LdmBytes), Is.LessThanOrEqualTo(Target.Limits.LdmBudgetBytes));
        Assert.That(ScheduleSpace.For(Conv1Like, Target.Limits, null, Im2colSchedule.AlgorithmName).Enumerate().OfType<Im2colLdmSchedule>().Count(), Is.EqualTo(ldm.Count),
            "forcing im2col offers both placements");
    }

    [Test]
    public void A_column_block_schedule_round_trips_through_json_and_an_old_im2col_schedule_still_reads_as_the_whole_matrix()
    {
        Schedule schedule = new Im2colLdmSchedule { RowsPerCpe = 2, OutBlock = 64, InBlock = 152, OverlapPuts = true, CoreGroups = 4, SplitAxis = "n" };
        var json = schedule.ToJson();
        Assert.That(json, Does.StartWith("{\"algorithm\":\"im2col-ldm\""));
        Assert.That(Schedule.FromJson(json), Is.EqualTo(schedule));
        Assert.That(schedule.ToCSharp(), Does.StartWith("new Im2colLdmSchedule { RowsPerCpe = 2").And.Contain("OverlapPuts = true"));
        var single = Schedule.FromJson(json.Replace(",\"overlapPuts\":true", "", StringComparison.Ordinal));
        Assert.That(single, Is.EqualTo((Im2colLdmSchedule)schedule with { OverlapPuts = false }), "absent, the puts are waited for at once");
        var whole = Im2colAlgorithm.Instance.Space(Conv1Like, Target.Limits, PlacementConstraints.None).Default();
        Assert.That(Schedule.FromJson(whole.ToJson()), Is.InstanceOf<Im2colSchedule>().And.EqualTo(whole));
        Assert.That(whole.ToJson(), Does.Not.Contain("ldm"));
    }

    [Test]
    public void A_forced_column_block_where_it_does_not_apply_is_refused_naming_why()
    {
        var residual = Operator.Conv2d(2, 3, 16, 17, 17, 7, stride: 2, padding: 3).WithEpilogue(Epilogue.Of(EpilogueStep.ResidualAdd()));
        var schedule = new Im2colLdmSchedule { RowsPerCpe = 1, OutBlock = 32, InBlock = 152 };
        var error = Assert.Throws<ScheduleException>(() => Im2colAlgorithm.Instance.Plan(residual, schedule, Target.Limits));
        Assert.That(error!.Id, Is.EqualTo(ScheduleDiagnostics.NotApplicable));
        Assert.That(error.Message, Does.Contain("im2col-ldm").And.Contain("epilogue"));
        Assert.That(Im2colAlgorithm.Instance.Space(residual, Target.Limits, PlacementConstraints.None).Enumerate().OfType<Im2colLdmSchedule>(), Is.Empty);
    }

    [TestCase(1, 32, 12, nameof(Im2colLdmSchedule.InBlock), "multiple of 8")]
    [TestCase(1, 32, 160, nameof(Im2colLdmSchedule.InBlock), "152")]
    [TestCase(1, 48, 152, nameof(Im2colLdmSchedule.OutBlock), "multiple of 32")]
    [TestCase(0, 32, 152, nameof(Im2colLdmSchedule.RowsPerCpe), "from 1")]
    public void A_column_block_decision_that_breaks_a_rule_is_refused_naming_it(int rows, int outBlock, int inBlock, string parameter, string rule)
    {
        var schedule = new Im2colLdmSchedule { RowsPerCpe = rows, OutBlock = outBlock, InBlock = inBlock };
        var error = Assert.Throws<ScheduleException>(() => Im2colAlgorithm.Instance.Plan(Conv1Like, schedule, Target.Limits));
        Assert.That(error!.Id, Is.EqualTo(ScheduleDiagnostics.IllegalTile));
        Assert.That(error.ParamName, Is.EqualTo(parameter));
        Assert.That(error.Message, Does.Contain(rule));
    }

    [Test]
    public void A_column_block_that_exceeds_ldm_is_refused_and_the_space_leaves_it_out()
    {
        var wide = Operator.Conv2d(1, 64, 256, 30, 30, 3, padding: 1);
        var schedule = new Im2colLdmSchedule { RowsPerCpe = 8, OutBlock = 256, InBlock = 576 };
        var error = Assert.Throws<ScheduleException>(() => Im2colAlgorithm.Instance.Plan(wide, schedule, Target.Limits));
        Assert.That(error!.Id, Is.EqualTo(ScheduleDiagnostics.LdmOverflow));
        Assert.That(new Im2colLdmSpace(wide, Target.Limits, PlacementConstraints.None).Enumerate(), Does.Not.Contain(schedule));
    }

    /// <summary>
    /// Percent within which the model's price of a column-block kernel is the emulator's time, and its DMA seconds the
    /// controller's busy time: the tolerance of the model's im2col transfer prices (Sw26010CostModelTransferTests).
    /// </summary>
    private const double Tolerance = 5;

    private static IEnumerable<TestCaseData> Layers()
    {
        yield return new TestCaseData(Operator.Conv2d(4, 3, 64, 32, 32, 7, stride: 2, padding: 3), new Im2colLdmSchedule { RowsPerCpe = 1, OutBlock = 64, InBlock = 152, CoreGroups = 4, SplitAxis = "n" })
            .SetName("conv1 in small, one tap block, weights gotten once");
        yield return new TestCaseData(Operator.Conv2d(4, 3, 64, 32, 32, 7, stride: 2, padding: 3), new Im2colLdmSchedule { RowsPerCpe = 1, OutBlock = 64, InBlock = 152, OverlapPuts = true, CoreGroups = 4, SplitAxis = "n" })
            .SetName("conv1 in small, puts overlapped");
        yield return new TestCaseData(Operator.Conv2d(2, 16, 32, 14, 14, 3, padding: 1), new Im2colLdmSchedule { RowsPerCpe = 2, OutBlock = 32, InBlock = 48, CoreGroups = 2, SplitAxis = "n" })
            .SetName("a 3 x 3 layer in three tap blocks");
        yield return new TestCaseData(Operator.Conv2d(2, 3, 64, 24, 24, 3, padding: 1, elementType: Swatop.Primitives.ElementType.Float32), new Im2colLdmSchedule { RowsPerCpe = 1, OutBlock = 32, InBlock = 32 })
            .SetName("VGG-16's conv1_1 in small, float, two output blocks");
        // With overlapped puts and several tap blocks, the pipelined form (Im2colLdmLowering.Pipelined.cs).
        yield return new TestCaseData(Operator.Conv2d(4, 128, 128, 56, 56, 3, stride: 2, padding: 1), new Im2colLdmSchedule { RowsPerCpe = 2, OutBlock = 128, InBlock = 192, OverlapPuts = true, CoreGroups = 4, SplitAxis = "n" })
            .SetName("ResNet-50's res3 3 x 3 stride-2 layer at batch 4, six tap blocks");
        yield return new TestCaseData(Operator.Conv2d(8, 64, 64, 30, 30, 3, stride: 2, padding: 1), new Im2colLdmSchedule { RowsPerCpe = 2, OutBlock = 64, InBlock = 192, OverlapPuts = true, CoreGroups = 4, SplitAxis = "n" })
            .SetName("A 3 x 3 stride-2 layer in three tap blocks, two images a core group");
        yield return new TestCaseData(Operator.Conv2d(4, 256, 256, 28, 28, 3, stride: 2, padding: 1), new Im2colLdmSchedule { RowsPerCpe = 1, OutBlock = 128, InBlock = 256, OverlapPuts = true, CoreGroups = 4, SplitAxis = "n" })
            .SetName("ResNet-50's res4 3 x 3 stride-2 layer at batch 4, nine tap blocks, two output blocks");
    }

    [TestCaseSource(nameof(Layers))]
    public void The_model_prices_a_column_block_kernel_as_the_emulator_times_it(OperatorSpec spec, Im2colLdmSchedule schedule)
    {
        ColumnBlockPrice.AssertAsTimed(spec, schedule, Tolerance);
        var model = new Sw26010CostModel(Target.Spec);
        var plan = Im2colAlgorithm.Instance.Plan(spec, schedule, Target.Limits);
        Assert.That(model.Estimate(plan), Is.EqualTo(model.Estimate(plan, TuningObjective.Kernel)), "no layout step around it");
    }
}
