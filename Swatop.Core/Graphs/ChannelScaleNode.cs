using System.Collections.Immutable;

namespace Swatop.Core.Graphs;

/// <summary>
/// A per-channel scale, <c>Output[n][c][...] = Input[n][c][...] * Scale[c]</c>: with a
/// <see cref="BiasAddNode"/> after it, an inference batch normalization that follows no convolution
/// (one that follows a convolution is folded into the convolution's weights). The scale is a constant
/// named <c>&lt;node&gt;.scale</c> of shape <c>[C]</c>.
/// </summary>
public sealed record ChannelScaleNode : GraphNode
{
    internal ChannelScaleNode(string name, GraphValue input, GraphValue scale, GraphValue output)
        : base(name, output)
    {
        Input = input;
        Scale = scale;
    }

    /// <summary>The activation, of two or more dimensions, its channels in dimension 1.</summary>
    public GraphValue Input { get; }

    /// <summary>The constant scale, <c>[C]</c>.</summary>
    public GraphValue Scale { get; }

    /// <inheritdoc />
    public override ImmutableArray<GraphValue> Inputs => [Input, Scale];

    /// <inheritdoc />
    public override string Operation => "ChannelScale";

    /// <inheritdoc />
    public override TResult Accept<TResult>(IGraphNodeVisitor<TResult> visitor)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        return visitor.Visit(this);
    }
}
