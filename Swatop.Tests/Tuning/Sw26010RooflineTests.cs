using Swatop.Core;
using Swatop.Hardware.Sw26010;
using Swatop.Hardware.Sw26010.Tuning;

namespace Swatop.Tests.Tuning;

/// <summary>The roofline bound: flops at the peak or compulsory bytes at the DMA plateau, whichever is longer.</summary>
public sealed class Sw26010RooflineTests
{
    private static readonly Sw26010Spec Chip = Sw26010Spec.Default;

    [Test]
    public void A_deep_convolution_is_bound_by_its_flops_and_a_shallow_one_by_its_traffic()
    {
        var deep = Operator.Conv2d(128, 256, 256, 14, 14, 3, padding: 1);
        Assert.That(Sw26010Roofline.Seconds(deep, Chip), Is.EqualTo(deep.Flops / Chip.ChipPeakFlops).Within(1e-12));
        var shallow = Operator.Conv2d(128, 64, 256, 56, 56, 1);
        Assert.That(Sw26010Roofline.TrafficSeconds(shallow, Chip), Is.GreaterThan(Sw26010Roofline.ComputeSeconds(shallow, Chip)));
        Assert.That(Sw26010Roofline.Seconds(shallow, Chip), Is.EqualTo(Sw26010Roofline.TrafficSeconds(shallow, Chip)));
    }

    [Test]
    public void Traffic_counts_the_bytes_read_once_and_written_once_over_all_core_groups()
    {
        var dma = Chip.Timing.Dma;
        var gemm = Operator.Gemm(512, 256, 128);
        var expected = ((((512.0 * 128) + (128.0 * 256)) * 8 * dma.GetNanosecondsPerByte) + (512.0 * 256 * 8 * dma.PutNanosecondsPerByte)) * 1e-9 / Chip.CoreGroups;
        Assert.That(Sw26010Roofline.TrafficSeconds(gemm, Chip), Is.EqualTo(expected).Within(1e-15));
    }

    [Test]
    public void A_strided_pointwise_convolution_is_bound_by_the_pixels_it_reads_not_the_whole_input()
    {
        // ResNet-50's downsampling 1 x 1 convolutions read a quarter of their input.
        var strided = Operator.Conv2d(128, 256, 512, 56, 56, 1, stride: 2);
        var dma = Chip.Timing.Dma;
        var input = 128.0 * 256 * 28 * 28;
        var weights = 512.0 * 256;
        var output = 128.0 * 512 * 28 * 28;
        var expected = ((((input + weights) * dma.GetNanosecondsPerByte) + (output * dma.PutNanosecondsPerByte)) * 8) * 1e-9 / Chip.CoreGroups;
        Assert.That(Sw26010Roofline.TrafficSeconds(strided, Chip), Is.EqualTo(expected).Within(1e-12));
    }

    [Test]
    public void Arithmetic_intensity_is_flops_over_the_bytes_read_once_and_written_once()
    {
        var gemm = Operator.Gemm(512, 256, 128, elementType: Primitives.ElementType.Float32);
        var bytes = ((512.0 * 128) + (128.0 * 256) + (512.0 * 256)) * 4;
        Assert.That(Sw26010Roofline.Bytes(gemm), Is.EqualTo(bytes));
        Assert.That(Sw26010Roofline.ArithmeticIntensity(gemm), Is.EqualTo(gemm.Flops / bytes));
    }

    [TestCase(128, 64, 256, 56, 1)]
    [TestCase(128, 256, 256, 14, 3)]
    [TestCase(1, 3, 64, 224, 7)]
    [TestCase(8, 512, 512, 7, 3)]
    public void No_operator_is_bound_above_the_roof_at_its_intensity(int batch, int inChannels, int outChannels, int size, int kernel)
    {
        var conv = Operator.Conv2d(batch, inChannels, outChannels, size, size, kernel, padding: kernel / 2);
        var bound = conv.Flops / Sw26010Roofline.Seconds(conv, Chip);
        var roof = Math.Min(Chip.ChipPeakFlops, Sw26010Roofline.ArithmeticIntensity(conv) * Sw26010Roofline.BytesPerSecond(Chip));
        Assert.That(bound, Is.LessThanOrEqualTo(roof * (1 + 1e-12)));
        Assert.That(bound, Is.GreaterThanOrEqualTo(roof / 2), "the slope is the faster plateau, not far above what the traffic allows");
    }
}
