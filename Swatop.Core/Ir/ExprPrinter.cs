using System.Text;

namespace Swatop.Core.Ir;

/// <summary>
/// Prints the loop IR's integer expressions in an infix dialect: literals and variables as they are,
/// the operators a dialect writes as calls as <c>name(left, right)</c>, the others infix, parenthesized
/// where the dialect's binding strengths ask. The IR's text (<see cref="IrPrinter"/>) and the C emitter
/// are the two dialects.
/// </summary>
public abstract class ExprPrinter
{
    /// <summary>The expression in this dialect.</summary>
    public string Print(Expr expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var text = new StringBuilder();
        Append(text, expression, 0);
        return text.ToString();
    }

    /// <summary>Appends <paramref name="expression"/> where an operator of binding strength <paramref name="context"/> holds it (0: nothing does).</summary>
    public void Append(StringBuilder text, Expr expression, int context)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(expression);
        new Writer(this, text).Append(expression, context);
    }

    /// <summary>The name an operator is called by, or <see langword="null"/> when it is written infix.</summary>
    protected abstract string? CallName(BinaryOp op);

    /// <summary>The binding strength of an infix operator: higher binds tighter.</summary>
    protected abstract int Precedence(BinaryOp op);

    /// <summary>The infix symbol of an operator, as C writes it (the IR's text uses the same).</summary>
    protected virtual string Symbol(BinaryOp op) => op switch
    {
        BinaryOp.Add => "+",
        BinaryOp.Sub => "-",
        BinaryOp.Mul => "*",
        BinaryOp.Div => "/",
        BinaryOp.Mod => "%",
        BinaryOp.Lt => "<",
        BinaryOp.Le => "<=",
        BinaryOp.Eq => "==",
        BinaryOp.Ne => "!=",
        BinaryOp.And => "&&",
        BinaryOp.Or => "||",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, $"{op} is written as a call."),
    };

    /// <summary>Whether an operator within <paramref name="context"/> needs parentheses: by default when it binds looser.</summary>
    protected virtual bool Parenthesize(BinaryOp op, int context) => Precedence(op) < context;

    /// <summary>The context of an operator's left operand: by default its own binding strength (left-associative).</summary>
    protected virtual int LeftContext(BinaryOp op) => Precedence(op);

    /// <summary>Writes what precedes an infix operator's operands; nothing by default.</summary>
    protected virtual void BeforeOperands(StringBuilder text, Binary binary)
    {
    }

    /// <summary>One printing of an expression: the dialect, the text it appends to, and the binding strength of the operator that holds the node being printed.</summary>
    private sealed class Writer(ExprPrinter dialect, StringBuilder text) : IExprVisitor
    {
        private int _context;

        public void Append(Expr expression, int context)
        {
            var outer = _context;
            _context = context;
            expression.Accept(this);
            _context = outer;
        }

        public void Visit(IntLiteral literal) => text.Append(literal.Text);

        public void Visit(Var variable) => text.Append(variable.Name);

        public void Visit(Binary binary)
        {
            if (dialect.CallName(binary.Op) is { } name)
            {
                text.Append(name).Append('(');
                Append(binary.Left, 0);
                text.Append(", ");
                Append(binary.Right, 0);
                text.Append(')');
                return;
            }

            var precedence = dialect.Precedence(binary.Op);
            var parenthesize = dialect.Parenthesize(binary.Op, _context);
            if (parenthesize)
            {
                text.Append('(');
            }

            dialect.BeforeOperands(text, binary);
            Append(binary.Left, dialect.LeftContext(binary.Op));
            text.Append(' ').Append(dialect.Symbol(binary.Op)).Append(' ');
            Append(binary.Right, precedence + 1);
            if (parenthesize)
            {
                text.Append(')');
            }
        }
    }
}
