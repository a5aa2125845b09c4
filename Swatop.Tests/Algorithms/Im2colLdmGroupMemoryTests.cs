using Swatop.Core;
using Swatop.Core.Algorithms.Im2col;
using Swatop.Core.Algorithms.ImplicitGemm;
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
/// The column block in LDM with its tensors in the core groups' own memories (<see cref="Im2colLdmSchedule.GroupMemory"/>):
/// the same transfers as in place at a group's own byte cost, the same output, the model's price of it, where the space
/// offers it, how it is written and refused, and its emitted C.
/// </summary>
public sealed class Im2colLdmGroupMemoryTests
{
    private const double Tolerance = 5;

    private static readonly Sw26010Target Target = Sw26010Target.Default;

    private static IEnumerable<TestCaseData> Layers()
    {
        yield return new TestCaseData(Operator.Conv2d(4, 3, 64, 32, 32, 7, stride: 2, padding: 3), new Im2colLdmSchedule { RowsPerCpe = 1, OutBlock = 64, InBlock = 152, OverlapPuts = true, CoreGroups = 4, SplitAxis = "n" })
            .SetName("conv1 in small on four core groups, puts overlapped");
        yield return new TestCaseData(Operator.Conv2d(8, 64, 64, 30, 30, 3, stride: 2, padding: 1), new Im2colLdmSchedule { RowsPerCpe = 2, OutBlock = 64, InBlock = 192, OverlapPuts = true, CoreGroups = 4, SplitAxis = "n" })
            .SetName("a 3 x 3 stride-2 layer in three tap blocks, two images a core group");
        yield return new TestCaseData(
            Operator.Conv2d(4, 16, 32, 14, 14, 3, padding: 1, elementType: ElementType.Float32).WithEpilogue(Epilogue.Of(EpilogueStep.Bias(), EpilogueStep.Relu())),
            new Im2colLdmSchedule { RowsPerCpe = 2, OutBlock = 32, InBlock = 48, CopyTaps = true, CoreGroups = 4, SplitAxis = "n" })
            .SetName("a float 3 x 3 layer with a bias and a ReLU, taps copied");
    }

    [TestCaseSource(nameof(Layers))]
    public void In_the_groups_memories_the_kernel_gives_the_in_place_output_bit_for_bit_and_reaches_no_shared_byte(OperatorSpec spec, Im2colLdmSchedule inPlace)
    {
        var local = inPlace with { GroupMemory = true };
        var inputs = ReferenceOperands.Draw(spec, seed: 17);
        var (comparison, output) = ReferenceRun.Of(spec.WithSchedule(local).Emit(Target), spec, inputs);
        var (_, expected) = ReferenceRun.Of(spec.WithSchedule(inPlace).Emit(Target), spec, inputs);
        var reports = new[] { inPlace, local }.Select(s => ((Sw26010Kernel)spec.WithSchedule(s).Emit(Target)).MeasureReport().Profile).ToArray();
        var plan = Im2colAlgorithm.Instance.Plan(spec, local, Target.Limits);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(comparison.Passed, comparison.ToString());
            Assert.That(output, Is.EqualTo(expected), "the same transfers and arithmetic, the tensors elsewhere");
            Assert.That(plan.Placements.Select(p => p.IsRowMajorInCoreGroups), Is.All.True, "every tensor row-major in the groups' memories");
            Assert.That(reports[0].CoreGroups[0].DmaSharedBytes, Is.GreaterThan(0), "in place, the kernel reaches the shared memory");
            Assert.That(reports[1].CoreGroups.Select(g => g.DmaSharedBytes), Is.All.EqualTo(0), "in the groups' memories, it does not");
            Assert.That(reports[1].CoreGroups[0].DmaRequests, Is.EqualTo(reports[0].CoreGroups[0].DmaRequests), "the same requests");
            Assert.That(reports[1].CoreGroups[0].DmaBlocks, Is.EqualTo(reports[0].CoreGroups[0].DmaBlocks), "the same blocks");
            Assert.That(reports[1].SimulatedSeconds, Is.LessThanOrEqualTo(reports[0].SimulatedSeconds), "each byte at a group's own cost");
        }
    }

    [TestCaseSource(nameof(Layers))]
    public void The_model_prices_the_kernel_in_the_groups_memories_as_the_emulator_times_it(OperatorSpec spec, Im2colLdmSchedule inPlace) =>
        ColumnBlockPrice.AssertAsTimed(spec, inPlace with { GroupMemory = true }, Tolerance);

    [Test]
    public void A_caller_that_keeps_each_groups_images_in_its_memory_calls_the_kernel_without_a_step()
    {
        var spec = Operator.Conv2d(4, 3, 64, 32, 32, 7, stride: 2, padding: 3);
        var schedule = new Im2colLdmSchedule { RowsPerCpe = 1, OutBlock = 64, InBlock = 152, CoreGroups = 4, SplitAxis = "n", GroupMemory = true };
        var inGroups = Target.WithCallerMemory(CallerMemory.CoreGroups);
        var model = new Sw26010CostModel(Target.Spec);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(spec.WithSchedule(schedule).Emit(inGroups).Measure().Steps, Is.Empty);
            Assert.That(spec.WithSchedule(schedule).Emit(Target).Measure().Steps.Select(s => s.Name), Is.EqualTo(new[] { "pack input", "unpack output" }), "from the shared memory");
            Assert.That(model.StepSeconds(Im2colAlgorithm.Instance.Plan(spec, schedule, inGroups.Limits)), Is.Zero);
        }
    }

    [Test]
    public void The_space_offers_the_kernels_in_the_groups_memories_only_to_a_caller_that_keeps_its_tensors_there()
    {
        var spec = Operator.Conv2d(4, 3, 64, 32, 32, 7, stride: 2, padding: 3);
        var shared = new Im2colLdmSpace(spec, Target.Limits, PlacementConstraints.None).Enumerate().Cast<Im2colLdmSchedule>().ToList();
        var inGroups = new Im2colLdmSpace(spec, Target.Limits with { CallerMemory = CallerMemory.CoreGroups }, PlacementConstraints.None).Enumerate().Cast<Im2colLdmSchedule>().ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(shared.Any(s => s.GroupMemory), Is.False);
            Assert.That(inGroups.Where(s => s.GroupMemory).Select(s => s with { GroupMemory = false }), Is.EquivalentTo(shared.Where(s => s.CoreGroups == 4)), "each schedule on all four groups, and its twin");
            Assert.That(inGroups.Where(s => !s.GroupMemory), Is.EquivalentTo(shared));
        }
    }

    [Test]
    public void The_decision_round_trips_through_json_and_is_absent_when_off()
    {
        Schedule schedule = new Im2colLdmSchedule { RowsPerCpe = 2, OutBlock = 64, InBlock = 152, GroupMemory = true, CoreGroups = 4, SplitAxis = "n" };
        var json = schedule.ToJson();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(json, Does.Contain("\"groupMemory\":true"));
            Assert.That(Schedule.FromJson(json), Is.EqualTo(schedule));
            Assert.That(((Im2colLdmSchedule)schedule with { GroupMemory = false }).ToJson(), Does.Not.Contain("groupMemory"));
            Assert.That(Schedule.FromJson(json.Replace(",\"groupMemory\":true", "", StringComparison.Ordinal)), Is.EqualTo((Im2colLdmSchedule)schedule with { GroupMemory = false }));
            Assert.That(schedule.ToString(), Does.Contain("group memory"));
            Assert.That(schedule.ToCSharp(), Does.Contain("GroupMemory = true"));
        }
    }

    [Test]
    public void Group_memory_with_output_margins_is_refused_naming_both()
    {
        var spec = Operator.Conv2d(4, 16, 32, 14, 14, 3, padding: 1);
        var schedule = new Im2colLdmSchedule { RowsPerCpe = 2, OutBlock = 32, InBlock = 48, GroupMemory = true, OutputMargins = new OutputMargins([0, 16, 0, 0], [0, 0, 0, 0]) };
        var error = Assert.Throws<ScheduleException>(() => Im2colAlgorithm.Instance.Plan(spec, schedule, Target.Limits))!;
        Assert.That(error.Id, Is.EqualTo(ScheduleDiagnostics.IllegalMargins));
        Assert.That(error.ParamName, Is.EqualTo(nameof(Im2colLdmSchedule.GroupMemory)));
        Assert.That(error.Message, Does.Contain("OutputMargins"));
    }

    [Test]
    public void The_kernel_in_the_groups_memories_built_against_the_shim_matches_the_reference_and_the_emulator()
    {
        var spec = Operator.Conv2d(4, 16, 32, 14, 14, 3, padding: 1, elementType: ElementType.Float32);
        var schedule = new Im2colLdmSchedule { RowsPerCpe = 2, OutBlock = 32, InBlock = 48, CoreGroups = 4, SplitAxis = "n", GroupMemory = true };
        var check = EmittedC.CheckAgainstEmulator(spec, schedule, seed: 5, GccShimOptions.Default);
        Assert.That(check.Comparison.Passed, check.Comparison.ToString());
    }
}
