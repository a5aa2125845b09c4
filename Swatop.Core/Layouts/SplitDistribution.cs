using System.Globalization;

namespace Swatop.Core.Layouts;

/// <summary>
/// A tensor split over the core groups along an operator axis that framework dimension
/// <see cref="Dimension"/> holds: the axis's position of element <c>index</c> is
/// <c>index[Dimension] / Stride % Extent</c> (the dimension may combine several axes, mixed-radix, as a
/// grouped convolution's channel does), and core group <c>g</c> holds the positions
/// <c>[g * PositionsPerGroup, (g + 1) * PositionsPerGroup)</c>, <see cref="Chunk"/> iterations of
/// <see cref="Step"/> positions of the loop the groups share (the last group may hold fewer, or none).
/// </summary>
public sealed record SplitDistribution : Distribution
{
    /// <summary>The split of <paramref name="dimension"/>'s axis over <paramref name="coreGroups"/> core groups.</summary>
    /// <param name="coreGroups">The core groups.</param>
    /// <param name="dimension">The framework dimension that holds the axis.</param>
    /// <param name="stride">Positions of the dimension from one position of the axis to the next.</param>
    /// <param name="extent">Positions of the axis.</param>
    /// <param name="step">Axis positions one iteration of the split loop covers.</param>
    /// <param name="chunk">Iterations of the split loop a core group runs.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is not positive, or the dimension negative.</exception>
    public SplitDistribution(int coreGroups, int dimension, long stride, long extent, long step, long chunk)
        : base(coreGroups)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(dimension);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(extent);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(step);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunk);
        (Dimension, Stride, Extent, Step, Chunk) = (dimension, stride, extent, step, chunk);
        Owner = LayoutRules.Index(dimension) / stride % extent / step / chunk;
    }

    /// <summary>The framework dimension that holds the split axis.</summary>
    public int Dimension { get; }

    /// <summary>Positions of <see cref="Dimension"/> from one position of the axis to the next (its coefficient there).</summary>
    public long Stride { get; }

    /// <summary>Positions of the axis.</summary>
    public long Extent { get; }

    /// <summary>Axis positions one iteration of the split loop covers (a tile, a band, or 1).</summary>
    public long Step { get; }

    /// <summary>Iterations of the split loop a core group runs.</summary>
    public long Chunk { get; }

    /// <summary>Axis positions a core group holds (the last may hold fewer).</summary>
    public long PositionsPerGroup => Step * Chunk;

    /// <summary><c>index[Dimension] / Stride % Extent / Step / Chunk</c>.</summary>
    public override IndexExpression Owner { get; }

    /// <summary>
    /// Equal when every framework element lies on the same core group under both: the same groups,
    /// dimension, stride and extent, and as many positions a group, however they divide into iterations of
    /// the split loop.
    /// </summary>
    public bool Equals(SplitDistribution? other) =>
        other is not null && CoreGroups == other.CoreGroups && Dimension == other.Dimension && Stride == other.Stride && Extent == other.Extent
        && PositionsPerGroup == other.PositionsPerGroup;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(CoreGroups, Dimension, Stride, Extent, PositionsPerGroup);

    /// <summary>E.g. <c>split over 2 core groups: index[0] / 1 % 256 in chunks of 128 (1 x 128)</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"split over {CoreGroups} core groups: {LayoutRules.Index(Dimension)} / {Stride} % {Extent} in chunks of {PositionsPerGroup} ({Chunk} x {Step})");
}
