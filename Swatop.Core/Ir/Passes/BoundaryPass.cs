using System.Globalization;

namespace Swatop.Core.Ir.Passes;

/// <summary>
/// The <c>boundary</c> pass: lowers every <see cref="TileDma"/> to plain DMA, padding border tiles only
/// (light-weight padding). A tile whose valid corner is provably the whole block becomes its direct
/// form; any other tile tests at run time: interior tiles take the direct form, border tiles move their
/// valid corner column by column, gets filling the block with zeros first.
/// </summary>
/// <remarks>
/// For a block of R x C (column-major) with strides rs, cs into LDM reference L, the direct form is one
/// strided transfer <c>L &lt;-&gt; t[off] block R gap cs - R</c> when rs is 1 and cs is provably at least R
/// (<c>block 0 gap 0</c>, one contiguous run, when cs is R; one contiguous transfer per column when
/// the columns may overlap, cs below R), else one transfer per column
/// <c>for j &lt; C { L[j * R +: R] &lt;-&gt; t[off + j * cs] block 1 gap rs - 1 }</c>. The border form is
/// <c>fill L = 0</c> (gets only) then <c>if 0 &lt; vr { for j &lt; vc { L[j * R +: vr] &lt;-&gt; t[off + j * cs] } }</c>.
/// The column variable is named <c>j_</c> and the buffer, made unique among the names in scope.
/// </remarks>
public sealed class BoundaryPass : IKernelPass
{
    /// <inheritdoc />
    public string Name => "boundary";

    /// <inheritdoc />
    public LoopKernel Run(LoopKernel kernel, PassContext context)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(context);
        var body = new Lowering(context.KernelScope).Rewrite(kernel.Body);
        return ReferenceEquals(body, kernel.Body) ? kernel : kernel with { Body = body };
    }

    private sealed class Lowering(RangeScope scope) : ScopedRewriter(scope)
    {
        protected override Stmt RewriteTile(TileDma tile)
        {
            var s = tile.Shape;
            var column = new Var(FreshName(tile));
            var direct = Direct(tile, column);
            if (ProvablyEqual(s.ValidRows, s.Rows) && ProvablyEqual(s.ValidColumns, s.Columns))
            {
                return direct;
            }

            var contiguous = Bounds.IsProvably(s.RowStride, 1, Scope);
            var columns = new ForLoop(column.Name, s.ValidColumns, Transfer(tile,
                tile.Ldm with { Offset = tile.Ldm.Offset + (column * s.Rows), Count = s.ValidRows },
                tile.Offset + (column * s.ColumnStride),
                contiguous ? Expr.Zero : Expr.One,
                contiguous ? Expr.Zero : s.RowStride - 1));
            Stmt border = Bounds.Of(s.ValidRows, Scope).Min > 0 ? columns : new Conditional(Expr.Less(Expr.Zero, s.ValidRows), columns);
            if (tile.Direction == DmaDirection.Get)
            {
                border = Block.Of(new Fill(tile.Ldm, 0), border);
            }

            var interior = Expr.And(Expr.Equal(s.ValidRows, s.Rows), Expr.Equal(s.ValidColumns, s.Columns));
            return new Conditional(interior, direct, border);
        }

        private Stmt Direct(TileDma tile, Var column)
        {
            var s = tile.Shape;
            if (!Bounds.IsProvably(s.RowStride, 1, Scope))
            {
                return new ForLoop(column.Name, s.Columns, Transfer(tile,
                    tile.Ldm with { Offset = tile.Ldm.Offset + (column * s.Rows), Count = s.Rows },
                    tile.Offset + (column * s.ColumnStride), Expr.One, s.RowStride - 1));
            }

            if (ProvablyEqual(s.ColumnStride, s.Rows))
            {
                return Transfer(tile, tile.Ldm, tile.Offset, Expr.Zero, Expr.Zero);
            }

            if (Bounds.Of(LinearForm.Of(s.ColumnStride).AddScaled(LinearForm.Of(s.Rows), -1), Scope).Min >= 0)
            {
                return Transfer(tile, tile.Ldm, tile.Offset, s.Rows, s.ColumnStride - s.Rows);
            }

            // Columns that overlap in memory (a sliding window's input): a gap cannot be negative, so one contiguous transfer per column.
            return new ForLoop(column.Name, s.Columns, Transfer(tile,
                tile.Ldm with { Offset = tile.Ldm.Offset + (column * s.Rows), Count = s.Rows },
                tile.Offset + (column * s.ColumnStride), Expr.Zero, Expr.Zero));
        }

        private static Stmt Transfer(TileDma tile, LdmRef ldm, Expr offset, Expr block, Expr gap) =>
            tile.Direction == DmaDirection.Get
                ? new DmaGet(ldm, tile.Tensor, offset, block, gap, tile.Reply)
                : new DmaPut(ldm, tile.Tensor, offset, block, gap, tile.Reply);

        private bool ProvablyEqual(Expr left, Expr right) =>
            left == right || Bounds.Of(LinearForm.Of(left).AddScaled(LinearForm.Of(right), -1), Scope).IsZero;

        private string FreshName(TileDma tile)
        {
            var used = StatementFacts.FreeVariables(tile);
            var stem = "j_" + tile.Ldm.Buffer;
            var name = stem;
            for (var i = 1; Scope.IsBound(name) || used.Contains(name); i++)
            {
                name = stem + i.ToString(CultureInfo.InvariantCulture);
            }

            return name;
        }
    }
}
