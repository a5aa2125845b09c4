using System.Collections.Immutable;
using Swatop.Core;
using Swatop.Core.Graphs;
using Swatop.Core.GraphTuning;
using Swatop.Core.Layouts;
using Swatop.Core.LayoutSteps;
using Swatop.Core.Lowering;
using Swatop.Core.Scheduling;
using Swatop.Core.Targets;
using Swatop.Primitives;

namespace Swatop.Tests.GraphTuning;

/// <summary>
/// The joint layout choice on made-up prices: it pays a conversion only where it buys a faster kernel,
/// keeps a residual join's producers in agreement, and its framework-only plan is each layer on its own.
/// </summary>
public sealed class LayoutPlannerTests
{
    private static readonly TargetLimits Limits = Swatop.Hardware.Sw26010.Target.Sw26010Target.Default.Limits;

    private static readonly TensorDeclaration Activation = new("input", [8, 4, 6, 6]);

    private static readonly SplitDistribution ByBatch = new(4, 0, 1, 8, 1, 2);

    /// <summary>Batch innermost, the groups sharing the batch.</summary>
    private static readonly TensorPlacement P = new(new TensorLayout(Activation, [1, 2, 3, 0], [0, 0, 0, 0], [8, 4, 6, 6], [0, 0, 0, 0]), ByBatch);

    /// <summary>Channels innermost, the groups sharing the batch.</summary>
    private static readonly TensorPlacement Q = new(new TensorLayout(Activation, [0, 2, 3, 1], [0, 0, 0, 0], [8, 4, 6, 6], [0, 0, 0, 0]), ByBatch);

    /// <summary>x -> a -> b, then a + b: a residual join.</summary>
    private static OperatorGraph Graph()
    {
        var g = new GraphBuilder("residual", ElementType.Float64);
        var a = g.Conv2d("a", g.Input("x", 8, 4, 6, 6), outChannels: 4, kernel: 1);
        var b = g.Conv2d("b", a, outChannels: 4, kernel: 1);
        return g.Output(g.Add("sum", b, a)).Build();
    }

    private static OperatorCandidate Candidate(OperatorSpec spec, double kernelSeconds, TensorPlacement? input, TensorPlacement? output) => new(
        spec.Space(Limits).Default(),
        new KernelProfile(kernelSeconds, [], spec.Flops, 1e12, string.Empty),
        ImmutableDictionary<string, TensorPlacement?>.Empty.Add("input", input).Add("weights", null),
        output);

    /// <summary>A pack or an unpack costs 5, a reorder 1.</summary>
    private static double Price(LayoutStep step) => step.Kind == LayoutStepKind.Reorder ? 1 : 5;

    private static LayoutPlanner Planner(OperatorGraph graph, params OperatorCandidate[] candidates) =>
        new(graph, _ => [.. candidates], Price);

    [Test]
    public void Layouts_flow_between_layers_when_the_faster_kernels_pay_for_the_edges()
    {
        var graph = Graph();
        var spec = ((OperatorNode)graph.Node("a")).Spec;
        var planner = Planner(graph, Candidate(spec, 20, null, null), Candidate(spec, 9, P, P));
        var plan = planner.Plan();
        Assert.Multiple(() =>
        {
            Assert.That(plan.Choices, Is.EquivalentTo(new Dictionary<string, int> { ["a"] = 1, ["b"] = 1 }));
            Assert.That(plan.Conversions.Select(c => (c.Value, c.Steps.Single().Kind)), Is.EqualTo(new[] { ("x", LayoutStepKind.Pack), ("sum", LayoutStepKind.Unpack) }),
                "packed at the input, unpacked at the output, nothing between");
            Assert.That(plan.EstimatedSeconds, Is.EqualTo(5 + 9 + 9 + 5));
            Assert.That(plan.Conversions.Single(c => c.Value == "sum").Layer, Is.EqualTo("b"), "the output's unpack counts in the row of the operator that produced it");
            Assert.That(planner.Plan(frameworkOnly: true).EstimatedSeconds, Is.EqualTo(Math.Min(20 + 20, 2 * (5 + 9 + 5))), "each layer on its own");
        });
    }

    [Test]
    public void A_residual_join_keeps_its_producers_in_agreement_rather_than_take_a_slightly_faster_kernel()
    {
        var graph = Graph();
        var spec = ((OperatorNode)graph.Node("a")).Spec;
        var plan = Planner(graph, Candidate(spec, 9, P, P), Candidate(spec, 8.6, P, Q)).Plan();
        Assert.Multiple(() =>
        {
            Assert.That(plan.Choices, Is.EquivalentTo(new Dictionary<string, int> { ["a"] = 0, ["b"] = 0 }), "8.6 plus a reorder (at the join, or before b) costs more than 9");
            Assert.That(plan.Conversions.SelectMany(c => c.Steps).Select(s => s.Kind), Has.None.EqualTo(LayoutStepKind.Reorder));
            Assert.That(plan.EstimatedSeconds, Is.EqualTo(5 + 9 + 9 + 5));
        });
    }

    [Test]
    public void Where_a_faster_kernel_outweighs_a_reorder_one_is_paid_once_and_the_join_agrees()
    {
        var graph = Graph();
        var spec = ((OperatorNode)graph.Node("a")).Spec;
        var plan = Planner(graph, Candidate(spec, 9, P, P), Candidate(spec, 5, P, Q)).Plan();
        Assert.Multiple(() =>
        {
            Assert.That(plan.Choices, Is.EquivalentTo(new Dictionary<string, int> { ["a"] = 1, ["b"] = 1 }), "both take the faster kernel");
            var reorders = plan.Conversions.Where(c => c.Steps.Any(s => s.Kind == LayoutStepKind.Reorder)).ToList();
            Assert.That(reorders.Select(c => (c.Value, c.Consumer)), Is.EqualTo(new[] { ("a", "b") }), "b reads a's output reordered; the join finds both in Q");
            Assert.That(plan.EstimatedSeconds, Is.EqualTo(5 + 5 + 1 + 5 + 5));
        });
    }
}
