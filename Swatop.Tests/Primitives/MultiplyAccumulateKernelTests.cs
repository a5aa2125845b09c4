using Swatop.Primitives;

namespace Swatop.Tests.PrimitiveKernels;

/// <summary>The multiply-accumulate host kernel: bit for bit its element-by-element definition, and its shape rules.</summary>
public sealed class MultiplyAccumulateKernelTests
{
    [Test]
    public void The_kernel_matches_the_reference_bit_for_bit_over_shapes_strides_and_dilations([Values(1, 2, 3)] int stride, [Values(1, 2)] int dilation)
    {
        var random = new Random(stride * 10 + dilation);
        foreach (var (count, taps) in new[] { (1, 1), (3, 3), (7, 5), (16, 3), (37, 7), (56, 3) })
        {
            var span = (int)MultiplyAccumulateRules.SourceSpan(count, taps, stride, dilation);
            double[] source = [.. Enumerable.Range(0, span + 3).Select(_ => random.NextDouble() - 0.5)];
            double[] weights = [.. Enumerable.Range(0, taps).Select(_ => random.NextDouble() - 0.5)];
            double[] start = [.. Enumerable.Range(0, count).Select(_ => random.NextDouble() - 0.5)];
            double[] fast = [.. start], slow = [.. start];
            MultiplyAccumulateKernel.Apply<double>(fast, weights, source, stride, dilation);
            MultiplyAccumulateKernel.Reference<double>(slow, weights, source, stride, dilation);
            Assert.That(fast.Select(BitConverter.DoubleToInt64Bits), Is.EqualTo(slow.Select(BitConverter.DoubleToInt64Bits)), $"{count} outputs, {taps} taps");
            float[] fs = [.. source.Select(v => (float)v)], fw = [.. weights.Select(v => (float)v)];
            float[] ffast = [.. start.Select(v => (float)v)], fslow = [.. ffast];
            MultiplyAccumulateKernel.Apply<float>(ffast, fw, fs, stride, dilation);
            MultiplyAccumulateKernel.Reference<float>(fslow, fw, fs, stride, dilation);
            Assert.That(ffast.Select(BitConverter.SingleToInt32Bits), Is.EqualTo(fslow.Select(BitConverter.SingleToInt32Bits)), $"float, {count} outputs, {taps} taps");
        }
    }

    [Test]
    public void A_source_too_short_for_the_last_output_is_refused_naming_both_counts()
    {
        var error = Assert.Throws<ArgumentException>(() => MultiplyAccumulateKernel.Apply<double>(new double[4], new double[3], new double[5], 1, 1));
        Assert.That(error!.Message, Does.Contain("the source holds 5 elements but 4 outputs of 3 taps at stride 1 and dilation 1 read 6"));
    }

    [Test]
    public void A_stride_or_dilation_below_one_breaks_the_rules() =>
        Assert.That(MultiplyAccumulateRules.Violation(4, 3, 100, 0, 1), Does.Contain("must be at least 1"));
}
