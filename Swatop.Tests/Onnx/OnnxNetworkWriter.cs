using Swatop.Core;
using Swatop.Core.Graphs;
using static Swatop.Tests.Onnx.OnnxModelWriter;

namespace Swatop.Tests.Onnx;

/// <summary>
/// Writes a built-in network (<see cref="Networks"/>) as torchvision's ONNX export of it would look:
/// every convolution followed by a batch normalization, a ReLU after it unless the value goes into a
/// residual sum, a ReLU after each sum, and the classifier a Gemm with a bias; random weights from a seed.
/// </summary>
internal static class OnnxNetworkWriter
{
    public static OnnxModelWriter Write(OperatorGraph graph, int seed = 7)
    {
        var writer = new OnnxModelWriter(17, seed);
        foreach (var input in graph.Inputs)
        {
            writer.Input(input.Name, [.. input.Shape.Select(d => (long)d)]);
        }

        var tensorOf = graph.Inputs.ToDictionary(v => v.Name, v => v.Name, StringComparer.Ordinal);
        foreach (var node in graph.Nodes)
        {
            var input = tensorOf[node.Inputs[0].Name];
            var output = node.Name;
            switch (node)
            {
                case OperatorNode { Spec.Attributes: Conv2dAttributes c } conv:
                    var w = conv.Weights!.Value;
                    writer.Weights($"{node.Name}.weight", [.. w.Shape.Select(d => (long)d)]).BatchNormConstants($"{node.Name}.bn", c.OutChannels);
                    writer.Node(
                        "Conv",
                        [input, $"{node.Name}.weight"],
                        [$"{node.Name}.conv"],
                        Ints("kernel_shape", c.Kernel.Height, c.Kernel.Width),
                        Ints("strides", c.Stride.Height, c.Stride.Width),
                        Ints("pads", c.Padding.Top, c.Padding.Left, c.Padding.Bottom, c.Padding.Right),
                        Ints("dilations", c.Dilation.Height, c.Dilation.Width),
                        Int("group", c.Groups));
                    var residual = graph.ConsumersOf(node.Output).Any(n => n is AddNode);
                    writer.Node("BatchNormalization", [$"{node.Name}.conv", $"{node.Name}.bn.scale", $"{node.Name}.bn.bias", $"{node.Name}.bn.mean", $"{node.Name}.bn.var"], [residual ? output : $"{node.Name}.bn"]);
                    if (!residual)
                    {
                        writer.Node("Relu", $"{node.Name}.bn", output);
                    }

                    break;
                case OperatorNode { Spec.Attributes: FullyConnectedAttributes f }:
                    writer.Weights($"{node.Name}.weight", f.OutFeatures, f.InFeatures).Uniform($"{node.Name}.bias", -0.1, 0.1, f.OutFeatures);
                    writer.Node("Gemm", [input, $"{node.Name}.weight", $"{node.Name}.bias"], [output], Int("transB", 1));
                    break;
                case AddNode add:
                    writer.Node("Add", [tensorOf[add.Left.Name], tensorOf[add.Right.Name]], [$"{node.Name}.sum"]);
                    writer.Node("Relu", $"{node.Name}.sum", output);
                    break;
                case MaxPoolNode pool:
                    writer.Node(
                        "MaxPool",
                        input,
                        output,
                        Ints("kernel_shape", pool.Kernel.Height, pool.Kernel.Width),
                        Ints("strides", pool.Stride.Height, pool.Stride.Width),
                        Ints("pads", pool.Padding.Height, pool.Padding.Width, pool.Padding.Height, pool.Padding.Width));
                    break;
                case GlobalAveragePoolNode:
                    writer.Node("GlobalAveragePool", input, output);
                    break;
                case FlattenNode:
                    writer.Node("Flatten", input, output);
                    break;
                default:
                    throw new NotSupportedException($"{node} has no ONNX spelling here.");
            }

            tensorOf[node.Name] = output;
        }

        foreach (var output in graph.Outputs)
        {
            writer.Output(tensorOf[output.Name]);
        }

        return writer;
    }
}
