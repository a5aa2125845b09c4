using System.Collections.Immutable;
using Swatop.Primitives;

namespace Swatop.Core.Graphs;

/// <summary>
/// Builds an <see cref="OperatorGraph"/> node by node, in execution order. Each method checks its
/// arguments, infers the shape of the value it computes and returns that value, for the next node
/// to read; <see cref="Build"/> checks the whole and returns the immutable graph. Nodes, inputs and
/// constants share one set of names; a node's output value has the node's name and an operator's
/// weights are the constant <c>&lt;node&gt;.weights</c>. Every refusal is a <see cref="GraphException"/>
/// naming the node, the parameter, its value and the rule. A builder is not thread-safe.
/// </summary>
/// <example>
/// <code>
/// var b = new GraphBuilder("tiny", ElementType.Float32);
/// var x = b.Input("data", 1, 3, 32, 32);
/// var y = b.Conv2d("conv1", x, outChannels: 16, kernel: 3, padding: 1);
/// y = b.MaxPool("pool1", y, kernel: 2, stride: 2);
/// y = b.Flatten("flatten", b.GlobalAveragePool("avgpool", y));
/// b.Output(b.FullyConnected("fc", y, 10));
/// var graph = b.Build();
/// </code>
/// </example>
public sealed partial class GraphBuilder
{
    private readonly Dictionary<string, GraphValue> values = new(StringComparer.Ordinal);
    private readonly List<GraphValue> inputs = [];
    private readonly List<GraphValue> constants = [];
    private readonly List<GraphNode> nodes = [];
    private readonly List<GraphValue> outputs = [];

    /// <summary>Starts an empty graph.</summary>
    /// <param name="name">The graph's name, such as <c>resnet50</c>: not empty, without white space.</param>
    /// <param name="elementType">The element type of every value.</param>
    /// <exception cref="GraphException">The name is not valid, or the element type is not defined.</exception>
    public GraphBuilder(string name, ElementType elementType = ElementType.Float64)
    {
        Name = GraphRules.Name(name, nameof(name), "graph");
        if (!Enum.IsDefined(elementType))
        {
            GraphRules.Fail(
                GraphDiagnostics.UndefinedElementType,
                nameof(elementType),
                $"{nameof(elementType)} = {elementType} is not a defined ElementType: use one of {string.Join(", ", Enum.GetNames<ElementType>())}.");
        }

        ElementType = elementType;
    }

    /// <summary>The graph's name.</summary>
    public string Name { get; }

    /// <summary>The element type of every value.</summary>
    public ElementType ElementType { get; }

    /// <summary>Declares an input of the graph, an activation the caller gives each run.</summary>
    /// <param name="name">The input's name, unique in the graph.</param>
    /// <param name="shape">Its dimensions, outermost first (NCHW for images), each at least one.</param>
    /// <returns>The input value.</returns>
    /// <exception cref="GraphException">The name is not valid or already used, or the shape is not valid.</exception>
    public GraphValue Input(string name, params ReadOnlySpan<int> shape)
    {
        NewName(name, nameof(name), "input");
        GraphRules.Shape(shape, name, nameof(shape));
        var value = new GraphValue(name, [.. shape], ElementType, GraphValueKind.Input, producer: null);
        values.Add(name, value);
        inputs.Add(value);
        return value;
    }

    /// <summary>Marks a value as an output of the graph; a graph has one or more.</summary>
    /// <param name="value">A value of this builder, not yet an output.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="GraphException">The value comes from another builder, or is already an output.</exception>
    public GraphBuilder Output(GraphValue value)
    {
        Own(value, nameof(value), "the outputs");
        if (outputs.Contains(value))
        {
            GraphRules.Fail(
                GraphDiagnostics.DuplicateOutput,
                nameof(value),
                $"{nameof(value)} = '{value.Name}' is already an output of graph '{Name}': a value is an output once.");
        }

        outputs.Add(value);
        return this;
    }

    /// <summary>
    /// The graph built so far, checked: it has a node and an output, and every input and every node's
    /// output is read by a node or is an output. The builder can go on afterwards; the graph does not change.
    /// </summary>
    /// <returns>The graph.</returns>
    /// <exception cref="GraphException">The graph has no node or no output, or a value is never used.</exception>
    public OperatorGraph Build()
    {
        if (nodes.Count == 0)
        {
            GraphRules.Fail(GraphDiagnostics.EmptyGraph, "nodes", $"graph '{Name}' has no node: add an operator or a layer before Build().");
        }

        if (outputs.Count == 0)
        {
            GraphRules.Fail(GraphDiagnostics.NoOutput, "outputs", $"graph '{Name}' has no output: mark its result with Output(value) before Build().");
        }

        var read = nodes.SelectMany(n => n.Inputs).Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var value in inputs.Concat(nodes.Select(n => n.Output)))
        {
            if (!read.Contains(value.Name) && !outputs.Contains(value))
            {
                var what = value.Kind == GraphValueKind.Input ? $"input '{value.Name}'" : $"the output of node '{value.Name}'";
                GraphRules.Fail(
                    GraphDiagnostics.UnusedValue,
                    "outputs",
                    $"{what} {value.ShapeText} of graph '{Name}' is read by no node and is not an output: mark it with Output(value) or leave it out.");
            }
        }

        return new OperatorGraph(Name, ElementType, [.. inputs], [.. constants], [.. nodes], [.. outputs]);
    }

    /// <summary>The value (an input, a constant or a node's output) of the given name, made by this builder.</summary>
    internal GraphValue ValueNamed(string name) => values[name];

    /// <summary>Checks that <paramref name="name"/> is a valid name no value or node of the graph has.</summary>
    private void NewName(string name, string paramName, string what)
    {
        GraphRules.Name(name, paramName, what);
        if (values.TryGetValue(name, out var existing))
        {
            GraphRules.Fail(
                GraphDiagnostics.DuplicateName,
                paramName,
                $"{paramName} = \"{name}\" is already the name of {Holder(existing)} of graph '{Name}': nodes, inputs and constants each need their own name.");
        }
    }

    /// <summary>What holds a name: an input, a constant or a node.</summary>
    private static string Holder(GraphValue value) => value.Kind switch
    {
        GraphValueKind.Input => "an input",
        GraphValueKind.Constant => "a constant",
        _ => "a node",
    };

    /// <summary>Checks that <paramref name="value"/> is a value this builder made.</summary>
    private void Own(GraphValue value, string paramName, string node)
    {
        ArgumentNullException.ThrowIfNull(value, paramName);
        if (!values.TryGetValue(value.Name, out var own) || !ReferenceEquals(own, value))
        {
            GraphRules.Fail(
                GraphDiagnostics.ForeignValue,
                paramName,
                $"{node}: {paramName} = '{value.Name}' {value.ShapeText} is not a value of graph '{Name}': a node reads only values its own builder made.");
        }
    }

    /// <summary>Registers a constant (an operator's weights) of the given name and shape.</summary>
    private GraphValue AddConstant(string name, ImmutableArray<int> shape)
    {
        var value = new GraphValue(name, shape, ElementType, GraphValueKind.Constant, producer: null);
        values.Add(name, value);
        constants.Add(value);
        return value;
    }

    /// <summary>Adds a node whose output, named after it, the builder has already made.</summary>
    private GraphValue Append(GraphNode node)
    {
        values.Add(node.Name, node.Output);
        nodes.Add(node);
        return node.Output;
    }

    /// <summary>The value a node called <paramref name="node"/> computes.</summary>
    private GraphValue Computed(string node, ImmutableArray<int> shape) =>
        new(node, shape, ElementType, GraphValueKind.Computed, producer: node);
}
