using Swatop.Core;
using Swatop.Core.Algorithms.Direct;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Lowering;
using Swatop.Core.Scheduling;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Hardware.Sw26010.Tuning;
using Swatop.Primitives;
using Swatop.Tests.Algorithms;

namespace Swatop.Tests.LayoutSteps;

/// <summary>
/// A call whose caller keeps its activations in the core groups' own memories (<see cref="CallerMemory.CoreGroups"/>): the
/// steps it runs go from there to the kernel's placements and back, none where the kernel keeps a tensor where the caller
/// does, its output is the shared-memory call's bit for bit, and the cost model prices its steps as the emulator times them.
/// </summary>
public sealed class CallerMemoryCallTests
{
    private static readonly Sw26010Target Shared = Sw26010Target.Default;
    private static readonly Sw26010Target InGroups = Sw26010Target.Default.WithCallerMemory(CallerMemory.CoreGroups);

    [Test]
    public void A_kernel_that_keeps_each_groups_share_where_the_caller_does_runs_no_step_and_matches_the_reference()
    {
        var spec = Operator.Conv2d(8, 16, 16, 7, 7, 3, padding: 1, groups: 16);
        var schedule = new DirectSchedule { TileRows = 7, GroupMemory = true, CoreGroups = 4, SplitAxis = "n" };
        var inputs = ReferenceOperands.Draw(spec, seed: 3);
        var kernel = spec.WithSchedule(schedule).Emit(InGroups);
        var (comparison, output) = ReferenceRun.Of(kernel, spec, inputs);
        var (_, shared) = ReferenceRun.Of(spec.WithSchedule(schedule).Emit(Shared), spec, inputs);
        var profile = kernel.Measure();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(comparison.Passed, comparison.ToString());
            Assert.That(output, Is.EqualTo(shared), "the same kernel, its tensors moved otherwise");
            Assert.That(profile.Steps, Is.Empty, "the input and output are the groups' shares of the batch in their own memories");
            Assert.That(profile.EndToEndSeconds, Is.EqualTo(profile.KernelSeconds));
            Assert.That(Shared.Compile(kernel.Lowered).Measure().Steps.Select(s => s.Name), Is.EqualTo(new[] { "pack input", "unpack output" }), "from the shared memory the same kernel packs and unpacks");
        }
    }

    [Test]
    public void An_image_rows_kernel_in_the_groups_memories_with_an_image_over_two_mesh_rows_meets_the_callers_shares_without_a_step()
    {
        var spec = Operator.Conv2d(16, 32, 64, 14, 14, 1);
        var schedule = Scheduling.ImageRowsTests.Rows(padded: 112, tileK: 32, coreGroups: 4, split: "n_oh_ow") with { GroupMemory = true };
        var kernel = spec.WithSchedule(schedule).Emit(InGroups);
        var (comparison, _) = ReferenceRun.Of(kernel, spec, ReferenceOperands.Draw(spec, seed: 9));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(comparison.Passed, comparison.ToString());
            Assert.That(kernel.Lowered.OutputPlacement.Matches(Core.Layouts.CallerHoldings.For(spec, InGroups.Limits)["output"]), Is.True, "each group computes its own four images");
            Assert.That(kernel.Measure().Steps, Is.Empty);
        }
    }

    [Test]
    public void A_packed_output_split_as_the_caller_splits_the_batch_is_reordered_in_each_groups_memory()
    {
        var spec = Operator.Conv2d(8, 16, 32, 16, 16, 3, padding: 1, elementType: ElementType.Float32);
        var kernel = spec.WithSchedule(UnpackInTurnTests.PackedOutputOnFourGroups()).Emit(InGroups);
        var inputs = ReferenceOperands.Draw(spec, seed: 4);
        var (comparison, _) = ReferenceRun.Of(kernel, spec, inputs);
        var steps = kernel.Measure().Steps.Select(s => s.Name).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(comparison.Passed, comparison.ToString());
            Assert.That(steps, Does.Contain("reorder output"), "both keep each group's images in its own memory");
            Assert.That(steps, Has.None.StartsWith("unpack output"), "nothing goes through the shared memory");
        }
    }

    [Test]
    public void A_kernel_on_one_core_group_meets_the_callers_shares_in_the_shared_memory()
    {
        var spec = Operator.Conv2d(8, 16, 16, 7, 7, 3, padding: 1, groups: 16);
        var schedule = new DirectSchedule { TileRows = 7 };
        var inputs = ReferenceOperands.Draw(spec, seed: 6);
        var kernel = spec.WithSchedule(schedule).Emit(InGroups);
        var (comparison, output) = ReferenceRun.Of(kernel, spec, inputs);
        var (_, shared) = ReferenceRun.Of(spec.WithSchedule(schedule).Emit(Shared), spec, inputs);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(comparison.Passed, comparison.ToString());
            Assert.That(output, Is.EqualTo(shared));
            Assert.That(kernel.Measure().Steps.Select(s => s.Name), Is.EqualTo(new[] { "unpack input", "pack output" }), "the kernel reads and writes the framework's layout in place");
        }
    }

    [Test]
    public void Sampled_kernels_give_the_shared_memory_calls_output_bit_for_bit_and_the_model_prices_their_steps_within_a_factor_of_two()
    {
        var spec = Operator.Conv2d(16, 32, 32, 14, 14, 3, padding: 1);
        var random = new Random(11);
        var model = new Sw26010CostModel(InGroups.Spec);
        var inputs = ReferenceOperands.Draw(spec, seed: 8);
        var ratios = new List<double>();
        for (var sample = 0; sample < 4; sample++)
        {
            var schedule = spec.Space(InGroups.Limits).Sample(random);
            var kernel = (Sw26010Kernel)spec.WithSchedule(schedule).Emit(InGroups);
            var (comparison, output) = ReferenceRun.Of(kernel, spec, inputs);
            var (_, shared) = ReferenceRun.Of(spec.WithSchedule(schedule).Emit(Shared), spec, inputs);
            Assert.That(comparison.Passed, $"{schedule}: {comparison}");
            Assert.That(output, Is.EqualTo(shared), schedule.ToString());
            var (call, _) = kernel.MeasureCall(everyGroup: true);
            var measured = call.Steps.Sum(s => s.Seconds);
            var predicted = model.StepSeconds(KernelLowering.Lower(spec, schedule, InGroups.Limits).Plan);
            if (measured > 0)
            {
                ratios.Add(predicted / measured);
            }
        }

        Assert.That(ratios, Is.Not.Empty);
        Assert.That(ratios, Has.All.InRange(0.5, 2.0), string.Join(", ", ratios.Select(r => r.ToString("F2", System.Globalization.CultureInfo.InvariantCulture))));
    }

    [Test]
    public void The_emitted_C_takes_the_framework_tensors_and_states_that_calls_time_whatever_the_targets_caller()
    {
        var spec = Operator.Conv2d(8, 16, 16, 7, 7, 3, padding: 1, groups: 16);
        var schedule = new DirectSchedule { TileRows = 7, GroupMemory = true, CoreGroups = 4, SplitAxis = "n" };
        var inGroups = spec.WithSchedule(schedule).Emit(InGroups);
        var shared = spec.WithSchedule(schedule).Emit(Shared);
        Assert.That(inGroups.Measure().EndToEndSeconds, Is.LessThan(shared.Measure().EndToEndSeconds), "the calls differ");
        Assert.That(inGroups.Sources.Files, Is.EqualTo(shared.Sources.Files), "the entry function's call is the same");
    }

    [Test]
    public void The_caller_memory_is_part_of_the_targets_signature_and_limits()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(InGroups.Signature, Is.EqualTo(Shared.Signature + " caller=core-groups"));
            Assert.That(InGroups.Limits.CallerMemory, Is.EqualTo(CallerMemory.CoreGroups));
            Assert.That(Shared.Limits.CallerMemory, Is.EqualTo(CallerMemory.Shared));
            Assert.That(InGroups.WithCallerMemory(CallerMemory.Shared).Signature, Is.EqualTo(Shared.Signature));
        }
    }

    [Test]
    public void A_caller_memory_that_is_not_one_is_refused_by_name()
    {
        var refused = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new Sw26010Target(callerMemory: (CallerMemory)7))!;
        Assert.That(refused.ParamName, Is.EqualTo("callerMemory"));
        Assert.That(refused.Message, Does.Contain("Shared").And.Contain("CoreGroups"));
    }

    [Test]
    public void The_end_to_end_objective_under_the_groups_counts_the_steps_from_the_callers_shares()
    {
        var spec = Operator.Conv2d(8, 16, 16, 7, 7, 3, padding: 1, groups: 16);
        var plan = KernelLowering.Lower(spec, new DirectSchedule { TileRows = 7, GroupMemory = true, CoreGroups = 4, SplitAxis = "n" }, InGroups.Limits).Plan;
        var model = new Sw26010CostModel(InGroups.Spec);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(model.StepSeconds(plan), Is.Zero, "the kernel keeps its activations where the caller does");
            Assert.That(model.Estimate(plan, TuningObjective.EndToEnd), Is.EqualTo(model.Estimate(plan, TuningObjective.Kernel)));
            Assert.That(model.StepSeconds(KernelLowering.Lower(spec, new DirectSchedule { TileRows = 7, GroupMemory = true, CoreGroups = 4, SplitAxis = "n" }, Shared.Limits).Plan), Is.GreaterThan(0));
        }
    }
}
