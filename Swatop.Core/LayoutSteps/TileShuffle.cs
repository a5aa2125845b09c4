using System.Collections.Immutable;

namespace Swatop.Core.LayoutSteps;

/// <summary>
/// The rearrangement in LDM of a whole-block tile from the source's compact image to the destination's: a
/// <c>Transpose</c> of <see cref="Rows"/> x <see cref="Columns"/> for each position of <see cref="Loops"/> (each an
/// extent and its strides in the two images). When the two images share their innermost run it is a copy of runs
/// (<see cref="Columns"/> 1, a transpose of one column); otherwise the source's run is the transposed block's rows
/// and the destination's its columns. Atoms that lie end to end in both images are one.
/// </summary>
/// <param name="Rows">The transposed block's rows: the source image's innermost run.</param>
/// <param name="Columns">Its columns: the destination image's innermost run, or 1 for a copy.</param>
/// <param name="Loops">The blocks' levels, outermost (in the source image) first: extent, source image stride, destination image stride.</param>
public sealed record TileShuffle(long Rows, long Columns, ImmutableArray<(long Extent, long SourcePlace, long DestinationPlace)> Loops)
{
    /// <summary>Transposes a tile takes.</summary>
    public long Calls => Loops.Aggregate(1L, (product, loop) => product * loop.Extent);

    /// <summary>The rearrangement of <paramref name="atoms"/> (placed in both images), or null when it is neither a copy nor a transpose of runs.</summary>
    public static TileShuffle? Of(IEnumerable<TileAtom> atoms)
    {
        ArgumentNullException.ThrowIfNull(atoms);

        // Atoms innermost first in the source image, merging each that continues the one inside it in both images.
        var levels = new List<(long Extent, long SourcePlace, long DestinationPlace)>();
        foreach (var atom in atoms.OrderBy(a => a.SourcePlace))
        {
            var i = levels.FindIndex(l => l.SourcePlace * l.Extent == atom.SourcePlace && l.DestinationPlace * l.Extent == atom.DestinationPlace);
            if (i >= 0)
            {
                levels[i] = (levels[i].Extent * atom.Extent, levels[i].SourcePlace, levels[i].DestinationPlace);
            }
            else
            {
                levels.Add((atom.Extent, atom.SourcePlace, atom.DestinationPlace));
            }
        }

        var rows = levels.FindIndex(l => l.SourcePlace == 1);
        var columns = levels.FindIndex(l => l.DestinationPlace == 1);
        if (rows < 0 || columns < 0)
        {
            return null;
        }

        if (rows == columns)
        {
            var run = levels[rows];
            levels.RemoveAt(rows);
            return new TileShuffle(run.Extent, 1, Outermost(levels));
        }

        var (r, c) = (levels[rows], levels[columns]);
        if (c.SourcePlace != r.Extent || r.DestinationPlace != c.Extent)
        {
            return null;
        }

        levels.RemoveAll(l => l == r || l == c);
        return new TileShuffle(r.Extent, c.Extent, Outermost(levels));
    }

    private static ImmutableArray<(long, long, long)> Outermost(List<(long Extent, long SourcePlace, long DestinationPlace)> levels) =>
        [.. levels.OrderByDescending(l => l.SourcePlace)];
}
