using System.Collections.Immutable;

namespace Swatop.Core.Graphs;

/// <summary>
/// The mean of each channel of an NCHW value over its height and width, <c>[N][C][H][W]</c> to
/// <c>[N][C][1][1]</c>: torchvision's <c>AdaptiveAvgPool2d((1, 1))</c>, the <c>avgpool</c> of a ResNet.
/// </summary>
public sealed record GlobalAveragePoolNode : GraphNode
{
    internal GlobalAveragePoolNode(string name, GraphValue input, GraphValue output)
        : base(name, output)
    {
        Input = input;
    }

    /// <summary>The pooled value, <c>[N][C][H][W]</c>.</summary>
    public GraphValue Input { get; }

    /// <inheritdoc />
    public override ImmutableArray<GraphValue> Inputs => [Input];

    /// <inheritdoc />
    public override string Operation => "GlobalAveragePool";

    /// <inheritdoc />
    public override TResult Accept<TResult>(IGraphNodeVisitor<TResult> visitor)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        return visitor.Visit(this);
    }
}
