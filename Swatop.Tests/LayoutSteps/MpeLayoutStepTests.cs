using Swatop.Core;
using Swatop.Core.Layouts;
using Swatop.Core.LayoutSteps;
using Swatop.Core.Lowering;
using Swatop.Hardware.Sw26010;
using Swatop.Hardware.Sw26010.Emit;
using Swatop.Hardware.Sw26010.Emit.Verification;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Hardware.Sw26010.Tuning;
using Swatop.Primitives;
using Swatop.Tests.Emit;

namespace Swatop.Tests.LayoutSteps;

/// <summary>
/// Layout steps on the MPE where it is faster than the compute cores (<see cref="Sw26010MpeStep"/>): a small step is
/// timed, priced and run on the host and says so; a large one stays on the CPEs; the host's copy moves what the CPEs
/// move, bit for bit; a single operator's emitted C copies its small steps on the host and passes on the shim; a graph's
/// output with a step on the MPE is that of its steps on the CPEs, and its emitted network passes on the shim.
/// </summary>
public sealed class MpeLayoutStepTests
{
    private static readonly Sw26010Target Target = Sw26010Target.Default;

    [Test]
    public void A_step_of_a_few_KB_runs_on_the_MPE_in_the_time_the_model_gives()
    {
        var step = PackOf(Operator.Conv2d(4, 6, 8, 9, 7, 3, padding: 1), replicated: true);
        var bytes = step.Tensor.ElementLength * sizeof(double);
        Assert.That(bytes, Is.InRange(4_000, 16_000), "a step of a few KB");

        var time = Target.MeasureStep(step);
        var cpes = Sw26010LayoutStep.Compile(Target, step).MeasureOnCpes(CancellationToken.None);
        var timing = Target.Spec.Timing;

        // Every core group packs the whole tensor: its bytes read once and written once at the MPE's rate.
        var expected = 2.0 * bytes / timing.MpeBytesPerCycle / Target.Spec.ClockHz;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(time.OnMpe, Is.True, time.ToString());
            Assert.That(time.Seconds, Is.EqualTo(expected).Within(1e-12 * expected));
            Assert.That(time.ToString(), Does.Contain("on the MPE"));
            Assert.That(cpes.OnMpe, Is.False);
            Assert.That(cpes.Seconds, Is.GreaterThan(time.Seconds), "the compute cores' time, a spawn and a join included, is the longer");
            Assert.That(cpes.Seconds, Is.GreaterThanOrEqualTo(Sw26010MpeStep.CpeFloorSeconds(Target.Spec)), "no step on the compute cores beats a spawn and a join");
            Assert.That(new Sw26010CostModel(Target.Spec).EstimateStep(step), Is.EqualTo(time.Seconds), "the price is the less of the two times");
        }
    }

    [Test]
    public void A_step_of_a_megabyte_stays_on_the_CPEs()
    {
        var step = PackOf(Operator.Conv2d(16, 32, 32, 16, 16, 3, padding: 1), replicated: true);
        Assert.That(step.Tensor.ElementLength * sizeof(double), Is.GreaterThan(1_000_000));

        var time = Target.MeasureStep(step);
        var mpe = Sw26010MpeStep.Seconds(Target.Spec, step)!.Value;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(time.OnMpe, Is.False, time.ToString());
            Assert.That(mpe, Is.GreaterThan(time.Seconds), "the MPE would take longer");
            Assert.That(new Sw26010CostModel(Target.Spec).EstimateStep(step), Is.LessThan(mpe), "the price is the compute cores'");
        }
    }

    [Test]
    public void A_strided_side_larger_than_the_MPEs_cache_costs_a_line_an_element()
    {
        var step = PackOf(Operator.Conv2d(16, 32, 32, 16, 16, 3, padding: 1), replicated: true);
        var bytes = (double)step.Tensor.ElementLength * sizeof(double);
        var timing = Target.Spec.Timing;
        var seconds = Sw26010MpeStep.Seconds(Target.Spec, step)!.Value * timing.MpeBytesPerCycle * Target.Spec.ClockHz;
        var line = (double)Sw26010MpeStep.LineBytes / sizeof(double);

        // The framework's side is read in runs; the kernel's, permuted, is written at a stride past the L2.
        Assert.That(step.Destination.Order.SequenceEqual(Enumerable.Range(0, 4)) && step.Destination.Blocks.All(b => b == 0), Is.False, "the pack permutes or blocks");
        Assert.That(seconds, Is.EqualTo(bytes + (bytes * line)).Within(1e-6 * bytes));
    }

    [Test]
    public void A_column_step_has_no_host_copy_and_stays_on_the_CPEs()
    {
        var spec = Operator.Conv2d(2, 4, 8, 6, 6, 3, padding: 1);
        var lowered = Enumerable.Range(0, 200)
            .Select(i => KernelLowering.Lower(spec, spec.Space(Target.Limits).Sample(new Random(i)), Target.Limits))
            .FirstOrDefault(l => l.Placements.Values.Any(p => p.Layout.Window is not null));
        Assume.That(lowered, Is.Not.Null, "a sampled schedule lowers to explicit im2col");
        var columns = lowered!.Placements.Values.First(p => p.Layout.Window is not null);
        var step = LayoutStep.Pack(columns, spec.ElementType);
        var refused = Assert.Throws<ArgumentException>(() => HostLayoutCopy.For(step))!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Sw26010MpeStep.Seconds(Target.Spec, step), Is.Null);
            Assert.That(refused.ParamName, Is.EqualTo("step"));
            Assert.That(refused.Message, Does.Contain(step.Name).And.Contain("column"));
            Assert.That(Target.MeasureStep(step).OnMpe, Is.False);
        }
    }

    [TestCase(ElementType.Float64)]
    [TestCase(ElementType.Float32)]
    public void The_hosts_copy_moves_what_the_compute_cores_move_bit_for_bit(ElementType type)
    {
        var spec = Operator.Gemm(70, 45, 33, transposeA: true, batch: 3, elementType: type);
        var random = new Random(13);
        var checkedSteps = 0;
        for (var sample = 0; sample < 8; sample++)
        {
            var lowered = KernelLowering.Lower(spec, spec.Space(Target.Limits).Sample(random), Target.Limits);
            foreach (var (name, placement) in lowered.Placements)
            {
                if (placement.Layout.IsIdentity || placement.Layout.Window is not null)
                {
                    continue;
                }

                var step = name == lowered.Output.Name ? LayoutStep.Unpack(placement, type) : LayoutStep.Pack(placement, type);
                if (type == ElementType.Float32)
                {
                    Compare<float>(step, random);
                }
                else
                {
                    Compare<double>(step, random);
                }

                checkedSteps++;
            }
        }

        Assert.That(checkedSteps, Is.GreaterThan(0));
    }

    [Test]
    public void A_single_operator_s_small_steps_run_on_the_MPE_its_profile_says_so_and_its_emitted_C_copies_them_on_the_host()
    {
        var spec = Operator.Gemm(256, 48, 24, elementType: ElementType.Float32);
        var schedule = Core.Algorithms.ImplicitGemm.ImplicitGemmSpace.For(spec, Target.Limits).Enumerate()
            .First(s => s.CoreGroups == 4 && KernelLowering.Lower(spec, s, Target.Limits) is var l
                && l.Inputs.Any(t => !l.Placements[t.Name].Layout.IsIdentity) && !l.OutputPlacement.Layout.IsIdentity);
        var kernel = EmittedC.Kernel(spec, schedule);
        var profile = kernel.Measure();
        var host = kernel.Sources.Files[KernelFiles.Host];
        var check = EmittedC.CheckAgainstEmulator(spec, schedule, seed: 9, GccShimOptions.Default);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(profile.Steps, Is.Not.Empty);
            Assert.That(profile.Steps.Select(s => s.OnMpe), Has.All.True, profile.ToString());
            Assert.That(profile.ToString(), Does.Contain("on the MPE"));
            Assert.That(kernel.LayoutSteps.Select(s => s.RunsOnMpe), Has.All.True);
            foreach (var step in kernel.LayoutSteps)
            {
                Assert.That(host, Does.Contain($"static void {step.Kernel.Name}_mpe(").And.Not.Contain($"athread_spawn(swatop_{kernel.Lowered.Kernel.Name}_{step.Kernel.Name}_cpe, "),
                    $"host.c copies '{step.Step.Name}' on the MPE instead of spawning it");
            }

            Assert.That(check.Comparison.Passed, check.Comparison.ToString());
        }
    }

    [Test]
    public void A_graph_run_with_a_step_on_the_MPE_gives_the_outputs_of_the_steps_on_the_CPEs_bit_for_bit()
    {
        var tuned = Classifier.Value.Tuning;
        var steps = tuned.Layers.SelectMany(l => l.Steps).ToList();
        Assert.That(steps.Select(s => s.OnMpe), Has.Some.True, string.Join("; ", steps));
        var cpesOnly = new Sw26010Target(Sw26010Spec.Default with { Timing = Sw26010Spec.Default.Timing with { MpeBytesPerCycle = 1e-6 } });
        var tensors = Swatop.Core.Graphs.GraphReferenceOperands.Draw<double>(tuned.Graph, seed: 21);
        var withMpe = Hardware.Sw26010.Graphs.Sw26010GraphRun.Run(tuned, tensors);
        var onCpes = Hardware.Sw26010.Graphs.Sw26010GraphRun.Run(tuned with { Target = cpesOnly }, tensors);
        foreach (var (name, tensor) in onCpes)
        {
            Assert.That(Flat(withMpe[name]), Is.EqualTo(Flat(tensor)), $"output '{name}'");
        }
    }

    [Test]
    public void An_emitted_network_with_a_step_on_the_MPE_matches_the_emulator_on_the_shim()
    {
        var network = Classifier.Value;
        var runner = network.Emit()[Hardware.Sw26010.Emit.Network.NetworkFiles.Runner];
        var check = network.VerifyEmittedC(seed: 5);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(network.Tuning.Layers.SelectMany(l => l.Steps).Select(s => s.OnMpe), Has.Some.True);
            Assert.That(runner, Does.Contain(", on the MPE: a copy loop */").And.Contain("g); /* on the MPE */"), "a step's host copy and its call");
            Assert.That(check.Nodes.All(n => n.WorstError <= n.Tolerance), string.Join("; ", check.Nodes.Select(n => $"{n.Name} {n.WorstError}")));
        }
    }

    /// <summary>ResNet-50's classifier at batch 1 in double: a global average pooling and a fully connected layer, whose input's pack (16 KB) the MPE takes.</summary>
    private static readonly Lazy<Swatop.Core.TunedNetwork> Classifier = new(() =>
    {
        var b = new Swatop.Core.Graphs.GraphBuilder("classifier", ElementType.Float64);
        var x = b.Input("x", 1, 2048, 7, 7);
        var features = b.Flatten("flatten", b.GlobalAveragePool("gap", x));
        return Swatop.Core.Network.FromGraph(b.Output(b.FullyConnected("fc", features, 1000)).Build()).Tune(Target, new Swatop.Core.Tuning.TuningOptions { Trials = 4, Seed = 3 });
    });

    private static double[] Flat(System.Numerics.Tensors.Tensor<double> tensor)
    {
        var values = new double[tensor.FlattenedLength];
        tensor.FlattenTo(values);
        return values;
    }

    /// <summary>The pack of the input of a sampled schedule of <paramref name="spec"/> that permutes or blocks it, replicated or split as asked.</summary>
    private static LayoutStep PackOf(OperatorSpec spec, bool replicated)
    {
        var random = new Random(3);
        for (var sample = 0; sample < 400; sample++)
        {
            var lowered = KernelLowering.Lower(spec, spec.Space(Target.Limits).Sample(random), Target.Limits);
            var input = lowered.Placements[lowered.Inputs[0].Name];
            var permutes = !input.Layout.Order.SequenceEqual(Enumerable.Range(0, input.Tensor.Rank)) || input.Layout.Blocks.Any(b => b > 0);
            if (input.Layout.Window is null && permutes && input.Distribution is ReplicatedDistribution == replicated && input.Distribution.CoreGroups == 4)
            {
                return LayoutStep.Pack(input, spec.ElementType);
            }
        }

        throw new InvalidOperationException($"No sampled schedule of {spec.Signature} packs its input that way.");
    }

    private static void Compare<T>(LayoutStep step, Random random)
        where T : unmanaged, System.Numerics.INumberBase<T>
    {
        var compiled = Sw26010LayoutStep.Compile(Target, step);
        var chip = new Sw26010Chip();
        var groups = step.CoreGroups;
        GlobalBuffer[] Buffers(TensorLayout layout, bool shared) => shared
            ? [chip.SharedMemory.Allocate<T>("shared", layout.Elements)]
            : [.. Enumerable.Range(0, groups).Select(g => chip.CoreGroups[g].Memory.Allocate<T>("own", layout.Elements))];
        var sources = Buffers(step.Source, shared: step.Kind == LayoutStepKind.Pack);
        foreach (var source in sources)
        {
            foreach (ref var value in source.AsSpan<T>())
            {
                value = T.CreateChecked(random.Next(-1000, 1000) / 8.0);
            }
        }

        var cpes = Buffers(step.Destination, shared: step.Kind == LayoutStepKind.Unpack);
        var host = Buffers(step.Destination, shared: step.Kind == LayoutStepKind.Unpack);
        chip.Run(group => compiled.Program(sources[Math.Min(group.Index, sources.Length - 1)], cpes[Math.Min(group.Index, cpes.Length - 1)]), groups);
        var copy = HostLayoutCopy.For(step);
        for (var g = 0; g < groups; g++)
        {
            copy.Copy<T>(g, sources[Math.Min(g, sources.Length - 1)].AsSpan<T>(), host[Math.Min(g, host.Length - 1)].AsSpan<T>());
        }

        for (var i = 0; i < cpes.Length; i++)
        {
            Assert.That(host[i].AsSpan<T>().ToArray(), Is.EqualTo(cpes[i].AsSpan<T>().ToArray()), $"{step}, buffer {i}");
        }
    }
}
