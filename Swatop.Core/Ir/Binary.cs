namespace Swatop.Core.Ir;

/// <summary>The operators of <see cref="Binary"/> expressions.</summary>
public enum BinaryOp
{
    /// <summary>Sum.</summary>
    Add,

    /// <summary>Difference.</summary>
    Sub,

    /// <summary>Product.</summary>
    Mul,

    /// <summary>Floor division by a positive divisor.</summary>
    Div,

    /// <summary>Floor remainder by a positive divisor.</summary>
    Mod,

    /// <summary>The smaller operand.</summary>
    Min,

    /// <summary>The larger operand.</summary>
    Max,

    /// <summary>1 when left &lt; right.</summary>
    Lt,

    /// <summary>1 when left &lt;= right.</summary>
    Le,

    /// <summary>1 when equal.</summary>
    Eq,

    /// <summary>1 when different.</summary>
    Ne,

    /// <summary>1 when both are non-zero.</summary>
    And,

    /// <summary>1 when either is non-zero.</summary>
    Or,
}

/// <summary>A binary operation on two integer expressions.</summary>
/// <param name="Op">The operator.</param>
/// <param name="Left">The left operand.</param>
/// <param name="Right">The right operand.</param>
public sealed record Binary(BinaryOp Op, Expr Left, Expr Right) : Expr
{
    /// <inheritdoc />
    public override void Accept(IExprVisitor visitor) => visitor.Visit(this);

    /// <inheritdoc />
    public override TResult Accept<TResult>(IExprVisitor<TResult> visitor) => visitor.Visit(this);

    /// <summary>
    /// Builds <paramref name="left"/> <paramref name="op"/> <paramref name="right"/>, folding
    /// constants and the identities of 0 and 1 so that built expressions stay small; the full
    /// simplification is the simplify pass's job.
    /// </summary>
    public static Expr Make(BinaryOp op, Expr left, Expr right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        if (left is IntLiteral l && right is IntLiteral r && TryApply(op, l.Value, r.Value, out var folded))
        {
            return new IntLiteral(folded);
        }

        return op switch
        {
            BinaryOp.Add when left.IsConstant(0) => right,
            BinaryOp.Add or BinaryOp.Sub when right.IsConstant(0) => left,
            BinaryOp.Mul when left.IsConstant(1) => right,
            BinaryOp.Mul or BinaryOp.Div when right.IsConstant(1) => left,
            BinaryOp.Mul when left.IsConstant(0) || right.IsConstant(0) => Zero,
            BinaryOp.Mod when right.IsConstant(1) => Zero,
            BinaryOp.And when left.IsConstant(1) => right,
            BinaryOp.And when right.IsConstant(1) => left,
            BinaryOp.Min or BinaryOp.Max when left == right => left,
            _ => new Binary(op, left, right),
        };
    }

    /// <summary>Evaluates the operator on two values; false for a division by a non-positive divisor.</summary>
    public static bool TryApply(BinaryOp op, long left, long right, out long result)
    {
        switch (op)
        {
            case BinaryOp.Div or BinaryOp.Mod when right <= 0:
                result = 0;
                return false;
            case BinaryOp.Div:
                result = FloorDiv(left, right);
                return true;
            case BinaryOp.Mod:
                result = left - (FloorDiv(left, right) * right);
                return true;
            default:
                result = Apply(op, left, right);
                return true;
        }
    }

    /// <summary>Evaluates the operator; division and remainder floor and need a positive divisor.</summary>
    /// <exception cref="DivideByZeroException">A division or remainder by a non-positive divisor.</exception>
    public static long Apply(BinaryOp op, long left, long right) => op switch
    {
        BinaryOp.Add => left + right,
        BinaryOp.Sub => left - right,
        BinaryOp.Mul => left * right,
        BinaryOp.Div => right > 0 ? FloorDiv(left, right) : throw new DivideByZeroException($"Division of {left} by {right}: IR divisors must be positive."),
        BinaryOp.Mod => right > 0 ? left - (FloorDiv(left, right) * right) : throw new DivideByZeroException($"Remainder of {left} by {right}: IR divisors must be positive."),
        BinaryOp.Min => Math.Min(left, right),
        BinaryOp.Max => Math.Max(left, right),
        BinaryOp.Lt => left < right ? 1 : 0,
        BinaryOp.Le => left <= right ? 1 : 0,
        BinaryOp.Eq => left == right ? 1 : 0,
        BinaryOp.Ne => left != right ? 1 : 0,
        BinaryOp.And => left != 0 && right != 0 ? 1 : 0,
        BinaryOp.Or => left != 0 || right != 0 ? 1 : 0,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown IR operator."),
    };

    private static long FloorDiv(long left, long right)
    {
        var quotient = left / right;
        return (left % right != 0) && ((left < 0) != (right < 0)) ? quotient - 1 : quotient;
    }
}
