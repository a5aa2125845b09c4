using System.Globalization;
using System.Text;
using Swatop.Primitives;

namespace Swatop.Core.Ir;

/// <summary>
/// Prints loop IR as text, one statement a line, blocks indented by two spaces. The text is what
/// the pass pipeline logs, what pass tests compare, and what the IR parser reads back.
/// </summary>
/// <remarks>
/// Statement forms: <c>for v &lt; extent { }</c>, <c>let v = e { }</c>, <c>if e { } else { }</c>,
/// <c>fill buf[offset +: count] = value</c>, <c>eltwise buf[o +: n] op operand[, operand]</c> (see
/// <see cref="Print(ElementwiseOperand)"/>), <c>exp buf[o +: n]</c>, <c>transpose target[o +: n] &lt;- source[o +: n] rows r cols c</c>, <c>mac target[o +: n] += weights[o +: k] * source[o +: m] stride s dilation d</c>, <c>reset r</c>,
/// <c>get buf[o +: n] &lt;- tensor[e] block b gap g reply r</c>, <c>put buf[o +: n] -&gt; tensor[e] block b gap g reply r</c>,
/// <c>tile get|put buf[o +: n] tensor[e] rows r cols c valid vr, vc strides rs, cs reply r</c>,
/// <c>wait r</c>, <c>gemm m=e n=e k=e a=ref b=ref c=ref</c>, <c>swap buf</c>. A reference to the
/// prefetch half of a double-buffered buffer is written <c>buf.next[...]</c>.
/// </remarks>
public sealed class IrPrinter : IStmtVisitor
{
    private readonly StringBuilder _text = new();
    private int _depth;

    private IrPrinter()
    {
    }

    /// <summary>Prints an expression.</summary>
    public static string Print(Expr expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var text = new StringBuilder();
        AppendExpr(text, expression, 0);
        return text.ToString();
    }

    /// <summary>Prints an LDM reference.</summary>
    public static string Print(LdmRef reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return string.Create(CultureInfo.InvariantCulture,
            $"{reference.Buffer}{(reference.Half == BufferHalf.Next ? ".next" : "")}[{Print(reference.Offset)} +: {Print(reference.Count)}]");
    }

    /// <summary>Prints an element-wise operand: <c>buf[o +: n]</c>, with <c>per row</c> or <c>per column</c> for a broadcast vector, or a number.</summary>
    public static string Print(ElementwiseOperand operand)
    {
        ArgumentNullException.ThrowIfNull(operand);
        return operand.Kind switch
        {
            ElementwiseOperandKind.Scalar => Number(operand.Value),
            ElementwiseOperandKind.PerRow => $"{Print(operand.Source!)} per row",
            ElementwiseOperandKind.PerColumn => $"{Print(operand.Source!)} per column",
            _ => Print(operand.Source!),
        };
    }

    /// <summary>Prints a statement and everything under it.</summary>
    public static string Print(Stmt statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var printer = new IrPrinter();
        printer.Statement(statement);
        return printer._text.ToString();
    }

    /// <summary>Prints a kernel: its declarations, then its body.</summary>
    public static string Print(LoopKernel kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        var printer = new IrPrinter();
        printer.Line($"kernel {kernel.Name} {(kernel.ElementType == ElementType.Float32 ? "float32" : "float64")}");
        foreach (var tensor in kernel.Tensors)
        {
            printer.Line(string.Create(CultureInfo.InvariantCulture, $"tensor {tensor.Name}[{tensor.Elements}] {(tensor.IsOutput ? "out" : "in")}"));
        }

        foreach (var buffer in kernel.Buffers)
        {
            printer.Line(string.Create(CultureInfo.InvariantCulture,
                $"buffer {buffer.Name}[{buffer.Elements}]{(buffer.Copies == 2 ? " x2" : buffer.DoubleBuffer ? " double" : "")}{(buffer.IsPlaced ? $" @{buffer.Offset}" : "")}"));
        }

        foreach (var reply in kernel.Replies)
        {
            printer.Line($"reply {reply}");
        }

        printer.Line("body {");
        printer._depth++;
        printer.Statement(kernel.Body);
        printer._depth--;
        printer.Line("}");
        return printer._text.ToString();
    }

    private void Statement(Stmt statement) => statement.Accept(this);

    void IStmtVisitor.Visit(Block block)
    {
        foreach (var inner in block.Statements)
        {
            Statement(inner);
        }
    }

    void IStmtVisitor.Visit(ForLoop loop) => Nested($"for {loop.Var} < {Print(loop.Extent)} {{", loop.Body);

    void IStmtVisitor.Visit(Let let) => Nested($"let {let.Var} = {Print(let.Value)} {{", let.Body);

    void IStmtVisitor.Visit(Conditional branch)
    {
        Nested($"if {Print(branch.Condition)} {{", branch.Then, close: branch.Else is null);
        if (branch.Else is { } otherwise)
        {
            Nested("} else {", otherwise);
        }
    }

    void IStmtVisitor.Visit(Fill fill) => Line($"fill {Print(fill.Target)} = {Number(fill.Value)}");

    void IStmtVisitor.Visit(Elementwise elementwise) =>
        Line($"eltwise {Print(elementwise.Target)} {ElementwiseRules.Name(elementwise.Op)} {string.Join(", ", elementwise.Operands.Select(Print))}");

    void IStmtVisitor.Visit(Exponential exponential) => Line($"exp {Print(exponential.Target)}");

    void IStmtVisitor.Visit(Transpose transpose) =>
        Line($"transpose {Print(transpose.Target)} <- {Print(transpose.Source)} rows {Print(transpose.Rows)} cols {Print(transpose.Columns)}");

    void IStmtVisitor.Visit(MultiplyAccumulate multiplyAccumulate) =>
        Line($"mac {Print(multiplyAccumulate.Target)} += {Print(multiplyAccumulate.Weights)} * {Print(multiplyAccumulate.Source)} stride {Print(multiplyAccumulate.Stride)} dilation {Print(multiplyAccumulate.Dilation)}");

    void IStmtVisitor.Visit(ResetReply reset) => Line($"reset {reset.Reply}");

    void IStmtVisitor.Visit(DmaGet get) =>
        Line($"get {Print(get.Target)} <- {get.Tensor}[{Print(get.Offset)}] block {Print(get.BlockElements)} gap {Print(get.GapElements)} reply {get.Reply}");

    void IStmtVisitor.Visit(DmaPut put) =>
        Line($"put {Print(put.Source)} -> {put.Tensor}[{Print(put.Offset)}] block {Print(put.BlockElements)} gap {Print(put.GapElements)} reply {put.Reply}");

    void IStmtVisitor.Visit(TileDma tile)
    {
        var s = tile.Shape;
        Line($"tile {(tile.Direction == DmaDirection.Get ? "get" : "put")} {Print(tile.Ldm)} {tile.Tensor}[{Print(tile.Offset)}] " +
             $"rows {Print(s.Rows)} cols {Print(s.Columns)} valid {Print(s.ValidRows)}, {Print(s.ValidColumns)} strides {Print(s.RowStride)}, {Print(s.ColumnStride)} reply {tile.Reply}");
    }

    void IStmtVisitor.Visit(DmaWait wait) => Line($"wait {wait.Reply}");

    void IStmtVisitor.Visit(MeshGemm gemm) =>
        Line($"gemm m={Print(gemm.M)} n={Print(gemm.N)} k={Print(gemm.K)} a={Print(gemm.A)} b={Print(gemm.B)} c={Print(gemm.C)}");

    void IStmtVisitor.Visit(Swap swap) => Line($"swap {swap.Buffer}");

    private void Nested(string header, Stmt body, bool close = true)
    {
        Line(header);
        _depth++;
        Statement(body);
        _depth--;
        if (close)
        {
            Line("}");
        }
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private void Line(string text) => _text.Append(' ', 2 * _depth).Append(text).Append('\n');

    private static void AppendExpr(StringBuilder text, Expr expression, int context) => Syntax.Instance.Append(text, expression, context);

    /// <summary>Binding strength of an infix operator: higher binds tighter.</summary>
    internal static int Precedence(BinaryOp op) => op switch
    {
        BinaryOp.Or => 1,
        BinaryOp.And => 2,
        BinaryOp.Lt or BinaryOp.Le or BinaryOp.Eq or BinaryOp.Ne => 3,
        BinaryOp.Add or BinaryOp.Sub => 4,
        _ => 5,
    };

    /// <summary>The IR's expression dialect: min and max as calls, the rest infix.</summary>
    private sealed class Syntax : ExprPrinter
    {
        public static Syntax Instance { get; } = new();

        protected override string? CallName(BinaryOp op) => op switch
        {
            BinaryOp.Min => "min",
            BinaryOp.Max => "max",
            _ => null,
        };

        protected override int Precedence(BinaryOp op) => IrPrinter.Precedence(op);
    }
}
