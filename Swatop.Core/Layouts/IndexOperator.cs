namespace Swatop.Core.Layouts;

/// <summary>The operators of an <see cref="IndexBinary"/>, with C's meaning (which C# shares) on <c>long</c> values.</summary>
public enum IndexOperator
{
    /// <summary>Sum.</summary>
    Add,

    /// <summary>Difference.</summary>
    Subtract,

    /// <summary>Product.</summary>
    Multiply,

    /// <summary>Quotient, truncated toward zero.</summary>
    Divide,

    /// <summary>Remainder of the truncated quotient (its sign is the dividend's).</summary>
    Remainder,

    /// <summary>1 when left &lt; right, else 0.</summary>
    Less,

    /// <summary>1 when left &gt; right, else 0.</summary>
    Greater,

    /// <summary>1 when left &gt;= right, else 0.</summary>
    GreaterOrEqual,

    /// <summary>1 when both are non-zero, else 0; the right operand is not evaluated when the left is 0.</summary>
    And,
}
