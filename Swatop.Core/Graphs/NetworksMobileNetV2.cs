using Swatop.Primitives;

namespace Swatop.Core.Graphs;

/// <summary>torchvision's MobileNet-v2, with its biases (the folded batch normalizations) and its ReLU6 clamps.</summary>
public static partial class Networks
{
    /// <summary>
    /// The inverted-residual stages of torchvision's <c>mobilenet_v2</c>: expansion factor, output channels,
    /// blocks, and the stride of the stage's first block.
    /// </summary>
    private static readonly (int Expansion, int Channels, int Blocks, int Stride)[] MobileNetV2Stages =
        [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)];

    /// <summary>The inverted-residual blocks of MobileNet-v2, <c>features.1</c> to <c>features.17</c>.</summary>
    internal const int MobileNetV2Blocks = 17;

    /// <summary>The stem's output channels at width 1.0.</summary>
    private const int MobileNetV2StemChannels = 32;

    /// <summary>The last convolution's output channels at width 1.0 (and at every smaller width).</summary>
    private const int MobileNetV2LastChannels = 1280;

    /// <summary>The upper bound of MobileNet-v2's clamps (ReLU6).</summary>
    private const double Relu6 = 6;

    /// <summary>
    /// torchvision's <c>mobilenet_v2</c> (width 1.0): <c>features.0</c>, a 3 x 3 convolution of stride 2 (3 to 32
    /// channels); the inverted-residual blocks <c>features.1</c> to <c>features.17</c> in seven stages (expansion
    /// 1, 6, 6, 6, 6, 6, 6 to 16, 24, 32, 64, 96, 160 and 320 channels in 1, 2, 3, 4, 3, 3 and 1 blocks, the first
    /// block of a stage with its stride 1, 2, 2, 2, 1, 2, 1); <c>features.18</c>, a 1 x 1 convolution to 1280
    /// channels; then <c>avgpool</c> (global average), <c>flatten</c> and <c>classifier.1</c> (1280 to 1000; the
    /// dropout <c>classifier.0</c> is the identity in inference). A block <c>features.K</c> is <c>conv.0</c>, the
    /// 1 x 1 expansion to <c>6 x</c> its input channels (not in <c>features.1</c>, whose factor is 1), then the
    /// 3 x 3 depthwise convolution (groups = channels, padding 1, the block's stride), each as torchvision's
    /// <c>Conv2dNormActivation</c>: the convolution <c>.0</c>, the batch normalization <c>.1</c> as the bias it
    /// folds into, the ReLU6 <c>.2</c> as a clamp to [0, 6]; then the linear 1 x 1 projection <c>conv.2</c> and its
    /// bias <c>conv.3</c> (<c>conv.1</c> and <c>conv.2</c> in <c>features.1</c>); and, where the stride is 1 and
    /// the channels stay, the residual sum <c>features.K</c> with the block's input. In all 52 convolutions
    /// (17 depthwise), 10 residual sums, one fully connected layer with its bias.
    /// </summary>
    /// <param name="batch">The images per run, at least one.</param>
    /// <param name="elementType">The element type.</param>
    /// <returns>The graph, named <c>mobilenetv2</c>, input <c>data</c>, output <c>classifier.1</c>.</returns>
    /// <exception cref="GraphException">The batch is smaller than one, or the element type is not defined.</exception>
    public static OperatorGraph MobileNetV2(int batch, ElementType elementType = ElementType.Float64) =>
        MobileNetV2(batch, elementType, ImageSize, widthMultiplier: 1.0, MobileNetV2Blocks, Classes);

    /// <summary>
    /// MobileNet-v2 as torchvision builds it for a width multiplier (every channel count times the multiplier,
    /// rounded to a multiple of 8 as torchvision's <c>_make_divisible</c> does, the last convolution's 1280 kept),
    /// on square images of <paramref name="imageSize"/>, with the first <paramref name="blocks"/> inverted-residual
    /// blocks only and <paramref name="classes"/> classes: the small variants the tests run.
    /// </summary>
    internal static OperatorGraph MobileNetV2(int batch, ElementType elementType, int imageSize, double widthMultiplier, int blocks, int classes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(imageSize, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(widthMultiplier);
        ArgumentOutOfRangeException.ThrowIfLessThan(blocks, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(blocks, MobileNetV2Blocks);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        var (b, x) = Start("mobilenetv2", batch, elementType, imageSize);
        var channels = Divisible(MobileNetV2StemChannels * widthMultiplier);
        x = ConvNormActivation(b, "features.0", x, channels, kernel: 3, stride: 2, groups: 1);
        var index = 1;
        foreach (var (expansion, outChannels, count, stride) in MobileNetV2Stages)
        {
            for (var i = 0; i < count && index <= blocks; i++, index++)
            {
                x = InvertedResidual(b, $"features.{index}", x, Divisible(outChannels * widthMultiplier), i == 0 ? stride : 1, expansion);
            }
        }

        x = ConvNormActivation(b, $"features.{index}", x, Divisible(MobileNetV2LastChannels * Math.Max(1.0, widthMultiplier)), kernel: 1, stride: 1, groups: 1);
        x = b.GlobalAveragePool("avgpool", x);
        x = b.Flatten("flatten", x);
        x = b.FullyConnected("classifier.1.linear", x, classes);
        x = b.BiasAdd("classifier.1", x);
        return b.Output(x).Build();
    }

    /// <summary>
    /// An inverted-residual block: the expansion (when the factor is above 1), the depthwise convolution, the linear
    /// projection and its bias, and the residual sum where the stride is 1 and the channels stay.
    /// </summary>
    private static GraphValue InvertedResidual(GraphBuilder b, string prefix, GraphValue x, int outChannels, int stride, int expansion)
    {
        var inChannels = x.Shape[1];
        var hidden = inChannels * expansion;
        var y = x;
        var layer = 0;
        if (expansion != 1)
        {
            y = ConvNormActivation(b, $"{prefix}.conv.{layer++}", y, hidden, kernel: 1, stride: 1, groups: 1);
        }

        y = ConvNormActivation(b, $"{prefix}.conv.{layer++}", y, hidden, kernel: 3, stride: stride, groups: hidden);
        y = b.Conv2d($"{prefix}.conv.{layer++}", y, outChannels, kernel: 1);
        y = b.BiasAdd($"{prefix}.conv.{layer}", y);
        return stride == 1 && inChannels == outChannels ? b.Add(prefix, y, x) : y;
    }

    /// <summary>torchvision's <c>Conv2dNormActivation</c> with ReLU6: the convolution <c>.0</c> (padding half the kernel), the folded batch normalization's bias <c>.1</c>, the clamp <c>.2</c>.</summary>
    private static GraphValue ConvNormActivation(GraphBuilder b, string prefix, GraphValue x, int outChannels, int kernel, int stride, int groups)
    {
        var y = b.Conv2d($"{prefix}.0", x, outChannels, kernel, stride, padding: (kernel - 1) / 2, groups: groups);
        y = b.BiasAdd($"{prefix}.1", y);
        return b.Clip($"{prefix}.2", y, 0, Relu6);
    }

    /// <summary>torchvision's <c>_make_divisible(v, 8)</c>: the nearest multiple of 8, at least 8, not below 90% of <paramref name="value"/>.</summary>
    private static int Divisible(double value)
    {
        const int Divisor = 8;
        var rounded = Math.Max(Divisor, (int)(value + (Divisor / 2.0)) / Divisor * Divisor);
        return rounded < 0.9 * value ? rounded + Divisor : rounded;
    }
}
