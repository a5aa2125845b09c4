using System.Collections.Immutable;
using System.Globalization;

namespace Swatop.Core.Graphs;

/// <summary>
/// The values joined along one dimension, <see cref="Axis"/>, in order: every input has the same rank and
/// the same lengths in every other dimension, and the output's length along the axis is their sum (an
/// Inception or DenseNet join of channels is axis 1).
/// </summary>
public sealed record ConcatNode : GraphNode
{
    internal ConcatNode(string name, ImmutableArray<GraphValue> parts, int axis, GraphValue output)
        : base(name, output)
    {
        Parts = parts;
        Axis = axis;
    }

    /// <summary>The joined values, in order.</summary>
    public ImmutableArray<GraphValue> Parts { get; }

    /// <summary>The dimension they are joined along, from zero.</summary>
    public int Axis { get; }

    /// <inheritdoc />
    public override ImmutableArray<GraphValue> Inputs => Parts;

    /// <inheritdoc />
    public override string Operation => string.Create(CultureInfo.InvariantCulture, $"Concat axis={Axis}");

    /// <summary>True when both have the same name, output, parts and axis.</summary>
    /// <param name="other">The other node.</param>
    /// <returns>Whether they are equal.</returns>
    public bool Equals(ConcatNode? other) => base.Equals(other) && Axis == other.Axis && Parts.SequenceEqual(other.Parts);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Axis, Parts.Length);

    /// <inheritdoc />
    public override TResult Accept<TResult>(IGraphNodeVisitor<TResult> visitor)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        return visitor.Visit(this);
    }
}
