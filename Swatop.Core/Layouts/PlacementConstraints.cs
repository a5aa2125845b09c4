using System.Collections.Immutable;

namespace Swatop.Core.Layouts;

/// <summary>
/// Placements a schedule must give some of the operator's tensors, by tensor name: a producer's output
/// placement its consumer should read as it is, or the placement a framework hands a tensor in. A
/// schedule space given constraints holds only the points whose kernels keep each named tensor as
/// required (<see cref="TensorPlacement.Matches"/>: the same arrangement on the same core groups);
/// validating a schedule against them names the tensor, both placements and the rule. Immutable,
/// compared by value; <see cref="None"/> admits every schedule.
/// </summary>
public sealed record PlacementConstraints
{
    private PlacementConstraints(ImmutableSortedDictionary<string, TensorPlacement> required) => Required = required;

    /// <summary>No constraint: every schedule is admitted.</summary>
    public static PlacementConstraints None { get; } = new(ImmutableSortedDictionary.Create<string, TensorPlacement>(StringComparer.Ordinal));

    /// <summary>The required placements, by tensor name.</summary>
    public ImmutableSortedDictionary<string, TensorPlacement> Required { get; }

    /// <summary>Whether there is no constraint.</summary>
    public bool IsEmpty => Required.IsEmpty;

    /// <summary>These constraints with <paramref name="tensor"/> required to be kept as <paramref name="placement"/> (replacing an earlier requirement of it).</summary>
    /// <exception cref="ArgumentException"><paramref name="tensor"/> is empty.</exception>
    public PlacementConstraints Require(string tensor, TensorPlacement placement)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tensor);
        ArgumentNullException.ThrowIfNull(placement);
        return new(Required.SetItem(tensor, placement));
    }

    /// <summary>Why <paramref name="placement"/> of <paramref name="tensor"/> breaks these constraints, or null when it keeps them.</summary>
    public string? Violation(string tensor, TensorPlacement placement)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(placement);
        return !Required.TryGetValue(tensor, out var required) || required.Matches(placement) ? null
            : $"tensor '{tensor}' would be kept as {placement}, but it must be kept as {required} (the same arrangement on the same core groups)";
    }

    /// <summary>Equal when the same tensors are required in equal placements.</summary>
    public bool Equals(PlacementConstraints? other) =>
        other is not null && Required.Count == other.Required.Count && Required.All(pair => other.Required.TryGetValue(pair.Key, out var p) && p.Equals(pair.Value));

    /// <inheritdoc/>
    public override int GetHashCode() => Required.Aggregate(0, (hash, pair) => HashCode.Combine(hash, pair.Key, pair.Value));

    /// <summary>The constraints, one tensor after the other; <c>none</c> when empty.</summary>
    public override string ToString() => IsEmpty ? "none" : string.Join("; ", Required.Select(pair => $"{pair.Key}: {pair.Value}"));
}
