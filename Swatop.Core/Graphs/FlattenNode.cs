using System.Collections.Immutable;

namespace Swatop.Core.Graphs;

/// <summary>
/// A pure reshape that keeps the first dimension and joins the others, <c>torch.flatten(x, 1)</c>:
/// <c>[N][C][1][1]</c> after a global average pool becomes <c>[N][C]</c>, VGG's <c>[N][512][7][7]</c>
/// becomes <c>[N][25088]</c>. The elements keep their row-major order; nothing is computed.
/// </summary>
public sealed record FlattenNode : GraphNode
{
    internal FlattenNode(string name, GraphValue input, GraphValue output)
        : base(name, output)
    {
        Input = input;
    }

    /// <summary>The reshaped value.</summary>
    public GraphValue Input { get; }

    /// <inheritdoc />
    public override ImmutableArray<GraphValue> Inputs => [Input];

    /// <inheritdoc />
    public override string Operation => "Flatten";

    /// <inheritdoc />
    public override TResult Accept<TResult>(IGraphNodeVisitor<TResult> visitor)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        return visitor.Visit(this);
    }
}
