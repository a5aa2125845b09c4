using System.Collections.Immutable;
using Swatop.Core.Layouts;

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

        var best = (Spread: false, Cost: double.PositiveInfinity, Tiles: Array.Empty<long>(), Tile: (BlockTile?)null);
        var tiles = new long[_extents.Length];
        void Visit(int d, long elements)
        {
            if (d == tiles.Length)
            {
                var tile = BlockTile.Of(step.Source, step.Destination, tiles);
                if (tile is null || elements * (tile.Shuffle is null ? 1 : 2) > usable)
                {
                    return;
                }

                var count = _segments * Enumerable.Range(0, tiles.Length).Aggregate(1L, (product, i) => product * (_extents[i] / tiles[i]));
                var spread = count >= Cpes;
                var cost = count * ((LayoutStepTiling.RequestCost * (tile.Get.Requests + tile.Put.Requests)) + tile.Get.Blocks + (LayoutStepTiling.PutBlockCost * tile.Put.Blocks));
                if ((spread && !best.Spread) || (spread == best.Spread && cost < best.Cost))
                {
                    best = (spread, cost, [.. tiles], tile);
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
        return best.Tile is null ? null : (best.Tiles, best.Tile);
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
