using System.Diagnostics;
using Swatop.Core;

namespace Swatop.Tests.Describe;

/// <summary>The reference evaluator on convolutions: hand-computed cases and a direct-loop oracle.</summary>
public sealed class ConvolutionReferenceTests
{
    private static double[] Ones(int length) => [.. Enumerable.Repeat(1.0, length)];

    private static double[] Evaluate(OperatorSpec spec, double[] input, double[] weights) =>
        ReferenceEvaluator.Evaluate(spec.Expression, input, weights);

    [Test]
    public void SymmetricPaddingSumsTheNeighbourhoods()
    {
        // 3 x 3 input 1..9, 3 x 3 kernel of ones, one pixel of zeros all round.
        var spec = Operator.Conv2d(1, 1, 1, 3, 3, kernel: 3, padding: 1);
        var result = Evaluate(spec, Tensors.Counting(9), Ones(9));
        Assert.That(result, Is.EqualTo(new double[] { 12, 21, 16, 27, 45, 33, 24, 39, 28 }));
    }

    [Test]
    public void StrideTwoSkipsEveryOtherWindow()
    {
        // 4 x 4 input 1..16, 2 x 2 kernel of ones, stride 2: the four disjoint 2 x 2 blocks.
        var spec = Operator.Conv2d(1, 1, 1, 4, 4, kernel: 2, stride: 2);
        Assert.That(Evaluate(spec, Tensors.Counting(16), Ones(4)), Is.EqualTo(new double[] { 14, 22, 46, 54 }));
    }

    [Test]
    public void PerSidePaddingPadsOnlyTheNamedSides()
    {
        // 2 x 2 input [[1, 2], [3, 4]], 2 x 2 kernel of ones, one row on top and one column on the right.
        var spec = Operator.Conv2d(1, 1, 1, 2, 2, kernel: 2, padding: new Padding2(Top: 1, Bottom: 0, Left: 0, Right: 1));
        Assert.That(Evaluate(spec, [1.0, 2, 3, 4], Ones(4)), Is.EqualTo(new double[] { 3, 2, 10, 6 }));
    }

    [Test]
    public void DilationTwoReadsEveryOtherPixel()
    {
        // 5 x 5 input 1..25, 2 x 2 kernel of ones dilated by 2: taps (0,0), (0,2), (2,0), (2,2) of each window.
        var spec = Operator.Conv2d(1, 1, 1, 5, 5, kernel: 2, dilation: 2);
        var result = Evaluate(spec, Tensors.Counting(25), Ones(4));
        Assert.That(result.Length, Is.EqualTo(9));
        Assert.That(result[0], Is.EqualTo(1 + 3 + 11 + 13));
        Assert.That(result[8], Is.EqualTo(13 + 15 + 23 + 25));
    }

    [Test]
    public void GroupsTwoKeepTheChannelHalvesApart()
    {
        // Two input channels, two groups of one channel: output channel 0 sees channel 0 only.
        var spec = Operator.Conv2d(1, 2, 2, 1, 1, kernel: 1, groups: 2);
        Assert.That(Evaluate(spec, [3.0, 5], [10.0, 100]), Is.EqualTo(new double[] { 30, 500 }));
    }

    private static IEnumerable<TestCaseData> Shapes()
    {
        yield return new TestCaseData(new NaiveConvolution(2, 3, 4, 9, 7, 3, 3, StrideHeight: 2, StrideWidth: 2)).SetName("Stride2");
        yield return new TestCaseData(new NaiveConvolution(1, 3, 2, 6, 6, 3, 3, Top: 1, Bottom: 1, Left: 1, Right: 1)).SetName("SymmetricPadding");
        yield return new TestCaseData(new NaiveConvolution(1, 2, 3, 7, 6, 3, 2, Top: 2, Bottom: 0, Left: 0, Right: 1)).SetName("PerSidePadding");
        yield return new TestCaseData(new NaiveConvolution(1, 2, 2, 9, 8, 3, 3, Top: 2, Bottom: 1, Left: 1, Right: 2, DilationHeight: 2, DilationWidth: 2)).SetName("Dilation2");
        yield return new TestCaseData(new NaiveConvolution(2, 4, 6, 6, 5, 3, 3, StrideHeight: 2, Top: 1, Bottom: 1, Left: 1, Right: 1, Groups: 2)).SetName("Groups2");
        yield return new TestCaseData(new NaiveConvolution(1, 6, 6, 5, 5, 3, 3, Top: 1, Bottom: 1, Left: 1, Right: 1, Groups: 6)).SetName("Depthwise");
    }

    private static OperatorSpec Describe(NaiveConvolution c, ConvLayout layout = ConvLayout.Nchw) =>
        Operator.Conv2d(
            c.Batch, c.InChannels, c.OutChannels, c.Height, c.Width, new Size2(c.KernelHeight, c.KernelWidth),
            new Size2(c.StrideHeight, c.StrideWidth), new Padding2(c.Top, c.Bottom, c.Left, c.Right),
            new Size2(c.DilationHeight, c.DilationWidth), c.Groups, layout: layout);

    [TestCaseSource(nameof(Shapes))]
    public void MatchesDirectLoopsBitForBit(NaiveConvolution c)
    {
        var input = Tensors.Random(c.InputLength, 11);
        var weights = Tensors.Random(c.WeightLength, 12);
        Assert.That(Evaluate(Describe(c), input, weights), Is.EqualTo(c.Run(input, weights)));
    }

    [TestCaseSource(nameof(Shapes))]
    public void NhwcEqualsNchwAfterTransposition(NaiveConvolution c)
    {
        var input = Tensors.Random(c.InputLength, 21);
        var weights = Tensors.Random(c.WeightLength, 22);
        var nchw = Evaluate(Describe(c), input, weights);
        var nhwc = Evaluate(
            Describe(c, ConvLayout.Nhwc),
            Tensors.NchwToNhwc(input, c.Batch, c.InChannels, c.Height, c.Width),
            Tensors.OihwToOhwi(weights, c.OutChannels, c.InChannels / c.Groups, c.KernelHeight, c.KernelWidth));
        Assert.That(nhwc, Is.EqualTo(Tensors.NchwToNhwc(nchw, c.Batch, c.OutChannels, c.OutHeight, c.OutWidth)));
    }

    [Test]
    public void FloatPathRoundsTheDoublePathOnce()
    {
        var c = new NaiveConvolution(1, 8, 4, 7, 7, 3, 3, Top: 1, Bottom: 1, Left: 1, Right: 1);
        var spec = Describe(c);
        var input = Tensors.Random(c.InputLength, 31).Select(v => (float)v).ToArray();
        var weights = Tensors.Random(c.WeightLength, 32).Select(v => (float)v).ToArray();
        var single = ReferenceEvaluator.Evaluate(spec.Expression, input, weights);
        var wide = ReferenceEvaluator.Evaluate(spec.Expression, input.Select(v => (double)v).ToArray(), weights.Select(v => (double)v).ToArray());
        Assert.That(single, Is.EqualTo(wide.Select(v => (float)v).ToArray()));
    }

    [Test]
    public void ResNet50LayerEvaluatesInSeconds()
    {
        // 64 -> 64 channels, 56 x 56, 3 x 3, padding 1: 0.23 GFLOP.
        var c = new NaiveConvolution(1, 64, 64, 56, 56, 3, 3, Top: 1, Bottom: 1, Left: 1, Right: 1);
        var spec = Describe(c);
        var input = Tensors.Random(c.InputLength, 41);
        var weights = Tensors.Random(c.WeightLength, 42);
        var clock = Stopwatch.StartNew();
        var result = Evaluate(spec, input, weights);
        clock.Stop();
        TestContext.Out.WriteLine($"{spec.Flops / 1e9:F3} GFLOP in {clock.Elapsed.TotalSeconds:F2} s");
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)));
        foreach (var (o, oh, ow) in new[] { (0, 0, 0), (17, 0, 55), (63, 55, 55), (31, 28, 1), (5, 55, 0) })
        {
            Assert.That(result[Tensors.At([1, 64, 56, 56], 0, o, oh, ow)], Is.EqualTo(c.Point(input, weights, 0, o, oh, ow)));
        }
    }
}
