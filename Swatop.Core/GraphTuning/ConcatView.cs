using System.Collections.Immutable;

namespace Swatop.Core.GraphTuning;

/// <summary>
/// A concatenation that costs nothing: its joined value is one buffer in the framework's layout, allocated once, and each
/// part's producer writes its part straight into its range of the joined axis (an implicit GEMM whose output margins put
/// it there); the parts are views of the joined buffer. Compared by value.
/// </summary>
/// <param name="Node">The concatenation node.</param>
/// <param name="Axis">The joined axis.</param>
/// <param name="Parts">The parts' values, in the concatenation's order.</param>
/// <param name="Offsets">Per part: where its range of the joined axis starts.</param>
public sealed record ConcatView(string Node, int Axis, ImmutableArray<string> Parts, ImmutableArray<int> Offsets)
{
    /// <summary>Equal when every field is, the parts and offsets element by element.</summary>
    public bool Equals(ConcatView? other) =>
        other is not null && Node == other.Node && Axis == other.Axis && Parts.SequenceEqual(other.Parts) && Offsets.SequenceEqual(other.Offsets);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Node, Axis, Parts.Length);

    /// <summary>E.g. <c>concat: b1 at 0, b2 at 64 of axis 1</c>.</summary>
    public override string ToString() => $"{Node}: {string.Join(", ", Parts.Select((p, i) => $"{p} at {Offsets[i]}"))} of axis {Axis}";
}
