using System.Collections.Immutable;

namespace Swatop.Core.Graphs;

/// <summary>
/// A two-dimensional max pooling of an NCHW value, as torchvision's <c>MaxPool2d</c> (floor mode,
/// no dilation): each output element is the largest input element of its window; the padding is
/// never the maximum (it stands for minus infinity). The output height is
/// <c>(height + 2 * Padding.Height - Kernel.Height) / Stride.Height + 1</c>, the width likewise.
/// </summary>
public sealed record MaxPoolNode : GraphNode
{
    internal MaxPoolNode(string name, GraphValue input, Size2 kernel, Size2 stride, Size2 padding, GraphValue output)
        : base(name, output)
    {
        Input = input;
        Kernel = kernel;
        Stride = stride;
        Padding = padding;
    }

    /// <summary>The pooled value, <c>[N][C][H][W]</c>.</summary>
    public GraphValue Input { get; }

    /// <summary>The window's height and width.</summary>
    public Size2 Kernel { get; }

    /// <summary>The step between windows, vertical and horizontal.</summary>
    public Size2 Stride { get; }

    /// <summary>The implicit padding: <c>Height</c> rows above and below, <c>Width</c> columns left and right.</summary>
    public Size2 Padding { get; }

    /// <inheritdoc />
    public override ImmutableArray<GraphValue> Inputs => [Input];

    /// <inheritdoc />
    public override string Operation => $"MaxPool k={Kernel} s={Stride} p={Padding}";

    /// <inheritdoc />
    public override TResult Accept<TResult>(IGraphNodeVisitor<TResult> visitor)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        return visitor.Visit(this);
    }
}
