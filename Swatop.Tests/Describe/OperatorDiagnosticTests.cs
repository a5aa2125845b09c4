using Swatop.Core;
using Swatop.Primitives;

namespace Swatop.Tests.Describe;

/// <summary>Must-fail tests of the operator builders: one per diagnostic id, each naming the parameter and its value.</summary>
public sealed class OperatorDiagnosticTests
{
    /// <summary>A valid 1 x 4 x 8 x 5 x 5 convolution, 3 x 3, with one argument replaced.</summary>
    private static OperatorSpec Conv(
        int inChannels = 4, int outChannels = 8, int height = 5, Size2? kernel = null, Size2? stride = null,
        Padding2? padding = null, Size2? dilation = null, int groups = 1, ConvLayout layout = ConvLayout.Nchw) =>
        Operator.Conv2d(1, inChannels, outChannels, height, 5, kernel ?? 3, stride, padding ?? 1, dilation, groups, layout: layout);

    [Test]
    public void ValidConvolutionIsAccepted() => Assert.That(Conv().Kind, Is.EqualTo(OperatorKind.Conv2d));

    [Test]
    public void SizeBelowOneIsRejected()
    {
        DescribeMust.Fail(() => Operator.Gemm(0, 2, 2), DescribeDiagnostics.SizeTooSmall, "m", "m = 0", "at least 1");
        DescribeMust.Fail(() => Operator.Gemm(2, 2, 2, batch: -1), DescribeDiagnostics.SizeTooSmall, "batch", "batch = -1");
        DescribeMust.Fail(() => Operator.FullyConnected(4, 0, 3), DescribeDiagnostics.SizeTooSmall, "inFeatures", "inFeatures = 0");
        DescribeMust.Fail(() => Conv(height: 0), DescribeDiagnostics.SizeTooSmall, "height", "height = 0");
        DescribeMust.Fail(() => Conv(kernel: new Size2(3, 0)), DescribeDiagnostics.SizeTooSmall, "kernel", "kernel.Width = 0");
    }

    [Test]
    public void NegativePaddingIsRejected() =>
        DescribeMust.Fail(() => Conv(padding: new Padding2(0, 0, -1, 0)), DescribeDiagnostics.NegativePadding, "padding", "padding.Left = -1");

    [Test]
    public void StrideBelowOneIsRejected() =>
        DescribeMust.Fail(() => Conv(stride: new Size2(0, 1)), DescribeDiagnostics.StrideTooSmall, "stride", "stride.Height = 0");

    [Test]
    public void DilationBelowOneIsRejected() =>
        DescribeMust.Fail(() => Conv(dilation: new Size2(1, 0)), DescribeDiagnostics.DilationTooSmall, "dilation", "dilation.Width = 0");

    [Test]
    public void GroupsBelowOneIsRejected() =>
        DescribeMust.Fail(() => Conv(groups: 0), DescribeDiagnostics.GroupsTooSmall, "groups", "groups = 0");

    [Test]
    public void GroupsThatDoNotDivideTheChannelsAreRejected()
    {
        DescribeMust.Fail(() => Conv(groups: 3, inChannels: 4, outChannels: 6), DescribeDiagnostics.GroupsDoNotDivideChannels, "inChannels", "inChannels = 4", "groups = 3");
        DescribeMust.Fail(() => Conv(groups: 2, inChannels: 4, outChannels: 7), DescribeDiagnostics.GroupsDoNotDivideChannels, "outChannels", "outChannels = 7");
    }

    [Test]
    public void KernelLargerThanThePaddedInputIsRejected()
    {
        DescribeMust.Fail(
            () => Conv(kernel: new Size2(9, 3)),
            DescribeDiagnostics.KernelLargerThanInput,
            "kernel",
            "kernel.Height = 9 is larger than the padded input height 5 + 1 + 1 = 7",
            "empty");

        // Dilation widens the kernel: 3 taps dilated by 4 span 9 columns.
        DescribeMust.Fail(
            () => Conv(dilation: new Size2(1, 4)), DescribeDiagnostics.KernelLargerThanInput, "kernel", "kernel.Width = 3 with dilation.Width = 4 (spanning 9)");
    }

    [Test]
    public void TensorBeyondInt32ElementsIsRejected()
    {
        DescribeMust.Fail(() => Operator.Gemm(100_000, 100_000, 1), DescribeDiagnostics.TooLarge, "m", "'C'", "int.MaxValue");
        DescribeMust.Fail(
            () => Operator.Conv2d(64, 1024, 8, 256, 256, 1), DescribeDiagnostics.TooLarge, "inChannels", "'input'", "[64][1024][256][256]");
    }

    [Test]
    public void UndefinedEnumValueIsRejected()
    {
        DescribeMust.Fail(() => Operator.Gemm(2, 2, 2, elementType: (ElementType)7), DescribeDiagnostics.UndefinedEnumValue, "elementType", "elementType = 7");
        DescribeMust.Fail(() => Conv(layout: (ConvLayout)5), DescribeDiagnostics.UndefinedEnumValue, "layout", "layout = 5", "Nchw");
    }

    [Test]
    public void EveryDiagnosticIdIsDistinctAndStable()
    {
        var ids = typeof(DescribeDiagnostics).GetFields().Select(f => (string)f.GetRawConstantValue()!).ToArray();
        Assert.That(ids, Is.Unique);
        // Numbered from 1 in order, past the retired ones (never reused): SWD0021, since padding may reach past the kernel.
        string[] retired = ["SWD0021"];
        Assert.That(ids, Is.EqualTo(Enumerable.Range(1, ids.Length + retired.Length).Select(i => $"SWD{i:D4}").Except(retired)));
    }
}
