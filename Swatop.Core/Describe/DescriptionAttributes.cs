using System.Globalization;
using System.Text.RegularExpressions;

namespace Swatop.Core;

/// <summary>
/// The attributes of one <see cref="OperatorDescription"/> read as the values its builder takes: each
/// read names the attribute, and a missing, malformed, unknown or doubly given attribute throws an
/// <see cref="OperatorDescriptionException"/> with the attribute as its parameter. Empty and blank values
/// count as not given; values are read without their surrounding blanks.
/// </summary>
internal sealed partial class DescriptionAttributes
{
    private readonly string _kind;
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    /// <summary>Takes the given (non-blank) attributes of a description of <paramref name="kind"/>.</summary>
    /// <exception cref="OperatorDescriptionException">An attribute is not one of <paramref name="known"/> (<see cref="DescribeDiagnostics.UnknownAttribute"/>).</exception>
    public DescriptionAttributes(string kind, IReadOnlyDictionary<string, string> attributes, IReadOnlyList<string> known)
    {
        _kind = kind;
        foreach (var (name, value) in attributes)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            if (!known.Contains(name, StringComparer.Ordinal))
            {
                DescribeGuard.Fail(
                    DescribeDiagnostics.UnknownAttribute,
                    name,
                    $"{name} = '{value.Trim()}' is not an attribute of {kind}: it takes {string.Join(", ", known)}.");
            }

            _values[name] = value.Trim();
        }
    }

    /// <summary>A required integer.</summary>
    public int Required(string name) =>
        _values.TryGetValue(name, out var text) ? Integer(name, text) : throw Missing(name, $"{_kind} needs it.");

    /// <summary>An optional integer, <paramref name="fallback"/> when not given.</summary>
    public int Optional(string name, int fallback) => _values.TryGetValue(name, out var text) ? Integer(name, text) : fallback;

    /// <summary>A flag: <c>0</c> or <c>false</c>, <c>1</c> or <c>true</c>; false when not given.</summary>
    public bool Flag(string name) => _values.GetValueOrDefault(name) switch
    {
        null or "0" or "false" => false,
        "1" or "true" => true,
        var other => throw Malformed(name, other, "a flag", "0 or 1 (or false or true)"),
    };

    /// <summary>A convolution layout: <c>nchw</c> (the default) or <c>nhwc</c>.</summary>
    public ConvLayout Layout(string name) => _values.GetValueOrDefault(name) switch
    {
        null or "nchw" => ConvLayout.Nchw,
        "nhwc" => ConvLayout.Nhwc,
        var other => throw Malformed(name, other, "a layout", "nchw or nhwc"),
    };

    /// <summary>
    /// A size per direction: <c>{stem}_h</c> and <c>{stem}_w</c>, or <c>{stem}</c> for both. A direction not given
    /// takes <paramref name="fallback"/>, or is missing when there is none.
    /// </summary>
    public Size2 Pair(string stem, int? fallback)
    {
        var (height, width) = (stem + "_h", stem + "_w");
        if (_values.TryGetValue(stem, out var both))
        {
            if (new[] { height, width }.FirstOrDefault(_values.ContainsKey) is { } direction)
            {
                DescribeGuard.Fail(
                    DescribeDiagnostics.ConflictingAttributes,
                    stem,
                    $"{stem} = '{both}' and {direction} = '{_values[direction]}' are both given: give {stem} for both directions, or {height} and {width}.");
            }

            var value = Integer(stem, both);
            return new Size2(value, value);
        }

        return new Size2(Part(height), Part(width));

        int Part(string name) =>
            _values.TryGetValue(name, out var text) ? Integer(name, text)
            : fallback ?? throw Missing(name, $"{_kind} needs {height} and {width}, or {stem} for both.");
    }

    /// <summary>
    /// Calls a builder of <see cref="Operator"/>; a diagnostic it throws is thrown again naming the attribute
    /// that <paramref name="parameters"/> maps its parameter to. For a size per direction, that is the one
    /// written for both when it was given, else the direction the message speaks of.
    /// </summary>
    public OperatorSpec Build(Func<OperatorSpec> builder, IReadOnlyDictionary<string, string> parameters)
    {
        try
        {
            return builder();
        }
        catch (OperatorDescriptionException e) when (AttributeOf(e, parameters) is { } attribute && attribute != e.ParamName)
        {
            throw new OperatorDescriptionException(e.Id, attribute, MessageOf(e));
        }
    }

    private string? AttributeOf(OperatorDescriptionException e, IReadOnlyDictionary<string, string> parameters)
    {
        if (e.ParamName is null || !parameters.TryGetValue(e.ParamName, out var attribute))
        {
            return null;
        }

        if (!IsPair(attribute) || _values.ContainsKey(attribute))
        {
            return attribute;
        }

        var at = e.Message.IndexOf(e.ParamName + ".", StringComparison.Ordinal);
        var side = at >= 0 ? Side().Match(e.Message, at) : Match.Empty;
        return side.Success && side.Groups[1].Value is "Width" or "Left" or "Right" ? attribute + "_w" : attribute + "_h";
    }

    /// <summary>Whether <paramref name="attribute"/> is a size per direction, given as <c>{attribute}_h</c> and <c>{attribute}_w</c> or for both.</summary>
    private static bool IsPair(string attribute) => attribute is "kernel" or "stride" or "pad" or "dilation";

    /// <summary>The message of a builder's diagnostic without its identifier and the parameter that <see cref="ArgumentException"/> appends.</summary>
    private static string MessageOf(OperatorDescriptionException e)
    {
        var message = e.Message;
        var prefix = e.Id + ": ";
        var suffix = $" (Parameter '{e.ParamName}')";
        message = message.StartsWith(prefix, StringComparison.Ordinal) ? message[prefix.Length..] : message;
        return message.EndsWith(suffix, StringComparison.Ordinal) ? message[..^suffix.Length] : message;
    }

    private static int Integer(string name, string text) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Malformed(name, text, "an integer", $"a whole number from {int.MinValue.ToString(CultureInfo.InvariantCulture)} to {int.MaxValue.ToString(CultureInfo.InvariantCulture)}");

    private static OperatorDescriptionException Missing(string name, string rule) =>
        new(DescribeDiagnostics.MissingAttribute, name, $"{name} is missing or empty: {rule}");

    private static OperatorDescriptionException Malformed(string name, string text, string what, string rule) =>
        new(DescribeDiagnostics.MalformedAttribute, name, $"{name} = '{text}' is not {what}: it must be {rule}.");

    /// <summary>The side a builder's message speaks of: <c>kernel.Width</c>, <c>padding.Top</c>...</summary>
    [GeneratedRegex(@"\.(Height|Width|Top|Bottom|Left|Right)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Side();
}
