using System.Collections.Immutable;
using System.Numerics;
using System.Numerics.Tensors;
using Swatop.Core;
using Swatop.Core.Algorithms.WinogradGemm;
using Swatop.Core.Graphs;
using Swatop.Core.GraphTuning;
using Swatop.Core.Targets;
using Swatop.Hardware.Sw26010.Emit.Network;
using Swatop.Hardware.Sw26010.Graphs;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Hardware.Sw26010.Tuning;
using Swatop.Primitives;

namespace Swatop.Tests.Algorithms;

/// <summary>
/// The composite Winograd's filter transform as a prepare step: a kernel prepared with its weights transforms them once into
/// U in each core group's memory, and its calls run the input transform, the products and the output transform alone.
/// </summary>
public sealed class WinogradGemmPrepareTests
{
    private static readonly Sw26010Target Target = Sw26010Target.Default;

    private static IEnumerable<TestCaseData> Kernels()
    {
        yield return new TestCaseData(Operator.Conv2d(2, 16, 64, 7, 7, 3, padding: 1, elementType: ElementType.Float32),
            new WinogradGemmSchedule { OutputTile = 2, TileColumns = 3, Segments = 4, OutBlock = 32, InBlock = 8, GemmIn = 16 })
            .SetName("Prepared F(2x2) float, two output blocks, two transform blocks a call");
        yield return new TestCaseData(Operator.Conv2d(2, 16, 64, 7, 7, 3, padding: 1),
            new WinogradGemmSchedule { OutputTile = 2, TileColumns = 3, Segments = 4, OutBlock = 32, InBlock = 8, GemmIn = 8, CoreGroups = 2, SplitAxis = "n" })
            .SetName("Prepared F(2x2) double, two calls a position, two core groups");
        yield return new TestCaseData(Operator.Conv2d(1, 16, 32, 10, 7, 3, elementType: ElementType.Float32),
            new WinogradGemmSchedule { OutputTile = 4, TileColumns = 1, Segments = 8, OutBlock = 32, InBlock = 8, GemmIn = 16 })
            .SetName("Prepared F(4x4) float, unpadded");
        yield return new TestCaseData(Operator.Conv2d(4, 32, 96, 9, 9, 3, padding: 1),
            new WinogradGemmSchedule { OutputTile = 4, TileColumns = 1, Segments = 8, OutBlock = 32, InBlock = 8, GemmIn = 16, TilesByInputBlock = true, SumsByPosition = true, OverlapSumPuts = true, CoreGroups = 4, SplitAxis = "n" })
            .SetName("Prepared F(4x4) double, new layouts, overlapped C puts, four core groups");
    }

    [TestCaseSource(nameof(Kernels))]
    public void A_prepared_composite_kernel_gives_the_unprepared_output_bit_for_bit_and_saves_the_transform(OperatorSpec spec, WinogradGemmSchedule schedule)
    {
        if (spec.ElementType == ElementType.Float32)
        {
            Check<float>(spec, schedule);
        }
        else
        {
            Check<double>(spec, schedule);
        }
    }

    [Test]
    public void Measuring_a_composite_kernel_times_the_prepared_calls_and_reports_the_transform_apart()
    {
        var spec = Operator.Conv2d(2, 16, 64, 7, 7, 3, padding: 1);
        var schedule = new WinogradGemmSchedule { OutputTile = 2, TileColumns = 3, Segments = 4, OutBlock = 32, InBlock = 8, GemmIn = 16 };
        var kernel = spec.WithSchedule(schedule).Emit(Target);
        var measured = kernel.Measure();
        var (input, weights) = Operands<double>(spec);
        var prepared = kernel.Prepare(new Dictionary<string, Tensor<double>> { ["weights"] = weights });
        var call = prepared.Run(new Dictionary<string, Tensor<double>> { ["input"] = input });

        Assert.That(measured.KernelSeconds, Is.EqualTo(call.Profile.KernelSeconds), "the tuner measures the kernel a framework runs, prepared");
        Assert.That(measured.PrepareSteps.Select(s => s.Name), Is.EqualTo(new[] { "prepare weights: transform into winograd_u" }));
        Assert.That(measured.PrepareSeconds, Is.EqualTo(call.Profile.PrepareSeconds), "the timing-only transform takes the exact one's time");
    }

    [Test]
    public void The_model_prices_the_prepared_calls_and_the_transform_apart_within_a_tenth_of_the_emulator()
    {
        var spec = Operator.Conv2d(8, 64, 64, 14, 14, 3, padding: 1);
        var schedule = new WinogradGemmSchedule { OutputTile = 2, TileColumns = 7, Segments = 2, OutBlock = 32, InBlock = 8, GemmIn = 32, CoreGroups = 4, SplitAxis = "n" };
        var plan = (WinogradGemmPlan)WinogradGemmAlgorithm.Instance.Plan(spec, schedule, Target.Limits);
        var parts = new Sw26010CostModel(Target.Spec).Parts(plan);
        var measured = spec.WithSchedule(schedule).Emit(Target).Measure();
        Assert.That(parts.PrepareSeconds / measured.PrepareSeconds, Is.InRange(0.9, 1.1), $"the transform: price {parts.PrepareSeconds * 1e3:F4} ms, emulator {measured.PrepareSeconds * 1e3:F4} ms");
        Assert.That(parts.ComputeSeconds + parts.DmaSeconds + parts.WaitSeconds + parts.FixedSeconds, Is.EqualTo(new Sw26010CostModel(Target.Spec).Account(plan).Seconds),
            "a call's price leaves the transform out");
    }

    [Test]
    public void A_graph_s_composite_layer_is_prepared_once_and_its_emitted_C_transforms_the_filters_in_the_prepare_statement()
    {
        var b = new GraphBuilder("composite", ElementType.Float64);
        var x = b.Input("x", 2, 16, 7, 7);
        var graph = b.Output(b.Conv2d("wino", x, outChannels: 64, kernel: new Size2(3, 3), padding: new Padding2(1, 1, 1, 1))).Build();
        var op = graph.OperatorNodes.Single();
        var schedule = new WinogradGemmSchedule { OutputTile = 2, TileColumns = 3, Segments = 4, OutBlock = 32, InBlock = 8, GemmIn = 16, CoreGroups = 2, SplitAxis = "n" };
        var kernel = op.Spec.WithSchedule(schedule).Emit(Target);
        var placements = kernel.Lowered.Placements;
        var candidate = new OperatorCandidate(schedule, kernel.Measure(),
            kernel.Lowered.Inputs.ToImmutableDictionary(t => t.Name, t => LayoutConversion.Holding(placements[t.Name]), StringComparer.Ordinal),
            LayoutConversion.Holding(kernel.Lowered.OutputPlacement));
        var plan = new LayoutPlanner(graph, _ => [candidate], Target.CostModel!.EstimateStep).Plan();
        var tuned = new GraphTuningResult(graph, Target, [new GraphLayer(op.Name, op.Operation, op.Spec, candidate, [])], plan, plan.EstimatedSeconds, TimeSpan.Zero);
        var tensors = GraphReferenceOperands.Draw<double>(graph, seed: 5);

        var run = Sw26010GraphRun.Run(tuned, tensors)["wino"].ToArray();
        var direct = kernel.Run(tensors["x"], tensors[op.Operands.Single(o => o.IsConstant).Value.Name]).Output.ToArray();
        Assert.That(run, Is.EqualTo(direct), "the graph run's prepared kernel computes the plain kernel's output bit for bit");

        var network = new TunedNetwork(Network.FromGraph(graph), tuned);
        var sources = network.Emit();
        var check = network.VerifyEmittedC(5);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sources[NetworkFiles.Runner], Does.Contain("transformed once into winograd_u"), "the prepare statement spawns the transform");
            Assert.That(sources[NetworkFiles.Cpe], Does.Contain("_u_cpe(void *arg)").And.Contain("_run_cpe(void *arg)"), "the transform and the run kernel are CPE functions");
            Assert.That(check.Nodes.All(n => n.WorstError <= n.Tolerance));
        }
    }

    private static void Check<T>(OperatorSpec spec, WinogradGemmSchedule schedule)
        where T : unmanaged, INumberBase<T>
    {
        var kernel = spec.WithSchedule(schedule).Emit(Target);
        var (input, weights) = Operands<T>(spec);
        var whole = Run(kernel, input, weights);
        var prepared = Prepare(kernel, weights);
        var call = RunPrepared(prepared, input);

        Assert.That(call.Output.ToArray(), Is.EqualTo(whole.Output.ToArray()), "bit for bit");
        var step = call.Profile.PrepareSteps.Single();
        Assert.That(step.Name, Is.EqualTo("prepare weights: transform into winograd_u"));
        Assert.That(step.Seconds, Is.GreaterThan(0));
        Assert.That(call.Profile.Steps, Is.Empty, "nothing is packed or transformed per call");

        // The plain kernel transforms the filters inside its spawn; the prepare step pays a spawn and a join of its own besides,
        // and fills the transforms' coefficients into LDM as the run kernel does too (a few hundred cycles: a hundredth here).
        var spawnJoin = (Target.Spec.Timing.SpawnCycles + Target.Spec.Timing.JoinCycles) / Target.Spec.ClockHz;
        Assert.That(whole.Profile.KernelSeconds - call.Profile.KernelSeconds, Is.GreaterThanOrEqualTo(0.99 * (step.Seconds - spawnJoin)),
            $"unprepared {whole.Profile.KernelSeconds * 1e3:F4} ms, prepared {call.Profile.KernelSeconds * 1e3:F4} ms, transform {step.Seconds * 1e3:F4} ms");
    }

    private static KernelRun<T> Run<T>(ICompiledKernel kernel, Tensor<T> input, Tensor<T> weights)
        where T : unmanaged, INumberBase<T> =>
        typeof(T) == typeof(float)
            ? (KernelRun<T>)(object)kernel.Run((Tensor<float>)(object)input, (Tensor<float>)(object)weights)
            : (KernelRun<T>)(object)kernel.Run((Tensor<double>)(object)input, (Tensor<double>)(object)weights);

    private static IPreparedKernel<T> Prepare<T>(ICompiledKernel kernel, Tensor<T> weights)
        where T : unmanaged, INumberBase<T> =>
        typeof(T) == typeof(float)
            ? (IPreparedKernel<T>)kernel.Prepare(new Dictionary<string, Tensor<float>> { ["weights"] = (Tensor<float>)(object)weights })
            : (IPreparedKernel<T>)kernel.Prepare(new Dictionary<string, Tensor<double>> { ["weights"] = (Tensor<double>)(object)weights });

    private static KernelRun<T> RunPrepared<T>(IPreparedKernel<T> prepared, Tensor<T> input)
        where T : unmanaged, INumberBase<T> =>
        prepared.Run(new Dictionary<string, Tensor<T>> { ["input"] = input });

    private static (Tensor<T> Input, Tensor<T> Weights) Operands<T>(OperatorSpec spec)
        where T : unmanaged, INumberBase<T>
    {
        var drawn = ReferenceOperands.Draw(spec, seed: 5);
        var shapes = spec.Inputs.Select(t => t.Shape.Select(l => (nint)l).ToArray()).ToArray();
        return (Tensor.Create(drawn[0].Select(T.CreateTruncating).ToArray(), shapes[0]), Tensor.Create(drawn[1].Select(T.CreateTruncating).ToArray(), shapes[1]));
    }
}
