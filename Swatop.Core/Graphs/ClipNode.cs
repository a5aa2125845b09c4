using System.Collections.Immutable;
using System.Globalization;

namespace Swatop.Core.Graphs;

/// <summary>
/// An element-wise clamp, <c>Output = min(max(Input, Min), Max)</c>: a ReLU is <c>[0, +inf]</c>, a ReLU6
/// <c>[0, 6]</c>. The bounds are in double and compared in the graph's element type.
/// </summary>
public sealed record ClipNode : GraphNode
{
    internal ClipNode(string name, GraphValue input, double min, double max, GraphValue output)
        : base(name, output)
    {
        Input = input;
        Min = min;
        Max = max;
    }

    /// <summary>The activation.</summary>
    public GraphValue Input { get; }

    /// <summary>The lower bound, <see cref="double.NegativeInfinity"/> for none.</summary>
    public double Min { get; }

    /// <summary>The upper bound, <see cref="double.PositiveInfinity"/> for none.</summary>
    public double Max { get; }

    /// <summary>True for a ReLU: the lower bound zero and no upper bound.</summary>
    public bool IsRelu => Min == 0 && double.IsPositiveInfinity(Max);

    /// <inheritdoc />
    public override ImmutableArray<GraphValue> Inputs => [Input];

    /// <inheritdoc />
    public override string Operation =>
        IsRelu ? "Relu" : string.Create(CultureInfo.InvariantCulture, $"Clip [{Min}, {Max}]");

    /// <inheritdoc />
    public override TResult Accept<TResult>(IGraphNodeVisitor<TResult> visitor)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        return visitor.Visit(this);
    }
}
