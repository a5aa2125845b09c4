using System.Numerics.Tensors;

namespace Swatop.Primitives;

/// <summary>
/// Element conversions between the primitives' element types, vectorized by
/// <see cref="TensorPrimitives"/> (whose float/double conversions widen and narrow with the
/// hardware's convert instructions, the same results as the scalar casts).
/// </summary>
public static class ElementConvert
{
    /// <summary>Widens every float of <paramref name="source"/> to double (exact).</summary>
    /// <param name="source">The values to widen.</param>
    /// <param name="destination">Receives the widened values; at least as long as <paramref name="source"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="source"/>.</exception>
    public static void ToDouble(ReadOnlySpan<float> source, Span<double> destination)
    {
        Guard.SpanLength(destination.Length, source.Length, "source.Length", nameof(destination));
        TensorPrimitives.ConvertTruncating(source, destination);
    }

    /// <summary>
    /// Narrows every double of <paramref name="source"/> to float, rounding to nearest, ties to
    /// even (the C# cast <c>(float)x</c>: values beyond the float range become infinities, NaN
    /// stays NaN).
    /// </summary>
    /// <param name="source">The values to narrow.</param>
    /// <param name="destination">Receives the narrowed values; at least as long as <paramref name="source"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="source"/>.</exception>
    public static void ToSingle(ReadOnlySpan<double> source, Span<float> destination)
    {
        Guard.SpanLength(destination.Length, source.Length, "source.Length", nameof(destination));
        TensorPrimitives.ConvertTruncating(source, destination);
    }
}
