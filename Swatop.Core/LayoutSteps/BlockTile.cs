using System.Collections.Immutable;
using Swatop.Core.Lowering;

namespace Swatop.Core.LayoutSteps;

/// <summary>
/// How one tile of whole blocks lies in a step's two layouts: its positions cut into <see cref="TileAtom"/>s (per
/// framework dimension, at every block boundary of either layout), the get and the put that move it between the
/// memory and the LDM (<see cref="TileTransfer"/>: the tile compacted in each layout's own order) and the
/// rearrangement in LDM between the two (<see cref="TileShuffle"/>). A tile of a blocked dimension covers whole
/// blocks or lies inside one, so every atom has one stride in each layout and the tile's offsets are affine.
/// </summary>
/// <param name="Atoms">The tile's atoms, in no particular order.</param>
/// <param name="Get">The get from the source into the source's compact image.</param>
/// <param name="Put">The put from the destination's compact image into the destination.</param>
/// <param name="Shuffle">The rearrangement between the two images, or null when they coincide.</param>
public sealed record BlockTile(ImmutableArray<TileAtom> Atoms, TileTransfer Get, TileTransfer Put, TileShuffle? Shuffle)
{
    /// <summary>Elements of the tile.</summary>
    public long Elements => Atoms.Aggregate(1L, (product, atom) => product * atom.Extent);

    /// <summary>
    /// The arrangement of a tile of <paramref name="tiles"/> positions per dimension between <paramref name="source"/>
    /// and <paramref name="destination"/>, or null when a tile of that shape cannot be moved whole: it crosses a block,
    /// the two layouts' blocks of a dimension do not nest, or its images are neither equal, nor a copy of runs, nor a
    /// transpose of runs, nor two such rearrangements (<see cref="TileShuffle.Then"/>).
    /// </summary>
    public static BlockTile? Of(TensorLayout source, TensorLayout destination, ReadOnlySpan<long> tiles)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        var atoms = ImmutableArray.CreateBuilder<TileAtom>();
        for (var d = 0; d < tiles.Length; d++)
        {
            if (!AddAtoms(atoms, source, destination, d, tiles[d]))
            {
                return null;
            }
        }

        var sourceOrder = Image(atoms, a => a.SourceStride);
        var destinationOrder = Image(atoms, a => a.DestinationStride);
        var placed = atoms.Select(a => a with { SourcePlace = sourceOrder[a], DestinationPlace = destinationOrder[a] }).ToImmutableArray();
        var get = TileTransfer.Of(placed, a => a.SourceStride, a => a.SourcePlace);
        var put = TileTransfer.Of(placed, a => a.DestinationStride, a => a.DestinationPlace);
        if (placed.All(a => a.SourcePlace == a.DestinationPlace))
        {
            return new BlockTile(placed, get, put, null);
        }

        var shuffle = TileShuffle.Of(placed);
        return shuffle is null ? null : new BlockTile(placed, get, put, shuffle);
    }

    /// <summary>
    /// The atoms of dimension <paramref name="d"/> in a tile of <paramref name="tile"/> positions: one between each two
    /// block boundaries of either layout inside the tile; false when the tile crosses a block or the blocks do not nest.
    /// </summary>
    private static bool AddAtoms(ImmutableArray<TileAtom>.Builder atoms, TensorLayout source, TensorLayout destination, int d, long tile)
    {
        var cuts = new SortedSet<long> { 1, tile };
        foreach (var layout in new[] { source, destination })
        {
            if (!layout.IsBlocked(d))
            {
                continue;
            }

            var block = layout.Blocks[d];
            if (block % tile != 0 && tile % block != 0)
            {
                return false;
            }

            cuts.Add(Math.Min(block, tile));
        }

        var weights = cuts.ToArray();
        for (var i = 0; i + 1 < weights.Length; i++)
        {
            if (weights[i + 1] % weights[i] != 0)
            {
                return false;
            }

            var weight = weights[i];
            atoms.Add(new TileAtom(d, weights[i + 1] / weight, Stride(source, d, weight), Stride(destination, d, weight)));
        }

        return true;
    }

    /// <summary>Elements between positions <paramref name="weight"/> apart along <paramref name="d"/> in <paramref name="layout"/> (weight a multiple of the block or inside it).</summary>
    private static long Stride(TensorLayout layout, int d, long weight) =>
        layout.IsBlocked(d) && weight >= layout.Blocks[d] ? weight / layout.Blocks[d] * layout.OuterStrides[d] : weight * layout.Strides[d];

    /// <summary>Each atom's stride in the compact image of the tile in the order of <paramref name="stride"/>, descending.</summary>
    private static Dictionary<TileAtom, long> Image(IEnumerable<TileAtom> atoms, Func<TileAtom, long> stride)
    {
        var place = new Dictionary<TileAtom, long>();
        var next = 1L;
        foreach (var atom in atoms.OrderBy(stride))
        {
            place[atom] = next;
            next *= atom.Extent;
        }

        return place;
    }
}
