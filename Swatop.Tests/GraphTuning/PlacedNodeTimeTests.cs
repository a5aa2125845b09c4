using System.Collections.Immutable;
using Swatop.Core;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Graphs;
using Swatop.Core.GraphTuning;
using Swatop.Core.Layouts;
using Swatop.Core.LayoutSteps;
using Swatop.Core.Scheduling;
using Swatop.Core.Targets;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Graphs;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Tests.GraphTuning;

/// <summary>
/// A node that is not an operator costs what it costs where the plan leaves its input: its kernel of the compute cores
/// reads the framework's layout, so where an add's inputs lie in a kernel's placement the host evaluates it, and the time
/// is the host's plus the steps around it, marked as the MPE's; the planner prices that, and the graph run follows it.
/// </summary>
public sealed class PlacedNodeTimeTests
{
    private static readonly Sw26010Target Target = Sw26010Target.Default;

    private const int Seed = 16;

    /// <summary>Two 1 x 1 convolutions of one input added: the add reads two operators' outputs, and is not fused into either (a graph not fused).</summary>
    private static OperatorGraph TwoBranches()
    {
        var b = new GraphBuilder("branches", ElementType.Float64);
        var x = b.Input("x", 32, 16, 4, 4);
        var left = b.Conv2d("left", x, outChannels: 32, kernel: 1);
        var right = b.Conv2d("right", x, outChannels: 32, kernel: 1);
        return b.Output(b.Add("add", left, right)).Build();
    }

    /// <summary>Each operator's first implicit GEMM kernel on the four core groups that keeps its output in a placement of its own, measured.</summary>
    private static Dictionary<OperatorSpec, ImmutableArray<OperatorCandidate>> PlacedCandidates(OperatorGraph graph)
    {
        var candidates = new Dictionary<OperatorSpec, ImmutableArray<OperatorCandidate>>();
        foreach (var distinct in graph.DistinctOperators)
        {
            var spec = distinct.Spec;
            var space = spec.Space(Target.Limits);
            var schedule = ImplicitGemmSpace.For(spec, Target.Limits).Enumerate()
                .First(s => s.CoreGroups == 4 && LayoutConversion.Holding(space.Validate(s).Placements[^1]) is not null);
            var kernel = spec.WithSchedule(schedule).Emit(Target);
            var placements = kernel.Lowered.Placements;
            var candidate = new OperatorCandidate(schedule, kernel.Measure(),
                kernel.Lowered.Inputs.ToImmutableDictionary(t => t.Name, t => LayoutConversion.Holding(placements[t.Name]), StringComparer.Ordinal),
                LayoutConversion.Holding(kernel.Lowered.OutputPlacement));
            Assert.That(candidate.Output, Is.Not.Null, "the blocked kernel keeps its output in a placement");
            candidates[spec] = [candidate];
        }

        return candidates;
    }

    private static StepTime? Timed(GraphNode node) => Target.MeasureNode(node, ElementType.Float64);

    private static StepTime? OnHost(GraphNode node) => Target.MeasureNodeOnHost(node, ElementType.Float64);

    [Test]
    public void An_add_whose_inputs_a_plan_leaves_in_a_placement_is_timed_on_the_host_with_its_unpacks_and_pack_and_run_there()
    {
        var graph = TwoBranches();
        var candidates = PlacedCandidates(graph);

        // Without node prices, nothing holds the planner back from adding where both outputs lie.
        var plan = new LayoutPlanner(graph, node => candidates[node.Spec], Target.CostModel!.EstimateStep).Plan();
        var inputs = PlanHoldings.Inputs(graph, plan, node => candidates[node.Spec][plan.Choices[node.Name]]);
        var add = graph.Nodes.Single(n => n.Name == "add");
        Assert.That(inputs["add"], Has.Length.EqualTo(2).And.All.Not.Null, "the plan adds in the convolutions' placement");

        var measured = new Dictionary<string, double>();
        double Measure(LayoutStep step) => measured[step.Name] = Target.MeasureStep(step).Seconds;
        var times = GraphTuner.NodeTimes(graph, plan, candidates, Timed, OnHost, Measure);
        var host = OnHost(add)!;
        var kernel = Timed(add)!;

        // The graph run of that plan evaluates the add on the host, as its time says.
        var layers = graph.OperatorNodes.Select(n => new GraphLayer(n.Name, n.Operation, n.Spec, candidates[n.Spec][0], [])).ToImmutableArray();
        var result = new GraphTuningResult(graph, Target, layers, plan, 0, TimeSpan.Zero) { NodeTimes = times };
        var tensors = GraphReferenceOperands.Draw<double>(graph, Seed);
        var values = Sw26010GraphRun.RunValues(result, tensors);
        var expected = GraphReference.Evaluate(graph, tensors);
        Assert.Multiple(() =>
        {
            Assert.That(times.Select(t => (t.Name, t.OnMpe)), Is.EqualTo(new[] { ("add", true) }), "the host evaluates it, and the time says so");
            Assert.That(measured.Keys, Is.EquivalentTo(new[] { "unpack left", "unpack right", "pack add" }), "its inputs unpacked for the host, its output packed where the placement carries it");
            Assert.That(times[0].Seconds, Is.EqualTo(host.Seconds + measured.Values.Sum()).Within(1e-15));
            Assert.That(kernel.OnMpe, Is.False, "in the framework's layout, the add's kernel of the compute cores is the faster");
            Assert.That(times[0].Seconds, Is.GreaterThan(kernel.Seconds), "no longer the compute cores' time");
            Assert.That(result.RunsOnComputeCores(add, inputsInFrameworkLayout: false), Is.False);
            Assert.That(Flat(values["add"]), Is.EqualTo(Flat(expected["add"])).Within(1e-12));
        });
    }

    [Test]
    public void With_node_prices_the_planner_unpacks_both_inputs_for_the_compute_cores_add_when_that_costs_less()
    {
        var graph = TwoBranches();
        var candidates = PlacedCandidates(graph);
        var price = Target.CostModel!.EstimateStep;
        double NodePrice(GraphNode node, ImmutableArray<TensorPlacement?> inputs) => GraphTuner.NodeTime(node, inputs, Timed, OnHost, price)!.Seconds;
        var add = graph.Nodes.Single(n => n.Name == "add");
        var placed = candidates.Values.First()[0].Output;

        var plan = new LayoutPlanner(graph, node => candidates[node.Spec], price, NodePrice).Plan();
        var inputs = PlanHoldings.Inputs(graph, plan, node => candidates[node.Spec][plan.Choices[node.Name]]);
        Assert.Multiple(() =>
        {
            Assert.That(NodePrice(add, [placed, placed]), Is.GreaterThan(NodePrice(add, [null, null]) + price(LayoutStep.Unpack(placed!, ElementType.Float64))),
                "the host's add between unpacks and a pack costs more than the compute cores' add after the unpacks");
            Assert.That(inputs["add"], Has.All.Null, "the add reads the framework's layout");
            Assert.That(plan.Conversions.Where(c => c.Value is "left" or "right").Select(c => c.Value), Is.EquivalentTo(new[] { "left", "right" }),
                "each convolution's output unpacked once, for the add or at once after its producer");
            Assert.That(GraphTuner.NodeTimes(graph, plan, candidates, Timed, OnHost, s => price(s)).Single().OnMpe, Is.False);
        });
    }

    [Test]
    public void A_tuned_graph_reports_each_node_where_it_runs_and_its_graph_run_matches_the_reference()
    {
        var graph = TwoBranches();
        var tuned = graph.Tune(Target, new TuningOptions { Trials = 2, Seed = 3 });
        var add = graph.Nodes.Single(n => n.Name == "add");
        var inputs = PlanHoldings.Inputs(graph, tuned.Plan, node => tuned.Layers.Single(l => l.Name == node.Name).Candidate);
        var inFramework = inputs["add"].All(p => p is null);
        var tensors = GraphReferenceOperands.Draw<double>(graph, Seed);
        var values = Sw26010GraphRun.RunValues(tuned, tensors);
        var expected = GraphReference.Evaluate(graph, tensors);
        Assert.Multiple(() =>
        {
            Assert.That(tuned.NodeTimes.Single(t => t.Name == "add").OnMpe, Is.EqualTo(!inFramework || Timed(add)!.OnMpe), "the time is the compute cores' only where the add reads the framework's layout");
            Assert.That(tuned.EndToEndSeconds, Is.LessThanOrEqualTo(tuned.FrameworkSeconds));
            Assert.That(Flat(values["add"]), Is.EqualTo(Flat(expected["add"])).Within(1e-12));
        });
    }

    [Test]
    public void Host_steps_refuse_a_placement_list_that_does_not_match_the_node()
    {
        var add = TwoBranches().Nodes.Single(n => n.Name == "add");
        var error = Assert.Throws<ArgumentException>(() => HostNodeSteps.Of(add, [null], ElementType.Float64))!;
        Assert.Multiple(() =>
        {
            Assert.That(error.ParamName, Is.EqualTo("inputs"));
            Assert.That(error.Message, Does.Contain("'add' reads 2 distinct activations, but 1 placements"));
        });
    }

    private static double[] Flat(System.Numerics.Tensors.Tensor<double> tensor)
    {
        var values = new double[tensor.FlattenedLength];
        tensor.FlattenTo(values);
        return values;
    }
}
