using System.Collections.Immutable;
using System.Globalization;
using Swatop.Core.Layouts;
using Swatop.Core.Lowering;

namespace Swatop.Core.LayoutSteps;

/// <summary>
/// How a <see cref="LayoutStep"/> cuts its tensor into tiles, each moved by one CPE through its LDM:
/// a get of a column-major block whose rows run along the source's contiguous dimension
/// <see cref="RowDimension"/> (and, merged, <see cref="MergedDimension"/>, the one just outside it, when
/// the source holds both whole and contiguous), whose columns run along <see cref="ColumnDimension"/>
/// (and, merged, <see cref="ColumnMergedDimension"/>, the one just outside it in the destination, when the
/// destination holds both whole and contiguous); a transpose in LDM when the destination's contiguous
/// dimension is not the source's (<see cref="Transposes"/>, then <see cref="ColumnDimension"/> is the
/// destination's); a put. Every other dimension has tiles of one position. A tile of a blocked dimension
/// lies inside one block.
/// </summary>
/// <remarks>
/// <para>
/// A core group's memory controller serves every tile's requests one after another, each paying for the
/// request, for each contiguous block and for each byte; the 64 CPEs keep it busy, so a step is as fast
/// as its tiles' requests and blocks are few. A transposing tile of <c>a</c> rows and <c>b</c> columns
/// gets <c>b</c> blocks of <c>a</c> elements and puts <c>a</c> blocks of <c>b</c>: <see cref="For"/> picks
/// the shape that costs least by <see cref="RequestCost"/> and <see cref="PutBlockCost"/> (a get block
/// costing 1), within the LDM (a tile and its transpose). Border tiles move their valid part, compacted in
/// LDM, in as many requests as a whole tile.
/// </para>
/// <para>
/// A copy (no transpose) whose destination pads the rows (<see cref="PaddedRows"/> &gt; 0) writes whole
/// padded rows: the zeros of the padding with the elements, so that the rows of a tile are one contiguous
/// block of the destination instead of a block each. The padding is zero already (a destination is zeroed
/// when allocated), so writing zeros there changes no value.
/// </para>
/// <para>
/// A step between two blocked layouts moves tiles of whole blocks instead (<see cref="WholeBlocks"/>, found by
/// <see cref="BlockTileSearch"/>): a box of the tensor whose lengths cover whole blocks of each blocked dimension or lie inside
/// one, got in the source's order, rearranged in LDM by transposes of its runs (or copies of them) and put in the
/// destination's order. A block is contiguous on both sides, and blocks of a dimension often lie end to end on one side, so
/// such a tile moves in a few long blocks where a tile inside one block of each side moves in many short ones.
/// </para>
/// </remarks>
/// <param name="Tiles">Per framework dimension: positions a tile covers.</param>
/// <param name="Ranges">Per framework dimension: the framework indices both layouts hold, <c>[start, end)</c>.</param>
/// <param name="RowDimension">The source's contiguous dimension.</param>
/// <param name="MergedDimension">The dimension merged into the rows, or -1.</param>
/// <param name="ColumnDimension">The columns' dimension, or -1 for a tensor of one dimension.</param>
/// <param name="Transposes">Whether the tile is transposed in LDM between get and put.</param>
/// <param name="ColumnMergedDimension">The dimension merged into the columns (a transposing step's, from the destination), or -1.</param>
/// <param name="PaddedRows">For a copy that writes whole padded rows, the destination's length of the row dimension; otherwise 0.</param>
/// <param name="JoinedGets">Whether the runs of a tile's get (of each request, when the columns merge) lie end to end in the source: one block.</param>
/// <param name="JoinedPuts">Whether the runs of a tile's put (of each request, when the rows merge) lie end to end in the destination: one block.</param>
/// <param name="WholeBlocks">For a tiling of whole blocks, how each tile lies in the two layouts; otherwise null.</param>
public sealed record LayoutStepTiling(ImmutableArray<long> Tiles, ImmutableArray<(long Start, long End)> Ranges, int RowDimension, int MergedDimension, int ColumnDimension, bool Transposes,
    int ColumnMergedDimension = -1, long PaddedRows = 0, bool JoinedGets = false, bool JoinedPuts = false, BlockTile? WholeBlocks = null)
{
    /// <summary>LDM bytes a step reserves besides its tiles (reply words, stack).</summary>
    public const long ReservedLdmBytes = 1024;

    /// <summary>
    /// What a DMA request costs the memory controller besides its blocks and bytes, in get blocks. From the
    /// SW26010's fitted DMA model: 14.7 ns a request against 4.8 ns a get block.
    /// </summary>
    public const double RequestCost = 3.1;

    /// <summary>
    /// What a contiguous block of a put costs the memory controller, in get blocks: writing part of a memory
    /// line is dear. From the SW26010's fitted DMA model: 31.2 ns a put block against 4.8 ns a get block.
    /// </summary>
    public const double PutBlockCost = 6.5;

    /// <summary>Rows of a tile's LDM block as got: the row dimension's tile, times the merged dimension's.</summary>
    public long Rows => Tiles[RowDimension] * (MergedDimension >= 0 ? Tiles[MergedDimension] : 1);

    /// <summary>Columns of a tile's LDM block as got: the column dimension's tile, times the merged column dimension's.</summary>
    public long Columns => (ColumnDimension >= 0 ? Tiles[ColumnDimension] : 1) * (ColumnMergedDimension >= 0 ? Tiles[ColumnMergedDimension] : 1);

    /// <summary>Elements of one tile.</summary>
    public long TileElements => WholeBlocks?.Elements ?? Rows * Columns;

    /// <summary>Whether the step writes whole padded rows (see the remarks).</summary>
    public bool PadsRows => PaddedRows > 0;

    /// <summary>Elements of the LDM block of padded rows a copy puts from, or 0.</summary>
    public long PaddedElements => PaddedRows * Columns;

    /// <summary>Elements of LDM a CPE's buffers take: the tile, its transpose or its padded rows.</summary>
    public long LdmElements => (TileElements * (Transposes ? 2 : 1)) + PaddedElements;

    /// <summary>
    /// The tiling of <paramref name="step"/> within <paramref name="ldmBudgetBytes"/> of LDM a CPE: for a
    /// transpose, the tile shape whose requests and blocks cost least (see the remarks); for a copy, the
    /// longest rows, then as many columns as fit.
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

        var usable = Math.Max(1, (ldmBudgetBytes - ReservedLdmBytes) / step.ElementBytes);
        var whole = BlockTileSearch.Serves(step) && new BlockTileSearch(step, ranges, usable).Best() is var (blockTiles, tile)
            ? new LayoutStepTiling([.. blockTiles], ranges, rows, -1, columns, Transposes: tile.Shuffle is not null, WholeBlocks: tile)
            : null;
        if (whole is not null && BlockTileSearch.BothBlocked(step))
        {
            return whole;
        }

        var tiling = (transposes
            ? new TransposeSearch(step, ranges, rows, columns, Math.Max(1, usable / 2)).Best()
            : Copy(step, ranges, rows, columns, usable)).WithJoins(step);

        // Between a blocked layout and a plain one, tiles of whole blocks only where their transfers cost less.
        return whole is not null && whole.Transfers(step).Cost < tiling.Transfers(step).Cost ? whole : tiling;
    }

    /// <summary>
    /// What the step's transfers count over one core group's share with this tiling, as <see cref="LayoutStepLowering"/> issues
    /// them: requests and blocks each way (a request a tile each way, or one per merged group's position; a block per run
    /// unless the runs join; a border tile as a whole one of its valid extent; a tile of whole blocks as its arrangement
    /// counts them), the tiles, the elements, and the cost in get blocks (<see cref="RequestCost"/> a request,
    /// <see cref="PutBlockCost"/> a put block) by which the tilings are compared.
    /// </summary>
    public (double Gets, double Puts, double GetBlocks, double PutBlocks, double Tiles, double Elements, double Cost) Transfers(LayoutStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        var rank = step.Tensor.Rank;
        double tiles = step.Share is SplitDistribution split ? step.Tensor.Shape[split.Dimension] / (split.Stride * split.Extent) : 1;
        var elements = tiles;
        var counts = new double[rank];
        var extents = new double[rank];
        for (var d = 0; d < rank; d++)
        {
            extents[d] = GroupExtent(step, Ranges[d], d);
            counts[d] = Math.Ceiling(extents[d] / Tiles[d]);
            tiles *= counts[d];
            elements *= extents[d];
        }

        if (elements <= 0)
        {
            return (0, 0, 0, 0, 0, 0, 0);
        }

        double gets, puts, getBlocks, putBlocks;
        if (WholeBlocks is { } whole)
        {
            (gets, puts) = (tiles * whole.Get.Requests, tiles * whole.Put.Requests);
            (getBlocks, putBlocks) = (tiles * whole.Get.Blocks, tiles * whole.Put.Blocks);
        }
        else
        {
            var (rows, merged, columns, columnMerged) = (RowDimension, MergedDimension, ColumnDimension, ColumnMergedDimension);

            // Requests: one a tile each way, but a request per merged group's position.
            gets = columnMerged >= 0 ? tiles / counts[columnMerged] * extents[columnMerged] : tiles;
            puts = Transposes && merged >= 0 ? tiles / counts[merged] * extents[merged] : tiles;

            // Blocks: a run of the get along the rows (their merged dimension's positions, when merged), of the put along
            // the destination's contiguous dimension; a line of runs cut in as many blocks as it has tiles.
            double Blocks(int inner, int outer) => outer >= 0 ? elements / (extents[inner] * extents[outer]) * counts[outer] : elements / extents[inner] * counts[inner];
            getBlocks = JoinedGets ? gets : Blocks(rows, merged);
            putBlocks = JoinedPuts ? puts : Transposes ? Blocks(columns, columnMerged) : Blocks(rows, -1);
        }

        return (gets, puts, getBlocks, putBlocks, tiles, elements, (RequestCost * (gets + puts)) + getBlocks + (PutBlockCost * putBlocks));
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

    /// <summary>E.g. <c>tiles [1, 1, 14, 128] rows 3 columns 0 transposed</c>, <c>rows 3+2 columns 0+1</c>, or <c>rows 3 columns 2 padded to 30</c>.</summary>
    public override string ToString() => WholeBlocks is { } whole
        ? string.Create(CultureInfo.InvariantCulture, $"tiles [{string.Join(", ", Tiles)}] whole blocks, get {whole.Get.Requests}x{whole.Get.BlockCount}x{whole.Get.Run}, put {whole.Put.Requests}x{whole.Put.BlockCount}x{whole.Put.Run}{(whole.Shuffle is { } s ? $", {s.Calls} transposes of {s.Rows}x{s.Columns}" : "")}{(whole.Shuffle?.Then is { } t ? $" then {t.Calls} of {t.Rows}x{t.Columns}" : "")}")
        : string.Create(CultureInfo.InvariantCulture,
        $"tiles [{string.Join(", ", Tiles)}] rows {RowDimension}{(MergedDimension >= 0 ? $"+{MergedDimension}" : "")} columns {ColumnDimension}{(ColumnMergedDimension >= 0 ? $"+{ColumnMergedDimension}" : "")}{(Transposes ? " transposed" : "")}{(PadsRows ? $" padded to {PaddedRows}" : "")}");

    /// <summary>This tiling with <see cref="JoinedGets"/> and <see cref="JoinedPuts"/> found for <paramref name="step"/>.</summary>
    private LayoutStepTiling WithJoins(LayoutStep step)
    {
        var split = step.Share is SplitDistribution s ? s.Dimension : -1;
        bool Whole(int d) => d >= 0 && d != split && Tiles[d] == Ranges[d].End - Ranges[d].Start;
        var (rows, columns) = (RowDimension, ColumnDimension);

        // A request of one run is one block whatever the strides (a dimension of one position may have any).
        var gets = columns < 0 || Tiles[columns] == 1 || (MergedDimension < 0 && Whole(rows) && step.Source.Strides[columns] == Tiles[rows]);
        var puts = Transposes
            ? Tiles[rows] == 1 || (ColumnMergedDimension < 0 && Whole(columns) && step.Destination.Strides[rows] == Tiles[columns])
            : columns < 0 || Tiles[columns] == 1 || PadsRows || (Whole(rows) && step.Destination.Strides[columns] == Tiles[rows]);
        return this with { JoinedGets = gets, JoinedPuts = puts };
    }

    /// <summary>
    /// A copy's tiling: the longest rows that fit, then as many columns; whole padded rows when the rows are
    /// whole, the destination pads them, its next dimension follows them contiguously and one padded row fits.
    /// </summary>
    private static LayoutStepTiling Copy(LayoutStep step, ImmutableArray<(long Start, long End)> ranges, int rows, int columns, long usable)
    {
        var source = step.Source;
        var destination = step.Destination;
        var tiles = new long[source.Tensor.Rank];
        Array.Fill(tiles, 1L);
        tiles[rows] = Fit(step, ranges, rows, usable);
        var padded = 0L;
        if (columns >= 0)
        {
            var extent = GroupExtent(step, ranges[rows], rows);
            var length = destination.Lengths[rows];
            var split = step.Share is SplitDistribution s ? s.Dimension : -1;
            var padsRows = tiles[rows] == extent && length > extent && rows != split && !source.IsBlocked(rows) && !destination.IsBlocked(rows)
                && destination.Strides[columns] == length && tiles[rows] + length <= usable;
            padded = padsRows ? length : 0;
            tiles[columns] = Fit(step, ranges, columns, Math.Max(1, usable / (tiles[rows] + padded)));
        }

        return new LayoutStepTiling([.. tiles], ranges, rows, -1, columns, Transposes: false, PaddedRows: padded);
    }

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
    /// The dimension just outside <paramref name="inner"/> in <paramref name="layout"/>, when that layout holds
    /// <paramref name="inner"/> whole (no padding, every position held, so a run of it continues into the next
    /// position outside), neither is blocked in either layout, <paramref name="inner"/> is not split over the
    /// core groups and the outer one is none of <paramref name="taken"/>; otherwise -1.
    /// </summary>
    private static int Mergeable(LayoutStep step, TensorLayout layout, ImmutableArray<(long Start, long End)> ranges, int inner, params int[] taken)
    {
        var other = ReferenceEquals(layout, step.Source) ? step.Destination : step.Source;
        var heldWhole = ranges[inner].Start + layout.Origins[inner] == 0 && ranges[inner].End + layout.Origins[inner] == layout.Lengths[inner];
        var split = step.Share is SplitDistribution s ? s.Dimension : -1;
        if (!heldWhole || inner == split || layout.IsBlocked(inner) || other.IsBlocked(inner))
        {
            return -1;
        }

        var outer = Enumerable.Range(0, layout.Tensor.Rank).FirstOrDefault(d => d != inner && !taken.Contains(d) && layout.Strides[d] == layout.Lengths[inner], -1);
        return outer >= 0 && !layout.IsBlocked(outer) && !other.IsBlocked(outer) ? outer : -1;
    }

    /// <summary>The positions a tile of dimension <paramref name="d"/> may cover, at most <paramref name="limit"/>: a divisor of every block and period the tiles must not cross.</summary>
    private static long Fit(LayoutStep step, ImmutableArray<(long Start, long End)> ranges, int d, long limit) => Candidates(step, ranges, d, limit)[^1];

    /// <summary>
    /// The tile lengths of dimension <paramref name="d"/> worth trying, at most <paramref name="limit"/>, ascending:
    /// the least length for each count of tiles (a longer one with as many tiles costs the same transfers and more
    /// LDM), each a divisor of every block and period the tiles must not cross. The last is the longest that fits.
    /// </summary>
    private static List<long> Candidates(LayoutStep step, ImmutableArray<(long Start, long End)> ranges, int d, long limit)
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

        var most = Math.Max(1, Math.Min(extent, limit));
        var lengths = new List<long>();
        if (align > 0)
        {
            for (var t = 1L; t <= most; t++)
            {
                if (align % t == 0)
                {
                    lengths.Add(t);
                }
            }

            return lengths;
        }

        // ceil(extent / k) for k = extent down to 1: every count of tiles, each at its least length.
        for (var count = extent; count >= 1; count = (extent + lengths[^1] - 1) / lengths[^1] - 1)
        {
            var length = (extent + count - 1) / count;
            if (length > most)
            {
                break;
            }

            lengths.Add(length);
        }

        return lengths;
    }

    private static long Gcd(long a, long b)
    {
        (a, b) = (Math.Abs(a), Math.Abs(b));
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }

    /// <summary>The search of a transposing step's tile shape: every get-side shape against the longest put-side one that fits with it.</summary>
    private sealed class TransposeSearch(LayoutStep step, ImmutableArray<(long Start, long End)> ranges, int rows, int columns, long elements)
    {
        private readonly int _rowsMerged = Mergeable(step, step.Source, ranges, rows, columns);
        private readonly int _columnsMerged = Mergeable(step, step.Destination, ranges, columns, rows, Mergeable(step, step.Source, ranges, rows, columns));

        public LayoutStepTiling Best()
        {
            var best = (Cost: double.PositiveInfinity, Tiles: Array.Empty<long>());
            foreach (var (inner, outer) in Sides(rows, _rowsMerged, elements))
            {
                var runs = inner * outer;
                foreach (var (columnInner, columnOuter) in Longest(columns, _columnsMerged, Math.Max(1, elements / runs)))
                {
                    var tiles = new long[step.Tensor.Rank];
                    Array.Fill(tiles, 1L);
                    tiles[rows] = inner;
                    tiles[columns] = columnInner;
                    if (_rowsMerged >= 0)
                    {
                        tiles[_rowsMerged] = outer;
                    }

                    if (_columnsMerged >= 0)
                    {
                        tiles[_columnsMerged] = columnOuter;
                    }

                    var cost = Cost(tiles);
                    if (cost < best.Cost)
                    {
                        best = (cost, tiles);
                    }
                }
            }

            var t = best.Tiles;
            var merged = _rowsMerged >= 0 && t[_rowsMerged] > 1 ? _rowsMerged : -1;
            var columnMerged = _columnsMerged >= 0 && t[_columnsMerged] > 1 ? _columnsMerged : -1;
            return new LayoutStepTiling([.. t], ranges, rows, merged, columns, Transposes: true, columnMerged);
        }

        /// <summary>The shapes of one side of a tile within <paramref name="limit"/> elements: part of the inner dimension, or all of it and part of the merged one.</summary>
        private IEnumerable<(long Inner, long Outer)> Sides(int inner, int outer, long limit) => Kinds(inner, outer, limit).SelectMany(kind => kind);

        /// <summary>Of the put-side shapes within <paramref name="limit"/>, the longest of each kind: it has the fewest tiles.</summary>
        private IEnumerable<(long Inner, long Outer)> Longest(int inner, int outer, long limit) => Kinds(inner, outer, limit).Where(kind => kind.Count > 0).Select(kind => kind[^1]);

        /// <summary>The shapes of one side, by kind: part of the inner dimension; all of it and part of the merged one (ascending).</summary>
        private List<(long Inner, long Outer)>[] Kinds(int inner, int outer, long limit)
        {
            var all = Extent(inner);
            var partial = Candidates(step, ranges, inner, limit).Where(length => length < all || outer < 0).Select(length => (length, 1L)).ToList();
            var whole = outer >= 0 && all <= limit ? Candidates(step, ranges, outer, limit / all).Select(length => ((long)all, length)).ToList() : [];
            return [partial, whole];
        }

        /// <summary>The transfers' cost over the whole step, in get blocks: requests, get blocks, put blocks.</summary>
        private double Cost(long[] tiles)
        {
            double segments = step.Share is SplitDistribution split ? step.Tensor.Shape[split.Dimension] / (split.Stride * split.Extent) : 1;
            double count = segments;
            double elements = segments;
            var counts = new double[tiles.Length];
            for (var d = 0; d < tiles.Length; d++)
            {
                var extent = (double)Math.Max(1, GroupExtent(step, ranges[d], d));
                counts[d] = Math.Ceiling(extent / tiles[d]);
                count *= counts[d];
                elements *= extent;
            }

            // A get request per column group (one unless the columns merge), a put request per row group; a block per run.
            var gets = _columnsMerged >= 0 && tiles[_columnsMerged] > 1 ? count / counts[_columnsMerged] * Extent(_columnsMerged) : count;
            var puts = _rowsMerged >= 0 && tiles[_rowsMerged] > 1 ? count / counts[_rowsMerged] * Extent(_rowsMerged) : count;
            var getRun = _rowsMerged >= 0 && tiles[_rowsMerged] > 1 ? _rowsMerged : rows;
            var putRun = _columnsMerged >= 0 && tiles[_columnsMerged] > 1 ? _columnsMerged : columns;
            var getBlocks = elements / Run(getRun, rows) * counts[getRun];
            var putBlocks = elements / Run(putRun, columns) * counts[putRun];
            return (RequestCost * (gets + puts)) + getBlocks + (PutBlockCost * putBlocks);
        }

        private long Extent(int d) => Math.Max(1, GroupExtent(step, ranges[d], d));

        /// <summary>Elements of a whole line of runs along <paramref name="inner"/> (and <paramref name="run"/> when it is the merged one).</summary>
        private double Run(int run, int inner) => run == inner ? Extent(inner) : Extent(inner) * Extent(run);
    }
}
