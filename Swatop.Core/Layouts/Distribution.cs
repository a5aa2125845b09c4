namespace Swatop.Core.Layouts;

/// <summary>
/// How a tensor is spread over the core groups of a kernel: every group holds all of it
/// (<see cref="ReplicatedDistribution"/>), or each holds a contiguous chunk of one axis's positions
/// (<see cref="SplitDistribution"/>). The rule that says which group holds (for an output: computes)
/// a framework element is <see cref="Owner"/>, an expression evaluated element by element
/// (<see cref="OwnerOf"/>); a layout step of a split tensor moves each group's share of it. Compared by value.
/// </summary>
public abstract record Distribution
{
    /// <summary>A distribution over <paramref name="coreGroups"/> core groups.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="coreGroups"/> is less than 1.</exception>
    private protected Distribution(int coreGroups)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(coreGroups, 1);
        CoreGroups = coreGroups;
    }

    /// <summary>The core groups the tensor is spread over.</summary>
    public int CoreGroups { get; }

    /// <summary>
    /// The core group that holds the framework element <c>index[0..rank)</c> (array
    /// <see cref="LayoutRules.IndexArray"/>); for a replicated tensor, group 0, whose copy is the one read back.
    /// </summary>
    public abstract IndexExpression Owner { get; }

    /// <summary>Every core group holds the whole tensor.</summary>
    public static ReplicatedDistribution Replicated(int coreGroups) => new(coreGroups);

    /// <summary>The core group that holds the framework element <paramref name="index"/>: <see cref="Owner"/>'s value.</summary>
    public int OwnerOf(ReadOnlySpan<long> index) => (int)Owner.Evaluate(new ElementScope(null, index));
}
