using System.Collections.Immutable;

namespace Swatop.Core.LayoutSteps;

/// <summary>
/// A whole-block tile's get or put: its compact image in LDM against its place in memory, as requests of
/// <see cref="BlockCount"/> blocks of <see cref="Run"/> contiguous elements, <see cref="BlockStride"/> apart in memory,
/// one request for each position of <see cref="Loops"/> (each an extent, its memory stride and its LDM stride). Atoms that
/// lie end to end in memory (and so in the image, which follows the memory's order) are one run or one level.
/// </summary>
/// <param name="Run">Elements of a block (a contiguous run in memory and in LDM).</param>
/// <param name="BlockCount">Blocks of a request.</param>
/// <param name="BlockStride">Elements from one block's start to the next in memory (unused for one block).</param>
/// <param name="Loops">The requests' levels, outermost first: extent, memory stride, LDM stride.</param>
public sealed record TileTransfer(long Run, long BlockCount, long BlockStride, ImmutableArray<(long Extent, long Stride, long Place)> Loops)
{
    /// <summary>Requests a tile's transfer takes.</summary>
    public long Requests => Loops.Aggregate(1L, (product, loop) => product * loop.Extent);

    /// <summary>Contiguous blocks a tile's transfer moves.</summary>
    public long Blocks => Requests * BlockCount;

    /// <summary>Elements of one request.</summary>
    public long RequestElements => Run * BlockCount;

    /// <summary>The transfer of <paramref name="atoms"/> whose memory strides are <paramref name="stride"/> and LDM strides <paramref name="place"/>.</summary>
    public static TileTransfer Of(IEnumerable<TileAtom> atoms, Func<TileAtom, long> stride, Func<TileAtom, long> place)
    {
        ArgumentNullException.ThrowIfNull(atoms);
        ArgumentNullException.ThrowIfNull(stride);
        ArgumentNullException.ThrowIfNull(place);

        // Levels innermost first, merging each atom that continues the level inside it.
        var levels = new List<(long Extent, long Stride, long Place)>();
        foreach (var atom in atoms.OrderBy(stride))
        {
            if (levels.Count > 0 && levels[^1].Stride * levels[^1].Extent == stride(atom))
            {
                levels[^1] = (levels[^1].Extent * atom.Extent, levels[^1].Stride, levels[^1].Place);
            }
            else
            {
                levels.Add((atom.Extent, stride(atom), place(atom)));
            }
        }

        var run = 1L;
        if (levels.Count > 0 && levels[0].Stride == 1)
        {
            run = levels[0].Extent;
            levels.RemoveAt(0);
        }

        if (levels.Count == 0)
        {
            return new TileTransfer(run, 1, run, []);
        }

        var blocks = levels[0];
        levels.RemoveAt(0);
        levels.Reverse();
        return new TileTransfer(run, blocks.Extent, blocks.Stride, [.. levels]);
    }
}
