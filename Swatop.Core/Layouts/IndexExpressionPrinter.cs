using System.Text;

namespace Swatop.Core.Layouts;

/// <summary>
/// Prints an <see cref="IndexExpression"/> in C's syntax: operators infix with C's precedence, every
/// binary operator left-associative, parentheses only where the tree differs from how C would read the
/// text without them.
/// </summary>
internal static class IndexExpressionPrinter
{
    /// <summary>The binding strength of C's conditional operator, the weakest here.</summary>
    private const int ConditionalPrecedence = 1;

    /// <summary>The text of <paramref name="expression"/>, arrays written as <paramref name="array"/> says.</summary>
    public static string Print(IndexExpression expression, Func<string, string> array)
    {
        var text = new StringBuilder();
        Append(text, expression, array, 0);
        return text.ToString();
    }

    /// <summary>C's binding strength of an operator: higher binds tighter.</summary>
    private static int Precedence(IndexOperator op) => op switch
    {
        IndexOperator.And => 2,
        IndexOperator.Less or IndexOperator.Greater or IndexOperator.GreaterOrEqual => 3,
        IndexOperator.Add or IndexOperator.Subtract => 4,
        _ => 5,
    };

    private static string Symbol(IndexOperator op) => op switch
    {
        IndexOperator.Add => "+",
        IndexOperator.Subtract => "-",
        IndexOperator.Multiply => "*",
        IndexOperator.Divide => "/",
        IndexOperator.Remainder => "%",
        IndexOperator.Less => "<",
        IndexOperator.Greater => ">",
        IndexOperator.GreaterOrEqual => ">=",
        IndexOperator.And => "&&",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    /// <summary>Appends <paramref name="expression"/> where an operator of binding strength <paramref name="context"/> holds it (0: nothing does).</summary>
    private static void Append(StringBuilder text, IndexExpression expression, Func<string, string> array, int context)
    {
        switch (expression)
        {
            case IndexConstant constant:
                text.Append(constant.Text);
                break;
            case IndexVariable variable:
                text.Append(variable.Name);
                break;
            case IndexElement element:
                text.Append(array(element.Array)).Append('[');
                Append(text, element.Subscript, array, 0);
                text.Append(']');
                break;
            case IndexBinary binary:
                var precedence = Precedence(binary.Operator);
                Wrap(text, precedence < context, () =>
                {
                    Append(text, binary.Left, array, precedence);
                    text.Append(' ').Append(Symbol(binary.Operator)).Append(' ');
                    Append(text, binary.Right, array, precedence + 1);
                });
                break;
            case IndexConditional conditional:
                Wrap(text, ConditionalPrecedence < context, () =>
                {
                    Append(text, conditional.Condition, array, ConditionalPrecedence + 1);
                    text.Append(" ? ");
                    Append(text, conditional.WhenTrue, array, 0);
                    text.Append(" : ");
                    Append(text, conditional.WhenFalse, array, ConditionalPrecedence);
                });
                break;
            default:
                throw new NotSupportedException($"The printer does not know the expression {expression.GetType().Name}.");
        }
    }

    private static void Wrap(StringBuilder text, bool parenthesize, Action inner)
    {
        if (parenthesize)
        {
            text.Append('(');
        }

        inner();
        if (parenthesize)
        {
            text.Append(')');
        }
    }
}
