using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Swatop.Core;

/// <summary>
/// The checks shared by the Describe stage. Each failure throws an
/// <see cref="OperatorDescriptionException"/> with a stable identifier, the parameter named,
/// its value and the rule stated.
/// </summary>
internal static class DescribeGuard
{
    /// <summary>Throws a description failure.</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Fail(string id, string paramName, string message) =>
        throw new OperatorDescriptionException(id, paramName, message);

    /// <summary>Throws <see cref="DescribeDiagnostics.InvalidName"/> unless <paramref name="name"/> is a C identifier.</summary>
    public static string Identifier(string name, string paramName, string what)
    {
        ArgumentNullException.ThrowIfNull(name, paramName);
        if (!IsIdentifier(name))
        {
            Fail(
                DescribeDiagnostics.InvalidName,
                paramName,
                $"{paramName} = \"{name}\" is not a valid {what} name: it must be a C identifier (a letter or '_', then letters, digits or '_').");
        }

        return name;
    }

    /// <summary>Throws <see cref="DescribeDiagnostics.SizeTooSmall"/> unless <paramref name="value"/> is at least one.</summary>
    public static void Size(int value, string paramName, string what, string? shownAs = null)
    {
        if (value < 1)
        {
            Fail(DescribeDiagnostics.SizeTooSmall, paramName, $"{shownAs ?? paramName} = {Format(value)} is not a valid {what}: it must be at least 1.");
        }
    }

    /// <summary>Throws <see cref="DescribeDiagnostics.UndefinedEnumValue"/> unless <paramref name="value"/> is a defined member.</summary>
    public static void Defined<TEnum>(TEnum value, string paramName)
        where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            Fail(
                DescribeDiagnostics.UndefinedEnumValue,
                paramName,
                $"{paramName} = {value} is not a defined {typeof(TEnum).Name}: use one of {string.Join(", ", Enum.GetNames<TEnum>())}.");
        }
    }

    /// <summary>
    /// The number of elements of a tensor of the given dimensions; throws
    /// <see cref="DescribeDiagnostics.TooLarge"/> when it exceeds <see cref="int.MaxValue"/>.
    /// </summary>
    public static long ElementCount(string paramName, string tensor, params ReadOnlySpan<int> dims)
    {
        long count = 1;
        foreach (var d in dims)
        {
            count *= d;
            if (count > int.MaxValue)
            {
                Fail(
                    DescribeDiagnostics.TooLarge,
                    paramName,
                    $"tensor '{tensor}' of shape [{string.Join("][", dims.ToArray())}] would hold more than int.MaxValue = {Format(int.MaxValue)} elements.");
            }
        }

        return count;
    }

    /// <summary>The product of two 64-bit values; throws <see cref="DescribeDiagnostics.TooLarge"/> on overflow.</summary>
    public static long Multiply(long a, long b, string paramName, string what)
    {
        try
        {
            return checked(a * b);
        }
        catch (OverflowException)
        {
            Fail(DescribeDiagnostics.TooLarge, paramName, $"{paramName}: {what} {Format(a)} * {Format(b)} exceeds the 64-bit range.");
            return 0;
        }
    }

    /// <summary>The sum of two 64-bit values; throws <see cref="DescribeDiagnostics.TooLarge"/> on overflow.</summary>
    public static long Add(long a, long b, string paramName, string what)
    {
        try
        {
            return checked(a + b);
        }
        catch (OverflowException)
        {
            Fail(DescribeDiagnostics.TooLarge, paramName, $"{paramName}: {what} {Format(a)} + {Format(b)} exceeds the 64-bit range.");
            return 0;
        }
    }

    /// <summary>True when <paramref name="name"/> is a C identifier.</summary>
    public static bool IsIdentifier(string name)
    {
        if (name.Length == 0 || !(IsAsciiLetter(name[0]) || name[0] == '_'))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(IsAsciiLetter(c) || char.IsAsciiDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Formats an integer with the invariant culture.</summary>
    public static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static bool IsAsciiLetter(char c) => char.IsAsciiLetter(c);
}
