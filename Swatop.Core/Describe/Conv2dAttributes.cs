namespace Swatop.Core;

/// <summary>
/// The attributes of a two-dimensional convolution (cross-correlation, no bias), as built by
/// <see cref="Operator.Conv2d"/>. With <see cref="ConvLayout.Nchw"/> activations are
/// <c>[batch][channel][height][width]</c> and weights OIHW; with <see cref="ConvLayout.Nhwc"/>
/// activations are <c>[batch][height][width][channel]</c> and weights OHWI. The weights hold
/// <c>InChannels / Groups</c> input channels per output channel. Checked when created.
/// </summary>
/// <param name="Batch">The number of images.</param>
/// <param name="InChannels">The input channels, a multiple of <paramref name="Groups"/>.</param>
/// <param name="OutChannels">The output channels, a multiple of <paramref name="Groups"/>.</param>
/// <param name="Height">The input height.</param>
/// <param name="Width">The input width.</param>
/// <param name="Kernel">The kernel height and width.</param>
/// <param name="Stride">The step between windows, vertical and horizontal.</param>
/// <param name="Padding">The zero padding per side.</param>
/// <param name="Dilation">The step between kernel taps, vertical and horizontal.</param>
/// <param name="Groups">The number of channel groups.</param>
/// <param name="Layout">The memory layout of activations and weights.</param>
public sealed record Conv2dAttributes(
    int Batch,
    int InChannels,
    int OutChannels,
    int Height,
    int Width,
    Size2 Kernel,
    Size2 Stride,
    Padding2 Padding,
    Size2 Dilation,
    int Groups,
    ConvLayout Layout) : OperatorAttributes
{
    private readonly Size2 output = Conv2dRules.Check(
        Batch, InChannels, OutChannels, Height, Width, Kernel, Stride, Padding, Dilation, Groups, Layout);

    /// <summary>The number of images.</summary>
    public int Batch { get; } = Batch;

    /// <summary>The input channels.</summary>
    public int InChannels { get; } = InChannels;

    /// <summary>The output channels.</summary>
    public int OutChannels { get; } = OutChannels;

    /// <summary>The input height.</summary>
    public int Height { get; } = Height;

    /// <summary>The input width.</summary>
    public int Width { get; } = Width;

    /// <summary>The kernel height and width.</summary>
    public Size2 Kernel { get; } = Kernel;

    /// <summary>The step between windows.</summary>
    public Size2 Stride { get; } = Stride;

    /// <summary>The zero padding per side.</summary>
    public Padding2 Padding { get; } = Padding;

    /// <summary>The step between kernel taps.</summary>
    public Size2 Dilation { get; } = Dilation;

    /// <summary>The number of channel groups.</summary>
    public int Groups { get; } = Groups;

    /// <summary>The memory layout of activations and weights.</summary>
    public ConvLayout Layout { get; } = Layout;

    /// <summary>The output height: <c>(Height + Top + Bottom - Dilation.Height * (Kernel.Height - 1) - 1) / Stride.Height + 1</c>.</summary>
    public int OutHeight => output.Height;

    /// <summary>The output width: <c>(Width + Left + Right - Dilation.Width * (Kernel.Width - 1) - 1) / Stride.Width + 1</c>.</summary>
    public int OutWidth => output.Width;

    /// <summary>The input channels per group.</summary>
    public int InChannelsPerGroup => InChannels / Groups;

    /// <summary>The output channels per group.</summary>
    public int OutChannelsPerGroup => OutChannels / Groups;

    /// <inheritdoc />
    internal override string Signature =>
        $"conv2d n={Batch} ci={InChannels} co={OutChannels} h={Height} w={Width} k={Kernel} s={Stride} p={Padding} "
        + $"d={Dilation} g={Groups} {Layout.ToString().ToLowerInvariant()}";
}
