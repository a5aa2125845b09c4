using Swatop.Primitives;

namespace Swatop.Core;

/// <summary>
/// The mapping from an <see cref="OperatorDescription"/> to the builders of <see cref="Operator"/>: for
/// each kind, the attributes it takes, how they become the builder's arguments, and which attribute
/// each builder parameter stands for, so that the builder's diagnostics name the attribute.
/// </summary>
internal static class DescriptionMapping
{
    /// <summary>The kinds, in the order messages list them.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["conv2d", "gemm", "fc"];

    private static readonly Dictionary<string, Mapping> ByKind = new Dictionary<string, Mapping>(StringComparer.Ordinal)
    {
        ["conv2d"] = new(
            [
                "batch", "in_channels", "out_channels", "in_height", "in_width", "kernel", "kernel_h", "kernel_w",
                "stride", "stride_h", "stride_w", "pad", "pad_h", "pad_w", "dilation", "dilation_h", "dilation_w", "groups", "layout",
            ],
            Conv2d),
        ["gemm"] = new(["m", "n", "k", "batch", "transpose_a", "transpose_b"], Gemm),
        ["fc"] = new(["batch", "in_channels", "out_channels"], FullyConnected),
    };

    /// <summary>The builder parameters of <see cref="Operator.Conv2d"/> and the attributes they come from.</summary>
    private static readonly IReadOnlyDictionary<string, string> Conv2dParameters = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["batch"] = "batch",
        ["inChannels"] = "in_channels",
        ["outChannels"] = "out_channels",
        ["height"] = "in_height",
        ["width"] = "in_width",
        ["kernel"] = "kernel",
        ["stride"] = "stride",
        ["padding"] = "pad",
        ["dilation"] = "dilation",
        ["groups"] = "groups",
        ["layout"] = "layout",
    };

    /// <summary>The builder parameters of <see cref="Operator.Gemm"/> and the attributes they come from.</summary>
    private static readonly IReadOnlyDictionary<string, string> GemmParameters = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["m"] = "m",
        ["n"] = "n",
        ["k"] = "k",
        ["batch"] = "batch",
        ["transposeA"] = "transpose_a",
        ["transposeB"] = "transpose_b",
    };

    /// <summary>The builder parameters of <see cref="Operator.FullyConnected"/> and the attributes they come from.</summary>
    private static readonly IReadOnlyDictionary<string, string> FullyConnectedParameters = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["batch"] = "batch",
        ["inFeatures"] = "in_channels",
        ["outFeatures"] = "out_channels",
    };

    /// <summary>The attributes <paramref name="kind"/> takes.</summary>
    /// <exception cref="OperatorDescriptionException">The kind is empty or unknown.</exception>
    public static IReadOnlyList<string> AttributesOf(string kind) => Find(kind).Attributes;

    /// <summary>The operator <paramref name="description"/> describes.</summary>
    /// <exception cref="OperatorDescriptionException">The description is incomplete, malformed or breaks a rule of the operator.</exception>
    public static OperatorSpec Build(OperatorDescription description)
    {
        ArgumentNullException.ThrowIfNull(description);
        var mapping = Find(description.Kind);
        return mapping.Build(new DescriptionAttributes(description.Kind, description.Attributes, mapping.Attributes), description.ElementType);
    }

    private static Mapping Find(string kind)
    {
        if (ByKind.TryGetValue(kind, out var mapping))
        {
            return mapping;
        }

        var kinds = $"{string.Join(", ", Kinds.Take(Kinds.Count - 1))} or {Kinds[^1]}";
        DescribeGuard.Fail(
            DescribeDiagnostics.UnknownOperatorKind,
            OperatorDescription.KindField,
            kind.Length == 0
                ? $"{OperatorDescription.KindField} is empty: it must name an operator, {kinds}."
                : $"{OperatorDescription.KindField} = '{kind}' is not an operator: it must be {kinds}.");
        return null!;
    }

    private static OperatorSpec Conv2d(DescriptionAttributes a, ElementType type)
    {
        var batch = a.Required("batch");
        var inChannels = a.Required("in_channels");
        var outChannels = a.Required("out_channels");
        var height = a.Required("in_height");
        var width = a.Required("in_width");
        var kernel = a.Pair("kernel", null);
        var stride = a.Pair("stride", 1);
        var pad = a.Pair("pad", 0);
        var dilation = a.Pair("dilation", 1);
        var groups = a.Optional("groups", 1);
        var layout = a.Layout("layout");
        return a.Build(
            () => Operator.Conv2d(batch, inChannels, outChannels, height, width, kernel, stride, Padding2.Symmetric(pad.Height, pad.Width), dilation, groups, type, layout),
            Conv2dParameters);
    }

    private static OperatorSpec Gemm(DescriptionAttributes a, ElementType type)
    {
        var m = a.Required("m");
        var n = a.Required("n");
        var k = a.Required("k");
        var transposeA = a.Flag("transpose_a");
        var transposeB = a.Flag("transpose_b");
        var batch = a.Optional("batch", 1);
        return a.Build(() => Operator.Gemm(m, n, k, transposeA, transposeB, batch, type), GemmParameters);
    }

    private static OperatorSpec FullyConnected(DescriptionAttributes a, ElementType type)
    {
        var batch = a.Required("batch");
        var inFeatures = a.Required("in_channels");
        var outFeatures = a.Required("out_channels");
        return a.Build(() => Operator.FullyConnected(batch, inFeatures, outFeatures, type), FullyConnectedParameters);
    }

    /// <summary>One kind: the attributes it takes and its builder call.</summary>
    private sealed record Mapping(IReadOnlyList<string> Attributes, Func<DescriptionAttributes, ElementType, OperatorSpec> Build);
}
