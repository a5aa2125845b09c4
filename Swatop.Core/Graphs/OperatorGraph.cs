using System.Collections.Immutable;
using Swatop.Primitives;

namespace Swatop.Core.Graphs;

/// <summary>
/// A network as Swatop sees it: an immutable, checked directed acyclic graph of nodes in execution
/// order, with named inputs (activations), constants (each operator's weights) and one or more
/// outputs. Every node reads only inputs, constants and values of earlier nodes, every name is
/// unique, and every input and node output is read or is an output. Made by
/// <see cref="GraphBuilder.Build"/> (or <see cref="Networks"/>); the queries are what a network
/// tuner needs: each value's producer and consumers, the operator nodes, the distinct operators.
/// Compared by reference.
/// </summary>
public sealed class OperatorGraph
{
    private readonly Dictionary<string, GraphValue> valuesByName;
    private readonly Dictionary<string, GraphNode> nodesByName;
    private readonly Dictionary<string, ImmutableArray<GraphNode>> consumers;

    internal OperatorGraph(
        string name,
        ElementType elementType,
        ImmutableArray<GraphValue> inputs,
        ImmutableArray<GraphValue> constants,
        ImmutableArray<GraphNode> nodes,
        ImmutableArray<GraphValue> outputs)
    {
        Name = name;
        ElementType = elementType;
        Inputs = inputs;
        Constants = constants;
        Nodes = nodes;
        Outputs = outputs;
        Values = [.. inputs, .. constants, .. nodes.Select(n => n.Output)];
        valuesByName = Values.ToDictionary(v => v.Name, StringComparer.Ordinal);
        nodesByName = nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
        consumers = nodes
            .SelectMany(n => n.Inputs.Distinct().Select(v => (Value: v.Name, Node: n)))
            .GroupBy(p => p.Value, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(p => p.Node).ToImmutableArray(), StringComparer.Ordinal);
        OperatorNodes = [.. nodes.OfType<OperatorNode>()];
        DistinctOperators = [.. OperatorNodes
            .GroupBy(n => n.Spec)
            .Select(g => new DistinctOperator(g.Key, [.. g.Select(n => n.Name)]))];
        Flops = OperatorNodes.Sum(n => n.Flops);
    }

    /// <summary>The graph's name, such as <c>resnet50</c>.</summary>
    public string Name { get; }

    /// <summary>The element type of every value.</summary>
    public ElementType ElementType { get; }

    /// <summary>The inputs, the activations a caller gives each run, in declaration order.</summary>
    public ImmutableArray<GraphValue> Inputs { get; }

    /// <summary>The constants, one per operator's weights, in the order of their nodes.</summary>
    public ImmutableArray<GraphValue> Constants { get; }

    /// <summary>The nodes in execution order: each reads only inputs, constants and earlier nodes' outputs.</summary>
    public ImmutableArray<GraphNode> Nodes { get; }

    /// <summary>The outputs, in the order they were marked.</summary>
    public ImmutableArray<GraphValue> Outputs { get; }

    /// <summary>Every value: the inputs, the constants, then each node's output in execution order.</summary>
    public ImmutableArray<GraphValue> Values { get; }

    /// <summary>The operator nodes (convolutions, fully connected layers, GEMMs) in execution order.</summary>
    public ImmutableArray<OperatorNode> OperatorNodes { get; }

    /// <summary>The distinct operators (by <see cref="OperatorSpec"/> equality), in the order of their first node, each with the nodes that compute it.</summary>
    public ImmutableArray<DistinctOperator> DistinctOperators { get; }

    /// <summary>The floating-point operations of one evaluation of all operator nodes (poolings and sums not counted).</summary>
    public long Flops { get; }

    /// <summary>The value of the given name.</summary>
    /// <param name="name">An input, constant or node name.</param>
    /// <returns>The value.</returns>
    /// <exception cref="KeyNotFoundException">The graph has no value of that name.</exception>
    public GraphValue Value(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return valuesByName.TryGetValue(name, out var value)
            ? value
            : throw new KeyNotFoundException($"Graph '{Name}' has no value named '{name}'.");
    }

    /// <summary>The node of the given name.</summary>
    /// <param name="name">The node's name.</param>
    /// <returns>The node.</returns>
    /// <exception cref="KeyNotFoundException">The graph has no node of that name.</exception>
    public GraphNode Node(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return nodesByName.TryGetValue(name, out var node)
            ? node
            : throw new KeyNotFoundException($"Graph '{Name}' has no node named '{name}'.");
    }

    /// <summary>The node that computes <paramref name="value"/>; null for an input or a constant.</summary>
    /// <param name="value">A value of this graph.</param>
    /// <returns>The producer.</returns>
    /// <exception cref="ArgumentException">The value is not one of this graph's.</exception>
    public GraphNode? ProducerOf(GraphValue value) =>
        Check(value).Producer is { } producer ? nodesByName[producer] : null;

    /// <summary>The nodes that read <paramref name="value"/>, in execution order, each once; empty for an output nothing reads.</summary>
    /// <param name="value">A value of this graph.</param>
    /// <returns>The consumers.</returns>
    /// <exception cref="ArgumentException">The value is not one of this graph's.</exception>
    public ImmutableArray<GraphNode> ConsumersOf(GraphValue value) =>
        consumers.TryGetValue(Check(value).Name, out var nodes) ? nodes : [];

    /// <summary>True when <paramref name="value"/> is an output of the graph.</summary>
    /// <param name="value">A value.</param>
    /// <returns>Whether it is an output.</returns>
    public bool IsOutput(GraphValue value) => Outputs.Contains(value);

    /// <summary>
    /// The graph as text: a header line (name, element type, node count, flops), one line per input,
    /// one line per node (name, operation, the values it reads, the shape it computes) and one line per output.
    /// </summary>
    /// <returns>The text.</returns>
    public override string ToString() => GraphPrinter.Print(this);

    private GraphValue Check(GraphValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!valuesByName.TryGetValue(value.Name, out var own) || !own.Equals(value))
        {
            throw new ArgumentException($"'{value.Name}' {value.ShapeText} is not a value of graph '{Name}'.", nameof(value));
        }

        return value;
    }
}
