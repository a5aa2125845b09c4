namespace Swatop.Hardware.Sw26010.Execution;

/// <summary>
/// One operator of the loop IR's integer expressions as a static method, so that a generic
/// expression node over a <see langword="struct"/> operator is specialized by the JIT into a direct
/// computation with no delegate or virtual call for the operator.
/// </summary>
internal interface IIntOperator
{
    /// <summary>Applies the operator with the IR's semantics (floor division, 0/1 comparisons).</summary>
    static abstract long Apply(long left, long right);
}

/// <summary>Sum.</summary>
internal readonly struct AddOperator : IIntOperator
{
    public static long Apply(long left, long right) => left + right;
}

/// <summary>Difference.</summary>
internal readonly struct SubtractOperator : IIntOperator
{
    public static long Apply(long left, long right) => left - right;
}

/// <summary>Product.</summary>
internal readonly struct MultiplyOperator : IIntOperator
{
    public static long Apply(long left, long right) => left * right;
}

/// <summary>Floor division by a positive divisor.</summary>
internal readonly struct DivideOperator : IIntOperator
{
    public static long Apply(long left, long right)
    {
        if (right <= 0)
        {
            throw NonPositiveDivisor("Division", left, right);
        }

        var quotient = left / right;
        return (left % right != 0) && (left < 0) ? quotient - 1 : quotient;
    }

    internal static DivideByZeroException NonPositiveDivisor(string operation, long left, long right) =>
        new(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{operation} of {left} by {right}: IR divisors must be positive."));
}

/// <summary>Floor remainder by a positive divisor.</summary>
internal readonly struct ModuloOperator : IIntOperator
{
    public static long Apply(long left, long right)
    {
        if (right <= 0)
        {
            throw DivideOperator.NonPositiveDivisor("Remainder", left, right);
        }

        var remainder = left % right;
        return remainder < 0 ? remainder + right : remainder;
    }
}

/// <summary>The smaller operand.</summary>
internal readonly struct MinOperator : IIntOperator
{
    public static long Apply(long left, long right) => Math.Min(left, right);
}

/// <summary>The larger operand.</summary>
internal readonly struct MaxOperator : IIntOperator
{
    public static long Apply(long left, long right) => Math.Max(left, right);
}

/// <summary>1 when left &lt; right.</summary>
internal readonly struct LessOperator : IIntOperator
{
    public static long Apply(long left, long right) => left < right ? 1 : 0;
}

/// <summary>1 when left &lt;= right.</summary>
internal readonly struct LessOrEqualOperator : IIntOperator
{
    public static long Apply(long left, long right) => left <= right ? 1 : 0;
}

/// <summary>1 when equal.</summary>
internal readonly struct EqualOperator : IIntOperator
{
    public static long Apply(long left, long right) => left == right ? 1 : 0;
}

/// <summary>1 when different.</summary>
internal readonly struct NotEqualOperator : IIntOperator
{
    public static long Apply(long left, long right) => left != right ? 1 : 0;
}

/// <summary>1 when both are non-zero. Both sides are evaluated: IR expressions have no side effects.</summary>
internal readonly struct AndOperator : IIntOperator
{
    public static long Apply(long left, long right) => left != 0 && right != 0 ? 1 : 0;
}

/// <summary>1 when either is non-zero.</summary>
internal readonly struct OrOperator : IIntOperator
{
    public static long Apply(long left, long right) => left != 0 || right != 0 ? 1 : 0;
}
