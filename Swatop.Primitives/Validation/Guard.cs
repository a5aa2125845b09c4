using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Swatop.Primitives;

/// <summary>
/// Argument checks shared by the primitives. Every failure names the parameter, its value and the
/// rule it broke; the throwing paths live in non-inlined helpers so the checks stay cheap.
/// </summary>
internal static class Guard
{
    /// <summary>Throws unless <paramref name="value"/> is zero or positive.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void NonNegative(int value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (value < 0)
        {
            ThrowOutOfRange(name, value, $"{name} = {Format(value)} must not be negative.");
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is strictly positive.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Positive(int value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (value <= 0)
        {
            ThrowOutOfRange(name, value, $"{name} = {Format(value)} must be positive.");
        }
    }

    /// <summary>Throws unless the leading dimension <paramref name="value"/> is at least <paramref name="minimum"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LeadingDimension(int value, int minimum, string minimumName, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (value < minimum)
        {
            ThrowOutOfRange(
                name,
                value,
                $"{name} = {Format(value)} must be at least {minimumName} = {Format(minimum)} (the column-major leading dimension covers a whole column).");
        }
    }

    /// <summary>Throws unless a span of <paramref name="length"/> elements holds the <paramref name="required"/> elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SpanLength(int length, long required, string requirement, string name, string unit = "elements")
    {
        if (length < required)
        {
            ThrowTooShort(name, length, required, requirement, unit);
        }
    }

    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> with the given parameter, value and message.</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowOutOfRange(string? name, object value, string message) =>
        throw new ArgumentOutOfRangeException(name, value, message);

    /// <summary>Throws an <see cref="ArgumentException"/> with the given parameter and message.</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgument(string? name, string message) =>
        throw new ArgumentException(message, name);

    /// <summary>Formats an integer with the invariant culture.</summary>
    public static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowTooShort(string name, int length, long required, string requirement, string unit) =>
        throw new ArgumentException(
            $"{name}.Length = {Format(length)} is too short: {requirement} = {Format(required)} {unit} are needed.",
            name);
}
