using Swatop.Core;

namespace Swatop.Tests.Describe;

/// <summary>Seeded random convolution shapes: the reference equals the direct loops bit for bit, in both layouts.</summary>
public sealed class ConvolutionPropertyTests
{
    private static NaiveConvolution RandomShape(Random random)
    {
        var groups = random.Next(1, 3);
        int kh = random.Next(1, 4), kw = random.Next(1, 4);
        int dh = random.Next(1, 3), dw = random.Next(1, 3);
        int spanH = (dh * (kh - 1)) + 1, spanW = (dw * (kw - 1)) + 1;
        int top = random.Next(spanH), bottom = random.Next(spanH), left = random.Next(spanW), right = random.Next(spanW);
        var height = Math.Max(1, spanH - top - bottom) + random.Next(5);
        var width = Math.Max(1, spanW - left - right) + random.Next(5);
        return new NaiveConvolution(
            random.Next(1, 3), groups * random.Next(1, 4), groups * random.Next(1, 4), height, width, kh, kw,
            random.Next(1, 4), random.Next(1, 4), top, bottom, left, right, dh, dw, groups);
    }

    [Test]
    public void RandomShapesMatchDirectLoopsInBothLayouts([Range(1, 40)] int seed)
    {
        var c = RandomShape(new Random(seed));
        var nchw = Operator.Conv2d(
            c.Batch, c.InChannels, c.OutChannels, c.Height, c.Width, new Size2(c.KernelHeight, c.KernelWidth),
            new Size2(c.StrideHeight, c.StrideWidth), new Padding2(c.Top, c.Bottom, c.Left, c.Right),
            new Size2(c.DilationHeight, c.DilationWidth), c.Groups);
        var nhwc = Operator.Conv2d(
            c.Batch, c.InChannels, c.OutChannels, c.Height, c.Width, new Size2(c.KernelHeight, c.KernelWidth),
            new Size2(c.StrideHeight, c.StrideWidth), new Padding2(c.Top, c.Bottom, c.Left, c.Right),
            new Size2(c.DilationHeight, c.DilationWidth), c.Groups, layout: ConvLayout.Nhwc);
        var input = Tensors.Random(c.InputLength, seed);
        var weights = Tensors.Random(c.WeightLength, seed + 1000);
        var expected = c.Run(input, weights);

        Assert.That(ReferenceEvaluator.Evaluate(nchw.Expression, input, weights), Is.EqualTo(expected), c.ToString());
        var transposed = ReferenceEvaluator.Evaluate(
            nhwc.Expression,
            Tensors.NchwToNhwc(input, c.Batch, c.InChannels, c.Height, c.Width),
            Tensors.OihwToOhwi(weights, c.OutChannels, c.InChannels / c.Groups, c.KernelHeight, c.KernelWidth));
        Assert.That(transposed, Is.EqualTo(Tensors.NchwToNhwc(expected, c.Batch, c.OutChannels, c.OutHeight, c.OutWidth)), c.ToString());
    }
}
