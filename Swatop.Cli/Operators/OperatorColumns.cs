using System.Globalization;
using Swatop.Core;

namespace Swatop.Cli.Operators;

/// <summary>
/// An operator's fields in the columns of a shapes file (<see cref="OperatorFields.Columns"/>): what
/// <c>swatop tune --network</c> prints for each layer, in the form <c>swatop tune --shapes</c> reads back.
/// Fields an operator's kind does not take are empty; padding is written per dimension (top and left),
/// as the file's columns hold it.
/// </summary>
internal static class OperatorColumns
{
    /// <summary>The fields of <paramref name="spec"/>, one per column of <see cref="OperatorFields.Columns"/>.</summary>
    public static IReadOnlyList<string> Of(OperatorSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var fields = new Dictionary<string, object>(StringComparer.Ordinal);
        switch (spec.Attributes)
        {
            case Conv2dAttributes c:
                fields["op"] = "conv2d";
                (fields["batch"], fields["in_channels"], fields["out_channels"], fields["in_height"], fields["in_width"]) = (c.Batch, c.InChannels, c.OutChannels, c.Height, c.Width);
                (fields["kernel_h"], fields["kernel_w"], fields["stride_h"], fields["stride_w"]) = (c.Kernel.Height, c.Kernel.Width, c.Stride.Height, c.Stride.Width);
                (fields["pad_h"], fields["pad_w"], fields["dilation_h"], fields["dilation_w"], fields["groups"]) = (c.Padding.Top, c.Padding.Left, c.Dilation.Height, c.Dilation.Width, c.Groups);
                break;
            case FullyConnectedAttributes f:
                (fields["op"], fields["batch"], fields["in_channels"], fields["out_channels"]) = ("fc", f.Batch, f.InFeatures, f.OutFeatures);
                break;
            case GemmAttributes g:
                (fields["op"], fields["batch"], fields["m"], fields["n"], fields["k"]) = ("gemm", g.Batch, g.M, g.N, g.K);
                break;
            default:
                fields["op"] = spec.Kind.ToString().ToLowerInvariant();
                break;
        }

        fields["dtype"] = spec.ElementType == Primitives.ElementType.Float32 ? "float32" : "float64";
        return [.. OperatorFields.Columns.Select(column => fields.TryGetValue(column, out var value) ? Convert.ToString(value, CultureInfo.InvariantCulture)! : string.Empty)];
    }
}
