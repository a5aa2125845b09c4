using System.Globalization;
using Swatop.Core;
using Swatop.Primitives;

namespace Swatop.Cli.Operators;

/// <summary>
/// An operator described by named text fields, as a row of a shapes file or the options of
/// <c>swatop run</c> give it: <c>op</c> (<c>conv2d</c>, <c>gemm</c> or <c>fc</c>), the sizes, and
/// <c>dtype</c>. Fields an operator does not use are left empty; an empty field takes its default.
/// </summary>
/// <remarks>
/// conv2d reads batch, in_channels, out_channels, in_height, in_width, kernel_h, kernel_w and, when
/// given, stride_h, stride_w, pad_h, pad_w (symmetric), dilation_h, dilation_w (default 1, 0 for
/// padding), groups (1) and layout (<c>nchw</c> or <c>nhwc</c>). gemm reads m, n, k, batch (1) and
/// transpose_a, transpose_b (<c>0</c>/<c>1</c>, default 0). fc reads batch, in_channels and
/// out_channels. dtype is <c>float32</c> (or <c>float</c>) or <c>float64</c> (or <c>double</c>);
/// empty means float32, the frameworks' default.
/// </remarks>
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

    /// <summary>Fields from name to text; names outside <see cref="Columns"/> and <see cref="OptionalColumns"/> are ignored.</summary>
    public OperatorFields(IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = values;
    }

    /// <summary>The operator the fields describe.</summary>
    /// <exception cref="OperatorFieldException">A field is missing, malformed, or describes an impossible operator.</exception>
    public OperatorSpec ToSpec()
    {
        var op = Text("op");
        var type = ElementTypeOf(Text("dtype"));
        try
        {
            return op switch
            {
                "conv2d" => Operator.Conv2d(
                    Required("batch"), Required("in_channels"), Required("out_channels"), Required("in_height"), Required("in_width"),
                    new Size2(Required("kernel_h"), Required("kernel_w")),
                    new Size2(Optional("stride_h", 1), Optional("stride_w", 1)),
                    Padding2.Symmetric(Optional("pad_h", 0), Optional("pad_w", 0)),
                    new Size2(Optional("dilation_h", 1), Optional("dilation_w", 1)),
                    Optional("groups", 1), type, LayoutOf(Text("layout"))),
                "gemm" => Operator.Gemm(Required("m"), Required("n"), Required("k"), Flag("transpose_a"), Flag("transpose_b"), Optional("batch", 1), type),
                "fc" => Operator.FullyConnected(Required("batch"), Required("in_channels"), Required("out_channels"), type),
                "" => throw new OperatorFieldException("op", "is empty; it must be conv2d, gemm or fc."),
                _ => throw new OperatorFieldException("op", $"'{op}' is not an operator; it must be conv2d, gemm or fc."),
            };
        }
        catch (OperatorDescriptionException e)
        {
            throw new OperatorFieldException(op, e.Message);
        }
    }

    private string Text(string name) => _values.TryGetValue(name, out var value) ? value.Trim() : string.Empty;

    private int Required(string name)
    {
        var text = Text(name);
        return text.Length == 0 ? throw new OperatorFieldException(name, $"is empty, but {Text("op")} needs it.") : Integer(name, text);
    }

    private int Optional(string name, int fallback)
    {
        var text = Text(name);
        return text.Length == 0 ? fallback : Integer(name, text);
    }

    private bool Flag(string name) => Text(name) switch
    {
        "" or "0" or "false" => false,
        "1" or "true" => true,
        var other => throw new OperatorFieldException(name, $"'{other}' is not a flag; it must be 0 or 1."),
    };

    private static int Integer(string name, string text) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new OperatorFieldException(name, $"'{text}' is not an integer.");

    private static ElementType ElementTypeOf(string text) => text switch
    {
        "" or "float32" or "float" => ElementType.Float32,
        "float64" or "double" => ElementType.Float64,
        _ => throw new OperatorFieldException("dtype", $"'{text}' is not an element type; it must be float32 (float) or float64 (double)."),
    };

    private static ConvLayout LayoutOf(string text) => text switch
    {
        "" or "nchw" => ConvLayout.Nchw,
        "nhwc" => ConvLayout.Nhwc,
        _ => throw new OperatorFieldException("layout", $"'{text}' is not a layout; it must be nchw or nhwc."),
    };
}
