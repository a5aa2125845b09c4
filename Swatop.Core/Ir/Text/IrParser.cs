using System.Collections.Immutable;
using System.Globalization;
using Swatop.Primitives;

namespace Swatop.Core.Ir;

/// <summary>
/// Reads the IR text <see cref="IrPrinter"/> writes back into kernels, statements and expressions,
/// exactly as printed (no folding), so <c>IrPrinter.Print(IrParser.ParseKernel(text)) == text</c>
/// for printer output. Line breaks and indentation only separate tokens.
/// </summary>
/// <remarks>A syntax error is an <see cref="IrException"/> with id <see cref="IrDiagnostics.SyntaxError"/> naming the line, the column and what was expected.</remarks>
public sealed class IrParser
{
    private readonly List<IrToken> _tokens;
    private int _next;

    private IrParser(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        _tokens = IrLexer.Tokenize(text);
    }

    private IrToken Current => _tokens[_next];

    /// <summary>Parses a whole kernel: its header, declarations and body.</summary>
    /// <exception cref="IrException">The text is not a kernel.</exception>
    public static LoopKernel ParseKernel(string text)
    {
        var parser = new IrParser(text);
        var kernel = parser.Kernel();
        parser.ExpectEnd();
        return kernel;
    }

    /// <summary>Parses a sequence of statements; one statement comes back as itself, several as a <see cref="Block"/>.</summary>
    /// <exception cref="IrException">The text is not a statement sequence.</exception>
    public static Stmt ParseStatement(string text)
    {
        var parser = new IrParser(text);
        var statement = parser.Statements();
        parser.ExpectEnd();
        return statement;
    }

    /// <summary>Parses an expression.</summary>
    /// <exception cref="IrException">The text is not an expression.</exception>
    public static Expr ParseExpression(string text)
    {
        var parser = new IrParser(text);
        var expression = parser.Expression(1);
        parser.ExpectEnd();
        return expression;
    }

    private LoopKernel Kernel()
    {
        Keyword("kernel");
        var name = Identifier("the kernel's name");
        var type = OneOf("the element type", "float32", "float64") == "float32" ? ElementType.Float32 : ElementType.Float64;
        var tensors = ImmutableArray.CreateBuilder<KernelTensor>();
        while (Accept("tensor"))
        {
            var tensorName = Identifier("a tensor name");
            Expect("[");
            var elements = Integer("the tensor's element count");
            Expect("]");
            tensors.Add(new KernelTensor(tensorName, elements, OneOf("'in' or 'out'", "in", "out") == "out"));
        }

        var buffers = ImmutableArray.CreateBuilder<LdmBuffer>();
        while (Accept("buffer"))
        {
            var bufferName = Identifier("a buffer name");
            Expect("[");
            var elements = Integer("the buffer's element count");
            Expect("]");
            var copies = Accept("x2") ? 2 : 1;
            var isDouble = copies == 2 || Accept("double");
            var offset = Accept("@") ? Integer("the buffer's byte offset") : -1;
            buffers.Add(new LdmBuffer(bufferName, elements, copies, offset, isDouble));
        }

        var replies = ImmutableArray.CreateBuilder<string>();
        while (Accept("reply"))
        {
            replies.Add(Identifier("a reply name"));
        }

        Keyword("body");
        var body = Braced();
        return new LoopKernel(name, type, tensors.ToImmutable(), buffers.ToImmutable(), replies.ToImmutable(), body);
    }

    private Stmt Braced()
    {
        Expect("{");
        var body = Statements();
        Expect("}");
        return body;
    }

    private Stmt Statements()
    {
        var statements = new List<Stmt>();
        while (Current.Kind == IrTokenKind.Identifier)
        {
            statements.Add(Statement());
        }

        return statements.Count == 1 ? statements[0] : new Block([.. statements]);
    }

    private Stmt Statement()
    {
        var keyword = Current;
        _next++;
        switch (keyword.Text)
        {
            case "for":
            {
                var name = Identifier("the loop variable");
                Expect("<");
                var extent = Expression(1);
                return new ForLoop(name, extent, Braced());
            }

            case "let":
            {
                var name = Identifier("the let variable");
                Expect("=");
                var value = Expression(1);
                return new Let(name, value, Braced());
            }

            case "if":
            {
                var condition = Expression(1);
                var then = Braced();
                return new Conditional(condition, then, Accept("else") ? Braced() : null);
            }

            case "fill":
            {
                var target = Reference();
                Expect("=");
                return new Fill(target, Real());
            }

            case "eltwise":
                return ElementwiseStatement();
            case "exp":
                return new Exponential(Reference());
            case "transpose":
                return TransposeStatement();
            case "mac":
                return MultiplyAccumulateStatement();
            case "reset":
                return new ResetReply(Identifier("a reply name"));
            case "wait":
                return new DmaWait(Identifier("a reply name"));
            case "swap":
                return new Swap(Identifier("a buffer name"));
            case "get" or "put":
                return Transfer(keyword.Text == "get");
            case "tile":
                return Tile();
            case "gemm":
            {
                var m = Named("m");
                var n = Named("n");
                var k = Named("k");
                var a = NamedReference("a");
                var b = NamedReference("b");
                return new MeshGemm(m, n, k, a, b, NamedReference("c"));
            }

            default:
                throw Error(keyword, "a statement (for, let, if, fill, eltwise, exp, transpose, mac, reset, get, put, tile, wait, gemm or swap)");
        }
    }

    private Elementwise ElementwiseStatement()
    {
        var target = Reference();
        var token = Current;
        var name = Identifier("an element-wise operation (add, mul, div, max, min or clamp)");
        var op = ElementwiseRules.Parse(name) ?? throw Error(token, "an element-wise operation (add, mul, div, max, min or clamp)");
        var operands = ImmutableArray.CreateBuilder<ElementwiseOperand>();
        do
        {
            operands.Add(Operand());
        }
        while (Accept(","));

        return new Elementwise(target, op, operands.ToImmutable());
    }

    /// <summary><c>target &lt;- source rows r cols c</c>.</summary>
    private Transpose TransposeStatement()
    {
        var target = Reference();
        Expect("<-");
        var source = Reference();
        Keyword("rows");
        var rows = Expression(1);
        Keyword("cols");
        return new Transpose(target, source, rows, Expression(1));
    }

    /// <summary><c>target += weights * source stride s dilation d</c>.</summary>
    private MultiplyAccumulate MultiplyAccumulateStatement()
    {
        var target = Reference();
        Expect("+");
        Expect("=");
        var weights = Reference();
        Expect("*");
        var source = Reference();
        Keyword("stride");
        var stride = Expression(1);
        Keyword("dilation");
        return new MultiplyAccumulate(target, weights, source, stride, Expression(1));
    }

    /// <summary>An LDM reference (a buffer name followed by <c>[</c> or <c>.next</c>), with <c>per row</c> or <c>per column</c> for a broadcast vector; else a number.</summary>
    private ElementwiseOperand Operand()
    {
        if (Current.Kind != IrTokenKind.Identifier || _tokens[_next + 1].Text is not ("[" or "."))
        {
            return ElementwiseOperand.Scalar(Real());
        }

        var source = Reference();
        if (!Accept("per"))
        {
            return ElementwiseOperand.Span(source);
        }

        return OneOf("'row' or 'column'", "row", "column") == "row" ? ElementwiseOperand.PerRow(source) : ElementwiseOperand.PerColumn(source);
    }

    private Stmt Transfer(bool isGet)
    {
        var ldm = Reference();
        Expect(isGet ? "<-" : "->");
        var tensor = Identifier("a tensor name");
        Expect("[");
        var offset = Expression(1);
        Expect("]");
        Keyword("block");
        var block = Expression(1);
        Keyword("gap");
        var gap = Expression(1);
        Keyword("reply");
        var reply = Identifier("a reply name");
        return isGet ? new DmaGet(ldm, tensor, offset, block, gap, reply) : new DmaPut(ldm, tensor, offset, block, gap, reply);
    }

    private TileDma Tile()
    {
        var direction = OneOf("'get' or 'put'", "get", "put") == "get" ? DmaDirection.Get : DmaDirection.Put;
        var ldm = Reference();
        var tensor = Identifier("a tensor name");
        Expect("[");
        var offset = Expression(1);
        Expect("]");
        Keyword("rows");
        var rows = Expression(1);
        Keyword("cols");
        var columns = Expression(1);
        Keyword("valid");
        var validRows = Expression(1);
        Expect(",");
        var validColumns = Expression(1);
        Keyword("strides");
        var rowStride = Expression(1);
        Expect(",");
        var columnStride = Expression(1);
        Keyword("reply");
        var reply = Identifier("a reply name");
        return new TileDma(direction, ldm, tensor, offset, new TileShape(rows, columns, validRows, validColumns, rowStride, columnStride), reply);
    }

    private Expr Named(string name)
    {
        Keyword(name);
        Expect("=");
        return Expression(1);
    }

    private LdmRef NamedReference(string name)
    {
        Keyword(name);
        Expect("=");
        return Reference();
    }

    private LdmRef Reference()
    {
        var buffer = Identifier("a buffer name");
        var half = BufferHalf.Current;
        if (Accept("."))
        {
            Keyword("next");
            half = BufferHalf.Next;
        }

        Expect("[");
        var offset = Expression(1);
        Expect("+:");
        var count = Expression(1);
        Expect("]");
        return new LdmRef(buffer, offset, count, half);
    }

    /// <summary>Precedence climbing over the printer's binding strengths; every operator is left-associative.</summary>
    private Expr Expression(int minimum)
    {
        var left = Primary();
        while (Current.Kind == IrTokenKind.Symbol && InfixOperator(Current.Text) is { } op && IrPrinter.Precedence(op) >= minimum)
        {
            _next++;
            var right = Expression(IrPrinter.Precedence(op) + 1);
            left = new Binary(op, left, right);
        }

        return left;
    }

    private Expr Primary()
    {
        var token = Current;
        if (token.Kind == IrTokenKind.Number || (token.Text == "-" && _tokens[_next + 1].Kind == IrTokenKind.Number))
        {
            return new IntLiteral(Integer("an integer"));
        }

        if (Accept("("))
        {
            var inner = Expression(1);
            Expect(")");
            return inner;
        }

        if (token.Kind == IrTokenKind.Identifier)
        {
            _next++;
            if (token.Text is "min" or "max" && Accept("("))
            {
                var left = Expression(1);
                Expect(",");
                var right = Expression(1);
                Expect(")");
                return new Binary(token.Text == "min" ? BinaryOp.Min : BinaryOp.Max, left, right);
            }

            return new Var(token.Text);
        }

        throw Error(token, "an expression");
    }

    private static BinaryOp? InfixOperator(string symbol) => symbol switch
    {
        "+" => BinaryOp.Add,
        "-" => BinaryOp.Sub,
        "*" => BinaryOp.Mul,
        "/" => BinaryOp.Div,
        "%" => BinaryOp.Mod,
        "<" => BinaryOp.Lt,
        "<=" => BinaryOp.Le,
        "==" => BinaryOp.Eq,
        "!=" => BinaryOp.Ne,
        "&&" => BinaryOp.And,
        "||" => BinaryOp.Or,
        _ => null,
    };

    private long Integer(string what)
    {
        var token = Current;
        var negative = Accept("-");
        var digits = Current;
        if (digits.Kind != IrTokenKind.Number || !long.TryParse(negative ? "-" + digits.Text : digits.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw Error(negative ? digits : token, what);
        }

        _next++;
        return value;
    }

    private double Real()
    {
        var token = Current;
        var negative = Accept("-");
        var body = Current;
        _next++;
        var text = (negative ? "-" : "") + body.Text;
        if (body.Kind is IrTokenKind.Number or IrTokenKind.Identifier
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        throw Error(token, "a number");
    }

    private string Identifier(string what)
    {
        var token = Current;
        if (token.Kind != IrTokenKind.Identifier)
        {
            throw Error(token, what);
        }

        _next++;
        return token.Text;
    }

    private string OneOf(string what, params ReadOnlySpan<string> words)
    {
        var token = Current;
        foreach (var word in words)
        {
            if (token.Kind == IrTokenKind.Identifier && token.Text == word)
            {
                _next++;
                return word;
            }
        }

        throw Error(token, what);
    }

    private void Keyword(string word) => OneOf($"'{word}'", word);

    private void Expect(string symbol)
    {
        if (!Accept(symbol))
        {
            throw Error(Current, $"'{symbol}'");
        }
    }

    private bool Accept(string text)
    {
        if (Current.Kind != IrTokenKind.End && Current.Kind != IrTokenKind.Number && Current.Text == text)
        {
            _next++;
            return true;
        }

        return false;
    }

    private void ExpectEnd()
    {
        if (Current.Kind != IrTokenKind.End)
        {
            throw Error(Current, "the end of the text");
        }
    }

    private static IrException Error(IrToken token, string expected) =>
        new(IrDiagnostics.SyntaxError, $"IR text line {token.Line}, column {token.Column}: expected {expected} but found {token.Describe()}.");
}
