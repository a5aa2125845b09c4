using Swatop.Tests.Onnx;
using static Swatop.Tests.Onnx.OnnxModelWriter;

namespace Swatop.Tests.Emit;

/// <summary>The models the emitted-network tests write.</summary>
internal static class EmittedNetworkModels
{
    /// <summary>
    /// A small residual network: a convolution with bias and ReLU, a max pooling, a basic block (two convolutions with
    /// biases, the pooled value added, ReLU), a global average pooling, a flattening and a fully connected classifier.
    /// </summary>
    public static OnnxModelWriter SmallResidual() =>
        new OnnxModelWriter(17, seed: 16)
            .Input("image", 2, 3, 8, 8)
            .Weights("conv1.weight", 8, 3, 3, 3)
            .Uniform("conv1.bias", -0.2, 0.2, 8)
            .Weights("block.conv1.weight", 8, 8, 3, 3)
            .Uniform("block.conv1.bias", -0.2, 0.2, 8)
            .Weights("block.conv2.weight", 8, 8, 3, 3)
            .Uniform("block.conv2.bias", -0.2, 0.2, 8)
            .Weights("fc.weight", 5, 8)
            .Uniform("fc.bias", -0.2, 0.2, 5)
            .Node("Conv", ["image", "conv1.weight", "conv1.bias"], ["conv1"], Ints("kernel_shape", 3, 3), Ints("pads", 1, 1, 1, 1))
            .Node("Relu", "conv1", "relu1")
            .Node("MaxPool", "relu1", "pool", Ints("kernel_shape", 2, 2), Ints("strides", 2, 2))
            .Node("Conv", ["pool", "block.conv1.weight", "block.conv1.bias"], ["block.conv1"], Ints("kernel_shape", 3, 3), Ints("pads", 1, 1, 1, 1))
            .Node("Relu", "block.conv1", "block.relu1")
            .Node("Conv", ["block.relu1", "block.conv2.weight", "block.conv2.bias"], ["block.conv2"], Ints("kernel_shape", 3, 3), Ints("pads", 1, 1, 1, 1))
            .Node("Add", ["block.conv2", "pool"], ["block.sum"])
            .Node("Relu", "block.sum", "block.out")
            .Node("GlobalAveragePool", "block.out", "gap")
            .Node("Flatten", "gap", "flat", Int("axis", 1))
            .Node("Gemm", ["flat", "fc.weight", "fc.bias"], ["logits"], Int("transB", 1))
            .Output("logits", 2, 5);
}
