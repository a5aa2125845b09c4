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
    private static readonly ImmutableSortedDictionary<string, Distribution> NoShares = ImmutableSortedDictionary.Create<string, Distribution>(StringComparer.Ordinal);

    private PlacementConstraints(ImmutableSortedDictionary<string, TensorPlacement> required, ImmutableSortedDictionary<string, Distribution> shares) =>
        (Required, Shares) = (required, shares);

    /// <summary>No constraint: every schedule is admitted.</summary>
    public static PlacementConstraints None { get; } = new(ImmutableSortedDictionary.Create<string, TensorPlacement>(StringComparer.Ordinal), NoShares);

    /// <summary>The required placements, by tensor name.</summary>
    public ImmutableSortedDictionary<string, TensorPlacement> Required { get; }

    /// <summary>
    /// The required distributions alone, by tensor name: which core group holds each element, whatever
    /// the layout (a graph whose core groups each keep their share of the batch from layer to layer).
    /// </summary>
    public ImmutableSortedDictionary<string, Distribution> Shares { get; }

    /// <summary>Whether there is no constraint.</summary>
    public bool IsEmpty => Required.IsEmpty && Shares.IsEmpty;

    /// <summary>Whether <paramref name="tensor"/> is constrained at all.</summary>
    public bool Constrains(string tensor) => Required.ContainsKey(tensor) || Shares.ContainsKey(tensor);

    /// <summary>These constraints with <paramref name="tensor"/> required to be kept as <paramref name="placement"/> (replacing an earlier requirement of it).</summary>
    /// <exception cref="ArgumentException"><paramref name="tensor"/> is empty.</exception>
    public PlacementConstraints Require(string tensor, TensorPlacement placement)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tensor);
        ArgumentNullException.ThrowIfNull(placement);
        return new(Required.SetItem(tensor, placement), Shares);
    }

    /// <summary>These constraints with <paramref name="tensor"/> required to be spread over the core groups as <paramref name="distribution"/> says, in any layout (replacing an earlier such requirement of it).</summary>
    /// <exception cref="ArgumentException"><paramref name="tensor"/> is empty.</exception>
    public PlacementConstraints RequireShare(string tensor, Distribution distribution)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tensor);
        ArgumentNullException.ThrowIfNull(distribution);
        return new(Required, Shares.SetItem(tensor, distribution));
    }

    /// <summary>Why <paramref name="placement"/> of <paramref name="tensor"/> breaks these constraints, or null when it keeps them.</summary>
    public string? Violation(string tensor, TensorPlacement placement)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(placement);
        if (Required.TryGetValue(tensor, out var required) && !required.Matches(placement))
        {
            return $"tensor '{tensor}' would be kept as {placement}, but it must be kept as {required} (the same arrangement on the same core groups)";
        }

        return Shares.TryGetValue(tensor, out var share) && !share.Equals(placement.Distribution)
            ? $"tensor '{tensor}' would be {placement.Distribution}, but it must be {share} (each element on the same core group)"
            : null;
    }

    /// <summary>Equal when the same tensors are required in equal placements and shares.</summary>
    public bool Equals(PlacementConstraints? other) =>
        other is not null && Required.Count == other.Required.Count && Required.All(pair => other.Required.TryGetValue(pair.Key, out var p) && p.Equals(pair.Value))
        && Shares.Count == other.Shares.Count && Shares.All(pair => other.Shares.TryGetValue(pair.Key, out var d) && d.Equals(pair.Value));

    /// <inheritdoc/>
    public override int GetHashCode() =>
        Shares.Aggregate(Required.Aggregate(0, (hash, pair) => HashCode.Combine(hash, pair.Key, pair.Value)), (hash, pair) => HashCode.Combine(hash, pair.Key, pair.Value));

    /// <summary>The constraints, one tensor after the other; <c>none</c> when empty.</summary>
    public override string ToString() => IsEmpty ? "none"
        : string.Join("; ", Required.Select(pair => $"{pair.Key}: {pair.Value}").Concat(Shares.Select(pair => $"{pair.Key}: {pair.Value}")));
}
