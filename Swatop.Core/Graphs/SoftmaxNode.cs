using System.Collections.Immutable;
using System.Globalization;

namespace Swatop.Core.Graphs;

/// <summary>
/// The softmax along one dimension, <see cref="Axis"/>: for each position of the other dimensions,
/// <c>exp(x - max) / sum(exp(x - max))</c> over the axis (ONNX's <c>Softmax</c> from opset 13).
/// </summary>
public sealed record SoftmaxNode : GraphNode
{
    internal SoftmaxNode(string name, GraphValue input, int axis, GraphValue output)
        : base(name, output)
    {
        Input = input;
        Axis = axis;
    }

    /// <summary>The activation.</summary>
    public GraphValue Input { get; }

    /// <summary>The dimension normalized over, from zero.</summary>
    public int Axis { get; }

    /// <inheritdoc />
    public override ImmutableArray<GraphValue> Inputs => [Input];

    /// <inheritdoc />
    public override string Operation => string.Create(CultureInfo.InvariantCulture, $"Softmax axis={Axis}");

    /// <inheritdoc />
    public override TResult Accept<TResult>(IGraphNodeVisitor<TResult> visitor)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        return visitor.Visit(this);
    }
}
