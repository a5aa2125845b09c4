using System.Collections.Immutable;

namespace Swatop.Core.LayoutSteps;

/// <summary>
/// The rearrangement in LDM of a whole-block tile from the source's compact image to the destination's: a
/// <c>Transpose</c> of <see cref="Rows"/> x <see cref="Columns"/> for each position of <see cref="Loops"/> (each an
/// extent and its strides in the two images). When the two images share their innermost run it is a copy of runs
/// (<see cref="Columns"/> 1, a transpose of one column); otherwise the source's run is the transposed block's rows
/// and the destination's its columns. Atoms that lie end to end in both images are one. When no single transpose of
/// runs rearranges the tile, two do (<see cref="Then"/>): the first brings the destination's innermost run innermost,
/// transposing it with everything inside it in the source's image, and the second, from that image back into the
/// tile's buffer, copies its runs into the destination's order.
/// </summary>
/// <param name="Rows">The transposed block's rows: the source image's innermost run.</param>
/// <param name="Columns">Its columns: the destination image's innermost run, or 1 for a copy.</param>
/// <param name="Loops">The blocks' levels, outermost (in the source image) first: extent, source image stride, destination image stride.</param>
/// <param name="Then">The second rearrangement, from this one's image into the destination's, or null when this one reaches it.</param>
public sealed record TileShuffle(long Rows, long Columns, ImmutableArray<(long Extent, long SourcePlace, long DestinationPlace)> Loops, TileShuffle? Then = null)
{
    /// <summary>The shortest innermost run a two-transpose rearrangement copies: a vector of four.</summary>
    public const long ShortestCopiedRun = 4;

    /// <summary>Transposes a tile takes in this rearrangement (without <see cref="Then"/>'s).</summary>
    public long Calls => Loops.Aggregate(1L, (product, loop) => product * loop.Extent);

    /// <summary>The rearrangement of <paramref name="atoms"/> (placed in both images), or null when it is neither a copy nor a transpose of runs, nor two of them.</summary>
    public static TileShuffle? Of(IEnumerable<TileAtom> atoms)
    {
        ArgumentNullException.ThrowIfNull(atoms);
        var levels = atoms.Select(a => (a.Extent, a.SourcePlace, a.DestinationPlace)).ToList();
        return Single(levels) ?? Twice(levels);
    }

    /// <summary>One copy or transpose of runs from the source image to the destination image of <paramref name="placed"/>, or null.</summary>
    private static TileShuffle? Single(IEnumerable<(long Extent, long SourcePlace, long DestinationPlace)> placed)
    {
        // Levels innermost first in the source image, merging each that continues the one inside it in both images.
        var levels = new List<(long Extent, long SourcePlace, long DestinationPlace)>();
        foreach (var atom in placed.OrderBy(a => a.SourcePlace))
        {
            var i = levels.FindIndex(l => l.SourcePlace * l.Extent == atom.SourcePlace && l.DestinationPlace * l.Extent == atom.DestinationPlace);
            if (i >= 0)
            {
                levels[i] = (levels[i].Extent * atom.Extent, levels[i].SourcePlace, levels[i].DestinationPlace);
            }
            else
            {
                levels.Add(atom);
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

    /// <summary>
    /// Two rearrangements: a transpose of the destination's innermost level (at least <see cref="ShortestCopiedRun"/> long) with
    /// the run inside it in the source image, which leaves the levels outside both where they were; then a copy of that level's
    /// runs into the destination's order. Null when the destination's innermost level is shorter, or is not one level of the source.
    /// </summary>
    private static TileShuffle? Twice(List<(long Extent, long SourcePlace, long DestinationPlace)> levels)
    {
        var innermost = levels.FindIndex(l => l.DestinationPlace == 1);
        if (innermost < 0 || levels[innermost].Extent < ShortestCopiedRun || levels[innermost].SourcePlace == 1)
        {
            return null;
        }

        var c = levels[innermost];
        var inside = c.SourcePlace;
        var outside = levels.Where(l => l.SourcePlace > inside).ToList();

        // The middle image: the level innermost, the run that was inside it just outside it, the rest in place.
        var middle = levels.Select(l => l == c ? (l.Extent, 1L, l.DestinationPlace)
            : l.SourcePlace < inside ? (l.Extent, l.SourcePlace * c.Extent, l.DestinationPlace)
            : l).ToList();
        if (Single(middle) is not { Columns: 1 } second)
        {
            return null;
        }

        var first = new TileShuffle(inside, c.Extent, Outermost([.. outside.Select(l => (l.Extent, l.SourcePlace, l.SourcePlace))]));
        return first with { Then = second };
    }

    private static ImmutableArray<(long, long, long)> Outermost(List<(long Extent, long SourcePlace, long DestinationPlace)> levels) =>
        [.. levels.OrderByDescending(l => l.SourcePlace)];
}
