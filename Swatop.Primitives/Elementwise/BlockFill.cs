namespace Swatop.Primitives;

/// <summary>Fills blocks of elements with one value (zeroing accumulators, padding borders).</summary>
public static class BlockFill
{
    /// <summary>Sets every element of <paramref name="destination"/> to <paramref name="value"/>.</summary>
    /// <param name="destination">The elements to set.</param>
    /// <param name="value">The value to store.</param>
    public static void Fill(Span<double> destination, double value) => destination.Fill(value);

    /// <summary>Sets every element of <paramref name="destination"/> to <paramref name="value"/>.</summary>
    /// <param name="destination">The elements to set.</param>
    /// <param name="value">The value to store.</param>
    public static void Fill(Span<float> destination, float value) => destination.Fill(value);

    /// <summary>Sets every element of <paramref name="destination"/> to zero.</summary>
    /// <param name="destination">The elements to clear.</param>
    public static void Zero(Span<double> destination) => destination.Clear();

    /// <summary>Sets every element of <paramref name="destination"/> to zero.</summary>
    /// <param name="destination">The elements to clear.</param>
    public static void Zero(Span<float> destination) => destination.Clear();
}
