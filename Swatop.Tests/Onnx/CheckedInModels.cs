using Swatop.Core.Graphs;
using Swatop.Primitives;
using Swatop.Tests.Emit;
using static Swatop.Tests.Onnx.OnnxModelWriter;

namespace Swatop.Tests.Onnx;

/// <summary>
/// The small ONNX models checked in under <c>data/models/</c>, each with the writer that makes it (the project's own
/// <see cref="OnnxModelWriter"/> and <see cref="OnnxNetworkWriter"/>, weights from a fixed seed), so that a new user has a
/// model to give <c>swatop check --onnx</c>, <c>tune --onnx</c>, <c>report --onnx</c> and <c>emit --onnx</c> without
/// running a test first. <see cref="CheckedInModelTests"/> checks that each file is what its writer writes today;
/// <c>dotnet test Swatop.Tests -c Release --filter TestCategory=CheckedInModels</c> rewrites them.
/// </summary>
internal static class CheckedInModels
{
    /// <summary>The folder of the models, relative to the repository's root.</summary>
    public const string Folder = "data/models";

    /// <summary>Every checked-in model, by file name.</summary>
    public static IReadOnlyList<CheckedInModel> All { get; } =
    [
        new("small-residual.onnx", "a ResNet-style basic block after a pooled stem, then a classifier", EmittedNetworkModels.SmallResidual),
        new("small-mobilenet-v2.onnx", "MobileNet-v2's first three inverted-residual blocks at width 0.25 on 16 x 16 images, as torchvision exports it", SmallMobileNetV2),
        new("tiny-classifier.onnx", "two convolutions with max and average pooling, then Flatten, two Gemm layers and a Softmax", TinyClassifier),
    ];

    /// <summary>The model named <paramref name="file"/>.</summary>
    public static CheckedInModel Named(string file) => All.Single(m => m.File == file);

    /// <summary>
    /// MobileNet-v2 (<see cref="Networks"/>) at batch 1 on 16 x 16 images, width 0.25, its first three inverted-residual
    /// blocks (one of expansion 1 with a residual sum, a strided one, one of expansion 6 with a residual sum) and 10
    /// classes: depthwise convolutions, batch normalizations and ReLU6 clamps as torchvision exports them (seed 7).
    /// </summary>
    public static OnnxModelWriter SmallMobileNetV2() =>
        OnnxNetworkWriter.Write(Networks.MobileNetV2(batch: 1, ElementType.Float32, imageSize: 16, widthMultiplier: 0.25, blocks: 3, classes: 10));

    /// <summary>
    /// A classifier of 16 x 16 images at batch 1: a 3 x 3 convolution with its bias, ReLU and a 2 x 2 max pooling; a 3 x 3
    /// convolution, a batch normalization, ReLU and a 2 x 2 average pooling; Flatten (256 features), a Gemm to 32 with
    /// ReLU, a Gemm to 10 and a Softmax over the classes (opset 17, seed 17).
    /// </summary>
    public static OnnxModelWriter TinyClassifier() =>
        new OnnxModelWriter(17, seed: 17)
            .Input("image", 1, 3, 16, 16)
            .Weights("conv1.weight", 8, 3, 3, 3)
            .Uniform("conv1.bias", -0.2, 0.2, 8)
            .Weights("conv2.weight", 16, 8, 3, 3)
            .BatchNormConstants("bn2", 16)
            .Weights("fc1.weight", 32, 256)
            .Uniform("fc1.bias", -0.2, 0.2, 32)
            .Weights("fc2.weight", 10, 32)
            .Uniform("fc2.bias", -0.2, 0.2, 10)
            .Node("Conv", ["image", "conv1.weight", "conv1.bias"], ["conv1"], Ints("kernel_shape", 3, 3), Ints("pads", 1, 1, 1, 1))
            .Node("Relu", "conv1", "relu1")
            .Node("MaxPool", "relu1", "pool1", Ints("kernel_shape", 2, 2), Ints("strides", 2, 2))
            .Node("Conv", ["pool1", "conv2.weight"], ["conv2"], Ints("kernel_shape", 3, 3), Ints("pads", 1, 1, 1, 1))
            .Node("BatchNormalization", ["conv2", "bn2.scale", "bn2.bias", "bn2.mean", "bn2.var"], ["bn2"], Float("epsilon", 1e-5f))
            .Node("Relu", "bn2", "relu2")
            .Node("AveragePool", "relu2", "pool2", Ints("kernel_shape", 2, 2), Ints("strides", 2, 2))
            .Node("Flatten", "pool2", "flat", Int("axis", 1))
            .Node("Gemm", ["flat", "fc1.weight", "fc1.bias"], ["fc1"], Int("transB", 1))
            .Node("Relu", "fc1", "relu3")
            .Node("Gemm", ["relu3", "fc2.weight", "fc2.bias"], ["logits"], Int("transB", 1))
            .Node("Softmax", "logits", "probabilities", Int("axis", 1))
            .Output("probabilities", 1, 10);
}
