using System.Collections.Immutable;

namespace Swatop.Core.Graphs;

/// <summary>
/// A pure reshape to any shape of the same element count: the elements keep their row-major order and
/// nothing is computed (<see cref="FlattenNode"/> is the special case that keeps the first dimension).
/// The new shape is the output's.
/// </summary>
public sealed record ReshapeNode : GraphNode
{
    internal ReshapeNode(string name, GraphValue input, GraphValue output)
        : base(name, output)
    {
        Input = input;
    }

    /// <summary>The reshaped value.</summary>
    public GraphValue Input { get; }

    /// <inheritdoc />
    public override ImmutableArray<GraphValue> Inputs => [Input];

    /// <inheritdoc />
    public override string Operation => $"Reshape {Output.ShapeText}";

    /// <inheritdoc />
    public override TResult Accept<TResult>(IGraphNodeVisitor<TResult> visitor)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        return visitor.Visit(this);
    }
}
