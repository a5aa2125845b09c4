using System.Collections.Immutable;

namespace Swatop.Core.Graphs;

/// <summary>
/// A two-dimensional average pooling of an NCHW value (floor mode, no dilation): each output element is
/// the mean of its window. With <see cref="CountIncludePad"/> the padding counts as zeros in the mean
/// (PyTorch's default); without it (ONNX's default) the mean is over the window's elements that lie in the
/// input. The output extents follow <see cref="MaxPoolNode"/>'s rule.
/// </summary>
public sealed record AveragePoolNode : GraphNode
{
    internal AveragePoolNode(string name, GraphValue input, Size2 kernel, Size2 stride, Size2 padding, bool countIncludePad, GraphValue output)
        : base(name, output)
    {
        Input = input;
        Kernel = kernel;
        Stride = stride;
        Padding = padding;
        CountIncludePad = countIncludePad;
    }

    /// <summary>The pooled value, <c>[N][C][H][W]</c>.</summary>
    public GraphValue Input { get; }

    /// <summary>The window's height and width.</summary>
    public Size2 Kernel { get; }

    /// <summary>The step between windows, vertical and horizontal.</summary>
    public Size2 Stride { get; }

    /// <summary>The implicit padding: <c>Height</c> rows above and below, <c>Width</c> columns left and right.</summary>
    public Size2 Padding { get; }

    /// <summary>Whether the padding counts in the divisor (the whole window's size) or not (the elements inside the input).</summary>
    public bool CountIncludePad { get; }

    /// <inheritdoc />
    public override ImmutableArray<GraphValue> Inputs => [Input];

    /// <inheritdoc />
    public override string Operation => $"AveragePool k={Kernel} s={Stride} p={Padding}{(CountIncludePad ? " include-pad" : "")}";

    /// <inheritdoc />
    public override TResult Accept<TResult>(IGraphNodeVisitor<TResult> visitor)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        return visitor.Visit(this);
    }
}
