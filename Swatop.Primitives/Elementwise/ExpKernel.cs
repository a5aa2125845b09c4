using System.Numerics;

namespace Swatop.Primitives;

/// <summary>
/// The exponential primitive's semantics: <c>t = exp(t)</c> element by element, as the CPE computes it (the SW26010
/// has no exponential instruction). Every step is one IEEE double operation in a fixed order, nothing fused, so the
/// emitted C (<c>swatop_exp_T</c>) computes the same bits, lane by lane and in its scalar heads and tails.
/// </summary>
/// <remarks>
/// <para>
/// Double: <c>x</c> is clamped to [<see cref="Underflow"/>, <see cref="Overflow"/>] (a NaN is replaced by 0 for the
/// arithmetic); <c>k = round(x / ln 2)</c> by adding and subtracting 1.5 * 2^52; <c>x = k ln2 + r</c> with ln 2 split
/// after Cody and Waite into a high part of 32 bits (so <c>k * high</c> and <c>x - k * high</c> are exact) and a low
/// part; <c>exp(r) = 1 + (hi + (r^2 p(r) - lo))</c> with <c>p</c> the Taylor polynomial of <c>(exp(r) - 1 - r) / r^2</c>
/// to degree 11 (coefficients 1/2! .. 1/13!, Horner); then <c>2^k</c> applied as two exact powers of two
/// <c>2^(k/2)</c> and <c>2^(k - k/2)</c> (both normal), so that a subnormal result is rounded once. Above
/// <see cref="Overflow"/> the result is +infinity, below <see cref="Underflow"/> +0, a NaN stays the same NaN, exp(+-0)
/// is 1. Measured error against the exactly rounded exponential: below 1 ulp (see <c>docs/time-model.md</c>).
/// </para>
/// <para>Float: the double form of the widened input, rounded to float once (on the CPE a float vector is held in
/// double format, so the double polynomial costs the float form nothing extra).</para>
/// </remarks>
public static class ExpKernel
{
    /// <summary>The largest argument whose exponential is finite in double (fdlibm's threshold); above it, +infinity.</summary>
    public const double Overflow = 709.782712893384;

    /// <summary>The smallest argument whose exponential does not round to zero in double; below it, +0.</summary>
    public const double Underflow = -745.1332191019411;

    /// <summary>1 / ln 2.</summary>
    public const double InverseLn2 = 1.4426950408889634;

    /// <summary>1.5 * 2^52: added and subtracted, it rounds a double below 2^51 in magnitude to an integer.</summary>
    public const double Shifter = 6755399441055744.0;

    /// <summary>The high part of ln 2, its first 32 bits (Cody-Waite): its product with an integer below 2^21 is exact.</summary>
    public const double Ln2High = 0.6931471803691238;

    /// <summary>The low part of ln 2: ln 2 - <see cref="Ln2High"/>, rounded.</summary>
    public const double Ln2Low = 1.9082149292705877e-10;

    /// <summary>The polynomial's coefficients 1/n! for n = 2 .. 13, lowest first (the <c>n = 0</c> and <c>1</c> terms are the 1 and the <c>hi - lo</c>).</summary>
    public static ReadOnlySpan<double> Coefficients =>
    [
        0.5, 0.16666666666666666, 0.041666666666666664, 0.008333333333333333, 0.001388888888888889, 0.0001984126984126984,
        2.48015873015873e-05, 2.7557319223985893e-06, 2.755731922398589e-07, 2.505210838544172e-08, 2.08767569878681e-09,
        1.6059043836821613e-10,
    ];

    /// <summary>The exponential of <paramref name="x"/> as the primitive computes it (see <see cref="ExpKernel"/>).</summary>
    public static double Exp(double x)
    {
        // Clamp (a maximum and a minimum as the element-wise primitive's: a NaN stays), then a NaN to 0.
        var a = x < Underflow ? Underflow : x;
        var b = Overflow < a ? Overflow : a;
        var finite = b < double.PositiveInfinity;
        var xr = finite ? b : 0.0;

        // x = k ln2 + r.
        var kd = ((xr * InverseLn2) + Shifter) + -Shifter;
        var hi = xr + (kd * -Ln2High);
        var lo = kd * -Ln2Low;
        var r = hi + lo;

        // exp(r) = 1 + (hi + (r^2 p(r) - lo)).
        var c = Coefficients;
        var p = c[^1];
        for (var n = c.Length - 2; n >= 0; n--)
        {
            p = (p * r) + c[n];
        }

        var y = 1.0 + (hi + (((r * r) * p) + lo));

        // times 2^k, as two exact powers of two.
        var k = (long)kd;
        var half = k / 2;
        y = (y * PowerOfTwo(half)) * PowerOfTwo(k - half);

        y = Overflow < x ? double.PositiveInfinity : y;
        y = x < Underflow ? 0.0 : y;
        return finite ? y : x;
    }

    /// <summary>The exponential of <paramref name="x"/> as the primitive computes it: the double form, rounded once.</summary>
    public static float Exp(float x) => (float)Exp((double)x);

    /// <summary>Applies the exponential to every element of <paramref name="target"/> in place.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    public static void Apply<T>(Span<T> target)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            var values = System.Runtime.InteropServices.MemoryMarshal.Cast<T, double>(target);
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = Exp(values[i]);
            }
        }
        else if (typeof(T) == typeof(float))
        {
            var values = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(target);
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = Exp(values[i]);
            }
        }
        else
        {
            throw new NotSupportedException($"The exponential primitive computes float or double, not {typeof(T).Name}.");
        }
    }

    /// <summary>2^<paramref name="e"/> for -1022 &lt;= e &lt;= 1023, from its bits.</summary>
    private static double PowerOfTwo(long e) => BitConverter.Int64BitsToDouble((e + 1023) << 52);
}
