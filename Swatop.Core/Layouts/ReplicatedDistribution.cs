using System.Globalization;

namespace Swatop.Core.Layouts;

/// <summary>
/// Every core group holds the whole tensor: an input a layout step packs into each group's memory, or an
/// output each group computes in full (group 0's copy is read back). With one core group, the tensor
/// simply lives in it.
/// </summary>
public sealed record ReplicatedDistribution : Distribution
{
    /// <summary>The whole tensor in each of <paramref name="coreGroups"/> core groups.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="coreGroups"/> is less than 1.</exception>
    public ReplicatedDistribution(int coreGroups)
        : base(coreGroups)
    {
    }

    /// <summary>Core group 0.</summary>
    public override IndexExpression Owner { get; } = new IndexConstant(0);

    /// <summary>E.g. <c>whole in each of 4 core groups</c>, or <c>whole in 1 core group</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"whole in {(CoreGroups == 1 ? "1 core group" : $"each of {CoreGroups} core groups")}");
}
