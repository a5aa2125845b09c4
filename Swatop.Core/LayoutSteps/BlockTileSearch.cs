using System.Collections.Concurrent;
using System.Collections.Immutable;
using Swatop.Core.Layouts;
using Swatop.Core.Lowering;

namespace Swatop.Core.LayoutSteps;

/// <summary>
/// The search of a whole-block tiling (<see cref="BlockTile"/>) for a step of which either layout is blocked: every tile shape
/// whose lengths divide the group's extent of each dimension and cover whole blocks or lie inside one, within the LDM
/// (the tile and, when the images differ, its rearranged copy), ranked by its transfers' cost over the whole step in get
/// blocks: <see cref="LayoutStepTiling.RequestCost"/> a request, 1 a get block, <see cref="LayoutStepTiling.PutBlockCost"/>
/// a put block. Shapes that give each of the 64 CPEs a tile go first. In blocked layouts a block is a contiguous run on
/// both sides, and several blocks of a dimension often lie end to end on one side, so such tiles move in few long blocks.
/// </summary>
internal sealed class BlockTileSearch(LayoutStep step, ImmutableArray<(long Start, long End)> ranges, long usable)
{
    private const int Cpes = 64;

    /// <summary>The most pairs of layouts whose tiles <see cref="Known"/> keeps; past it, it starts again.</summary>
    private const int KnownPairs = 256;

    /// <summary>
    /// What the tiles of each pair of layouts count (<see cref="BlockTile.Of"/> depends on the layouts and the tile alone, not on
    /// the step's share), kept for the steps to come: a ranking prices the same pair's steps for many plans and core-group
    /// splits, and would otherwise build the same tiles again (VGG-16's conv2_2: 1,005,532 tiles built, 180,534 distinct, of
    /// 72 pairs).
    /// </summary>
    private static readonly ConcurrentDictionary<(TensorLayout Source, TensorLayout Destination), ConcurrentDictionary<string, TileCounts>> KnownTiles = new();
    private readonly long[] _extents = [.. Enumerable.Range(0, step.Tensor.Rank).Select(d => LayoutStepTiling.GroupExtent(step, ranges[d], d))];
    private readonly long _segments = step.Share is SplitDistribution split ? step.Tensor.Shape[split.Dimension] / (split.Stride * split.Extent) : 1;

    /// <summary>Whether either of <paramref name="step"/>'s layouts is blocked: the kind of step this search serves.</summary>
    public static bool Serves(LayoutStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return step.Source.Blocks.Any(b => b > 0) || step.Destination.Blocks.Any(b => b > 0);
    }

    /// <summary>Whether <paramref name="step"/>'s layouts are both blocked: its tiles of whole blocks are taken without comparing them.</summary>
    public static bool BothBlocked(LayoutStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return step.Source.Blocks.Any(b => b > 0) && step.Destination.Blocks.Any(b => b > 0);
    }

    /// <summary>The cheapest shape and its tile, or null when no shape moves whole blocks.</summary>
    public (long[] Tiles, BlockTile Tile)? Best()
    {
        var candidates = Enumerable.Range(0, _extents.Length).Select(Lengths).ToArray();
        if (candidates.Any(c => c.Count == 0) || _extents.Any(e => e <= 0))
        {
            return null;
        }

        var best = (Spread: false, Cost: double.PositiveInfinity, Tiles: Array.Empty<long>());
        var tiles = new long[_extents.Length];
        var known = Known(step.Source, step.Destination);
        void Visit(int d, long elements)
        {
            if (d == tiles.Length)
            {
                var tile = known.GetOrAdd(string.Join(',', tiles), static (_, state) => TileCounts.Of(BlockTile.Of(state.Source, state.Destination, state.Tiles)), (step.Source, step.Destination, Tiles: tiles));
                if (!tile.Valid || elements * (tile.Shuffles ? 2 : 1) > usable)
                {
                    return;
                }

                var count = _segments * Enumerable.Range(0, tiles.Length).Aggregate(1L, (product, i) => product * (_extents[i] / tiles[i]));
                var spread = count >= Cpes;
                var cost = count * ((LayoutStepTiling.RequestCost * (tile.GetRequests + tile.PutRequests)) + tile.GetBlocks + (LayoutStepTiling.PutBlockCost * tile.PutBlocks));
                if ((spread && !best.Spread) || (spread == best.Spread && cost < best.Cost))
                {
                    best = (spread, cost, [.. tiles]);
                }

                return;
            }

            foreach (var length in candidates[d])
            {
                if (elements * length > usable)
                {
                    break;
                }

                tiles[d] = length;
                Visit(d + 1, elements * length);
            }
        }

        Visit(0, 1);
        return best.Tiles.Length == 0 ? null : (best.Tiles, BlockTile.Of(step.Source, step.Destination, best.Tiles)!);
    }

    /// <summary>The counts known of the tiles between <paramref name="source"/> and <paramref name="destination"/>, by tile.</summary>
    private static ConcurrentDictionary<string, TileCounts> Known(TensorLayout source, TensorLayout destination)
    {
        if (KnownTiles.Count >= KnownPairs)
        {
            KnownTiles.Clear();
        }

        return KnownTiles.GetOrAdd((source, destination), static _ => new ConcurrentDictionary<string, TileCounts>());
    }

    /// <summary>What the search compares of a tile: whether there is one, whether its images differ, and its transfers' requests and blocks.</summary>
    private readonly record struct TileCounts(bool Valid, bool Shuffles, long GetRequests, long GetBlocks, long PutRequests, long PutBlocks)
    {
        public static TileCounts Of(BlockTile? tile) =>
            tile is null ? default : new(true, tile.Shuffle is not null, tile.Get.Requests, tile.Get.Blocks, tile.Put.Requests, tile.Put.Blocks);
    }

    /// <summary>
    /// The lengths of dimension <paramref name="d"/> a tile may have, ascending: divisors of the group's extent (and of a split
    /// share's period and group), whose tiles start on a block boundary when they cover whole blocks, and inside one otherwise.
    /// </summary>
    private List<long> Lengths(int d)
    {
        var extent = _extents[d];
        var lengths = new List<long>();
        for (var t = 1L; t <= extent; t++)
        {
            if (extent % t == 0 && Aligned(d, t))
            {
                lengths.Add(t);
            }
        }

        return lengths;
    }

    private bool Aligned(int d, long t)
    {
        if (step.Share is SplitDistribution split && split.Dimension == d
            && ((split.PositionsPerGroup * split.Stride) % t != 0 || (split.Extent * split.Stride) % t != 0 || split.Extent % split.PositionsPerGroup != 0))
        {
            return false;
        }

        foreach (var layout in new[] { step.Source, step.Destination })
        {
            if (layout.IsBlocked(d))
            {
                var block = layout.Blocks[d];
                if ((block % t != 0 && t % block != 0) || (ranges[d].Start + layout.Origins[d]) % Math.Min(block, t) != 0)
                {
                    return false;
                }
            }
        }

        return true;
    }
}
