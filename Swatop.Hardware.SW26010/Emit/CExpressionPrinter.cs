using System.Globalization;
using System.Text;
using Swatop.Core.Ir;

namespace Swatop.Hardware.Sw26010.Emit;

/// <summary>
/// Prints the loop IR's integer expressions as C over <c>long</c>: sums, differences, products and
/// comparisons infix with C's precedence; floor division, remainder, min and max as the calls of the
/// primitive library (<c>swatop_div</c>, <c>swatop_mod</c>, <c>swatop_min</c>, <c>swatop_max</c>), since C's
/// <c>/</c> and <c>%</c> truncate. Comparisons and logical operators nested in each other are
/// parenthesized, as gcc's <c>-Wparentheses</c> asks.
/// </summary>
internal static class CExpressionPrinter
{
    /// <summary>The expression as C.</summary>
    public static string Print(Expr expression) => Syntax.Instance.Print(expression);

    /// <summary>A finite value as a C double literal that reads back to the same double, or <see langword="null"/> for NaN and the infinities.</summary>
    public static string? Literal(double value)
    {
        if (!double.IsFinite(value))
        {
            return null;
        }

        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) ? text : text + ".0";
    }

    /// <summary>The expression as an operand of <c>+</c>: parenthesized unless it is a literal, a variable or a call.</summary>
    public static string Operand(Expr expression) =>
        expression.Accept(SelfDelimiting.Instance) ? Print(expression) : $"({Print(expression)})";

    /// <summary>Whether an expression's C needs no parentheses as an operand: a literal, a variable, or an operator C writes as a call.</summary>
    private sealed class SelfDelimiting : IExprVisitor<bool>
    {
        public static SelfDelimiting Instance { get; } = new();

        public bool Visit(IntLiteral literal) => true;

        public bool Visit(Var variable) => true;

        public bool Visit(Binary binary) => Syntax.Instance.IsCall(binary.Op);
    }

    /// <summary>C over <c>long</c>: floor division, remainder, min and max as the library's calls; comparisons and logical operators nested in each other parenthesized.</summary>
    private sealed class Syntax : ExprPrinter
    {
        private const int MaxComparison = 4;

        public static Syntax Instance { get; } = new();

        protected override string? CallName(BinaryOp op) => op switch
        {
            BinaryOp.Div => "swatop_div",
            BinaryOp.Mod => "swatop_mod",
            BinaryOp.Min => "swatop_min",
            BinaryOp.Max => "swatop_max",
            _ => null,
        };

        /// <summary>C's binding strength: higher binds tighter.</summary>
        protected override int Precedence(BinaryOp op) => op switch
        {
            BinaryOp.Or => 1,
            BinaryOp.And => 2,
            BinaryOp.Eq or BinaryOp.Ne => 3,
            BinaryOp.Lt or BinaryOp.Le => 4,
            BinaryOp.Add or BinaryOp.Sub => 5,
            _ => 6,
        };

        protected override bool Parenthesize(BinaryOp op, int context) =>
            Precedence(op) < context || (context > 0 && IsLogicalOrComparison(op) && context <= MaxComparison);

        protected override int LeftContext(BinaryOp op) => IsLogicalOrComparison(op) ? Precedence(op) + 1 : Precedence(op);

        /// <summary>Two literals are folded when built; should one pair survive, compute it in long.</summary>
        protected override void BeforeOperands(StringBuilder text, Binary binary)
        {
            if (binary.Left is IntLiteral && binary.Right is IntLiteral)
            {
                text.Append("(long)");
            }
        }

        /// <summary>Whether the operator is written as a call of the library.</summary>
        public bool IsCall(BinaryOp op) => CallName(op) is not null;

        private bool IsLogicalOrComparison(BinaryOp op) => Precedence(op) <= MaxComparison;
    }
}
