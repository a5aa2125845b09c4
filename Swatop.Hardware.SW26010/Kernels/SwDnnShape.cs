using System.Globalization;

namespace Swatop.Hardware.Sw26010.Kernels;

/// <summary>
/// The shape of a swDNN convolution: a valid (unpadded), stride-1 convolution of a batch of
/// <see cref="Batch"/> images of <see cref="InChannels"/> channels and
/// <see cref="InHeight"/> x <see cref="InWidth"/> pixels with <see cref="OutChannels"/> square
/// filters of <see cref="Kernel"/> x <see cref="Kernel"/>. It also fixes the three tensors'
/// layouts, innermost index last: input <c>[Ri][Ci][Ni][B]</c>, weights <c>[Kr][Kc][No][Ni]</c>,
/// output <c>[Ro][Co][No][B]</c>.
/// </summary>
/// <remarks>
/// The constructor checks only what makes a convolution; the rules of the swDNN kernel (batch a
/// multiple of 128, the LDM fit and the rest) are <see cref="SwDnnConvolution"/>'s.
/// </remarks>
public sealed record SwDnnShape
{
    /// <summary>Describes the convolution; every size must be positive and the kernel no larger than the image.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size breaks a rule; the message names it, its value and the rule.</exception>
    public SwDnnShape(int batch, int inChannels, int outChannels, int inHeight, int inWidth, int kernel)
    {
        RequirePositive(batch, nameof(batch));
        RequirePositive(inChannels, nameof(inChannels));
        RequirePositive(outChannels, nameof(outChannels));
        RequirePositive(inHeight, nameof(inHeight));
        RequirePositive(inWidth, nameof(inWidth));
        RequirePositive(kernel, nameof(kernel));
        if (kernel > inHeight || kernel > inWidth)
        {
            throw new ArgumentOutOfRangeException(nameof(kernel), kernel, string.Create(CultureInfo.InvariantCulture,
                $"kernel = {kernel} must not exceed the image ({inHeight} x {inWidth}): a valid convolution needs at least one output pixel."));
        }

        (Batch, InChannels, OutChannels, InHeight, InWidth, Kernel) = (batch, inChannels, outChannels, inHeight, inWidth, kernel);
    }

    /// <summary>Images in the batch (B).</summary>
    public int Batch { get; }

    /// <summary>Input channels (Ni).</summary>
    public int InChannels { get; }

    /// <summary>Output channels, one filter each (No).</summary>
    public int OutChannels { get; }

    /// <summary>Rows of an input image (Ri).</summary>
    public int InHeight { get; }

    /// <summary>Columns of an input image (Ci).</summary>
    public int InWidth { get; }

    /// <summary>Rows and columns of a filter (K).</summary>
    public int Kernel { get; }

    /// <summary>Rows of an output image: Ro = Ri - K + 1.</summary>
    public int OutHeight => InHeight - Kernel + 1;

    /// <summary>Columns of an output image: Co = Ci - K + 1.</summary>
    public int OutWidth => InWidth - Kernel + 1;

    /// <summary>Elements of the input tensor: Ri Ci Ni B.</summary>
    public long InputLength => (long)InHeight * InWidth * InChannels * Batch;

    /// <summary>Elements of the weight tensor: K K No Ni.</summary>
    public long WeightLength => (long)Kernel * Kernel * OutChannels * InChannels;

    /// <summary>Elements of the output tensor: Ro Co No B.</summary>
    public long OutputLength => (long)OutHeight * OutWidth * OutChannels * Batch;

    /// <summary>Flops of one convolution: 2 B Ni No Ro Co K K (a fused multiply-add counts two).</summary>
    public long Flops => 2L * Batch * InChannels * OutChannels * OutHeight * OutWidth * Kernel * Kernel;

    /// <summary>The index of input element (row, column, channel, image) in the <c>[Ri][Ci][Ni][B]</c> layout.</summary>
    public long InputIndex(int row, int column, int channel, int image) =>
        ((((long)row * InWidth) + column) * InChannels + channel) * Batch + image;

    /// <summary>The index of weight (kernel row, kernel column, output channel, input channel) in the <c>[Kr][Kc][No][Ni]</c> layout.</summary>
    public long WeightIndex(int kernelRow, int kernelColumn, int outChannel, int inChannel) =>
        ((((long)kernelRow * Kernel) + kernelColumn) * OutChannels + outChannel) * InChannels + inChannel;

    /// <summary>The index of output element (row, column, channel, image) in the <c>[Ro][Co][No][B]</c> layout.</summary>
    public long OutputIndex(int row, int column, int channel, int image) =>
        ((((long)row * OutWidth) + column) * OutChannels + channel) * Batch + image;

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"B = {Batch}, Ni = {InChannels}, No = {OutChannels}, {InHeight} x {InWidth} input, {Kernel} x {Kernel} kernel");

    private static void RequirePositive(int value, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value, string.Create(CultureInfo.InvariantCulture, $"{name} = {value} must be positive."));
        }
    }
}
