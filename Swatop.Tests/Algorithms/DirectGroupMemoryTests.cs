using System.Numerics.Tensors;
using Swatop.Core;
using Swatop.Core.Algorithms.Direct;
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
/// The direct convolution with its tensors in the core groups' own memories (<see cref="DirectSchedule.GroupMemory"/>):
/// what it places where, its output against the reference on the emulator and through the shim, and its price and time
/// against the same schedule in place.
/// </summary>
public sealed class DirectGroupMemoryTests
{
    private static readonly Sw26010Target Target = Sw26010Target.Default;

    private static IEnumerable<TestCaseData> Kernels()
    {
        var relu6 = Epilogue.Of(EpilogueStep.Bias(), EpilogueStep.Relu6());
        yield return new TestCaseData(Operator.Conv2d(2, 8, 8, 9, 9, 3, padding: 1, groups: 8), new DirectSchedule { TileRows = 4, GroupMemory = true })
            .SetName("A double depthwise 3 x 3 convolution in one core group's memory");
        yield return new TestCaseData(Operator.Conv2d(4, 16, 16, 5, 5, 5, padding: 2, groups: 16), new DirectSchedule { TileRows = 1, GroupMemory = true, CoreGroups = 4, SplitAxis = "n" })
            .SetName("A double depthwise 5 x 5 convolution in four core groups' memories");
        yield return new TestCaseData(Operator.Conv2d(2, 8, 8, 9, 9, 3, stride: 2, padding: 1, groups: 8, elementType: ElementType.Float32).WithEpilogue(relu6), new DirectSchedule { TileRows = 2, TileGroups = 2, GroupMemory = true })
            .SetName("A float depthwise convolution of stride 2 with a bias and a ReLU6 in one core group's memory");
        yield return new TestCaseData(Operator.Conv2d(7, 12, 12, 7, 8, 3, padding: 1, groups: 12, elementType: ElementType.Float32).WithEpilogue(relu6), new DirectSchedule { TileRows = 3, DoubleBuffer = false, GroupMemory = true, CoreGroups = 4, SplitAxis = "n" })
            .SetName("A float depthwise convolution with a bias and a ReLU6 in four core groups' memories, the last group's share smaller");
        yield return new TestCaseData(Operator.Conv2d(4, 12, 6, 7, 8, 3, padding: 1, groups: 3).WithEpilogue(relu6), new DirectSchedule { TileRows = 7, TileGroups = 3, GroupMemory = true, CoreGroups = 2, SplitAxis = "n" })
            .SetName("A double grouped convolution with a bias and a ReLU6 in two core groups' memories");
    }

    [TestCaseSource(nameof(Kernels))]
    public void A_direct_kernel_in_the_groups_memories_on_the_emulator_matches_the_reference(OperatorSpec spec, DirectSchedule schedule)
    {
        var inputs = ReferenceOperands.Draw(spec, seed: 13);
        var kernel = spec.WithSchedule(schedule).Emit(Target);
        var (comparison, _) = ReferenceRun.Of(kernel, spec, inputs);

        Assert.That(comparison.Passed, comparison.ToString());
    }

    [TestCaseSource(nameof(Kernels))]
    public void A_direct_kernel_in_the_groups_memories_built_against_the_shim_matches_the_reference_and_the_emulator(OperatorSpec spec, DirectSchedule schedule)
    {
        var check = EmittedC.CheckAgainstEmulator(spec, schedule, seed: 5, GccShimOptions.Default);
        Assert.That(check.Comparison.Passed, check.Comparison.ToString());
    }

    [Test]
    public void The_input_and_output_are_each_groups_share_of_the_batch_in_its_own_memory_and_the_weights_a_copy_in_each()
    {
        var spec = Operator.Conv2d(8, 16, 16, 7, 7, 3, padding: 1, groups: 16).WithEpilogue(Epilogue.Of(EpilogueStep.Bias(), EpilogueStep.Relu6()));
        var local = (DirectPlan)DirectAlgorithm.Instance.Plan(spec, new DirectSchedule { TileRows = 7, GroupMemory = true, CoreGroups = 4, SplitAxis = "n" }, Target.Limits);
        var inPlace = (DirectPlan)DirectAlgorithm.Instance.Plan(spec, new DirectSchedule { TileRows = 7, CoreGroups = 4, SplitAxis = "n" }, Target.Limits);
        var share = new SplitDistribution(4, 0, 1, 8, 1, 2);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(local.Placements.Select(p => p.Tensor.Name), Is.EqualTo(new[] { "input", "weights", BiasStep.Name, "output" }));
            Assert.That(local.Placements.Select(p => p.Layout.IsIdentity), Is.All.False, "every tensor is kept in a layout of the kernel's own");
            Assert.That(inPlace.Placements.Select(p => p.Layout.IsIdentity), Is.All.True, "in place, every tensor is the framework's");
            Assert.That(local.Placements[0].Distribution, Is.EqualTo(share));
            Assert.That(local.Placements[^1].Distribution, Is.EqualTo(share));
            Assert.That(local.Placements[1].Distribution, Is.EqualTo(Distribution.Replicated(4)));

            // The same element lies at the same offset as in the framework's NCHW layout.
            var layout = local.Placements[0].Layout;
            Assert.That(layout.OffsetOf([5, 3, 6, 2]), Is.EqualTo((((5L * 16) + 3) * 7 + 6) * 7 + 2));
            Assert.That(layout.Elements, Is.EqualTo(local.Placements[0].Tensor.ElementLength));
        }
    }

    [Test]
    public void The_space_offers_each_schedule_in_place_and_in_the_groups_memories_and_prefers_in_place()
    {
        var spec = Operator.Conv2d(8, 32, 32, 14, 14, 3, padding: 1, groups: 32);
        var space = new DirectSpace(spec, Target.Limits, PlacementConstraints.None);
        var schedules = space.EnumeratePlans().Select(p => (DirectSchedule)p.Schedule).ToList();
        Assert.That(schedules.Count(s => s.GroupMemory), Is.EqualTo(schedules.Count(s => !s.GroupMemory)));
        Assert.That(schedules.Where(s => s.GroupMemory).Select(s => s with { GroupMemory = false }), Is.EquivalentTo(schedules.Where(s => !s.GroupMemory)));
        Assert.That(((DirectSchedule)space.Default()).GroupMemory, Is.False);
    }

    [Test]
    public void A_schedule_in_the_groups_memories_round_trips_through_json_and_one_written_before_it_reads_in_place()
    {
        var schedule = new DirectSchedule { TileRows = 7, TileGroups = 4, GroupMemory = true, CoreGroups = 4, SplitAxis = "n" };
        Assert.That(Schedule.FromJson(schedule.ToJson()), Is.EqualTo(schedule));
        Assert.That(schedule.ToString(), Does.Contain("group memory"));
        var older = Schedule.FromJson("{\"algorithm\":\"direct\",\"tileRows\":7,\"tileGroups\":4,\"doubleBuffer\":false,\"coreGroups\":4,\"splitAxis\":\"n\"}");
        Assert.That(older, Is.EqualTo(schedule with { GroupMemory = false }));
    }

    [TestCase(ElementType.Float64, 28)]
    [TestCase(ElementType.Float32, 14)]
    public void In_the_groups_memories_the_kernel_is_faster_reaches_no_shared_byte_and_the_model_prices_it_as_the_emulator_times_it(ElementType type, int rows)
    {
        const double Tolerance = 5;
        var spec = Operator.Conv2d(8, 32, 32, 28, 28, 3, padding: 1, groups: 32, elementType: type).WithEpilogue(Epilogue.Of(EpilogueStep.Bias(), EpilogueStep.Relu6()));
        var model = new Sw26010CostModel(Target.Spec);
        var inPlace = new DirectSchedule { TileRows = rows, CoreGroups = 4, SplitAxis = "n" };
        var local = inPlace with { GroupMemory = true };
        var reports = new[] { inPlace, local }.Select(s => ((Sw26010Kernel)spec.WithSchedule(s).Emit(Target)).MeasureReport().Profile).ToArray();
        var prices = new[] { inPlace, local }.Select(s => model.Estimate(DirectAlgorithm.Instance.Plan(spec, s, Target.Limits), TuningObjective.Kernel)).ToArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(reports[0].CoreGroups[0].DmaSharedBytes, Is.GreaterThan(0), "in place, the kernel reaches the shared memory");
            Assert.That(reports[1].CoreGroups.Select(g => g.DmaSharedBytes), Is.All.EqualTo(0), "in the groups' memories, it does not");
            Assert.That(reports[1].SimulatedSeconds, Is.LessThan(reports[0].SimulatedSeconds * 0.8), "the bytes at a group's own cost");
            Assert.That(prices[0], Is.EqualTo(reports[0].SimulatedSeconds).Within(Tolerance).Percent, "in place");
            Assert.That(prices[1], Is.EqualTo(reports[1].SimulatedSeconds).Within(Tolerance).Percent, "in the groups' memories");
        }
    }

    [Test]
    public void Alone_the_layout_steps_are_counted_end_to_end_and_the_kernel_objective_leaves_them_out()
    {
        var spec = Operator.Conv2d(8, 32, 32, 28, 28, 3, padding: 1, groups: 32);
        var model = new Sw26010CostModel(Target.Spec);
        var plan = DirectAlgorithm.Instance.Plan(spec, new DirectSchedule { TileRows = 28, GroupMemory = true, CoreGroups = 4, SplitAxis = "n" }, Target.Limits);
        var kernel = spec.WithSchedule(plan.Schedule).Emit(Target);
        var profile = kernel.Measure();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(profile.Steps.Select(s => s.Name), Is.EquivalentTo(new[] { "pack input", "unpack output" }), "the weights, a constant, are prepared once");
            Assert.That(profile.PrepareSteps.Select(s => s.Name), Is.EquivalentTo(new[] { "prepare weights" }));
            Assert.That(model.StepSeconds(plan), Is.GreaterThan(0));
            Assert.That(model.Estimate(plan, TuningObjective.EndToEnd), Is.EqualTo(model.Estimate(plan, TuningObjective.Kernel) + model.StepSeconds(plan)).Within(1e-12));
        }
    }
}
