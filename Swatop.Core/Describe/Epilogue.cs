using System.Collections.Immutable;

namespace Swatop.Core;

/// <summary>
/// What an operator does to each output tile in LDM after its last multiply-add and before the tile is
/// put back: element-wise steps applied in order (a bias, an activation, a residual add), so that a
/// network needs no separate pass over memory for them. Every operator carries one; the builders give
/// the empty epilogue, <see cref="None"/>, and lowering applies its steps through the loop IR's
/// element-wise node. Compared by value.
/// </summary>
public sealed record Epilogue
{
    private Epilogue(ImmutableArray<EpilogueStep> steps) => Steps = steps;

    /// <summary>The empty epilogue: the output tile is put as the contraction left it.</summary>
    public static Epilogue None { get; } = new([]);

    /// <summary>The steps, applied in order.</summary>
    public ImmutableArray<EpilogueStep> Steps { get; }

    /// <summary>Whether there is no step.</summary>
    public bool IsEmpty => Steps.IsEmpty;

    /// <summary>Equal when the steps are equal, in order.</summary>
    public bool Equals(Epilogue? other) => other is not null && Steps.SequenceEqual(other.Steps);

    /// <inheritdoc/>
    public override int GetHashCode() => Steps.Aggregate(0, (hash, step) => HashCode.Combine(hash, step));

    /// <summary>The steps as text, <c>none</c> when empty: part of the operator's signature when not empty.</summary>
    public override string ToString() => IsEmpty ? "none" : string.Join(" ", Steps);
}
