using System.Collections.Immutable;
using Swatop.Core.Graphs;
using Swatop.Core.Layouts;
using Swatop.Core.LayoutSteps;

namespace Swatop.Core.GraphTuning;

/// <summary>
/// Chooses a candidate for every operator of a graph jointly, by dynamic programming over the graph in
/// execution order. A state says where each live value lies (a value is live from its producer to its
/// last consumer, or to the end for a graph output); a node's choices extend each state: an operator's
/// candidates (each optionally unpacking its output at once, so that later readers find it in the
/// framework's layout), the side a residual add keeps, a pooling working where its input lies. Each choice
/// costs its measured kernel and the estimated price of the conversions it needs (a value converted once serves every
/// later reader that wants it in that placement: a state also says which copies of each live value exist, and a
/// conversion whose result, or a step of it, exists already runs only the steps after that copy), and a node that is not an operator what
/// it costs where it reads its input (when the planner is given node prices: a kernel of the compute cores reads the
/// framework's layout, so a node left in a kernel's placement runs on the host); states that keep the same
/// values in the same places are merged, the cheaper kept. The graph's width (values live at once, two or
/// three in a residual network) bounds the states, so the choice is exact for the prices it is given.
/// </summary>
public sealed class LayoutPlanner
{
    private readonly OperatorGraph _graph;
    private readonly Func<OperatorNode, ImmutableArray<OperatorCandidate>> _candidates;
    private readonly Func<LayoutStep, double> _price;
    private readonly Func<GraphNode, ImmutableArray<TensorPlacement?>, double>? _nodePrice;
    private readonly Dictionary<LayoutStep, double> _prices = [];
    private bool _sharing = true;

    /// <summary>A planner for <paramref name="graph"/> with each operator node's candidates and a price for a layout step.</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="candidates">Each operator node's candidates.</param>
    /// <param name="price">The price of a layout step.</param>
    /// <param name="nodePrice">
    /// The price of a node that is not an operator given where each activation it reads lies (distinct activations, in
    /// input order; <see langword="null"/> for the framework's layout); without it such nodes cost nothing.
    /// </param>
    public LayoutPlanner(
        OperatorGraph graph, Func<OperatorNode, ImmutableArray<OperatorCandidate>> candidates, Func<LayoutStep, double> price,
        Func<GraphNode, ImmutableArray<TensorPlacement?>, double>? nodePrice = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(price);
        (_graph, _candidates, _price, _nodePrice) = (graph, candidates, price, nodePrice);
    }

    /// <summary>
    /// A partial plan: its cost, where each live value lies (what its producer left, or the conversion that replaced it),
    /// the copies of each live value (its holding and every placement a conversion brought it to, by <see cref="LayoutConversion.KeyOf"/>),
    /// the choices and the conversions so far.
    /// </summary>
    private sealed record State(
        double Cost, ImmutableDictionary<string, TensorPlacement?> Holdings, ImmutableHashSet<(string Value, string Key)> Copies,
        ImmutableList<(string Node, int Candidate)> Choices, ImmutableList<PlannedConversion> Conversions)
    {
        /// <summary>This state with value <paramref name="value"/> lying in <paramref name="holding"/> (and a copy there).</summary>
        public State Holding(string value, TensorPlacement? holding) =>
            this with { Holdings = Holdings.SetItem(value, holding), Copies = Copies.Add((value, LayoutConversion.KeyOf(holding))) };
    }

    /// <summary>
    /// The cheapest plan; with <paramref name="frameworkOnly"/>, the cheapest in which every operator reads
    /// and leaves its tensors in the framework's layout (each layer called on its own: it converts its inputs itself, and
    /// shares no copy with another layer).
    /// </summary>
    /// <exception cref="InvalidOperationException">An operator node has no candidate.</exception>
    public LayoutPlan Plan(bool frameworkOnly = false)
    {
        _sharing = !frameworkOnly;
        var lastUse = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < _graph.Nodes.Length; i++)
        {
            foreach (var input in _graph.Nodes[i].Inputs)
            {
                lastUse[input.Name] = i;
            }
        }

        var states = new List<State>
        {
            new(
                0,
                _graph.Inputs.ToImmutableDictionary(v => v.Name, _ => (TensorPlacement?)null, StringComparer.Ordinal),
                [.. _graph.Inputs.Select(v => (v.Name, LayoutConversion.KeyOf(null)))],
                [],
                []),
        };
        for (var i = 0; i < _graph.Nodes.Length; i++)
        {
            var node = _graph.Nodes[i];
            var next = new Dictionary<string, State>(StringComparer.Ordinal);
            foreach (var state in states)
            {
                foreach (var extended in Extend(state, node, frameworkOnly))
                {
                    bool Live(string value) => _graph.Outputs.Any(o => o.Name == value) || lastUse.GetValueOrDefault(value, -1) > i;
                    var live = extended.Holdings.Where(h => Live(h.Key)).ToImmutableDictionary(StringComparer.Ordinal);
                    var copies = extended.Copies.Where(c => Live(c.Value)).ToImmutableHashSet();
                    var kept = extended with { Holdings = live, Copies = copies };
                    var key = string.Join(';', live.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => $"{h.Key}={LayoutConversion.KeyOf(h.Value)}"))
                        + "|" + string.Join(';', copies.Select(c => $"{c.Value}={c.Key}").Order(StringComparer.Ordinal));
                    if (!next.TryGetValue(key, out var best) || kept.Cost < best.Cost)
                    {
                        next[key] = kept;
                    }
                }
            }

            states = [.. next.Values];
        }

        var finished = states.Select(state => _graph.Outputs.Aggregate(state, (s, output) =>
            Convert(s, output.Name, PlannedConversion.GraphOutput, LayerOf(output), s.Holdings[output.Name], null)));
        var cheapest = finished.MinBy(s => s.Cost)!;
        return new LayoutPlan(
            cheapest.Choices.ToImmutableDictionary(c => c.Node, c => c.Candidate, StringComparer.Ordinal),
            [.. cheapest.Conversions],
            cheapest.Cost);
    }

    private IEnumerable<State> Extend(State state, GraphNode node, bool frameworkOnly)
    {
        switch (node)
        {
            case OperatorNode op:
                var candidates = _candidates(op);
                if (candidates.IsDefaultOrEmpty)
                {
                    throw new InvalidOperationException($"Operator node '{op.Name}' has no candidate to run it.");
                }

                for (var c = 0; c < candidates.Length; c++)
                {
                    var candidate = candidates[c];
                    var s = state with { Cost = state.Cost + candidate.KernelSeconds, Choices = state.Choices.Add((op.Name, c)) };
                    foreach (var operand in op.Activations)
                    {
                        s = Convert(s, operand.Value.Name, op.Name, op.Name, state.Holdings[operand.Value.Name], candidate.Inputs[operand.Tensor]);
                    }

                    var placed = s.Holding(op.Output.Name, candidate.Output);
                    if (!frameworkOnly || candidate.Output is null)
                    {
                        yield return placed;
                    }

                    if (candidate.Output is not null)
                    {
                        var unpacked = Convert(placed, op.Output.Name, op.Name, op.Name, candidate.Output, null);
                        yield return unpacked.Holding(op.Output.Name, null);
                    }
                }

                break;

            case AddNode add:
                // Where either input lies, or the framework's layout (where the add's kernel of the compute cores reads them).
                var sides = new[] { state.Holdings[add.Left.Name], state.Holdings[add.Right.Name], null }.DistinctBy(LayoutConversion.KeyOf);
                foreach (var side in sides)
                {
                    var s = Convert(state, add.Left.Name, add.Name, LayerOf(add.Left), state.Holdings[add.Left.Name], side);
                    s = Convert(s, add.Right.Name, add.Name, LayerOf(add.Right), state.Holdings[add.Right.Name], side);
                    s = Priced(s, add, [.. add.Inputs.Distinct().Select(_ => side)]);
                    yield return s.Holding(add.Output.Name, PlacementCarry.Through(add, side));
                }

                break;

            default:
                // A layer reads its constants (a bias, a scale) as they are; its activations where they lie
                // when it works there, or in the framework's layout.
                var activations = node.Inputs.Where(v => !v.IsConstant).Distinct().ToList();
                var holding = LayoutConversion.Holding(state.Holdings[activations[0].Name]);
                if (activations.Count == 1 && holding is not null && PlacementCarry.Accepts(node, holding))
                {
                    var s = Priced(state, node, [holding]);
                    yield return s.Holding(node.Output.Name, PlacementCarry.Through(node, holding));
                }

                var framework = state;
                foreach (var input in activations)
                {
                    framework = Convert(framework, input.Name, node.Name, LayerOf(input), state.Holdings[input.Name], null);
                }

                framework = Priced(framework, node, [.. activations.Select(_ => (TensorPlacement?)null)]);
                yield return framework.Holding(node.Output.Name, null);

                break;
        }
    }

    /// <summary><paramref name="state"/> with node <paramref name="node"/>'s price where it reads its activations (<paramref name="inputs"/>) added.</summary>
    private State Priced(State state, GraphNode node, ImmutableArray<TensorPlacement?> inputs) =>
        _nodePrice is null ? state : state with { Cost = state.Cost + _nodePrice(node, inputs) };

    /// <summary>
    /// <paramref name="state"/> with the conversion of <paramref name="value"/> from <paramref name="from"/> to <paramref name="to"/>
    /// recorded, and its steps priced and their copies kept, less the leading steps whose result a copy of the value holds already.
    /// </summary>
    private State Convert(State state, string value, string consumer, string layer, TensorPlacement? from, TensorPlacement? to)
    {
        var steps = LayoutConversion.Steps(value, from, to, _graph.ElementType);
        if (steps.IsEmpty)
        {
            return state;
        }

        var conversion = new PlannedConversion(value, consumer, layer, steps) { Shared = _sharing ? LayoutConversion.Shared(steps, key => state.Copies.Contains((value, key))) : 0 };
        return state with
        {
            Cost = state.Cost + conversion.Running.Sum(Price),
            Copies = state.Copies.Union(conversion.Running.Select(step => (value, LayoutConversion.KeyAfter(step)))),
            Conversions = state.Conversions.Add(conversion),
        };
    }

    private double Price(LayoutStep step)
    {
        var key = step with { Name = string.Empty };
        if (!_prices.TryGetValue(key, out var seconds))
        {
            _prices[key] = seconds = _price(step);
        }

        return seconds;
    }

    /// <summary>The operator node whose row counts a conversion of <paramref name="value"/> for a node that is not an operator: the operator that produced it, through such nodes; the graph's first operator for a graph input.</summary>
    private string LayerOf(GraphValue value)
    {
        while (_graph.ProducerOf(value) is { } producer)
        {
            if (producer is OperatorNode)
            {
                return producer.Name;
            }

            value = producer.Inputs[0];
        }

        return _graph.OperatorNodes[0].Name;
    }
}
