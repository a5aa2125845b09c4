using Swatop.Primitives;

namespace Swatop.Core.Graphs;

/// <summary>
/// Networks built in, as <see cref="OperatorGraph"/>s for any batch and element type, with
/// torchvision's architectures and 224 x 224 images (<c>data</c>, <c>[batch][3][224][224]</c>).
/// Layers are named after torchvision's module paths. ResNet-50 and VGG-16 hold the operators only: no
/// batch normalization (an importer folds it into the preceding convolution), no ReLU, dropout or
/// bias. MobileNet-v2 (<see cref="MobileNetV2(int, ElementType)"/>) holds its whole data flow: each batch
/// normalization as the per-channel bias it folds into, and its ReLU6 clamps, which
/// <see cref="GraphFusion.EpilogueFusion"/> folds into the convolutions' epilogues.
/// </summary>
public static partial class Networks
{
    /// <summary>The side of the square input images.</summary>
    public const int ImageSize = 224;

    /// <summary>The input's channels (RGB).</summary>
    public const int ImageChannels = 3;

    /// <summary>The classes of the last fully connected layer (ImageNet's).</summary>
    public const int Classes = 1000;

    /// <summary>The bottleneck blocks of each of ResNet-50's four stages.</summary>
    private static readonly int[] ResNet50Blocks = [3, 4, 6, 3];

    /// <summary>The width (the 3 x 3 convolution's channels) of each stage's bottlenecks.</summary>
    private static readonly int[] ResNetWidths = [64, 128, 256, 512];

    /// <summary>A bottleneck's output channels per channel of its width.</summary>
    private const int BottleneckExpansion = 4;

    /// <summary>VGG-16's feature layers as torchvision's configuration "D" has them: output channels of a 3 x 3 convolution, or 0 for a max pooling.</summary>
    private static readonly int[] Vgg16Features = [64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0];

    /// <summary>The hidden features of VGG's classifier.</summary>
    private const int VggHidden = 4096;

    /// <summary>
    /// torchvision's <c>resnet50</c> (v1.5, the stride on each bottleneck's 3 x 3 convolution):
    /// <c>conv1</c> (7 x 7, stride 2, padding 3, 3 to 64 channels), <c>maxpool</c> (3, stride 2,
    /// padding 1), four stages <c>layer1</c> to <c>layer4</c> of 3, 4, 6 and 3 bottlenecks of widths
    /// 64, 128, 256 and 512, then <c>avgpool</c> (global average), <c>flatten</c> and <c>fc</c>
    /// (2048 to 1000). Bottleneck <c>layerS.B</c> is <c>conv1</c> (1 x 1 to the width), <c>conv2</c>
    /// (3 x 3, padding 1, stride 2 in the first block of <c>layer2</c> to <c>layer4</c>), <c>conv3</c> (1 x 1 to four
    /// times the width) and <c>add</c>, the sum with the shortcut: the block's input, or in each
    /// stage's first block <c>downsample</c>, a 1 x 1 convolution with the block's stride (<c>layer1.0</c>'s
    /// projects 64 to 256 channels with stride 1). In all 53 convolutions, 16 additions, one fully
    /// connected layer. Batch normalization and ReLU are left out (see <see cref="Networks"/>).
    /// </summary>
    /// <param name="batch">The images per run, at least one.</param>
    /// <param name="elementType">The element type.</param>
    /// <returns>The graph, named <c>resnet50</c>, input <c>data</c>, output <c>fc</c>.</returns>
    /// <exception cref="GraphException">The batch is smaller than one, or the element type is not defined.</exception>
    public static OperatorGraph ResNet50(int batch, ElementType elementType = ElementType.Float64)
    {
        var (b, x) = Start("resnet50", batch, elementType);
        x = b.Conv2d("conv1", x, outChannels: 64, kernel: 7, stride: 2, padding: 3);
        x = b.MaxPool("maxpool", x, kernel: 3, stride: 2, padding: 1);
        for (var stage = 0; stage < ResNet50Blocks.Length; stage++)
        {
            for (var block = 0; block < ResNet50Blocks[stage]; block++)
            {
                var stride = stage > 0 && block == 0 ? 2 : 1;
                x = Bottleneck(b, $"layer{stage + 1}.{block}", x, ResNetWidths[stage], stride, downsample: block == 0);
            }
        }

        x = b.GlobalAveragePool("avgpool", x);
        x = b.Flatten("flatten", x);
        x = b.FullyConnected("fc", x, Classes);
        return b.Output(x).Build();
    }

    /// <summary>One bottleneck block, in torchvision's order: the three convolutions, the shortcut's projection, the sum.</summary>
    private static GraphValue Bottleneck(GraphBuilder b, string prefix, GraphValue x, int width, int stride, bool downsample)
    {
        var y = b.Conv2d($"{prefix}.conv1", x, outChannels: width, kernel: 1);
        y = b.Conv2d($"{prefix}.conv2", y, outChannels: width, kernel: 3, stride: stride, padding: 1);
        y = b.Conv2d($"{prefix}.conv3", y, outChannels: width * BottleneckExpansion, kernel: 1);
        var shortcut = downsample ? b.Conv2d($"{prefix}.downsample", x, outChannels: width * BottleneckExpansion, kernel: 1, stride: stride) : x;
        return b.Add($"{prefix}.add", y, shortcut);
    }

    /// <summary>
    /// torchvision's <c>vgg16</c>: thirteen 3 x 3 convolutions with padding 1 in five blocks of 2, 2, 3,
    /// 3 and 3 (64, 128, 256, 512 and 512 channels), each block followed by a 2 x 2 max pooling of
    /// stride 2; then <c>flatten</c> (512 x 7 x 7 = 25088 features) and three fully connected layers,
    /// 25088 to 4096, 4096 to 4096 and 4096 to 1000. Nodes have torchvision's module paths:
    /// <c>features.0</c>, <c>features.2</c> (conv1_1, conv1_2), <c>features.4</c> (the first pooling),
    /// ... <c>features.30</c>, and <c>classifier.0</c>, <c>classifier.3</c>, <c>classifier.6</c>; the
    /// indices in between are the ReLUs and dropouts left out. torchvision's <c>avgpool</c>, an adaptive
    /// average pooling to 7 x 7, is the identity on 224 x 224 images and is left out too.
    /// </summary>
    /// <param name="batch">The images per run, at least one.</param>
    /// <param name="elementType">The element type.</param>
    /// <returns>The graph, named <c>vgg16</c>, input <c>data</c>, output <c>classifier.6</c>.</returns>
    /// <exception cref="GraphException">The batch is smaller than one, or the element type is not defined.</exception>
    public static OperatorGraph Vgg16(int batch, ElementType elementType = ElementType.Float64) =>
        Vgg16(batch, elementType, ImageSize, widthDivisor: 1, VggHidden, Classes);

    /// <summary>
    /// VGG-16's layers on square images of <paramref name="imageSize"/> (a multiple of 32), every convolution's
    /// channels divided by <paramref name="widthDivisor"/>, <paramref name="hidden"/> hidden features and
    /// <paramref name="classes"/> classes: the small variants the tests run.
    /// </summary>
    internal static OperatorGraph Vgg16(int batch, ElementType elementType, int imageSize, int widthDivisor, int hidden, int classes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(imageSize, 32);
        ArgumentOutOfRangeException.ThrowIfNotEqual(imageSize % 32, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(widthDivisor, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(widthDivisor, 64);
        ArgumentOutOfRangeException.ThrowIfLessThan(hidden, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        var (b, x) = Start("vgg16", batch, elementType, imageSize);
        var index = 0;
        foreach (var features in Vgg16Features)
        {
            if (features == 0)
            {
                x = b.MaxPool($"features.{index}", x, kernel: 2, stride: 2);
                index += 1;
            }
            else
            {
                x = b.Conv2d($"features.{index}", x, outChannels: features / widthDivisor, kernel: 3, padding: 1);
                index += 2; // the ReLU after it
            }
        }

        x = b.Flatten("flatten", x);
        x = b.FullyConnected("classifier.0", x, hidden);   // then ReLU (1) and dropout (2)
        x = b.FullyConnected("classifier.3", x, hidden);   // then ReLU (4) and dropout (5)
        x = b.FullyConnected("classifier.6", x, classes);
        return b.Output(x).Build();
    }

    /// <summary>A builder for a network with its image input; refuses a batch smaller than one.</summary>
    private static (GraphBuilder Builder, GraphValue Data) Start(string name, int batch, ElementType elementType, int imageSize = ImageSize)
    {
        if (batch < 1)
        {
            GraphRules.Fail(
                GraphDiagnostics.InvalidShape,
                nameof(batch),
                GraphRules.Invariant($"{nameof(batch)} = {batch} is not a valid batch size for {name}: it must be at least 1."));
        }

        var b = new GraphBuilder(name, elementType);
        return (b, b.Input("data", batch, ImageChannels, imageSize, imageSize));
    }
}
