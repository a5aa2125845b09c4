using Swatop.Core;
using Swatop.Core.Algorithms.Im2col;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Layouts;
using Swatop.Core.Lowering;
using Swatop.Core.Scheduling;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Emit.Verification;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Hardware.Sw26010.Tuning;
using Swatop.Primitives;
using Swatop.Tests.Emit;
using Swatop.Tests.Scheduling;
using Swatop.Tests.Tuning;

namespace Swatop.Tests.Algorithms;

/// <summary>
/// The implicit GEMM kernels that read or write a tensor in place, with those tensors kept row-major in the core groups' own
/// memories instead (<see cref="ImplicitGemmSchedule.GroupMemory"/>): the same transfers at a group's own cost, the same
/// output bit for bit, priced by the model as the emulator times them; offered by the space only where the caller keeps its
/// activations in the groups' memories, refused where nothing is in place, and written and read back as a decision.
/// </summary>
public sealed class ImplicitGemmGroupMemoryTests
{
    private static readonly Sw26010Target Target = Sw26010Target.Default;

    private static readonly TargetLimits InCoreGroups = Target.Limits with { CallerMemory = CallerMemory.CoreGroups };

    /// <summary>A 1 x 1 convolution's output rows and columns merged: M the 63 positions, N the output channels, K the input channels; NCHW read and written in place.</summary>
    private static ImplicitGemmSchedule Merged(int coreGroups = 4, string? split = "n") => new()
    {
        Mapping = new GemmMapping("oh_ow", "co", "ci"),
        TileM = 128, TileN = 32, TileK = 40,
        IndexOrder = ["n", "co", "oh_ow"],
        ReductionOrder = ["ci"],
        MergedAxes = ["oh", "ow"],
        CoreGroups = coreGroups, SplitAxis = split,
    };

    private static IEnumerable<TestCaseData> Kernels()
    {
        yield return new TestCaseData(Operator.Conv2d(8, 40, 24, 9, 7, 1), Merged())
            .SetName("A double 1 x 1 convolution of 8 images, its positions merged, on four core groups split on the batch");
        yield return new TestCaseData(Operator.Conv2d(32, 24, 40, 7, 7, 1), ImageRowsTests.Rows(padded: 64, tileK: 24, coreGroups: 4, split: "n_oh_ow"))
            .SetName("A double 1 x 1 convolution of 32 images, one image a mesh row, on four core groups");
        yield return new TestCaseData(Operator.Conv2d(16, 32, 64, 14, 14, 1), ImageRowsTests.Rows(padded: 112, tileK: 32, coreGroups: 4, split: "n_oh_ow"))
            .SetName("A double 1 x 1 convolution of 16 images, an image over two mesh rows, on four core groups");
        yield return new TestCaseData(Operator.Conv2d(16, 16, 32, 4, 4, 1).WithEpilogue(EpilogueStep.Bias(), EpilogueStep.ResidualAdd(), EpilogueStep.Relu()),
                ImageRowsTests.Rows(padded: 16, tileK: 16, coreGroups: 2, split: "n_oh_ow"))
            .SetName("A double 1 x 1 convolution with a bias, a residual and a ReLU, one image a mesh row, on two core groups");
    }

    [TestCaseSource(nameof(Kernels))]
    public void In_the_groups_memories_the_kernel_computes_the_in_place_kernel_s_output_bit_for_bit_and_the_reference(OperatorSpec spec, ImplicitGemmSchedule inPlace)
    {
        var inputs = ReferenceOperands.Draw(spec, seed: 31);
        var (placed, placedOutput) = ReferenceRun.Of(spec.WithSchedule(inPlace).Emit(Target), spec, inputs);
        var (local, localOutput) = ReferenceRun.Of(spec.WithSchedule(inPlace with { GroupMemory = true }).Emit(Target), spec, inputs);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(placed.Passed, placed.ToString());
            Assert.That(local.Passed, local.ToString());
            Assert.That(localOutput.Select(BitConverter.DoubleToInt64Bits), Is.EqualTo(placedOutput.Select(BitConverter.DoubleToInt64Bits)), "bit for bit");
        }
    }

    [TestCaseSource(nameof(Kernels))]
    public void In_the_groups_memories_the_in_place_tensors_lie_row_major_in_the_core_groups_and_the_others_as_before(OperatorSpec spec, ImplicitGemmSchedule inPlace)
    {
        var placed = LoopPlan.Create(spec, inPlace, Target.Limits).Placements;
        var local = LoopPlan.Create(spec, inPlace with { GroupMemory = true }, Target.Limits).Placements;
        Assert.That(placed.Where(p => p.Layout.IsIdentity).Select(p => p.Tensor.Name), Does.Contain("input").And.Contain("output"), "in place, the activations are the framework's");
        Assert.That(local.Select(p => p.Tensor.Name), Is.EqualTo(placed.Select(p => p.Tensor.Name)));
        for (var i = 0; i < placed.Length; i++)
        {
            using (Assert.EnterMultipleScope())
            {
                Assert.That(local[i].Distribution, Is.EqualTo(placed[i].Distribution), placed[i].Tensor.Name);
                Assert.That(local[i].Layout, Is.EqualTo(placed[i].Layout.IsIdentity ? TensorLayout.RowMajorInCoreGroups(placed[i].Tensor) : placed[i].Layout), placed[i].Tensor.Name);
                Assert.That(local[i].IsRowMajorInCoreGroups, Is.EqualTo(placed[i].Layout.IsIdentity), placed[i].Tensor.Name);
            }
        }
    }

    [TestCaseSource(nameof(Kernels))]
    public void In_the_groups_memories_the_kernel_moves_no_byte_through_the_shared_memory_with_the_same_transfers_and_is_faster(OperatorSpec spec, ImplicitGemmSchedule inPlace)
    {
        var placed = EmittedC.Kernel(spec, inPlace).MeasureReport(everyGroup: true).Profile;
        var local = EmittedC.Kernel(spec, inPlace with { GroupMemory = true }).MeasureReport(everyGroup: true).Profile;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(placed.CoreGroups.Select(g => g.DmaSharedBytes), Has.Some.GreaterThan(0), "in place, the kernel reaches the shared memory");
            Assert.That(local.CoreGroups.Select(g => g.DmaSharedBytes), Is.All.EqualTo(0), "in the groups' memories, it does not");
            Assert.That(local.CoreGroups.Select(g => g.DmaRequests), Is.EqualTo(placed.CoreGroups.Select(g => g.DmaRequests)), "the same requests");
            Assert.That(local.CoreGroups.Select(g => g.DmaBlocks), Is.EqualTo(placed.CoreGroups.Select(g => g.DmaBlocks)), "the same blocks");
            Assert.That(local.CoreGroups.Select(g => g.DmaBytes), Is.EqualTo(placed.CoreGroups.Select(g => g.DmaBytes)), "the same bytes");
            Assert.That(local.SimulatedSeconds, Is.LessThan(placed.SimulatedSeconds), "each byte at a group's own cost");
        }
    }

    [Test]
    public void The_model_prices_the_kernel_in_the_groups_memories_as_the_emulator_times_it_and_below_the_in_place_kernel()
    {
        // ResNet-50's res5_1x1_expand at batch 128 in double with its tuned image-rows schedule (ImageRowsTests: the model
        // within 15% of the emulator's time in place), its input and output in place, its weights blocked.
        const double Tolerance = 15;
        var spec = Operator.Conv2d(128, 512, 2048, 7, 7, 1, elementType: ElementType.Float64);
        var inPlace = (ImplicitGemmSchedule)Schedule.FromJson("""
            {"algorithm":"implicit-gemm","mapping":{"m":"n_oh_ow","n":"co","k":"ci"},"tileM":512,"tileN":32,"tileK":512,
             "indexOrder":["n_oh_ow","co"],"reductionOrder":["ci"],"windowAxis":null,"window":1,
             "operands":[{"role":"a","level":null,"doubleBuffer":false},{"role":"b","level":null,"doubleBuffer":true},{"role":"output","level":null,"doubleBuffer":true}],
             "blockedLayouts":true,"mergedAxes":["n","oh","ow"],"coreGroups":4,"splitAxis":"n_oh_ow"}
            """);
        var local = inPlace with { GroupMemory = true };
        var model = new Sw26010CostModel(Target.Spec);
        var prices = new[] { inPlace, local }.Select(s => model.Estimate(LoopPlan.Create(spec, s, Target.Limits), TuningObjective.Kernel)).ToArray();
        var times = new[] { inPlace, local }.Select(s => EmittedC.Kernel(spec, s).MeasureReport().Profile.SimulatedSeconds).ToArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(prices[0], Is.EqualTo(times[0]).Within(Tolerance).Percent, "in place");
            Assert.That(prices[1], Is.EqualTo(times[1]).Within(Tolerance).Percent, "in the groups' memories");
            Assert.That(prices[1], Is.LessThan(prices[0]), "the model prices the bytes at a group's own cost");
            Assert.That(times[1], Is.LessThan(times[0]), "and so does the emulator");
        }
    }

    [Test]
    public void Under_core_group_callers_the_space_offers_each_in_place_point_s_twin_and_under_shared_callers_none()
    {
        var spec = Operator.Conv2d(8, 40, 24, 9, 7, 1);
        var shared = ImplicitGemmSpace.For(spec, Target.Limits).EnumeratePlans().ToList();
        var groups = ImplicitGemmSpace.For(spec, InCoreGroups).EnumeratePlans().ToList();
        var twins = groups.Where(p => p.Schedule.GroupMemory).ToList();
        var inPlace = shared.Where(p => p.Operands.Any(o => p.LayoutOf(o).IsIdentity)).Select(p => p.Schedule).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(shared.Select(p => p.Schedule.GroupMemory), Is.All.False, "under shared callers, no twin");
            Assert.That(groups.Where(p => !p.Schedule.GroupMemory).Select(p => p.Schedule), Is.EqualTo(shared.Select(p => p.Schedule)), "the other points as under shared callers, in the same order");
            Assert.That(inPlace, Is.Not.Empty);
            Assert.That(twins.Select(p => p.Schedule with { GroupMemory = false }), Is.EquivalentTo(inPlace), "a twin of each point that keeps an operand in place, and of none other");
            Assert.That(twins, Is.All.Matches<LoopPlan>(p => p.Placements.Any(q => q.IsRowMajorInCoreGroups) && !p.Placements.Any(q => q.Layout.IsIdentity)));
            Assert.That(ImplicitGemmSpace.For(spec, InCoreGroups).Default().GroupMemory, Is.False, "the default is the in-place point");
        }
    }

    [Test]
    public void Under_core_group_callers_the_families_probes_and_samples_of_twins_are_twins()
    {
        var spec = Operator.Conv2d(8, 40, 24, 9, 7, 1);
        var space = ImplicitGemmSpace.For(spec, InCoreGroups);
        var random = new Random(3);
        foreach (var family in space.EnumerateFamilies())
        {
            var probe = (LoopPlan?)family.Probe();
            var points = family.Plans(CancellationToken.None).Cast<LoopPlan>().ToList();
            Assert.That(points.Select(p => p.Schedule.GroupMemory).Distinct().Count(), Is.LessThanOrEqualTo(1), "a family is all twins or none");
            if (probe is not null && points.Count > 0)
            {
                Assert.That(probe.Schedule.GroupMemory, Is.EqualTo(points[0].Schedule.GroupMemory), "its probe with them");
            }
        }

        var samples = Enumerable.Range(0, 40).Select(_ => space.Sample(random)).ToList();
        Assert.That(samples, Is.All.Matches<ImplicitGemmSchedule>(s => space.Canonical(s).Equals(s)));
        Assert.That(samples.Select(space.Validate), Is.All.Not.Null);
    }

    [Test]
    public void A_twin_that_keeps_nothing_in_place_is_refused_naming_the_decision_and_the_rule()
    {
        // A GEMM whose every operand is blocked: nothing is in place.
        var spec = Operator.Gemm(256, 64, 16);
        var blocked = new ImplicitGemmSchedule
        {
            Mapping = new GemmMapping("m", "n", "k"), TileM = 128, TileN = 32, TileK = 16,
            IndexOrder = ["m", "n"], ReductionOrder = ["k"], BlockedLayouts = true,
        };
        Assert.That(LoopPlan.Create(spec, blocked, InCoreGroups).Placements.Select(p => p.Layout.IsIdentity), Is.All.False);
        ScheduleMust.Fail(() => LoopPlan.Create(spec, blocked with { GroupMemory = true }, InCoreGroups),
            ScheduleDiagnostics.IllegalGroupMemory, nameof(ImplicitGemmSchedule.GroupMemory), "GroupMemory = true", "none of A, B and the output in place");
        Assert.That(ImplicitGemmSpace.For(spec, InCoreGroups).Enumerate().Where(s => s.BlockedLayouts && s.GroupMemory), Is.Empty);
    }

    [Test]
    public void Explicit_im2col_s_GEMM_is_offered_no_twin_and_refuses_one()
    {
        var spec = Operator.Conv2d(10, 8, 16, 9, 9, 3, stride: 2, padding: 1);
        var schedules = Im2colAlgorithm.Instance.Space(spec, InCoreGroups, PlacementConstraints.None).Enumerate().OfType<Im2colSchedule>().ToList();
        Assert.That(schedules, Is.Not.Empty);
        Assert.That(schedules.Select(s => s.Gemm.GroupMemory), Is.All.False);
        var twin = schedules[0] with { Gemm = schedules[0].Gemm with { GroupMemory = true } };
        ScheduleMust.Fail(() => Im2colPlan.Create(spec, twin, InCoreGroups), ScheduleDiagnostics.IllegalGroupMemory, nameof(ImplicitGemmSchedule.GroupMemory), "im2col");
    }

    [Test]
    public void A_twin_round_trips_through_json_and_the_tuning_database_and_one_written_before_reads_in_place()
    {
        var spec = Operator.Conv2d(8, 40, 24, 9, 7, 1);
        var inPlace = Merged();
        var local = inPlace with { GroupMemory = true };
        using (Assert.EnterMultipleScope())
        {
            Assert.That(local.ToJson(), Does.Contain("\"groupMemory\":true"));
            Assert.That(inPlace.ToJson(), Does.Not.Contain("groupMemory"), "a point in place is written as before");
            Assert.That(Schedule.FromJson(local.ToJson()), Is.EqualTo(local));
            Assert.That(Schedule.FromJson(inPlace.ToJson()), Is.EqualTo(inPlace).And.Not.EqualTo(local));
            Assert.That(local, Is.Not.EqualTo(inPlace));
            Assert.That(local.GetHashCode(), Is.Not.EqualTo(inPlace.GetHashCode()));
            Assert.That(((ImplicitGemmSchedule)Schedule.FromJson(inPlace.ToJson())).GroupMemory, Is.False, "a record without the field reads in place");
        }

        using var directory = new TemporaryDirectory();
        var database = new TuningDatabase(directory.File("tuning.jsonl"));
        var record = TuningRecord.For(spec, Target, local, 1e-4, 9e-5, new DateTimeOffset(2026, 12, 7, 21, 0, 0, TimeSpan.Zero));
        database.Append(record);
        Assert.That(new TuningDatabase(database.Path).Read().Records, Is.EqualTo(new[] { record }));
    }

    [Test]
    public void A_twin_prints_its_decision_in_text_and_in_CSharp()
    {
        var local = Merged() with { GroupMemory = true };
        using (Assert.EnterMultipleScope())
        {
            Assert.That(local.ToString(), Does.EndWith(" group memory"));
            Assert.That(Merged().ToString(), Does.Not.Contain("group memory"));
            Assert.That(local.ToCSharp(), Does.Contain("    GroupMemory = true,"));
            Assert.That(Merged().ToCSharp(), Does.Not.Contain("GroupMemory"));
        }
    }

    [TestCaseSource(nameof(Kernels))]
    public void The_twin_s_emitted_C_built_against_the_shim_matches_the_reference_and_the_emulator(OperatorSpec spec, ImplicitGemmSchedule inPlace)
    {
        var check = EmittedC.CheckAgainstEmulator(spec, inPlace with { GroupMemory = true }, seed: 7, GccShimOptions.Default);
        Assert.That(check.Comparison.Passed, check.Comparison.ToString());
    }
}
