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
    public static string Print(Expr expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var text = new StringBuilder();
        Append(text, expression, 0);
        return text.ToString();
    }

    /// <summary>The expression as an operand of <c>+</c>: parenthesized unless it is a literal, a variable or a call.</summary>
    public static string Operand(Expr expression) =>
        expression is IntLiteral or Var or Binary { Op: BinaryOp.Div or BinaryOp.Mod or BinaryOp.Min or BinaryOp.Max } ? Print(expression) : $"({Print(expression)})";

    private static void Append(StringBuilder text, Expr expression, int context)
    {
        switch (expression)
        {
            case IntLiteral literal:
                text.Append(literal.Text);
                break;
            case Var variable:
                text.Append(variable.Name);
                break;
            case Binary { Op: BinaryOp.Div or BinaryOp.Mod or BinaryOp.Min or BinaryOp.Max } call:
                text.Append(call.Op switch
                {
                    BinaryOp.Div => "swatop_div(",
                    BinaryOp.Mod => "swatop_mod(",
                    BinaryOp.Min => "swatop_min(",
                    _ => "swatop_max(",
                });
                Append(text, call.Left, 0);
                text.Append(", ");
                Append(text, call.Right, 0);
                text.Append(')');
                break;
            case Binary binary:
                var precedence = Precedence(binary.Op);
                var parenthesize = precedence < context || (context > 0 && IsLogicalOrComparison(binary.Op) && context <= MaxComparison);
                if (parenthesize)
                {
                    text.Append('(');
                }

                // Two literals are folded when built; should one pair survive, compute it in long.
                if (binary.Left is IntLiteral && binary.Right is IntLiteral)
                {
                    text.Append("(long)");
                }

                Append(text, binary.Left, IsLogicalOrComparison(binary.Op) ? precedence + 1 : precedence);
                text.Append(' ').Append(Symbol(binary.Op)).Append(' ');
                Append(text, binary.Right, precedence + 1);
                if (parenthesize)
                {
                    text.Append(')');
                }

                break;
            default:
                throw new NotSupportedException($"The C printer does not know the expression {expression.GetType().Name}.");
        }
    }

    private const int MaxComparison = 4;

    private static bool IsLogicalOrComparison(BinaryOp op) => Precedence(op) <= MaxComparison;

    /// <summary>C's binding strength: higher binds tighter.</summary>
    private static int Precedence(BinaryOp op) => op switch
    {
        BinaryOp.Or => 1,
        BinaryOp.And => 2,
        BinaryOp.Eq or BinaryOp.Ne => 3,
        BinaryOp.Lt or BinaryOp.Le => 4,
        BinaryOp.Add or BinaryOp.Sub => 5,
        _ => 6,
    };

    private static string Symbol(BinaryOp op) => op switch
    {
        BinaryOp.Add => "+",
        BinaryOp.Sub => "-",
        BinaryOp.Mul => "*",
        BinaryOp.Lt => "<",
        BinaryOp.Le => "<=",
        BinaryOp.Eq => "==",
        BinaryOp.Ne => "!=",
        BinaryOp.And => "&&",
        BinaryOp.Or => "||",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Division, remainder, min and max print as calls."),
    };
}
