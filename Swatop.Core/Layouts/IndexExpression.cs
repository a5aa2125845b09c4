namespace Swatop.Core.Layouts;

/// <summary>
/// An integer expression over <c>long</c> values, in the meaning C and C# share (truncating division,
/// remainders, comparisons as 0 or 1): the language the layout rules are written in once, evaluated
/// (<see cref="Evaluate{TScope}"/>) and printed in C's syntax (<see cref="Print"/>). Nodes are immutable and compared by value; nothing is folded, so an expression
/// prints as it was built.
/// </summary>
/// <remarks>
/// Built with C#'s operators, e.g. <c>p / block.At(d) * outer.At(d)</c>: <see cref="IndexConstant"/>,
/// <see cref="IndexVariable"/>, <see cref="IndexElement"/>, <see cref="IndexBinary"/> and <see cref="IndexConditional"/>.
/// </remarks>
public abstract record IndexExpression
{
    /// <summary>The expression in C's syntax, arrays under their own names, e.g. <c>index[d] + origin[d]</c>.</summary>
    public sealed override string ToString() => Print(static array => array);

    /// <summary>
    /// The expression in C's syntax, parenthesized only where C's precedence asks, each array written as
    /// <paramref name="array"/> says (e.g. <c>origin</c> as <c>l-&gt;origin</c>).
    /// </summary>
    public string Print(Func<string, string> array)
    {
        ArgumentNullException.ThrowIfNull(array);
        return IndexExpressionPrinter.Print(this, array);
    }

    /// <summary>The value of the expression in <paramref name="scope"/>.</summary>
    /// <exception cref="ArgumentException">The scope binds no variable or array of a name the expression reads.</exception>
    /// <exception cref="DivideByZeroException">A divisor is zero.</exception>
    public long Evaluate<TScope>(TScope scope)
        where TScope : IIndexScope, allows ref struct => this switch
        {
            IndexConstant constant => constant.Value,
            IndexVariable variable => scope.Variable(variable.Name),
            IndexElement element => scope.Element(element.Array, element.Subscript.Evaluate(scope)),
            IndexConditional conditional => conditional.Condition.Evaluate(scope) != 0 ? conditional.WhenTrue.Evaluate(scope) : conditional.WhenFalse.Evaluate(scope),
            IndexBinary { Operator: IndexOperator.And } and => and.Left.Evaluate(scope) != 0 && and.Right.Evaluate(scope) != 0 ? 1 : 0,
            IndexBinary binary => Apply(binary.Operator, binary.Left.Evaluate(scope), binary.Right.Evaluate(scope)),
            _ => throw new NotSupportedException($"No evaluation for {GetType().Name}."),
        };

    /// <summary>A literal.</summary>
    public static implicit operator IndexExpression(long value) => new IndexConstant(value);

    /// <summary>Sum.</summary>
    public static IndexExpression operator +(IndexExpression left, IndexExpression right) => new IndexBinary(IndexOperator.Add, left, right);

    /// <summary>Difference.</summary>
    public static IndexExpression operator -(IndexExpression left, IndexExpression right) => new IndexBinary(IndexOperator.Subtract, left, right);

    /// <summary>Product.</summary>
    public static IndexExpression operator *(IndexExpression left, IndexExpression right) => new IndexBinary(IndexOperator.Multiply, left, right);

    /// <summary>Quotient, truncated toward zero.</summary>
    public static IndexExpression operator /(IndexExpression left, IndexExpression right) => new IndexBinary(IndexOperator.Divide, left, right);

    /// <summary>Remainder of the truncated quotient.</summary>
    public static IndexExpression operator %(IndexExpression left, IndexExpression right) => new IndexBinary(IndexOperator.Remainder, left, right);

    /// <summary>A literal (the named alternative of the implicit conversion).</summary>
    public static IndexExpression FromInt64(long value) => value;

    /// <summary>Sum (the named alternative of <c>+</c>).</summary>
    public static IndexExpression Add(IndexExpression left, IndexExpression right) => left + right;

    /// <summary>Difference (the named alternative of <c>-</c>).</summary>
    public static IndexExpression Subtract(IndexExpression left, IndexExpression right) => left - right;

    /// <summary>Product (the named alternative of <c>*</c>).</summary>
    public static IndexExpression Multiply(IndexExpression left, IndexExpression right) => left * right;

    /// <summary>Truncated quotient (the named alternative of <c>/</c>).</summary>
    public static IndexExpression Divide(IndexExpression left, IndexExpression right) => left / right;

    /// <summary>Remainder (the named alternative of <c>%</c>).</summary>
    public static IndexExpression Mod(IndexExpression left, IndexExpression right) => left % right;

    /// <summary>1 when <paramref name="left"/> &lt; <paramref name="right"/>, else 0.</summary>
    public static IndexExpression Less(IndexExpression left, IndexExpression right) => new IndexBinary(IndexOperator.Less, left, right);

    /// <summary>1 when <paramref name="left"/> &gt; <paramref name="right"/>, else 0.</summary>
    public static IndexExpression Greater(IndexExpression left, IndexExpression right) => new IndexBinary(IndexOperator.Greater, left, right);

    /// <summary>1 when <paramref name="left"/> &gt;= <paramref name="right"/>, else 0.</summary>
    public static IndexExpression GreaterOrEqual(IndexExpression left, IndexExpression right) => new IndexBinary(IndexOperator.GreaterOrEqual, left, right);

    /// <summary>1 when both are non-zero, else 0.</summary>
    public static IndexExpression And(IndexExpression left, IndexExpression right) => new IndexBinary(IndexOperator.And, left, right);

    /// <summary><paramref name="whenTrue"/> where <paramref name="condition"/> is non-zero, else <paramref name="whenFalse"/>.</summary>
    public static IndexExpression Conditional(IndexExpression condition, IndexExpression whenTrue, IndexExpression whenFalse) => new IndexConditional(condition, whenTrue, whenFalse);

    /// <summary>Whether the expression reads the array <paramref name="array"/> anywhere.</summary>
    public bool Reads(string array) => this switch
    {
        IndexElement element => element.Array == array || element.Subscript.Reads(array),
        IndexBinary binary => binary.Left.Reads(array) || binary.Right.Reads(array),
        IndexConditional conditional => conditional.Condition.Reads(array) || conditional.WhenTrue.Reads(array) || conditional.WhenFalse.Reads(array),
        _ => false,
    };

    private static long Apply(IndexOperator op, long left, long right) => op switch
    {
        IndexOperator.Add => left + right,
        IndexOperator.Subtract => left - right,
        IndexOperator.Multiply => left * right,
        IndexOperator.Divide => left / right,
        IndexOperator.Remainder => left % right,
        IndexOperator.Less => left < right ? 1 : 0,
        IndexOperator.Greater => left > right ? 1 : 0,
        IndexOperator.GreaterOrEqual => left >= right ? 1 : 0,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Not an arithmetic or comparison operator."),
    };
}
