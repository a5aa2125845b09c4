using System.Collections.Immutable;
using System.Globalization;
using Onnx;
using Swatop.Core.Graphs;

namespace Swatop.Core.Onnx;

/// <summary>Convolutions and batch normalization: a batch normalization right after a convolution is folded into it.</summary>
internal sealed partial class OnnxGraphImporter
{
    /// <summary>
    /// A two-dimensional convolution (NCHW, OIHW weights from an initializer) and, when it has a bias or a
    /// batch normalization folds into it, a <see cref="BiasAddNode"/> after it. A batch normalization
    /// (inference form, constant statistics) that alone reads the convolution's output is folded:
    /// <c>W' = W * s</c> per output channel and <c>b' = (b - mean) * s + beta</c>, <c>s = gamma / sqrt(var + eps)</c>.
    /// </summary>
    private void Conv(OnnxNode node)
    {
        node.Known("auto_pad", "dilations", "group", "kernel_shape", "pads", "strides");
        var x = Activation(node, 0, "X");
        if (x.Rank != 4)
        {
            throw node.Error(OnnxDiagnostics.UnsupportedUse, $"convolves '{x.Name}' {x.ShapeText}: only two-dimensional convolutions (an input of rank 4, NCHW) run.");
        }

        var w = Constant(node, 1, "W")!;
        var bias = Constant(node, 2, "B", optional: true);
        if (w.Shape.Length != 4)
        {
            throw node.Error(OnnxDiagnostics.ShapeMismatch, $"has weights {w.ShapeText}: a two-dimensional convolution's weights are [M][C/group][kH][kW].");
        }

        var group = node.Int("group", 1);
        var (outChannels, kernelHeight, kernelWidth) = (w.Shape[0], w.Shape[2], w.Shape[3]);
        if (group < 1 || group > x.Shape[1] || (long)w.Shape[1] * group != x.Shape[1])
        {
            throw node.Error(
                OnnxDiagnostics.ShapeMismatch,
                string.Create(CultureInfo.InvariantCulture, $"has weights {w.ShapeText} and group = {group} for input '{x.Name}' {x.ShapeText}: the weights' dimension 1 times the group is the input's channels."));
        }

        if (bias is not null && (bias.Shape.Length != 1 || bias.Shape[0] != outChannels))
        {
            throw node.Error(OnnxDiagnostics.ShapeMismatch, string.Create(CultureInfo.InvariantCulture, $"has bias {bias.ShapeText}: a convolution with {outChannels} output channels has a bias of [{outChannels}]."));
        }

        var kernel = Pair(node, "kernel_shape", null) ?? (kernelHeight, kernelWidth);
        if (kernel != (kernelHeight, kernelWidth))
        {
            throw node.Error(OnnxDiagnostics.ShapeMismatch, string.Create(CultureInfo.InvariantCulture, $"has kernel_shape = [{kernel.Item1}, {kernel.Item2}] but weights {w.ShapeText}: they agree."));
        }

        var stride = Pair(node, "strides", 1)!.Value;
        var dilation = Pair(node, "dilations", 1)!.Value;
        var padding = Pads(node, x, (kernelHeight, kernelWidth), stride, dilation);

        // The batch normalization this convolution's output alone feeds, when it can fold.
        NodeProto? fold = SoleReader(node.Output) is { OpType: "BatchNormalization" } bn
            && bn.Input.Count >= 5 && bn.Input[0] == node.Output
            && bn.Input.Skip(1).Take(4).All(i => _constants.ContainsKey(i))
            ? bn : null;
        var weights = (double[])w.Values.Clone();
        var biasValues = bias is null ? null : (double[])bias.Values.Clone();
        var finalNode = node;
        if (fold is not null)
        {
            var bnNode = new OnnxNode(fold, _opset);
            var (scale, shift) = BatchNormalizationTerms(bnNode, outChannels);
            var perChannel = weights.Length / outChannels;
            for (var i = 0; i < weights.Length; i++)
            {
                weights[i] *= scale[i / perChannel];
            }

            biasValues = [.. Enumerable.Range(0, outChannels).Select(c => ((biasValues?[c] ?? 0) * scale[c]) + shift[c])];
            _folded.Add(fold);
            finalNode = bnNode;
        }

        var convName = biasValues is null ? FinalName(finalNode) : HelperName(finalNode, "conv");
        var y = _builder.Conv2d(
            convName,
            x,
            outChannels,
            new Size2(kernelHeight, kernelWidth),
            new Size2(stride.Item1, stride.Item2),
            padding,
            new Size2(dilation.Item1, dilation.Item2),
            (int)group);
        Store(_builder.ValueNamed($"{convName}.weights"), weights);
        if (biasValues is not null)
        {
            var biasName = FinalName(finalNode);
            y = _builder.BiasAdd(biasName, y);
            Store(_builder.ValueNamed($"{biasName}.bias"), biasValues);
        }

        Define(finalNode, y);
    }

    /// <summary>
    /// A batch normalization that follows no convolution (or cannot fold): a <see cref="ChannelScaleNode"/>
    /// by <c>s = gamma / sqrt(var + eps)</c> and a <see cref="BiasAddNode"/> of <c>beta - mean * s</c>.
    /// </summary>
    private void BatchNormalization(OnnxNode node)
    {
        var x = Activation(node, 0, "X");
        if (x.Rank < 2)
        {
            throw node.Error(OnnxDiagnostics.UnsupportedUse, $"normalizes '{x.Name}' {x.ShapeText}: its channels are dimension 1, so it takes two or more dimensions.");
        }

        var (scale, shift) = BatchNormalizationTerms(node, x.Shape[1]);
        var scaled = _builder.ChannelScale(HelperName(node, "scale"), x);
        var name = FinalName(node);
        var y = _builder.BiasAdd(name, scaled);
        Store(_builder.ValueNamed($"{scaled.Name}.scale"), scale);
        Store(_builder.ValueNamed($"{name}.bias"), shift);
        Define(node, y);
    }

    /// <summary>The per-channel scale and shift of an inference batch normalization of <paramref name="channels"/> channels.</summary>
    private (double[] Scale, double[] Shift) BatchNormalizationTerms(OnnxNode node, int channels)
    {
        node.Known("epsilon", "momentum", "training_mode", "spatial");
        node.SingleOutput();
        if (node.Int("training_mode", 0) != 0)
        {
            throw node.Error(OnnxDiagnostics.UnsupportedUse, "has training_mode = 1: only the inference form (the running statistics) runs.");
        }

        if (node.Int("spatial", 1) != 1)
        {
            throw node.Error(OnnxDiagnostics.UnsupportedUse, "has spatial = 0: only per-channel statistics run.");
        }

        var epsilon = (double)node.Float("epsilon", 1e-5f);
        if (!(epsilon >= 0) || double.IsInfinity(epsilon))
        {
            throw node.Error(OnnxDiagnostics.InvalidAttribute, string.Create(CultureInfo.InvariantCulture, $"has epsilon = {epsilon}: epsilon is a finite number at least 0."));
        }

        string[] roles = ["scale", "B", "input_mean", "input_var"];
        var terms = new double[4][];
        for (var k = 0; k < 4; k++)
        {
            var constant = Constant(node, k + 1, roles[k])!;
            if (constant.Shape.Length != 1 || constant.Shape[0] != channels)
            {
                throw node.Error(
                    OnnxDiagnostics.ShapeMismatch,
                    string.Create(CultureInfo.InvariantCulture, $"has {roles[k]} {constant.ShapeText}: a normalization of {channels} channels takes [{channels}]."));
            }

            terms[k] = constant.Values;
        }

        var scale = new double[channels];
        var shift = new double[channels];
        for (var c = 0; c < channels; c++)
        {
            var variance = terms[3][c] + epsilon;
            if (!(variance > 0))
            {
                throw node.Error(
                    OnnxDiagnostics.InvalidTensorData,
                    string.Create(CultureInfo.InvariantCulture, $"has input_var[{c}] + epsilon = {variance}: a variance plus epsilon is above 0."));
            }

            scale[c] = terms[0][c] / Math.Sqrt(variance);
            shift[c] = terms[1][c] - (terms[2][c] * scale[c]);
        }

        return (scale, shift);
    }

    /// <summary>A two-element integer attribute (height, width), each at least one; <paramref name="fallback"/> for both when absent (null: absent is null).</summary>
    private static (int, int)? Pair(OnnxNode node, string name, int? fallback)
    {
        if (node.Ints(name) is not { } values)
        {
            return fallback is { } f ? (f, f) : null;
        }

        if (values.Length != 2 || values.Any(v => v is < 1 or > int.MaxValue))
        {
            throw node.Error(
                OnnxDiagnostics.InvalidAttribute,
                $"has {name} = [{string.Join(", ", values.Select(v => v.ToString(CultureInfo.InvariantCulture)))}]: a two-dimensional {node.OpType} takes two values, each at least 1.");
        }

        return ((int)values[0], (int)values[1]);
    }

    /// <summary>
    /// The padding of a window operation over <paramref name="x"/>'s height and width: <c>pads</c>
    /// (ONNX's order: top, left, bottom, right) or the one <c>auto_pad</c> implies.
    /// </summary>
    private static Padding2 Pads(OnnxNode node, GraphValue x, (int, int) kernel, (int, int) stride, (int, int) dilation)
    {
        var autoPad = node.String("auto_pad", "NOTSET");
        var pads = node.Ints("pads");
        if (autoPad == "NOTSET")
        {
            if (pads is not { } p)
            {
                return new Padding2(0, 0, 0, 0);
            }

            if (p.Length != 4 || p.Any(v => v is < 0 or > int.MaxValue / 4))
            {
                throw node.Error(
                    OnnxDiagnostics.InvalidAttribute,
                    $"has pads = [{string.Join(", ", p.Select(v => v.ToString(CultureInfo.InvariantCulture)))}]: a two-dimensional {node.OpType} takes four pads (top, left, bottom, right), each at least 0.");
            }

            return new Padding2((int)p[0], (int)p[2], (int)p[1], (int)p[3]);
        }

        if (pads is not null)
        {
            throw node.Error(OnnxDiagnostics.InvalidAttribute, $"has both pads and auto_pad = {autoPad}: pads are given only with auto_pad NOTSET.");
        }

        if (autoPad == "VALID")
        {
            return new Padding2(0, 0, 0, 0);
        }

        if (autoPad is not ("SAME_UPPER" or "SAME_LOWER"))
        {
            throw node.Error(OnnxDiagnostics.InvalidAttribute, $"has auto_pad = \"{autoPad}\": it is NOTSET, SAME_UPPER, SAME_LOWER or VALID.");
        }

        (int Begin, int End) Same(int extent, int k, int s, int d)
        {
            var output = (extent + (long)s - 1) / s;
            var total = Math.Max(0, ((output - 1) * s) + ((long)(k - 1) * d) + 1 - extent);
            var small = (int)(total / 2);
            var large = (int)(total - small);
            return autoPad == "SAME_UPPER" ? (small, large) : (large, small);
        }

        var (top, bottom) = Same(x.Shape[2], kernel.Item1, stride.Item1, dilation.Item1);
        var (left, right) = Same(x.Shape[3], kernel.Item2, stride.Item2, dilation.Item2);
        return new Padding2(top, bottom, left, right);
    }
}
