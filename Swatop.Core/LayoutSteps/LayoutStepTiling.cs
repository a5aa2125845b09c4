using System.Collections.Immutable;
using System.Globalization;
using Swatop.Core.Layouts;
using Swatop.Core.Lowering;

namespace Swatop.Core.LayoutSteps;

/// <summary>
/// How a <see cref="LayoutStep"/> cuts its tensor into tiles, each moved by one CPE through its LDM:
/// a get of a column-major block whose rows run along the source's contiguous dimension
/// <see cref="RowDimension"/> (and, merged, <see cref="MergedDimension"/>, the one just outside it, when
/// the source holds both whole and contiguous), whose columns run along <see cref="ColumnDimension"/>;
/// a transpose in LDM when the destination's contiguous dimension is not the source's
/// (<see cref="Transposes"/>, then <see cref="ColumnDimension"/> is the destination's); a put. Every
/// other dimension has tiles of one position. A tile of a blocked dimension lies inside one block.
/// </summary>
/// <param name="Tiles">Per framework dimension: positions a tile covers.</param>
/// <param name="Ranges">Per framework dimension: the framework indices both layouts hold, <c>[start, end)</c>.</param>
/// <param name="RowDimension">The source's contiguous dimension.</param>
/// <param name="MergedDimension">The dimension merged into the rows, or -1.</param>
/// <param name="ColumnDimension">The columns' dimension, or -1 for a tensor of one dimension.</param>
/// <param name="Transposes">Whether the tile is transposed in LDM between get and put.</param>
public sealed record LayoutStepTiling(ImmutableArray<long> Tiles, ImmutableArray<(long Start, long End)> Ranges, int RowDimension, int MergedDimension, int ColumnDimension, bool Transposes)
{
    /// <summary>LDM bytes a step reserves besides its tiles (reply words, stack).</summary>
    public const long ReservedLdmBytes = 1024;

    /// <summary>Rows of a tile's LDM block as got: the row dimension's tile, times the merged dimension's.</summary>
    public long Rows => Tiles[RowDimension] * (MergedDimension >= 0 ? Tiles[MergedDimension] : 1);

    /// <summary>Columns of a tile's LDM block as got.</summary>
    public long Columns => ColumnDimension >= 0 ? Tiles[ColumnDimension] : 1;

    /// <summary>Elements of one tile.</summary>
    public long TileElements => Rows * Columns;

    /// <summary>
    /// The tiling of <paramref name="step"/> within <paramref name="ldmBudgetBytes"/> of LDM a CPE: the
    /// largest tiles that fit, the put's contiguous run first (a put pays more per block than a get).
    /// </summary>
    /// <exception cref="NotSupportedException">The layouts or the share are of a kind the step cannot move (the message says which).</exception>
    public static LayoutStepTiling For(LayoutStep step, long ldmBudgetBytes)
    {
        ArgumentNullException.ThrowIfNull(step);
        var source = step.Source;
        var destination = step.Destination;
        if (!source.Tensor.Shape.SequenceEqual(destination.Tensor.Shape))
        {
            throw new ArgumentException($"Layout step '{step.Name}': the source holds {source.Tensor} and the destination {destination.Tensor}; a step moves one tensor.", nameof(step));
        }

        var rank = source.Tensor.Rank;
        var ranges = Enumerable.Range(0, rank).Select(d => HeldRange(source, destination, d)).ToImmutableArray();
        CheckShare(step, ranges);
        var rows = Contiguous(source);
        var columns = Contiguous(destination);
        var transposes = rows != columns;
        if (!transposes)
        {
            columns = Enumerable.Range(0, rank).Where(d => d != rows).OrderBy(d => destination.Strides[d]).Cast<int?>().FirstOrDefault() ?? -1;
        }

        var usable = Math.Max(1, (ldmBudgetBytes - ReservedLdmBytes) / step.ElementBytes / (transposes ? 2 : 1));
        var tiles = new long[rank];
        Array.Fill(tiles, 1L);
        var splitDimension = step.Share is SplitDistribution split ? split.Dimension : -1;
        var merged = transposes && rows != splitDimension ? Mergeable(source, destination, ranges, rows, columns) : -1;
        merged = merged == splitDimension ? -1 : merged;
        if (transposes)
        {
            var put = Fit(step, ranges, columns, Math.Min(128, usable));
            var rowLimit = Math.Max(1, usable / put);
            tiles[rows] = merged >= 0 ? Extent(ranges, rows) : Fit(step, ranges, rows, rowLimit);
            if (merged >= 0)
            {
                tiles[merged] = Fit(step, ranges, merged, Math.Max(1, rowLimit / tiles[rows]));
            }

            var got = tiles[rows] * (merged >= 0 ? tiles[merged] : 1);
            tiles[columns] = Fit(step, ranges, columns, Math.Max(1, usable / got));
        }
        else
        {
            tiles[rows] = Fit(step, ranges, rows, usable);
            if (columns >= 0)
            {
                tiles[columns] = Fit(step, ranges, columns, Math.Max(1, usable / tiles[rows]));
            }
        }

        return new LayoutStepTiling([.. tiles], ranges, rows, merged, columns, transposes);
    }

    /// <summary>
    /// The framework indices of dimension <paramref name="d"/> one core group moves at most: the range both
    /// layouts hold, or, along a split share's dimension, a group's positions of one period.
    /// </summary>
    public static long GroupExtent(LayoutStep step, (long Start, long End) range, int d)
    {
        ArgumentNullException.ThrowIfNull(step);
        var extent = range.End - range.Start;
        return step.Share is SplitDistribution split && split.Dimension == d
            ? Math.Min(extent, Math.Min(split.PositionsPerGroup, split.Extent) * split.Stride)
            : extent;
    }

    /// <summary>E.g. <c>tiles [1, 1, 14, 128] rows 3 columns 0 transposed</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"tiles [{string.Join(", ", Tiles)}] rows {RowDimension}{(MergedDimension >= 0 ? $"+{MergedDimension}" : "")} columns {ColumnDimension}{(Transposes ? " transposed" : "")}");

    /// <summary>The dimension whose positions lie one element apart (a blocked one's, inside its blocks).</summary>
    private static int Contiguous(TensorLayout layout) =>
        Enumerable.Range(0, layout.Tensor.Rank).Where(d => layout.Strides[d] == 1 && layout.Lengths[d] > 1).Cast<int?>().FirstOrDefault()
        ?? Enumerable.Range(0, layout.Tensor.Rank).First(d => layout.Strides[d] == 1);

    /// <summary>The framework indices of dimension <paramref name="d"/> both layouts hold.</summary>
    private static (long Start, long End) HeldRange(TensorLayout source, TensorLayout destination, int d)
    {
        var start = Math.Max(0, Math.Max(-source.Origins[d], -destination.Origins[d]));
        var end = Math.Min(source.Tensor.Shape[d], Math.Min(source.Lengths[d] - source.Origins[d], destination.Lengths[d] - destination.Origins[d]));
        return (start, Math.Max(start, end));
    }

    /// <summary>A split share must cut a dimension both layouts hold whole, along an axis that tiles it exactly.</summary>
    private static void CheckShare(LayoutStep step, ImmutableArray<(long Start, long End)> ranges)
    {
        if (step.Share is not SplitDistribution split)
        {
            return;
        }

        var shape = step.Tensor.Shape[split.Dimension];
        if (ranges[split.Dimension] != (0, shape) || shape % (split.Stride * split.Extent) != 0)
        {
            throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture,
                $"Layout step '{step.Name}': its share is {split}, but a step splits only a dimension both layouts hold whole ({ranges[split.Dimension].Start} to {ranges[split.Dimension].End} of {shape} here) along an axis whose period ({split.Stride} x {split.Extent}) divides it."));
        }
    }

    /// <summary>
    /// The dimension just outside <paramref name="rows"/> in the source (neither split over the core groups), when the source holds both
    /// contiguously and whole (so a run covers several rows' worth), neither is blocked, and it is not
    /// the columns' dimension; otherwise -1.
    /// </summary>
    private static int Mergeable(TensorLayout source, TensorLayout destination, ImmutableArray<(long Start, long End)> ranges, int rows, int columns)
    {
        var heldWhole = ranges[rows].Start + source.Origins[rows] == 0 && ranges[rows].End + source.Origins[rows] == source.Lengths[rows];
        if (!heldWhole || source.IsBlocked(rows) || destination.IsBlocked(rows))
        {
            return -1;
        }

        var outer = Enumerable.Range(0, source.Tensor.Rank).FirstOrDefault(d => d != rows && d != columns && source.Strides[d] == source.Lengths[rows], -1);
        return outer >= 0 && !source.IsBlocked(outer) && !destination.IsBlocked(outer) ? outer : -1;
    }

    /// <summary>The positions a tile of dimension <paramref name="d"/> may cover, at most <paramref name="limit"/>: a divisor of every block and period the tiles must not cross.</summary>
    private static long Fit(LayoutStep step, ImmutableArray<(long Start, long End)> ranges, int d, long limit)
    {
        var extent = Math.Max(1, GroupExtent(step, ranges[d], d));
        var align = 0L;
        foreach (var layout in new[] { step.Source, step.Destination })
        {
            if (layout.IsBlocked(d))
            {
                align = Gcd(align, layout.Blocks[d]);
                align = Gcd(align, ranges[d].Start + layout.Origins[d]);
            }
        }

        if (step.Share is SplitDistribution split && split.Dimension == d && align > 0)
        {
            align = Gcd(align, Gcd(split.Stride * split.Extent, split.PositionsPerGroup * split.Stride));
        }

        var tile = Math.Max(1, Math.Min(extent, limit));
        if (align > 0)
        {
            while (align % tile != 0)
            {
                tile--;
            }
        }

        return tile;
    }

    private static long Extent(ImmutableArray<(long Start, long End)> ranges, int d) => Math.Max(1, ranges[d].End - ranges[d].Start);

    private static long Gcd(long a, long b)
    {
        (a, b) = (Math.Abs(a), Math.Abs(b));
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
