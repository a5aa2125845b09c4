using System.Collections.Immutable;
using System.Globalization;
using Swatop.Core.Ir;
using Swatop.Core.Lowering;
using Swatop.Primitives;

namespace Swatop.Core.Algorithms.ImplicitGemm;

/// <summary>
/// The M axis of a merge that gives each mesh row one image (<see cref="AxisMerge.ImageRows"/>): M walks
/// <c>[image, position]</c>, a CPE's block of M is all of one image's <see cref="Positions"/> padded to
/// <see cref="PaddedPositions"/> (the mesh GEMM's per-CPE quantum), and a tile of M is eight images, one a mesh row.
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
internal sealed record ImageRows(Axis Batch, Axis Positions, ImmutableDictionary<string, ImageRows.Tensor> Tensors)
{
    /// <summary>A tensor that reads M: its access over the positions-merged tensor, which dimension holds the images and which the positions.</summary>
    /// <param name="Access">The access with the positions merged (the tensor the kernel reads and writes in place).</param>
    /// <param name="BatchDimension">The dimension of <paramref name="Access"/> that the batch indexes.</param>
    /// <param name="PositionDimension">The dimension of <paramref name="Access"/> that the positions index, its last.</param>
    internal sealed record Tensor(TensorAccess Access, int BatchDimension, int PositionDimension);

    /// <summary>Rows of a CPE's block: the positions padded to the mesh GEMM's per-CPE quantum of M.</summary>
    public int PaddedPositions => (Positions.Extent + MeshGemmRules.PerCpeMQuantum - 1) / MeshGemmRules.PerCpeMQuantum * MeshGemmRules.PerCpeMQuantum;

    /// <summary>The one tile of M the view admits: a mesh row's block of each of the eight mesh rows.</summary>
    public int Tile => MeshGemmRules.MeshSize * PaddedPositions;

    /// <summary>Image slots of the M axis: the batch padded to whole tiles of eight images.</summary>
    public long ImageSlots => (Batch.Extent + MeshGemmRules.MeshSize - 1) / MeshGemmRules.MeshSize * (long)MeshGemmRules.MeshSize;

    /// <summary>The extent of the view's M axis: every image slot's padded positions.</summary>
    public long Extent => ImageSlots * PaddedPositions;

    /// <summary>The share of M's rows that are real positions of real images: the rest is the padding of each block and the empty slots of the last tile.</summary>
    public double Share => Batch.Extent * (double)Positions.Extent / Extent;

    /// <summary>The share of the CPE blocks along M (mesh rows over all tiles) that hold an image.</summary>
    public double ImageShare => Batch.Extent / (double)ImageSlots;

    /// <summary>Whether every CPE's block is all real positions: the positions a whole multiple of the quantum.</summary>
    public bool WholeBlocks => PaddedPositions == Positions.Extent;

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
                $"TileM = {schedule.TileM} must be {Tile} under MergedAxes = [{string.Join(", ", schedule.MergedAxes)}]: one image a mesh row, its {Positions.Extent} positions padded to {PaddedPositions} (a multiple of {MeshGemmRules.PerCpeMQuantum}) a CPE, eight mesh rows."));
    }

    /// <summary>The layout <paramref name="tensor"/> (one of <see cref="Tensors"/>) is kept in: the positions-merged tensor itself, the framework's bytes.</summary>
    public TensorLayout Layout(string tensor)
    {
        var declaration = Tensors[tensor].Access.Tensor;
        var rank = declaration.Rank;
        return new TensorLayout(declaration, [.. Enumerable.Range(0, rank)], [.. new long[rank]], [.. declaration.Shape.Select(s => (long)s)], [.. new long[rank]]);
    }

    /// <summary>The image of the CPE at mesh row <paramref name="row"/> in the current tile of M (<paramref name="m"/>, M's tiling, whose CPE block is one image's).</summary>
    internal static Expr Image(GemmExtent m, Var row) => m.BlockIndex(row);

    /// <summary>
    /// The element offset of this CPE's block of <paramref name="tensor"/>: its image (<see cref="Image"/>), position 0, its
    /// columns' axis at the CPE's block origin along <paramref name="columns"/>, every other axis at its loop variable.
    /// </summary>
    internal Expr Offset(string tensor, Expr image, Axis columnsAxis, GemmExtent columns)
    {
        var (access, batch, position) = Tensors[tensor];
        var strides = Layout(tensor).Strides;
        Expr offset = image * strides[batch];
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
    /// This CPE's block of <paramref name="tensor"/>: <see cref="PaddedPositions"/> rows of which the image's positions are
    /// valid (none for an empty image slot), the columns' share of <paramref name="columns"/>; rows one element apart, columns
    /// a channel apart.
    /// </summary>
    internal TileShape Shape(string tensor, Expr image, Axis columnsAxis, GemmExtent columns)
    {
        var (access, _, position) = Tensors[tensor];
        var strides = Layout(tensor).Strides;
        var columnStride = 0L;
        for (var d = 0; d < access.Indices.Length; d++)
        {
            columnStride += access.Indices[d].CoefficientOf(columnsAxis) * strides[d];
        }

        Expr valid = Batch.Extent % MeshGemmRules.MeshSize == 0 ? Positions.Extent : Expr.Clamp((Batch.Extent - image) * Positions.Extent, 0, Positions.Extent);
        return new TileShape(PaddedPositions, columns.PerCpe, valid, columns.ValidRows(Var.Column), strides[position], columnStride);
    }
}
