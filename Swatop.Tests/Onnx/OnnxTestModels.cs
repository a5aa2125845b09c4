using static Swatop.Tests.Onnx.OnnxModelWriter;

namespace Swatop.Tests.Onnx;

/// <summary>The small models the ONNX tests import, each written as a framework's exporter would write it.</summary>
internal static class OnnxTestModels
{
    /// <summary>Conv (bias) + BatchNormalization + Relu + MaxPool, then GlobalAveragePool, Flatten and a Gemm classifier (transB, bias).</summary>
    public static OnnxModelWriter ConvBnRelu(int opset = 13) =>
        new OnnxModelWriter(opset, seed: 11)
            .Input("image", 2, 3, 10, 10)
            .Weights("conv1.weight", 8, 3, 3, 3)
            .Uniform("conv1.bias", -0.2, 0.2, 8)
            .BatchNormConstants("bn1", 8)
            .Weights("fc.weight", 5, 8)
            .Uniform("fc.bias", -0.2, 0.2, 5)
            .Node("Conv", ["image", "conv1.weight", "conv1.bias"], ["/conv1/Conv_output_0"], Ints("kernel_shape", 3, 3), Ints("pads", 1, 1, 1, 1), Ints("strides", 1, 1))
            .Node("BatchNormalization", ["/conv1/Conv_output_0", "bn1.scale", "bn1.bias", "bn1.mean", "bn1.var"], ["/bn1/out"], Float("epsilon", 1e-5f))
            .Node("Relu", "/bn1/out", "/relu/out")
            .Node("MaxPool", "/relu/out", "/pool/out", Ints("kernel_shape", 2, 2), Ints("strides", 2, 2))
            .Node("GlobalAveragePool", "/pool/out", "/gap/out")
            .Node("Flatten", "/gap/out", "/flatten/out", Int("axis", 1))
            .Node("Gemm", ["/flatten/out", "fc.weight", "fc.bias"], ["logits"], Int("transB", 1))
            .Output("logits", 2, 5);

    /// <summary>A ResNet basic block: two 3x3 convolutions with folded batch norms, the identity shortcut added, Relu.</summary>
    public static OnnxModelWriter ResidualBlock() =>
        new OnnxModelWriter(17, seed: 12)
            .Input("x", 2, 8, 8, 8)
            .Weights("c1.w", 8, 8, 3, 3)
            .BatchNormConstants("bn1", 8)
            .Weights("c2.w", 8, 8, 3, 3)
            .BatchNormConstants("bn2", 8)
            .Node("Conv", ["x", "c1.w"], ["c1"], Ints("pads", 1, 1, 1, 1))
            .Node("BatchNormalization", ["c1", "bn1.scale", "bn1.bias", "bn1.mean", "bn1.var"], ["b1"])
            .Node("Relu", "b1", "r1")
            .Node("Conv", ["r1", "c2.w"], ["c2"], Ints("kernel_shape", 3, 3), String("auto_pad", "SAME_UPPER"))
            .Node("BatchNormalization", ["c2", "bn2.scale", "bn2.bias", "bn2.mean", "bn2.var"], ["b2"])
            .Node("Add", ["b2", "x"], ["sum"])
            .Node("Relu", "sum", "y")
            .Output("y");

    /// <summary>Grouped, strided, dilated and asymmetrically padded convolutions, the pools with padding, and a standalone batch norm.</summary>
    public static OnnxModelWriter Pooling() =>
        new OnnxModelWriter(19, seed: 13)
            .Input("x", 2, 4, 11, 11)
            .Weights("g.w", 8, 2, 3, 3)
            .Uniform("g.b", -0.1, 0.1, 8)
            .Weights("d.w", 8, 8, 3, 3)
            .BatchNormConstants("bn", 8)
            .Node("Conv", ["x", "g.w", "g.b"], ["grouped"], Int("group", 2), Ints("strides", 2, 2), Ints("pads", 1, 0, 1, 2))
            .Node("Conv", ["grouped", "d.w"], ["dilated"], Ints("dilations", 2, 2), Ints("pads", 2, 2, 2, 2))
            .Node("MaxPool", "dilated", "max", Ints("kernel_shape", 3, 3), Ints("strides", 1, 1), Ints("pads", 1, 1, 1, 1))
            .Node("AveragePool", "max", "avg", Ints("kernel_shape", 3, 3), Ints("strides", 2, 2), Ints("pads", 1, 1, 1, 1))
            .Node("AveragePool", "max", "avgpad", Ints("kernel_shape", 3, 3), Ints("strides", 2, 2), Ints("pads", 1, 1, 1, 1), Int("count_include_pad", 1))
            .Node("Add", ["avg", "avgpad"], ["both"])
            .Node("BatchNormalization", ["both", "bn.scale", "bn.bias", "bn.mean", "bn.var"], ["normed"])
            .Node("GlobalAveragePool", "normed", "pooled")
            .Output("pooled");

    /// <summary>Gemm with transA, alpha, beta and a bias; Gemm without transB; MatMul with a constant (rank 2 and 3) and of two activations; a bias-like Add.</summary>
    public static OnnxModelWriter Dense() =>
        new OnnxModelWriter(13, seed: 14)
            .Input("a", 16, 4)
            .Input("z", 6, 5)
            .Input("seq", 2, 3, 16)
            .Weights("g1.B", 16, 10)
            .Uniform("g1.C", -0.5, 0.5, 10)
            .Weights("g2.B", 10, 6)
            .Weights("m.B", 16, 8)
            .Uniform("g2.bias", -0.5, 0.5, 1, 6)
            .Node("Gemm", ["a", "g1.B", "g1.C"], ["g1"], Int("transA", 1), Float("alpha", 0.5f), Float("beta", 2f))
            .Node("Relu", "g1", "r1")
            .Node("Gemm", ["r1", "g2.B"], ["g2"])
            .Node("Add", ["g2.bias", "g2"], ["g2b"])
            .Node("MatMul", ["g2b", "z"], ["mm"])
            .Node("MatMul", ["seq", "m.B"], ["proj"])
            .Output("mm", 4, 5)
            .Output("proj");

    /// <summary>Two convolutions concatenated along the channels, ReLU6, a reshape (0 and -1) and a softmax; a flatten at axis 2 and an opset-11 softmax over the trailing dimensions.</summary>
    public static OnnxModelWriter ConcatSoftmax(int opset = 13) =>
        new OnnxModelWriter(opset, seed: 15)
            .Input("x", 2, 4, 6, 6)
            .Weights("a.w", 3, 4, 1, 1)
            .Weights("b.w", 5, 4, 3, 3)
            .Uniform("zero", 0, 0, 1)
            .Uniform("six", 0.6, 0.6, 1)
            .Int64s("shape", 0, -1)
            .Node("Conv", ["x", "a.w"], ["a"])
            .Node("Conv", ["x", "b.w"], ["b"], Ints("pads", 1, 1, 1, 1))
            .Node("Concat", ["a", "b"], ["cat"], Int("axis", 1))
            .Node("Clip", ["cat", "zero", "six"], ["clipped"])
            .Node("Reshape", ["clipped", "shape"], ["rows"])
            .Node("Softmax", ["rows"], ["probs"], Int("axis", 1))
            .Node("Flatten", ["cat"], ["flat2"], Int("axis", 2))
            .Node("Softmax", ["cat"], ["deep"], Int("axis", opset >= 13 ? -1 : 1))
            .Output("probs")
            .Output("flat2")
            .Output("deep");

    /// <summary>An Inception-like block: a 1 x 1, a 3 x 3 and a 1 x 1 convolution (bias, Relu) of one input, joined along the channels, then a 1 x 1 convolution of the join.</summary>
    public static OnnxModelWriter InceptionBlock() =>
        new OnnxModelWriter(17, seed: 16)
            .Input("x", 4, 16, 8, 8)
            .Weights("b1.w", 8, 16, 1, 1)
            .Uniform("b1.b", -0.2, 0.2, 8)
            .Weights("b2.w", 12, 16, 3, 3)
            .Uniform("b2.b", -0.2, 0.2, 12)
            .Weights("b3.w", 4, 16, 1, 1)
            .Uniform("b3.b", -0.2, 0.2, 4)
            .Weights("mix.w", 8, 24, 1, 1)
            .Node("Conv", ["x", "b1.w", "b1.b"], ["b1"])
            .Node("Relu", "b1", "r1")
            .Node("Conv", ["x", "b2.w", "b2.b"], ["b2"], Ints("pads", 1, 1, 1, 1))
            .Node("Relu", "b2", "r2")
            .Node("Conv", ["x", "b3.w", "b3.b"], ["b3"])
            .Node("Relu", "b3", "r3")
            .Node("Concat", ["r1", "r2", "r3"], ["joined"], Int("axis", 1))
            .Node("Conv", ["joined", "mix.w"], ["y"])
            .Output("y");
}
