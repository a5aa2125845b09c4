using Swatop.Core.Ir;

namespace Swatop.Core.Algorithms.WinogradMesh;

/// <summary>
/// The row segments of a core group's chunks: segment <c>chunk * 8 * segments + row * segments + sg</c> of the group's
/// images x tile rows x segments along a row, and the extents of its input and output (<see cref="Of"/> binds them).
/// </summary>
internal sealed class RowSegments(IRowSegmentGeometry plan, Expr total, Expr firstImage, Expr chunk)
{
    public Var N { get; } = new("n");

    public Var Ty { get; } = new("ty");

    public Var Tx { get; } = new("tx");

    public Var R0 { get; } = new("ih");

    public Var Vr { get; } = new("vr");

    public Var Skip { get; } = new("skip");

    public Var V0 { get; } = new("iw");

    public Var Vw { get; } = new("vw");

    public Var Lead { get; } = new("lead");

    public Var Ow { get; } = new("ow");

    public Var Oh { get; } = new("oh");

    private Var Index { get; } = new("seg");

    /// <summary>Whether the segment lies inside the group's images (the last chunk may hold fewer).</summary>
    public Expr Valid => Expr.Less(Index, total);

    /// <summary><paramref name="body"/> with the segment <paramref name="sg"/> of the CPE's mesh row bound.</summary>
    public Let Of(Expr sg, Stmt body)
    {
        var c = plan.Conv;
        int m = plan.M, alpha = plan.Alpha;
        long span = (long)plan.TileColumns * m;
        var first = (Ty * m) - c.Padding.Top;
        var c0 = (Tx * span) - c.Padding.Left;
        body = new Let(Oh.Name, Expr.Min(m, c.OutHeight - (Ty * m)), body);
        body = new Let(Ow.Name, Expr.Min(span, c.OutWidth - (Tx * span)), body);
        body = new Let(Vw.Name, Expr.Clamp(Expr.Min(c.Width, c0 + plan.RowStride) - V0, 0, plan.InputColumns), body);
        body = new Let(Lead.Name, Expr.Max(0, c.Padding.Left - (Tx * span)), body);
        body = new Let(V0.Name, Expr.Max(0, c0), body);
        body = new Let(Vr.Name, Expr.Clamp(Expr.Min(c.Height, first + alpha) - R0, 0, alpha), body);
        body = new Let(Skip.Name, Expr.Max(0, c.Padding.Top - (Ty * m)), body);
        body = new Let(R0.Name, Expr.Max(0, first), body);
        body = new Let(Tx.Name, Index % plan.ColumnSegments, body);
        body = new Let(Ty.Name, Index / plan.ColumnSegments % plan.TileRows, body);
        body = new Let(N.Name, firstImage + (Index / plan.SegmentsPerImage), body);
        return new Let(Index.Name, (chunk * plan.ChunkSegments) + (Var.Row * plan.SegmentsPerMeshRow) + sg, body);
    }

    /// <summary><paramref name="body"/> when the segment is valid and reads some of the input.</summary>
    public Conditional WhenReading(Stmt body) => new(Expr.And(Valid, Expr.And(Expr.Less(0, Vr), Expr.Less(0, Vw))), body);
}
