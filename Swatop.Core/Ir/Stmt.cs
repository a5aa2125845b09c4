using System.Collections.Immutable;
using Swatop.Primitives;

namespace Swatop.Core.Ir;

/// <summary>
/// A statement of the loop IR: the SPMD program every CPE of a core group runs. Statements are
/// immutable; passes return new trees through <see cref="IrRewriter"/>.
/// </summary>
public abstract record Stmt
{
    /// <summary>The statement as IR text.</summary>
    public sealed override string ToString() => IrPrinter.Print(this);

    /// <summary>Calls the <c>Visit</c> overload of <paramref name="visitor"/> for this statement's own type.</summary>
    public abstract void Accept(IStmtVisitor visitor);

    /// <summary>Calls the <c>Visit</c> overload of <paramref name="visitor"/> for this statement's own type and returns its result.</summary>
    /// <typeparam name="TResult">What the visitor computes.</typeparam>
    public abstract TResult Accept<TResult>(IStmtVisitor<TResult> visitor);
}

/// <summary>Statements run in order.</summary>
/// <param name="Statements">The statements.</param>
public sealed record Block(ImmutableArray<Stmt> Statements) : Stmt
{
    /// <inheritdoc />
    public override void Accept(IStmtVisitor visitor) => visitor.Visit(this);

    /// <inheritdoc />
    public override TResult Accept<TResult>(IStmtVisitor<TResult> visitor) => visitor.Visit(this);

    /// <summary>An empty block.</summary>
    public static readonly Block Empty = new(ImmutableArray<Stmt>.Empty);

    /// <summary>A block of <paramref name="statements"/>, flattening nested blocks.</summary>
    public static Stmt Of(params IEnumerable<Stmt> statements)
    {
        var flat = ImmutableArray.CreateBuilder<Stmt>();
        foreach (var statement in statements)
        {
            if (statement is Block block)
            {
                flat.AddRange(block.Statements);
            }
            else
            {
                flat.Add(statement);
            }
        }

        return flat.Count == 1 ? flat[0] : new Block(flat.ToImmutable());
    }
}

/// <summary><c>for (Var = 0; Var &lt; Extent; Var++) Body</c>.</summary>
/// <param name="Var">The loop variable, named after the axis it walks.</param>
/// <param name="Extent">The trip count; may depend on enclosing variables.</param>
/// <param name="Body">The body.</param>
public sealed record ForLoop(string Var, Expr Extent, Stmt Body) : Stmt
{
    /// <inheritdoc />
    public override void Accept(IStmtVisitor visitor) => visitor.Visit(this);

    /// <inheritdoc />
    public override TResult Accept<TResult>(IStmtVisitor<TResult> visitor) => visitor.Visit(this);
}

/// <summary>Runs <paramref name="Then"/> when the condition is non-zero, else <paramref name="Else"/>.</summary>
/// <param name="Condition">The condition.</param>
/// <param name="Then">Run when the condition holds.</param>
/// <param name="Else">Run otherwise; <see langword="null"/> for nothing.</param>
public sealed record Conditional(Expr Condition, Stmt Then, Stmt? Else = null) : Stmt
{
    /// <inheritdoc />
    public override void Accept(IStmtVisitor visitor) => visitor.Visit(this);

    /// <inheritdoc />
    public override TResult Accept<TResult>(IStmtVisitor<TResult> visitor) => visitor.Visit(this);
}

/// <summary>Binds <paramref name="Var"/> to a value inside <paramref name="Body"/>.</summary>
/// <param name="Var">The name.</param>
/// <param name="Value">The value, evaluated once on entry.</param>
/// <param name="Body">Where the name is visible.</param>
public sealed record Let(string Var, Expr Value, Stmt Body) : Stmt
{
    /// <inheritdoc />
    public override void Accept(IStmtVisitor visitor) => visitor.Visit(this);

    /// <inheritdoc />
    public override TResult Accept<TResult>(IStmtVisitor<TResult> visitor) => visitor.Visit(this);
}

/// <summary>Sets <paramref name="Target"/>'s elements to <paramref name="Value"/> (the fill primitive).</summary>
/// <param name="Target">The LDM elements.</param>
/// <param name="Value">The value.</param>
public sealed record Fill(LdmRef Target, double Value) : Stmt
{
    /// <inheritdoc />
    public override void Accept(IStmtVisitor visitor) => visitor.Visit(this);

    /// <inheritdoc />
    public override TResult Accept<TResult>(IStmtVisitor<TResult> visitor) => visitor.Visit(this);
}

/// <summary>
/// The element-wise primitive: updates <paramref name="Target"/> in place, <c>t = op(t, operands...)</c>,
/// for the epilogues applied in LDM before an output put (a bias, an activation, a residual add, a scale).
/// The target is a column-major block whose rows its broadcast operands imply (see <see cref="ElementwiseRules"/>);
/// no LDM operand may overlap it.
/// </summary>
/// <param name="Target">The LDM elements updated.</param>
/// <param name="Op">The operation.</param>
/// <param name="Operands">Its operands: one, or two for <see cref="ElementwiseOp.Clamp"/>.</param>
public sealed record Elementwise(LdmRef Target, ElementwiseOp Op, ImmutableArray<ElementwiseOperand> Operands) : Stmt
{
    /// <summary>
    /// The rows of the target's column-major block: the count of a per-row vector, the target's count
    /// over a per-column vector's, or, when no operand broadcasts, the target's count (one column).
    /// </summary>
    public Expr Rows => Operands.FirstOrDefault(o => o.Kind is ElementwiseOperandKind.PerRow or ElementwiseOperandKind.PerColumn) switch
    {
        { Kind: ElementwiseOperandKind.PerRow, Source: { } vector } => vector.Count,
        { Kind: ElementwiseOperandKind.PerColumn, Source: { } vector } => Target.Count / vector.Count,
        _ => Target.Count,
    };

    /// <inheritdoc />
    public override void Accept(IStmtVisitor visitor) => visitor.Visit(this);

    /// <inheritdoc />
    public override TResult Accept<TResult>(IStmtVisitor<TResult> visitor) => visitor.Visit(this);
}

/// <summary>
/// The exponential primitive: <c>Target[i] = exp(Target[i])</c> in place for each of the target's elements, as
/// <see cref="ExpKernel"/> computes it (a Cody-Waite reduction and a polynomial, nothing fused; the SW26010 has no
/// exponential instruction).
/// </summary>
/// <param name="Target">The LDM elements updated.</param>
public sealed record Exponential(LdmRef Target) : Stmt
{
    /// <inheritdoc />
    public override void Accept(IStmtVisitor visitor) => visitor.Visit(this);

    /// <inheritdoc />
    public override TResult Accept<TResult>(IStmtVisitor<TResult> visitor) => visitor.Visit(this);
}

/// <summary>
/// The LDM transpose primitive, for the layout steps that pack tiles into blocked or permuted layouts.
/// Source is a column-major Rows x Columns block (element (i, j) at i + j * Rows); Target receives its
/// transpose, a column-major Columns x Rows block: Target[j + i * Columns] = Source[i + j * Rows].
/// Target and Source must not overlap, and each holds Rows x Columns elements (see <see cref="TransposeRules"/>).
/// </summary>
/// <param name="Target">The LDM elements written: the Columns x Rows block.</param>
/// <param name="Source">The LDM elements read: the Rows x Columns block.</param>
/// <param name="Rows">The source block's rows (the target's columns).</param>
/// <param name="Columns">The source block's columns (the target's rows).</param>
public sealed record Transpose(LdmRef Target, LdmRef Source, Expr Rows, Expr Columns) : Stmt
{
    /// <inheritdoc />
    public override void Accept(IStmtVisitor visitor) => visitor.Visit(this);

    /// <inheritdoc />
    public override TResult Accept<TResult>(IStmtVisitor<TResult> visitor) => visitor.Visit(this);
}

/// <summary>
/// The multiply-accumulate primitive, one row of a direct convolution: for each of the target's elements
/// <c>i</c>, <c>Target[i] += Weights[k] * Source[i * Stride + k * Dilation]</c> for the taps <c>k</c> of
/// <paramref name="Weights"/> in order, each product and sum rounded (see <see cref="MultiplyAccumulateRules"/>).
/// The target overlaps neither the weights nor the source.
/// </summary>
/// <param name="Target">The outputs, updated in place.</param>
/// <param name="Weights">The taps' weights.</param>
/// <param name="Source">The elements read, at least <see cref="MultiplyAccumulateRules.SourceSpan"/> of them.</param>
/// <param name="Stride">Source elements between consecutive outputs.</param>
/// <param name="Dilation">Source elements between consecutive taps.</param>
public sealed record MultiplyAccumulate(LdmRef Target, LdmRef Weights, LdmRef Source, Expr Stride, Expr Dilation) : Stmt
{
    /// <inheritdoc />
    public override void Accept(IStmtVisitor visitor) => visitor.Visit(this);

    /// <inheritdoc />
    public override TResult Accept<TResult>(IStmtVisitor<TResult> visitor) => visitor.Visit(this);
}

/// <summary>Sets a reply word back to zero (<c>reply = 0</c>) before a group of transfers.</summary>
/// <param name="Reply">The reply word.</param>
public sealed record ResetReply(string Reply) : Stmt
{
    /// <inheritdoc />
    public override void Accept(IStmtVisitor visitor) => visitor.Visit(this);

    /// <inheritdoc />
    public override TResult Accept<TResult>(IStmtVisitor<TResult> visitor) => visitor.Visit(this);
}

/// <summary>
/// A DMA get in PE mode: <c>Target.Count</c> elements from <paramref name="Tensor"/> starting at
/// element <paramref name="Offset"/>, in blocks of <paramref name="BlockElements"/> elements that are
/// <paramref name="GapElements"/> apart in main memory (a block of 0 means one contiguous run).
/// </summary>
/// <param name="Target">Where the elements land in LDM, contiguously.</param>
/// <param name="Tensor">The kernel tensor read.</param>
/// <param name="Offset">The first element.</param>
/// <param name="BlockElements">Elements per contiguous block; 0 for contiguous.</param>
/// <param name="GapElements">Elements skipped in main memory between blocks.</param>
/// <param name="Reply">The reply word the completion increments.</param>
public sealed record DmaGet(LdmRef Target, string Tensor, Expr Offset, Expr BlockElements, Expr GapElements, string Reply) : Stmt
{
    /// <inheritdoc />
    public override void Accept(IStmtVisitor visitor) => visitor.Visit(this);

    /// <inheritdoc />
    public override TResult Accept<TResult>(IStmtVisitor<TResult> visitor) => visitor.Visit(this);
}

/// <summary>A DMA put in PE mode: the mirror of <see cref="DmaGet"/>.</summary>
/// <param name="Source">The LDM elements written out.</param>
/// <param name="Tensor">The kernel tensor written.</param>
/// <param name="Offset">The first element.</param>
/// <param name="BlockElements">Elements per contiguous block; 0 for contiguous.</param>
/// <param name="GapElements">Elements skipped in main memory between blocks.</param>
/// <param name="Reply">The reply word the completion increments.</param>
public sealed record DmaPut(LdmRef Source, string Tensor, Expr Offset, Expr BlockElements, Expr GapElements, string Reply) : Stmt
{
    /// <inheritdoc />
    public override void Accept(IStmtVisitor visitor) => visitor.Visit(this);

    /// <inheritdoc />
    public override TResult Accept<TResult>(IStmtVisitor<TResult> visitor) => visitor.Visit(this);
}

/// <summary>
/// A tile transfer before boundary handling: the LDM block is column-major
/// <c>Shape.Rows x Shape.Columns</c>; its element (i, j) is the tensor's element
/// <c>Offset + i * RowStride + j * ColumnStride</c>. Only the valid corner moves: a get fills the rest
/// of the block with zeros, a put writes the valid corner alone. The boundary pass turns it into
/// <see cref="DmaGet"/> / <see cref="DmaPut"/> and <see cref="Fill"/> statements.
/// </summary>
/// <param name="Direction">Get or put.</param>
/// <param name="Ldm">The block in LDM; its count is rows x columns.</param>
/// <param name="Tensor">The kernel tensor.</param>
/// <param name="Offset">The tensor element of the block's element (0, 0).</param>
/// <param name="Shape">Extents, valid extents and strides.</param>
/// <param name="Reply">The reply word.</param>
public sealed record TileDma(DmaDirection Direction, LdmRef Ldm, string Tensor, Expr Offset, TileShape Shape, string Reply) : Stmt
{
    /// <inheritdoc />
    public override void Accept(IStmtVisitor visitor) => visitor.Visit(this);

    /// <inheritdoc />
    public override TResult Accept<TResult>(IStmtVisitor<TResult> visitor) => visitor.Visit(this);
}

/// <summary>Waits for every transfer issued against <paramref name="Reply"/> since it was reset (<c>dma_wait(&amp;reply, issued)</c>).</summary>
/// <param name="Reply">The reply word.</param>
public sealed record DmaWait(string Reply) : Stmt
{
    /// <inheritdoc />
    public override void Accept(IStmtVisitor visitor) => visitor.Visit(this);

    /// <inheritdoc />
    public override TResult Accept<TResult>(IStmtVisitor<TResult> visitor) => visitor.Visit(this);
}

/// <summary>
/// The mesh GEMM primitive: C (M x N) += A (M x K) * B (K x N) over the 8 x 8 mesh; each operand is
/// this CPE's column-major block (M/8 x K/8, K/8 x N/8, M/8 x N/8). Every CPE calls it with the same shape.
/// </summary>
/// <param name="M">Whole-mesh rows.</param>
/// <param name="N">Whole-mesh columns.</param>
/// <param name="K">Whole-mesh reduction extent.</param>
/// <param name="A">This CPE's A block.</param>
/// <param name="B">This CPE's B block.</param>
/// <param name="C">This CPE's C block.</param>
public sealed record MeshGemm(Expr M, Expr N, Expr K, LdmRef A, LdmRef B, LdmRef C) : Stmt
{
    /// <inheritdoc />
    public override void Accept(IStmtVisitor visitor) => visitor.Visit(this);

    /// <inheritdoc />
    public override TResult Accept<TResult>(IStmtVisitor<TResult> visitor) => visitor.Visit(this);
}

/// <summary>Exchanges the two halves of a double-buffered LDM buffer: the next half becomes the current one.</summary>
/// <param name="Buffer">The buffer.</param>
public sealed record Swap(string Buffer) : Stmt
{
    /// <inheritdoc />
    public override void Accept(IStmtVisitor visitor) => visitor.Visit(this);

    /// <inheritdoc />
    public override TResult Accept<TResult>(IStmtVisitor<TResult> visitor) => visitor.Visit(this);
}

/// <summary>The direction of a <see cref="TileDma"/>.</summary>
public enum DmaDirection
{
    /// <summary>Main memory to LDM.</summary>
    Get,

    /// <summary>LDM to main memory.</summary>
    Put,
}
