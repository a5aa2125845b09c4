using System.Globalization;

namespace Swatop.Core.Ir;

/// <summary>
/// The closed range [<paramref name="Min"/>, <paramref name="Max"/>] an integer expression can take;
/// <see cref="long.MinValue"/> and <see cref="long.MaxValue"/> stand for unbounded ends. Arithmetic is
/// conservative: a result that would overflow becomes unbounded.
/// </summary>
/// <param name="Min">The least value, or <see cref="long.MinValue"/> when unbounded below.</param>
/// <param name="Max">The greatest value, or <see cref="long.MaxValue"/> when unbounded above.</param>
public readonly record struct Interval(long Min, long Max)
{
    /// <summary>Any value.</summary>
    public static readonly Interval Unbounded = new(long.MinValue, long.MaxValue);

    /// <summary>0 or 1: the values of a comparison.</summary>
    public static readonly Interval Boolean = new(0, 1);

    /// <summary>The single value <paramref name="value"/>.</summary>
    public static Interval Exactly(long value) => new(value, value);

    /// <summary>Whether both ends are bounded.</summary>
    public bool IsBounded => Min != long.MinValue && Max != long.MaxValue;

    /// <summary>Whether the range holds one value.</summary>
    public bool IsConstant => Min == Max && IsBounded;

    /// <summary>Whether every value is non-zero.</summary>
    public bool IsNonZero => Min > 0 || Max < 0;

    /// <summary>Whether every value is zero.</summary>
    public bool IsZero => Min == 0 && Max == 0;

    /// <summary>The values both ranges hold (the tighter ends); empty ranges are kept as they come.</summary>
    public Interval Intersect(Interval other) => new(Math.Max(Min, other.Min), Math.Min(Max, other.Max));

    /// <summary>The smallest range holding both.</summary>
    public Interval Union(Interval other) => new(Math.Min(Min, other.Min), Math.Max(Max, other.Max));

    /// <summary>Sum of ranges.</summary>
    public static Interval operator +(Interval left, Interval right) =>
        new(AddLow(left.Min, right.Min), AddHigh(left.Max, right.Max));

    /// <summary>Difference of ranges.</summary>
    public static Interval operator -(Interval left, Interval right) => left + right.Negate();

    /// <summary>Product of ranges.</summary>
    public static Interval operator *(Interval left, Interval right)
    {
        if (left.IsZero || right.IsZero)
        {
            return Exactly(0);
        }

        if (!left.IsBounded || !right.IsBounded)
        {
            return Unbounded;
        }

        var a = (Int128)left.Min * right.Min;
        var b = (Int128)left.Min * right.Max;
        var c = (Int128)left.Max * right.Min;
        var d = (Int128)left.Max * right.Max;
        return FromWide(Int128.Min(Int128.Min(a, b), Int128.Min(c, d)), Int128.Max(Int128.Max(a, b), Int128.Max(c, d)));
    }

    /// <summary>The range of the values times the constant <paramref name="factor"/>; unbounded ends stay unbounded.</summary>
    public Interval Scale(long factor)
    {
        if (factor == 0)
        {
            return Exactly(0);
        }

        var scaled = new Interval(ScaleEnd(Min, factor, low: true), ScaleEnd(Max, factor, low: false));
        return factor > 0 ? scaled : new Interval(ScaleEnd(Max, factor, low: true), ScaleEnd(Min, factor, low: false));
    }

    /// <summary>Named alternative for the + operator (CA2225).</summary>
    public static Interval Add(Interval left, Interval right) => left + right;

    /// <summary>Named alternative for the - operator (CA2225).</summary>
    public static Interval Subtract(Interval left, Interval right) => left - right;

    /// <summary>Named alternative for the * operator (CA2225).</summary>
    public static Interval Multiply(Interval left, Interval right) => left * right;

    /// <summary>The range of the negated values.</summary>
    public Interval Negate() => new(
        Max == long.MaxValue ? long.MinValue : -Max,
        Min == long.MinValue ? long.MaxValue : -Min);

    /// <summary>The range as text, e.g. <c>[0, 7]</c>, with <c>-inf</c> / <c>inf</c> for unbounded ends.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"[{(Min == long.MinValue ? "-inf" : Min.ToString(CultureInfo.InvariantCulture))}, {(Max == long.MaxValue ? "inf" : Max.ToString(CultureInfo.InvariantCulture))}]");

    private static Interval FromWide(Int128 min, Int128 max) => new(
        min < long.MinValue + 1L || min > long.MaxValue - 1L ? long.MinValue : (long)min,
        max > long.MaxValue - 1L || max < long.MinValue + 1L ? long.MaxValue : (long)max);

    private static long ScaleEnd(long end, long factor, bool low)
    {
        if (end == long.MinValue || end == long.MaxValue)
        {
            return low ? long.MinValue : long.MaxValue;
        }

        var product = (Int128)end * factor;
        return product <= long.MinValue || product >= long.MaxValue ? (low ? long.MinValue : long.MaxValue) : (long)product;
    }

    private static long AddLow(long a, long b)
    {
        if (a == long.MinValue || b == long.MinValue)
        {
            return long.MinValue;
        }

        var sum = (Int128)a + b;
        return sum <= long.MinValue || sum >= long.MaxValue ? long.MinValue : (long)sum;
    }

    private static long AddHigh(long a, long b)
    {
        if (a == long.MaxValue || b == long.MaxValue)
        {
            return long.MaxValue;
        }

        var sum = (Int128)a + b;
        return sum <= long.MinValue || sum >= long.MaxValue ? long.MaxValue : (long)sum;
    }
}
