using System.Collections.Immutable;
using System.Globalization;
using Swatop.Core.Ir;
using Swatop.Core.Lowering;
using Swatop.Primitives;

namespace Swatop.Core.Algorithms.ImplicitGemm;

/// <summary>
/// The M axis of a merge that gives each mesh row one image (<see cref="AxisMerge.ImageRows"/>): M walks
/// <c>[image, position]</c>, a CPE's block of M is all of one image's <see cref="Positions"/> padded to
/// <see cref="PaddedPositions"/> (the mesh GEMM's per-CPE quantum), and a tile of M is eight images, one a mesh row; or,
/// with <see cref="RowsPerImage"/> R of 2, 4 or 8, an image's positions cut over R mesh rows in runs of
/// <see cref="PaddedPositions"/> (the positions over R, rounded up to the quantum; the last run shorter, any after it empty),
/// eight over R images a tile, so that a CPE's block of a large image with all of K fits the LDM.
/// The tensors that read M are read and written where the framework keeps them: a CPE's block of one is, for each of its
/// columns (a channel), the image's positions, one contiguous run. So the output's puts are one block a channel and
/// image, and an operand that does not read M (a 1 x 1 convolution's weights) is read once for eight images.
/// </summary>
/// <remarks>
/// The view's M axis has <see cref="Extent"/> = eight images' padded positions a tile, the batch padded to whole tiles;
/// which image and which positions a CPE's block holds is not affine in M (image = m / padded positions), so the
/// lowering addresses these tensors through <see cref="Offset"/> and <see cref="Shape"/>, in their own layout
/// (<see cref="Layout"/>: the tensor with the positions merged, unpermuted, unpadded), not through the view's.
/// </remarks>
/// <param name="Batch">The batch axis of the operator, whose images the mesh rows take.</param>
/// <param name="Positions">The merged position axis (<c>oh_ow</c>) of the merge the image rows are built on.</param>
/// <param name="Tensors">By tensor name, each tensor that reads M: its access with the positions merged (before the images join them), its batch dimension and its positions' dimension.</param>
/// <param name="RowsPerImage">Mesh rows an image's positions are cut over: 1, 2, 4 or 8.</param>
internal sealed record ImageRows(Axis Batch, Axis Positions, ImmutableDictionary<string, ImageRows.Tensor> Tensors, int RowsPerImage = 1)
{
    /// <summary>The choices of <see cref="RowsPerImage"/>.</summary>
    public static ImmutableArray<int> RowChoices { get; } = [1, 2, 4, 8];

    /// <summary>A tensor that reads M: its access over the positions-merged tensor, which dimension holds the images and which the positions.</summary>
    /// <param name="Access">The access with the positions merged (the tensor the kernel reads and writes in place).</param>
    /// <param name="BatchDimension">The dimension of <paramref name="Access"/> that the batch indexes.</param>
    /// <param name="PositionDimension">The dimension of <paramref name="Access"/> that the positions index, its last.</param>
    internal sealed record Tensor(TensorAccess Access, int BatchDimension, int PositionDimension);

    /// <summary>Rows of a CPE's block: an image's positions over <see cref="RowsPerImage"/>, rounded up, padded to the mesh GEMM's per-CPE quantum of M.</summary>
    public int PaddedPositions => PaddedRun(Positions.Extent, RowsPerImage);

    /// <summary>The one tile of M the view admits: a mesh row's block of each of the eight mesh rows.</summary>
    public int Tile => MeshGemmRules.MeshSize * PaddedPositions;

    /// <summary>Images a tile of M holds: eight over <see cref="RowsPerImage"/>.</summary>
    public int ImagesPerTile => MeshGemmRules.MeshSize / RowsPerImage;

    /// <summary>Image slots of the M axis: the batch padded to whole tiles.</summary>
    public long ImageSlots => (Batch.Extent + ImagesPerTile - 1) / ImagesPerTile * (long)ImagesPerTile;

    /// <summary>The extent of the view's M axis: every image slot's padded runs.</summary>
    public long Extent => ImageSlots * RowsPerImage * PaddedPositions;

    /// <summary>The share of M's rows that are real positions of real images: the rest is the padding of each block and the empty slots of the last tile.</summary>
    public double Share => Batch.Extent * (double)Positions.Extent / Extent;

    /// <summary>An image's runs that are all real positions, and those (none or one, its last) that are partly.</summary>
    public (int Whole, int Partial) Runs => (Positions.Extent / PaddedPositions, Positions.Extent % PaddedPositions == 0 ? 0 : 1);

    /// <summary>Whether every CPE's block is all real positions: the runs fill the positions exactly.</summary>
    public bool WholeBlocks => PaddedPositions * RowsPerImage == Positions.Extent;

    /// <summary>
    /// Whether the output's tiles are put compacted (<see cref="Compacted"/>): one image a mesh row whose positions are padded, so
    /// that a CPE's block, its rows packed to the image's positions in LDM, is one contiguous run of the framework's bytes (the
    /// image's positions of consecutive channels), put in one request of one block instead of a request a channel.
    /// </summary>
    public bool CompactsPuts => RowsPerImage == 1 && !WholeBlocks;

    /// <summary>
    /// The output block compacted: <see cref="Positions"/> rows (the image's positions, packed) of the block's columns, in a
    /// buffer of its own that the tile's rows are copied into, a column at a time, before its put; a put from it is one
    /// contiguous run where all its columns are valid. Null where <see cref="CompactsPuts"/> is false.
    /// </summary>
    /// <param name="tensor">The output, one of <see cref="Tensors"/>.</param>
    /// <param name="block">The CPE's block along M (<see cref="Image"/>).</param>
    /// <param name="columnsAxis">The axis of the block's columns.</param>
    /// <param name="columns">Its tiling.</param>
    internal TileShape? Compacted(string tensor, Expr block, Axis columnsAxis, GemmExtent columns)
    {
        if (!CompactsPuts)
        {
            return null;
        }

        var padded = Shape(tensor, block, columnsAxis, columns);
        return padded with { Rows = Positions.Extent, ValidRows = Batch.Extent % ImagesPerTile == 0 ? Positions.Extent : Expr.Min(padded.ValidRows, Positions.Extent) };
    }

    /// <summary>A run of <paramref name="positions"/> over <paramref name="rows"/> mesh rows, padded to the per-CPE quantum.</summary>
    public static int PaddedRun(int positions, int rows)
    {
        var run = (positions + rows - 1) / rows;
        return (run + MeshGemmRules.PerCpeMQuantum - 1) / MeshGemmRules.PerCpeMQuantum * MeshGemmRules.PerCpeMQuantum;
    }

    /// <summary>The image rows of <paramref name="positions"/> whose tile of M is <paramref name="tileM"/>, or null when no choice of <see cref="RowsPerImage"/> gives it.</summary>
    public static int? RowsFor(int positions, int tileM) =>
        RowChoices.Where(r => MeshGemmRules.MeshSize * PaddedRun(positions, r) == tileM).Select(r => (int?)r).FirstOrDefault();

    /// <summary>The tiles of M the choices of <see cref="RowsPerImage"/> give <paramref name="positions"/>, each once (the fewest rows an image first).</summary>
    public static IEnumerable<int> DistinctRows(int positions) =>
        RowChoices.Where((r, i) => i == 0 || PaddedRun(positions, r) != PaddedRun(positions, RowChoices[i - 1]));

    /// <summary>Whether <paramref name="tensor"/> reads M, and so lies as <see cref="Layout"/> says.</summary>
    public bool Holds(string tensor) => Tensors.ContainsKey(tensor);

    /// <summary>Why <paramref name="schedule"/> does not fit these image rows (the decision and the rule), or null.</summary>
    public (string Decision, string Message)? Violation(ImplicitGemmSchedule schedule, string merged)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (schedule.Mapping.M != merged)
        {
            return (nameof(ImplicitGemmSchedule.Mapping), $"MergedAxes = [{string.Join(", ", schedule.MergedAxes)}] gives each mesh row one image, which needs M = {merged} (the mesh rows walk M), not {schedule.Mapping}.");
        }

        return schedule.TileM == Tile ? null
            : (nameof(ImplicitGemmSchedule.TileM), string.Create(CultureInfo.InvariantCulture,
                $"TileM = {schedule.TileM} must be one of [{string.Join(", ", DistinctRows(Positions.Extent).Select(r => MeshGemmRules.MeshSize * PaddedRun(Positions.Extent, r)))}] under MergedAxes = [{string.Join(", ", schedule.MergedAxes)}]: an image's {Positions.Extent} positions over 1, 2, 4 or 8 mesh rows, each run padded to a multiple of {MeshGemmRules.PerCpeMQuantum}, eight mesh rows."));
    }

    /// <summary>The layout <paramref name="tensor"/> (one of <see cref="Tensors"/>) is kept in: the positions-merged tensor itself, the framework's bytes.</summary>
    public TensorLayout Layout(string tensor)
    {
        var declaration = Tensors[tensor].Access.Tensor;
        var rank = declaration.Rank;
        return new TensorLayout(declaration, [.. Enumerable.Range(0, rank)], [.. new long[rank]], [.. declaration.Shape.Select(s => (long)s)], [.. new long[rank]]);
    }

    /// <summary>The CPE block along M of the CPE at mesh row <paramref name="row"/> in the current tile (<paramref name="m"/>, M's tiling): its image's run.</summary>
    internal static Expr Image(GemmExtent m, Var row) => m.BlockIndex(row);

    /// <summary>
    /// The element offset of this CPE's block of <paramref name="tensor"/> (<paramref name="block"/>, <see cref="Image"/>): its image, its run's first position, its
    /// columns' axis at the CPE's block origin along <paramref name="columns"/>, every other axis at its loop variable.
    /// </summary>
    internal Expr Offset(string tensor, Expr block, Axis columnsAxis, GemmExtent columns)
    {
        var (access, batch, position) = Tensors[tensor];
        var strides = Layout(tensor).Strides;
        var (image, run) = Split(block);
        Expr offset = (image * strides[batch]) + (run * PaddedPositions * strides[position]);
        for (var d = 0; d < access.Indices.Length; d++)
        {
            if (d == batch || d == position)
            {
                continue;
            }

            var index = access.Indices[d];
            Expr at = index.Constant;
            foreach (var term in index.Terms)
            {
                at += (term.Axis.Name == columnsAxis.Name ? columns.Origin(Var.Column) : new Var(term.Axis.Name)) * term.Coefficient;
            }

            offset += at * strides[d];
        }

        return offset;
    }

    /// <summary>
    /// This CPE's block of <paramref name="tensor"/> (<paramref name="block"/>, <see cref="Image"/>): <see cref="PaddedPositions"/> rows of which its
    /// run's positions of the image are valid (none for an empty image slot), the columns' share of <paramref name="columns"/>; rows one element apart, columns
    /// a channel apart.
    /// </summary>
    internal TileShape Shape(string tensor, Expr block, Axis columnsAxis, GemmExtent columns)
    {
        var (image, run) = Split(block);
        var (access, _, position) = Tensors[tensor];
        var strides = Layout(tensor).Strides;
        var columnStride = 0L;
        for (var d = 0; d < access.Indices.Length; d++)
        {
            columnStride += access.Indices[d].CoefficientOf(columnsAxis) * strides[d];
        }

        Expr valid = WholeBlocks ? PaddedPositions : Expr.Clamp(Positions.Extent - (run * PaddedPositions), 0, PaddedPositions);
        if (Batch.Extent % ImagesPerTile != 0)
        {
            valid = Expr.Min(valid, Expr.Clamp((Batch.Extent - image) * PaddedPositions, 0, PaddedPositions));
        }

        return new TileShape(PaddedPositions, columns.PerCpe, valid, columns.ValidRows(Var.Column), strides[position], columnStride);
    }

    /// <summary>A CPE block's image and which of the image's runs it holds.</summary>
    private (Expr Image, Expr Run) Split(Expr block) => RowsPerImage == 1 ? (block, 0) : (block / RowsPerImage, block % RowsPerImage);
}
