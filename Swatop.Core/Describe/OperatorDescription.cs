using System.Collections.Immutable;
using System.Globalization;
using Swatop.Primitives;

namespace Swatop.Core;

/// <summary>
/// An operator as a text form states it: a kind (<c>conv2d</c>, <c>gemm</c> or <c>fc</c>), named
/// attributes with text values and an element type. It is what a row of a shapes file, the options
/// of a command or a node of an imported graph says, before anything is checked;
/// <see cref="ToOperator"/> is the one way from it to an <see cref="OperatorSpec"/>. Immutable and
/// compared by value.
/// </summary>
/// <remarks>
/// <para>
/// The attributes of each kind (<see cref="AttributesOf"/>); a value that is empty or blank counts as
/// not given, so a required attribute is then missing and an optional one takes its default:
/// </para>
/// <list type="bullet">
/// <item><description><c>conv2d</c>: <c>batch</c>, <c>in_channels</c>, <c>out_channels</c>, <c>in_height</c>,
/// <c>in_width</c> and the kernel; optionally the stride (default 1), the padding (default 0, the same on
/// both sides of a direction) and the dilation (default 1), <c>groups</c> (default 1) and <c>layout</c>
/// (<c>nchw</c>, the default, or <c>nhwc</c>). The kernel, stride, padding and dilation are each given per
/// direction (<c>kernel_h</c> and <c>kernel_w</c>, <c>stride_h</c>, <c>pad_w</c>...) or for both
/// (<c>kernel</c>, <c>stride</c>, <c>pad</c>, <c>dilation</c>), not both ways.</description></item>
/// <item><description><c>gemm</c>: <c>m</c>, <c>n</c>, <c>k</c>; optionally <c>batch</c> (default 1),
/// <c>transpose_a</c> and <c>transpose_b</c> (<c>0</c> or <c>1</c>, also <c>false</c> or <c>true</c>; default 0).</description></item>
/// <item><description><c>fc</c>: <c>batch</c>, <c>in_channels</c> (input features) and <c>out_channels</c>
/// (output features).</description></item>
/// </list>
/// <para>
/// Integers are decimal, with an optional sign. A missing, malformed or unknown attribute fails with
/// <see cref="DescribeDiagnostics.MissingAttribute"/>, <see cref="DescribeDiagnostics.MalformedAttribute"/>
/// or <see cref="DescribeDiagnostics.UnknownAttribute"/>; the rules of the operator itself are those of
/// the builders of <see cref="Operator"/>, whose diagnostics then name the attribute (their
/// <see cref="ArgumentException.ParamName"/>) rather than the builder's parameter.
/// </para>
/// </remarks>
public sealed record OperatorDescription
{
    /// <summary>The field that holds the kind in the text form read by <see cref="FromFields"/>.</summary>
    public const string KindField = "op";

    /// <summary>The field that holds the element type in the text form read by <see cref="FromFields"/>.</summary>
    public const string ElementTypeField = "dtype";

    private readonly ImmutableSortedDictionary<string, string> _attributes;

    /// <summary>Describes an operator; nothing but the arguments' presence and the element type is checked before <see cref="ToOperator"/>.</summary>
    /// <param name="kind">The kind, one of <see cref="Kinds"/>; surrounding blanks are ignored.</param>
    /// <param name="attributes">The attributes by name; each name at most once.</param>
    /// <param name="elementType">The element type of every tensor.</param>
    /// <exception cref="ArgumentNullException">An argument or an attribute value is null.</exception>
    /// <exception cref="ArgumentException">An attribute is named twice.</exception>
    /// <exception cref="OperatorDescriptionException"><paramref name="elementType"/> is not a defined element type (<see cref="DescribeDiagnostics.UndefinedEnumValue"/>).</exception>
    public OperatorDescription(string kind, IEnumerable<KeyValuePair<string, string>> attributes, ElementType elementType)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(attributes);
        DescribeGuard.Defined(elementType, nameof(elementType));
        var builder = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in attributes)
        {
            ArgumentNullException.ThrowIfNull(name, nameof(attributes));
            ArgumentNullException.ThrowIfNull(value, nameof(attributes));
            if (!builder.TryAdd(name, value))
            {
                throw new ArgumentException($"The attribute '{name}' is given twice.", nameof(attributes));
            }
        }

        Kind = kind.Trim();
        _attributes = builder.ToImmutable();
        ElementType = elementType;
    }

    /// <summary>The kinds a description may name, in the order messages list them: <c>conv2d</c>, <c>gemm</c>, <c>fc</c>.</summary>
    public static IReadOnlyList<string> Kinds => DescriptionMapping.Kinds;

    /// <summary>The kind, such as <c>conv2d</c>.</summary>
    public string Kind { get; }

    /// <summary>The attributes by name, in ordinal order of their names, with their values as given.</summary>
    public IReadOnlyDictionary<string, string> Attributes => _attributes;

    /// <summary>The element type of every tensor.</summary>
    public ElementType ElementType { get; }

    /// <summary>The attributes <paramref name="kind"/> takes, required ones first.</summary>
    /// <param name="kind">One of <see cref="Kinds"/>.</param>
    /// <returns>The attribute names.</returns>
    /// <exception cref="OperatorDescriptionException"><paramref name="kind"/> is not one of <see cref="Kinds"/> (<see cref="DescribeDiagnostics.UnknownOperatorKind"/>).</exception>
    public static IReadOnlyList<string> AttributesOf(string kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return DescriptionMapping.AttributesOf(kind.Trim());
    }

    /// <summary>
    /// The description in a row of named text fields, as a table or a command line gives it: the kind in
    /// <see cref="KindField"/>, the element type in <see cref="ElementTypeField"/> (<paramref name="defaultElementType"/>
    /// when it is missing or empty) and, as attributes, the fields the kind takes. Other fields (a layer's
    /// name, results, the attributes of other kinds) are left out.
    /// </summary>
    /// <param name="fields">The fields by name.</param>
    /// <param name="defaultElementType">The element type when the row gives none; float32, the frameworks' default, unless told.</param>
    /// <returns>The description; <see cref="ToOperator"/> checks its attributes.</returns>
    /// <exception cref="OperatorDescriptionException">
    /// The kind is missing or unknown (<see cref="DescribeDiagnostics.UnknownOperatorKind"/>), or the element type is
    /// not one (<see cref="DescribeDiagnostics.MalformedAttribute"/>).
    /// </exception>
    public static OperatorDescription FromFields(IReadOnlyDictionary<string, string> fields, ElementType defaultElementType = ElementType.Float32)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var kind = (fields.GetValueOrDefault(KindField) ?? string.Empty).Trim();
        var names = DescriptionMapping.AttributesOf(kind);
        var type = (fields.GetValueOrDefault(ElementTypeField) ?? string.Empty).Trim();
        return new OperatorDescription(
            kind,
            fields.Where(field => names.Contains(field.Key, StringComparer.Ordinal) && field.Value is not null),
            type.Length == 0 ? defaultElementType : ParseElementType(type));
    }

    /// <summary>The element type a text form names: <c>float32</c> (or <c>float</c>) or <c>float64</c> (or <c>double</c>).</summary>
    /// <param name="text">The name; surrounding blanks are ignored.</param>
    /// <returns>The element type.</returns>
    /// <exception cref="OperatorDescriptionException"><paramref name="text"/> names no element type (<see cref="DescribeDiagnostics.MalformedAttribute"/>, naming <see cref="ElementTypeField"/>).</exception>
    public static ElementType ParseElementType(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        switch (text.Trim())
        {
            case "float32" or "float":
                return ElementType.Float32;
            case "float64" or "double":
                return ElementType.Float64;
            case var other:
                DescribeGuard.Fail(
                    DescribeDiagnostics.MalformedAttribute,
                    ElementTypeField,
                    $"{ElementTypeField} = '{other}' is not an element type: it must be float32 (or float) or float64 (or double).");
                return default;
        }
    }

    /// <summary>The operator described: the builder of <see cref="Operator"/> for the kind, called with the attributes.</summary>
    /// <returns>The operator.</returns>
    /// <exception cref="OperatorDescriptionException">
    /// The kind is unknown, an attribute is missing, malformed, unknown to the kind or given both for both
    /// directions and for one, or the operator breaks a rule of its builder; <see cref="ArgumentException.ParamName"/>
    /// names the attribute.
    /// </exception>
    public OperatorSpec ToOperator() => DescriptionMapping.Build(this);

    /// <summary>The description with <paramref name="name"/> set to <paramref name="value"/>, replacing any value it had.</summary>
    /// <param name="name">The attribute.</param>
    /// <param name="value">Its text.</param>
    /// <returns>The new description.</returns>
    public OperatorDescription WithAttribute(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        return new OperatorDescription(Kind, _attributes.SetItem(name, value), ElementType);
    }

    /// <summary>The description with <paramref name="name"/> set to the decimal text of <paramref name="value"/>.</summary>
    /// <param name="name">The attribute.</param>
    /// <param name="value">Its value.</param>
    /// <returns>The new description.</returns>
    public OperatorDescription WithAttribute(string name, int value) => WithAttribute(name, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>The description with the flag <paramref name="name"/> set to <c>1</c> or <c>0</c>.</summary>
    /// <param name="name">The attribute.</param>
    /// <param name="value">Its value.</param>
    /// <returns>The new description.</returns>
    public OperatorDescription WithAttribute(string name, bool value) => WithAttribute(name, value ? "1" : "0");

    /// <summary>The description without the attribute <paramref name="name"/>.</summary>
    /// <param name="name">The attribute.</param>
    /// <returns>The new description, or this one when it has no such attribute.</returns>
    public OperatorDescription WithoutAttribute(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _attributes.ContainsKey(name) ? new OperatorDescription(Kind, _attributes.Remove(name), ElementType) : this;
    }

    /// <summary>The description of the same operator computed in <paramref name="elementType"/>.</summary>
    /// <param name="elementType">The element type.</param>
    /// <returns>The new description.</returns>
    public OperatorDescription WithElementType(ElementType elementType) => new(Kind, _attributes, elementType);

    /// <summary>True when both have the same kind, element type and attributes (names and texts, compared ordinally).</summary>
    /// <param name="other">The other description.</param>
    /// <returns>Whether they are equal.</returns>
    public bool Equals(OperatorDescription? other) =>
        other is not null
        && string.Equals(Kind, other.Kind, StringComparison.Ordinal)
        && ElementType == other.ElementType
        && _attributes.Count == other._attributes.Count
        && _attributes.All(a => other._attributes.TryGetValue(a.Key, out var value) && string.Equals(a.Value, value, StringComparison.Ordinal));

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Kind, StringComparer.Ordinal);
        hash.Add(ElementType);
        foreach (var (name, value) in _attributes)
        {
            hash.Add(name, StringComparer.Ordinal);
            hash.Add(value, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    /// <summary>The description as text: <c>kind(name=value, ...) type</c>, such as <c>gemm(k=16, m=40, n=24) float32</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        $"{Kind}({string.Join(", ", _attributes.Select(a => $"{a.Key}={a.Value}"))}) {ElementType.ToString().ToLowerInvariant()}";
}
