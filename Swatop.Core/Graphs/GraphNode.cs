using System.Collections.Immutable;

namespace Swatop.Core.Graphs;

/// <summary>
/// A node of an <see cref="OperatorGraph"/>: it reads its <see cref="Inputs"/> and computes one
/// value, <see cref="Output"/>, which carries the node's name. The kinds are sealed records:
/// <see cref="OperatorNode"/>, <see cref="AddNode"/>, <see cref="MaxPoolNode"/>,
/// <see cref="GlobalAveragePoolNode"/>, <see cref="FlattenNode"/>, <see cref="BiasAddNode"/>,
/// <see cref="ChannelScaleNode"/>, <see cref="ClipNode"/>, <see cref="AveragePoolNode"/>,
/// <see cref="ConcatNode"/>, <see cref="SoftmaxNode"/> and <see cref="ReshapeNode"/>; a consumer handles each
/// through <see cref="IGraphNodeVisitor{TResult}"/>. Made by a <see cref="GraphBuilder"/>, which
/// infers and checks the output's shape; immutable and compared by value.
/// </summary>
public abstract record GraphNode
{
    /// <summary>Creates a node; the builder has checked the name and the output.</summary>
    private protected GraphNode(string name, GraphValue output)
    {
        Name = name;
        Output = output;
    }

    /// <summary>The node's name, unique in its graph; its output value has the same name.</summary>
    public string Name { get; }

    /// <summary>The value the node computes.</summary>
    public GraphValue Output { get; }

    /// <summary>The values the node reads, in the order of its parameters (an operator's constant weights included).</summary>
    public abstract ImmutableArray<GraphValue> Inputs { get; }

    /// <summary>What the node computes, as short text: <c>Conv2d k=7x7 s=2x2 p=3,3,3,3</c>, <c>MaxPool k=3x3 s=2x2 p=1x1</c>, <c>Add</c>.</summary>
    public abstract string Operation { get; }

    /// <summary>Calls the <see cref="IGraphNodeVisitor{TResult}"/> method of the node's own kind.</summary>
    /// <typeparam name="TResult">What the visitor computes.</typeparam>
    /// <param name="visitor">The visitor.</param>
    /// <returns>Its result.</returns>
    public abstract TResult Accept<TResult>(IGraphNodeVisitor<TResult> visitor);

    /// <summary>
    /// The node as one line: name, operation, the values it reads and the shape it computes, such as
    /// <c>layer1.0.add: Add (layer1.0.conv3, layer1.0.downsample) -> [128, 256, 56, 56]</c>.
    /// </summary>
    /// <returns>The text.</returns>
    public sealed override string ToString() =>
        $"{Name}: {Operation} ({string.Join(", ", Inputs.Select(v => v.Name))}) -> {Output.ShapeText}";
}
