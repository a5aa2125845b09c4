using System.Collections.Immutable;

namespace Swatop.Core.Graphs;

/// <summary>
/// The element-wise sum of two values of the same shape, <c>Output = Left + Right</c>: the residual
/// join of a ResNet block. It is where two branches meet, so it is the node that forces its two
/// producers to agree on a layout (or a layout step to run between them).
/// </summary>
public sealed record AddNode : GraphNode
{
    internal AddNode(string name, GraphValue left, GraphValue right, GraphValue output)
        : base(name, output)
    {
        Left = left;
        Right = right;
    }

    /// <summary>The first summand (in a ResNet block, the residual branch).</summary>
    public GraphValue Left { get; }

    /// <summary>The second summand (in a ResNet block, the shortcut).</summary>
    public GraphValue Right { get; }

    /// <inheritdoc />
    public override ImmutableArray<GraphValue> Inputs => [Left, Right];

    /// <inheritdoc />
    public override string Operation => "Add";

    /// <inheritdoc />
    public override TResult Accept<TResult>(IGraphNodeVisitor<TResult> visitor)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        return visitor.Visit(this);
    }
}
