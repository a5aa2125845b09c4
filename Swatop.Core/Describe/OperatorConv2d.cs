using Swatop.Primitives;

namespace Swatop.Core;

/// <summary>The convolution builder.</summary>
public static partial class Operator
{
    /// <summary>
    /// A two-dimensional convolution (cross-correlation, no bias). Index axes, in order:
    /// <c>n</c> (batch), <c>g</c> (only when <paramref name="groups"/> &gt; 1), <c>co</c> (output
    /// channels per group), <c>oh</c>, <c>ow</c>; reduction axes <c>ci</c> (input channels per
    /// group), <c>kh</c>, <c>kw</c>. Tensors <c>input</c> (left), <c>weights</c> (right) and
    /// <c>output</c>. With <see cref="ConvLayout.Nchw"/>:
    /// <c>output[n][g*Cog + co][oh][ow] = sum input[n][g*Cig + ci][oh*sh + kh*dh - padTop][ow*sw + kw*dw - padLeft] * weights[g*Cog + co][ci][kh][kw]</c>
    /// with weights OIHW; with <see cref="ConvLayout.Nhwc"/> the channel is the last dimension of
    /// input and output, and the weights are OHWI, <c>[g*Cog + co][kh][kw][ci]</c>. Reads in the
    /// padding are zero. The output height is
    /// <c>(height + top + bottom - dilation.Height * (kernel.Height - 1) - 1) / stride.Height + 1</c>, the width likewise.
    /// </summary>
    /// <param name="batch">The number of images.</param>
    /// <param name="inChannels">The input channels, a multiple of <paramref name="groups"/>.</param>
    /// <param name="outChannels">The output channels, a multiple of <paramref name="groups"/>.</param>
    /// <param name="height">The input height.</param>
    /// <param name="width">The input width.</param>
    /// <param name="kernel">The kernel size; an integer means a square kernel.</param>
    /// <param name="stride">The stride; one when omitted.</param>
    /// <param name="padding">The zero padding; none when omitted; an integer pads every side.</param>
    /// <param name="dilation">The dilation; one when omitted.</param>
    /// <param name="groups">The number of channel groups.</param>
    /// <param name="elementType">The element type.</param>
    /// <param name="layout">The memory layout of activations and weights.</param>
    /// <returns>The operator.</returns>
    public static OperatorSpec Conv2d(
        int batch,
        int inChannels,
        int outChannels,
        int height,
        int width,
        Size2 kernel,
        Size2? stride = null,
        Padding2? padding = null,
        Size2? dilation = null,
        int groups = 1,
        ElementType elementType = ElementType.Float64,
        ConvLayout layout = ConvLayout.Nchw)
    {
        DescribeGuard.Defined(elementType, nameof(elementType));
        var p = new Conv2dAttributes(
            batch, inChannels, outChannels, height, width, kernel, stride ?? 1, padding ?? 0, dilation ?? 1, groups, layout);
        return new OperatorSpec(OperatorKind.Conv2d, Conv2dExpression(p), elementType, p);
    }

    /// <summary>The contraction of a checked convolution.</summary>
    private static Contraction Conv2dExpression(Conv2dAttributes p)
    {
        var cig = p.InChannelsPerGroup;
        var cog = p.OutChannelsPerGroup;
        var n = Axis.Index("n", p.Batch);
        var g = p.Groups > 1 ? Axis.Index("g", p.Groups) : null;
        var co = Axis.Index("co", cog);
        var oh = Axis.Index("oh", p.OutHeight);
        var ow = Axis.Index("ow", p.OutWidth);
        var ci = Axis.Reduction("ci", cig);
        var kh = Axis.Reduction("kh", p.Kernel.Height);
        var kw = Axis.Reduction("kw", p.Kernel.Width);

        AffineExpression inChannel = g is null ? ci : (g * cig) + ci;
        AffineExpression outChannel = g is null ? co : (g * cog) + co;
        var ih = (oh * p.Stride.Height) + (kh * p.Dilation.Height) - p.Padding.Top;
        var iw = (ow * p.Stride.Width) + (kw * p.Dilation.Width) - p.Padding.Left;

        TensorAccess input, weights, output;
        if (p.Layout == ConvLayout.Nchw)
        {
            input = TensorDeclaration.Create("input", p.Batch, p.InChannels, p.Height, p.Width)[n, inChannel, ih, iw];
            weights = TensorDeclaration.Create("weights", p.OutChannels, cig, p.Kernel.Height, p.Kernel.Width)[outChannel, ci, kh, kw];
            output = TensorDeclaration.Create("output", p.Batch, p.OutChannels, p.OutHeight, p.OutWidth)[n, outChannel, oh, ow];
        }
        else
        {
            input = TensorDeclaration.Create("input", p.Batch, p.Height, p.Width, p.InChannels)[n, ih, iw, inChannel];
            weights = TensorDeclaration.Create("weights", p.OutChannels, p.Kernel.Height, p.Kernel.Width, cig)[outChannel, kh, kw, ci];
            output = TensorDeclaration.Create("output", p.Batch, p.OutHeight, p.OutWidth, p.OutChannels)[n, oh, ow, outChannel];
        }

        Axis[] index = g is null ? [n, co, oh, ow] : [n, g, co, oh, ow];
        return Contraction.Create("conv2d", index, [ci, kh, kw], output, input, weights);
    }
}
