using System.Collections.Immutable;
using Swatop.Core;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Graphs;
using Swatop.Core.GraphTuning;
using Swatop.Core.Scheduling;
using Swatop.Hardware.Sw26010.Emit;
using Swatop.Hardware.Sw26010.Emit.Network;
using Swatop.Hardware.Sw26010.Graphs;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Tests.GraphTuning;

/// <summary>
/// A value read by two kernels in the same placement is converted once: the plan runs one step and prices it once,
/// the second reader reads the copy the first one's conversion made (<see cref="PlannedConversion.Shared"/>), the graph
/// run on the emulator and the emitted network on the shim run the step once and compute what the layer-by-layer
/// reference does, and the plan's cost is what its rows measure.
/// </summary>
public sealed class SharedConversionTests
{
    private const int Seed = 5;

    private static readonly Sw26010Target Target = Sw26010Target.Default;

    /// <summary>x -> two 1 x 1 convolutions of the same shape, both graph outputs.</summary>
    private static OperatorGraph Graph()
    {
        var g = new GraphBuilder("two-readers", ElementType.Float64);
        var x = g.Input("x", 128, 8, 2, 2);
        return g.Output(g.Conv2d("left", x, outChannels: 128, kernel: 1)).Output(g.Conv2d("right", x, outChannels: 128, kernel: 1)).Build();
    }

    /// <summary>Per operator: one candidate, a blocked kernel (M over its channels, N over the images, the core groups sharing them) that reads x packed.</summary>
    private static Dictionary<OperatorSpec, ImmutableArray<OperatorCandidate>> Candidates(OperatorGraph graph)
    {
        var candidates = new Dictionary<OperatorSpec, ImmutableArray<OperatorCandidate>>();
        foreach (var spec in graph.OperatorNodes.Select(n => n.Spec).Distinct())
        {
            var schedule = ImplicitGemmSpace.For(spec, Target.Limits).Enumerate()
                .First(s => s.Mapping == new GemmMapping("co", "n", "ci") && s.BlockedLayouts && s.CoreGroups == 4 && s.SplitAxis == "n");
            var kernel = spec.WithSchedule(schedule).Emit(Target);
            var placements = kernel.Lowered.Placements;
            candidates[spec] = [new OperatorCandidate(schedule, kernel.Measure(),
                kernel.Lowered.Inputs.ToImmutableDictionary(t => t.Name, t => LayoutConversion.Holding(placements[t.Name]), StringComparer.Ordinal),
                LayoutConversion.Holding(kernel.Lowered.OutputPlacement))];
        }

        return candidates;
    }

    private static double Measured(Core.LayoutSteps.LayoutStep step) => Target.MeasureStep(step).Seconds;

    /// <summary>The graph planned with every step priced as measured, and the result the graph tuner would make of the plan.</summary>
    private static GraphTuningResult Tuned(OperatorGraph graph)
    {
        var candidates = Candidates(graph);
        var plan = new LayoutPlanner(graph, node => candidates[node.Spec], Measured).Plan();
        return new GraphTuningResult(graph, Target, GraphTuner.Layers(graph, plan, candidates, step => Target.MeasureStep(step)), plan, plan.EstimatedSeconds, TimeSpan.Zero);
    }

    [Test]
    public void A_value_read_by_two_kernels_in_one_placement_is_packed_once_and_priced_once()
    {
        var graph = Graph();
        var candidates = Candidates(graph);
        Assert.That(graph.OperatorNodes.Select(n => candidates[n.Spec][0].Inputs["input"]), Has.All.Not.Null, "both kernels read x packed");
        Assert.That(candidates[((OperatorNode)graph.Node("left")).Spec][0].Inputs["input"]!.Matches(candidates[((OperatorNode)graph.Node("right")).Spec][0].Inputs["input"]),
            "in the same placement");

        var tuned = Tuned(graph);

        var plan = tuned.Plan;
        var ofX = plan.Conversions.Where(c => c.Value == "x").ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ofX.Select(c => c.Consumer), Is.EquivalentTo(new[] { "left", "right" }), "each reader has its conversion");
            Assert.That(ofX.Select(c => c.Running.Length), Is.EquivalentTo(new[] { 1, 0 }), "the pack runs for the first reader only");
            Assert.That(ofX.Single(c => c.IsShared).Consumer, Is.EqualTo("right"), "the second reads the first's copy");
            Assert.That(plan.Steps.Count(s => s.Kind == Core.LayoutSteps.LayoutStepKind.Pack), Is.EqualTo(1), "the plan runs one pack");
            Assert.That(plan.EstimatedSeconds, Is.EqualTo(tuned.KernelSeconds + plan.Steps.Sum(Measured)).Within(1e-9).Percent, "the pack is priced once");
            Assert.That(plan.EstimatedSeconds, Is.EqualTo(tuned.EndToEndSeconds).Within(1e-9).Percent, "the plan's cost is what its rows measure");
            Assert.That(tuned.Layers.Single(l => l.Name == "right").Steps.Where(s => s.Name == "pack x"), Is.Empty, "the second reader's row counts no pack");
        }
    }

    [Test]
    public void A_graph_whose_two_kernels_share_one_packed_copy_computes_the_layer_by_layer_reference_on_the_emulator()
    {
        var graph = Graph();
        var tuned = Tuned(graph);
        var tensors = GraphReferenceOperands.Draw<double>(graph, seed: Seed);

        var actual = Sw26010GraphRun.Run(tuned, tensors);

        var expected = GraphReference.EvaluateOutputs(graph, tensors);
        foreach (var output in new[] { "left", "right" })
        {
            var (a, e) = (actual[output].ToArray(), expected[output].ToArray());
            Assert.That(a.Zip(e).Max(p => Math.Abs(p.First - p.Second)), Is.LessThanOrEqualTo(1e-9 * Math.Max(1, e.Max(Math.Abs))), output);
        }
    }

    [Test]
    public void The_emitted_network_packs_the_shared_value_once_and_matches_the_emulator_on_the_shim()
    {
        var graph = Graph();
        var network = new TunedNetwork(Network.FromGraph(graph), Tuned(graph));

        var sources = network.Emit();
        var check = network.VerifyEmittedC(Seed);

        var runner = sources[NetworkFiles.Runner];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(CountOf(runner, "/* pack x:"), Is.EqualTo(1), "one pack of x in the run");
            Assert.That(check.Nodes.Select(n => n.Name), Is.EqualTo(new[] { "left", "right", "left", "right" }));
            Assert.That(check.Nodes.All(n => n.WorstError <= n.Tolerance));
        }
    }

    [Test]
    public void A_plan_whose_reader_reads_a_copy_before_any_conversion_made_it_is_refused_by_the_graph_run_and_the_emitter()
    {
        var graph = Graph();
        var tuned = Tuned(graph);
        var swapped = tuned.Plan.Conversions.Select(c => c.Value != "x" ? c : c with { Consumer = c.Consumer == "left" ? "right" : "left" });
        var broken = tuned with { Plan = tuned.Plan with { Conversions = [.. swapped] } };
        var tensors = GraphReferenceOperands.Draw<double>(graph, seed: Seed);

        var failure = Assert.Throws<InvalidOperationException>(() => Sw26010GraphRun.Run(broken, tensors));

        var refused = Assert.Throws<EmitException>(() => NetworkEmitter.Emit(Target, broken));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(failure!.Message, Does.Contain("Value 'x' is planned to be read by 'left' from a copy").And.Contain("the plan does not hold together"));
            Assert.That(refused!.Id, Is.EqualTo(EmitDiagnostics.PlanDoesNotHold));
            Assert.That(refused.Message, Does.Contain("Value 'x' is planned to be read by 'left' from a copy"));
        }
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
