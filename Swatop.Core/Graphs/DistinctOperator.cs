using System.Collections.Immutable;

namespace Swatop.Core.Graphs;

/// <summary>
/// One operator of a graph (by <see cref="OperatorSpec"/> equality) and the operator nodes that
/// compute it, in execution order: what a tuner tunes once and applies to every node named. Two
/// convolutions of the same shapes share one; a ResNet-50 has 53 convolutions of 23 distinct shapes.
/// </summary>
public sealed record DistinctOperator
{
    internal DistinctOperator(OperatorSpec spec, ImmutableArray<string> nodes)
    {
        Spec = spec;
        Nodes = nodes;
    }

    /// <summary>The operator.</summary>
    public OperatorSpec Spec { get; }

    /// <summary>The names of the nodes that compute it, in execution order.</summary>
    public ImmutableArray<string> Nodes { get; }

    /// <summary>How many nodes compute it.</summary>
    public int Count => Nodes.Length;

    /// <summary>The floating-point operations of all its nodes together.</summary>
    public long Flops => Spec.Flops * Count;

    /// <summary>True when both have the same operator and the same nodes.</summary>
    /// <param name="other">The other.</param>
    /// <returns>Whether they are equal.</returns>
    public bool Equals(DistinctOperator? other) =>
        other is not null && Spec.Equals(other.Spec) && Nodes.SequenceEqual(other.Nodes);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Spec, Count);

    /// <summary>Prints the operator's signature and its nodes.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Spec.Signature} x{Count}: {string.Join(", ", Nodes)}";
}
