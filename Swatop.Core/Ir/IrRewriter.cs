using System.Collections.Immutable;

namespace Swatop.Core.Ir;

/// <summary>
/// The base of IR transformations: every method returns its node rewritten, by default the same
/// node rebuilt from its rewritten children (or the very same instance when nothing changed), so a
/// pass overrides only the nodes it cares about. Dispatch goes through <see cref="IStmtVisitor{TResult}"/>
/// and <see cref="IExprVisitor{TResult}"/>, so a new kind of node needs its method here before anything builds.
/// </summary>
public abstract class IrRewriter : IStmtVisitor<Stmt>, IExprVisitor<Expr>
{
    /// <summary>Rewrites a statement through the method of its kind.</summary>
    public virtual Stmt Rewrite(Stmt statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        return statement.Accept(this);
    }

    /// <summary>Rewrites an expression through the method of its kind; by default every node comes back the same unless an operand changed.</summary>
    public virtual Expr Rewrite(Expr expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        return expression.Accept(this);
    }

    /// <summary>Rewrites an LDM reference's expressions.</summary>
    public virtual LdmRef Rewrite(LdmRef reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var offset = Rewrite(reference.Offset);
        var count = Rewrite(reference.Count);
        return ReferenceEquals(offset, reference.Offset) && ReferenceEquals(count, reference.Count)
            ? reference
            : reference with { Offset = offset, Count = count };
    }

    /// <summary>Rewrites each statement of a block, flattening nested blocks and dropping empty ones.</summary>
    protected virtual Stmt RewriteBlock(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        var changed = false;
        var statements = ImmutableArray.CreateBuilder<Stmt>(block.Statements.Length);
        foreach (var statement in block.Statements)
        {
            var rewritten = Rewrite(statement);
            changed |= !ReferenceEquals(rewritten, statement);
            statements.Add(rewritten);
        }

        return changed ? Block.Of(statements.Where(s => s is not Block { Statements.IsEmpty: true })) : block;
    }

    /// <summary>Rewrites a loop's extent and body.</summary>
    protected virtual Stmt RewriteFor(ForLoop forLoop)
    {
        ArgumentNullException.ThrowIfNull(forLoop);
        var extent = Rewrite(forLoop.Extent);
        var body = Rewrite(forLoop.Body);
        return Same(extent, forLoop.Extent) && Same(body, forLoop.Body) ? forLoop : forLoop with { Extent = extent, Body = body };
    }

    /// <summary>Rewrites a branch's condition and arms.</summary>
    protected virtual Stmt RewriteIf(Conditional branch)
    {
        ArgumentNullException.ThrowIfNull(branch);
        var condition = Rewrite(branch.Condition);
        var then = Rewrite(branch.Then);
        var otherwise = branch.Else is null ? null : Rewrite(branch.Else);
        return Same(condition, branch.Condition) && Same(then, branch.Then) && ReferenceEquals(otherwise, branch.Else)
            ? branch
            : new Conditional(condition, then, otherwise);
    }

    /// <summary>Rewrites a binding's value and body.</summary>
    protected virtual Stmt RewriteLet(Let let)
    {
        ArgumentNullException.ThrowIfNull(let);
        var value = Rewrite(let.Value);
        var body = Rewrite(let.Body);
        return Same(value, let.Value) && Same(body, let.Body) ? let : let with { Value = value, Body = body };
    }

    /// <summary>Rewrites a fill's target.</summary>
    protected virtual Stmt RewriteFill(Fill fill)
    {
        ArgumentNullException.ThrowIfNull(fill);
        var target = Rewrite(fill.Target);
        return ReferenceEquals(target, fill.Target) ? fill : fill with { Target = target };
    }

    /// <summary>Rewrites an exponential's target.</summary>
    protected virtual Stmt RewriteExponential(Exponential exponential)
    {
        ArgumentNullException.ThrowIfNull(exponential);
        var target = Rewrite(exponential.Target);
        return ReferenceEquals(target, exponential.Target) ? exponential : new Exponential(target);
    }

    /// <summary>Rewrites an element-wise operation's target and LDM operands.</summary>
    protected virtual Stmt RewriteElementwise(Elementwise elementwise)
    {
        ArgumentNullException.ThrowIfNull(elementwise);
        var target = Rewrite(elementwise.Target);
        var operands = elementwise.Operands;
        for (var i = 0; i < operands.Length; i++)
        {
            if (operands[i].Source is { } source && Rewrite(source) is var rewritten && !ReferenceEquals(rewritten, source))
            {
                operands = operands.SetItem(i, operands[i] with { Source = rewritten });
            }
        }

        return ReferenceEquals(target, elementwise.Target) && operands == elementwise.Operands
            ? elementwise
            : elementwise with { Target = target, Operands = operands };
    }

    /// <summary>Rewrites a transpose's target, source and shape.</summary>
    protected virtual Stmt RewriteTranspose(Transpose transpose)
    {
        ArgumentNullException.ThrowIfNull(transpose);
        var target = Rewrite(transpose.Target);
        var source = Rewrite(transpose.Source);
        var rows = Rewrite(transpose.Rows);
        var columns = Rewrite(transpose.Columns);
        return ReferenceEquals(target, transpose.Target) && ReferenceEquals(source, transpose.Source) && Same(rows, transpose.Rows) && Same(columns, transpose.Columns)
            ? transpose
            : new Transpose(target, source, rows, columns);
    }

    /// <summary>Rewrites a multiply-accumulate's references, stride and dilation.</summary>
    protected virtual Stmt RewriteMultiplyAccumulate(MultiplyAccumulate multiplyAccumulate)
    {
        ArgumentNullException.ThrowIfNull(multiplyAccumulate);
        var target = Rewrite(multiplyAccumulate.Target);
        var weights = Rewrite(multiplyAccumulate.Weights);
        var source = Rewrite(multiplyAccumulate.Source);
        var stride = Rewrite(multiplyAccumulate.Stride);
        var dilation = Rewrite(multiplyAccumulate.Dilation);
        return ReferenceEquals(target, multiplyAccumulate.Target) && ReferenceEquals(weights, multiplyAccumulate.Weights) && ReferenceEquals(source, multiplyAccumulate.Source)
            && Same(stride, multiplyAccumulate.Stride) && Same(dilation, multiplyAccumulate.Dilation)
            ? multiplyAccumulate
            : new MultiplyAccumulate(target, weights, source, stride, dilation);
    }

    /// <summary>Returns a reply reset unchanged.</summary>
    protected virtual Stmt RewriteReset(ResetReply reset) => reset;

    /// <summary>Rewrites a get's expressions.</summary>
    protected virtual Stmt RewriteGet(DmaGet dmaGet)
    {
        ArgumentNullException.ThrowIfNull(dmaGet);
        var target = Rewrite(dmaGet.Target);
        var offset = Rewrite(dmaGet.Offset);
        var block = Rewrite(dmaGet.BlockElements);
        var gap = Rewrite(dmaGet.GapElements);
        return ReferenceEquals(target, dmaGet.Target) && Same(offset, dmaGet.Offset) && Same(block, dmaGet.BlockElements) && Same(gap, dmaGet.GapElements)
            ? dmaGet
            : dmaGet with { Target = target, Offset = offset, BlockElements = block, GapElements = gap };
    }

    /// <summary>Rewrites a put's expressions.</summary>
    protected virtual Stmt RewritePut(DmaPut dmaPut)
    {
        ArgumentNullException.ThrowIfNull(dmaPut);
        var source = Rewrite(dmaPut.Source);
        var offset = Rewrite(dmaPut.Offset);
        var block = Rewrite(dmaPut.BlockElements);
        var gap = Rewrite(dmaPut.GapElements);
        return ReferenceEquals(source, dmaPut.Source) && Same(offset, dmaPut.Offset) && Same(block, dmaPut.BlockElements) && Same(gap, dmaPut.GapElements)
            ? dmaPut
            : dmaPut with { Source = source, Offset = offset, BlockElements = block, GapElements = gap };
    }

    /// <summary>Rewrites a tile transfer's expressions.</summary>
    protected virtual Stmt RewriteTile(TileDma tile)
    {
        ArgumentNullException.ThrowIfNull(tile);
        var ldm = Rewrite(tile.Ldm);
        var offset = Rewrite(tile.Offset);
        var s = tile.Shape;
        var shape = new TileShape(Rewrite(s.Rows), Rewrite(s.Columns), Rewrite(s.ValidRows), Rewrite(s.ValidColumns), Rewrite(s.RowStride), Rewrite(s.ColumnStride));
        var sameShape = Same(shape.Rows, s.Rows) && Same(shape.Columns, s.Columns) && Same(shape.ValidRows, s.ValidRows)
            && Same(shape.ValidColumns, s.ValidColumns) && Same(shape.RowStride, s.RowStride) && Same(shape.ColumnStride, s.ColumnStride);
        return ReferenceEquals(ldm, tile.Ldm) && Same(offset, tile.Offset) && sameShape
            ? tile
            : tile with { Ldm = ldm, Offset = offset, Shape = sameShape ? s : shape };
    }

    /// <summary>Returns a wait unchanged.</summary>
    protected virtual Stmt RewriteWait(DmaWait wait) => wait;

    /// <summary>Rewrites a GEMM's sizes and operands.</summary>
    protected virtual Stmt RewriteGemm(MeshGemm gemm)
    {
        ArgumentNullException.ThrowIfNull(gemm);
        var m = Rewrite(gemm.M);
        var n = Rewrite(gemm.N);
        var k = Rewrite(gemm.K);
        var a = Rewrite(gemm.A);
        var b = Rewrite(gemm.B);
        var c = Rewrite(gemm.C);
        return Same(m, gemm.M) && Same(n, gemm.N) && Same(k, gemm.K) && ReferenceEquals(a, gemm.A) && ReferenceEquals(b, gemm.B) && ReferenceEquals(c, gemm.C)
            ? gemm
            : new MeshGemm(m, n, k, a, b, c);
    }

    /// <summary>Returns a swap unchanged.</summary>
    protected virtual Stmt RewriteSwap(Swap swap) => swap;

    /// <summary>Returns a constant unchanged.</summary>
    protected virtual Expr RewriteLiteral(IntLiteral literal) => literal;

    /// <summary>Returns a variable unchanged.</summary>
    protected virtual Expr RewriteVar(Var variable) => variable;

    /// <summary>Rewrites a binary operation's operands, rebuilding it (unfolded) only when one changed.</summary>
    protected virtual Expr RewriteBinary(Binary binary)
    {
        ArgumentNullException.ThrowIfNull(binary);
        var left = Rewrite(binary.Left);
        var right = Rewrite(binary.Right);
        return Same(left, binary.Left) && Same(right, binary.Right) ? binary : binary with { Left = left, Right = right };
    }

    Stmt IStmtVisitor<Stmt>.Visit(Block block) => RewriteBlock(block);

    Stmt IStmtVisitor<Stmt>.Visit(ForLoop loop) => RewriteFor(loop);

    Stmt IStmtVisitor<Stmt>.Visit(Conditional branch) => RewriteIf(branch);

    Stmt IStmtVisitor<Stmt>.Visit(Let let) => RewriteLet(let);

    Stmt IStmtVisitor<Stmt>.Visit(Fill fill) => RewriteFill(fill);

    Stmt IStmtVisitor<Stmt>.Visit(Elementwise elementwise) => RewriteElementwise(elementwise);

    Stmt IStmtVisitor<Stmt>.Visit(Exponential exponential) => RewriteExponential(exponential);

    Stmt IStmtVisitor<Stmt>.Visit(Transpose transpose) => RewriteTranspose(transpose);

    Stmt IStmtVisitor<Stmt>.Visit(MultiplyAccumulate multiplyAccumulate) => RewriteMultiplyAccumulate(multiplyAccumulate);

    Stmt IStmtVisitor<Stmt>.Visit(ResetReply reset) => RewriteReset(reset);

    Stmt IStmtVisitor<Stmt>.Visit(DmaGet get) => RewriteGet(get);

    Stmt IStmtVisitor<Stmt>.Visit(DmaPut put) => RewritePut(put);

    Stmt IStmtVisitor<Stmt>.Visit(TileDma tile) => RewriteTile(tile);

    Stmt IStmtVisitor<Stmt>.Visit(DmaWait wait) => RewriteWait(wait);

    Stmt IStmtVisitor<Stmt>.Visit(MeshGemm gemm) => RewriteGemm(gemm);

    Stmt IStmtVisitor<Stmt>.Visit(Swap swap) => RewriteSwap(swap);

    Expr IExprVisitor<Expr>.Visit(IntLiteral literal) => RewriteLiteral(literal);

    Expr IExprVisitor<Expr>.Visit(Var variable) => RewriteVar(variable);

    Expr IExprVisitor<Expr>.Visit(Binary binary) => RewriteBinary(binary);

    private static bool Same(object a, object b) => ReferenceEquals(a, b);
}
