using Swatop.Core;

namespace Swatop.Cli.Operators;

/// <summary>
/// An operator given by named text fields, as a row of a shapes file or the options of <c>swatop run</c>
/// give it: <c>op</c> (<c>conv2d</c>, <c>gemm</c> or <c>fc</c>), the sizes, and <c>dtype</c>. The
/// fields are an <see cref="OperatorDescription"/> in its text form (<see cref="OperatorDescription.FromFields"/>),
/// which says what each kind reads; fields the operator does not use are left empty, or are ignored.
/// An empty <c>dtype</c> means float32, the frameworks' default.
/// </summary>
internal sealed class OperatorFields
{
    /// <summary>The columns of a shapes file, in the order <c>swatop check</c> documents them.</summary>
    public static IReadOnlyList<string> Columns { get; } =
    [
        "op", "batch", "in_channels", "out_channels", "in_height", "in_width", "kernel_h", "kernel_w", "stride_h", "stride_w",
        "pad_h", "pad_w", "dilation_h", "dilation_w", "groups", "m", "n", "k", "dtype",
    ];

    /// <summary>Fields a shapes file may add to <see cref="Columns"/>.</summary>
    public static IReadOnlyList<string> OptionalColumns { get; } = ["layout", "transpose_a", "transpose_b"];

    private readonly IReadOnlyDictionary<string, string> _values;

    /// <summary>Fields from name to text; names the operator's kind does not take are ignored.</summary>
    public OperatorFields(IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = values;
    }

    /// <summary>The description the fields give.</summary>
    /// <exception cref="OperatorDescriptionException">The kind is missing or unknown, or the element type is not one.</exception>
    public OperatorDescription ToDescription() => OperatorDescription.FromFields(_values);

    /// <summary>The operator the fields describe.</summary>
    /// <exception cref="OperatorDescriptionException">A field is missing or malformed, or describes an impossible operator; the exception names it.</exception>
    public OperatorSpec ToSpec() => ToDescription().ToOperator();
}
