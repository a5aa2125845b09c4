using Swatop.Core;
using Swatop.Core.Graphs;
using static Swatop.Tests.Onnx.OnnxModelWriter;

namespace Swatop.Tests.Onnx;

/// <summary>
/// Writes a built-in network (<see cref="Networks"/>) as torchvision's ONNX export of it would look, with random
/// weights from a seed, in opset 17. A graph that holds its biases and activations (MobileNet-v2) is written node
/// for node: a bias after a convolution as the batch normalization it folds from, a bias after a fully connected
/// layer as the Gemm's C, a clamp as a Clip with constant bounds (a Relu for a ReLU), a residual sum as an Add. A
/// graph that leaves them out (ResNet-50, VGG-16) gets them as torchvision has them: with <c>batchNorm</c> every
/// convolution followed by a batch normalization, a ReLU after it unless the value goes into a residual sum, and a
/// ReLU after each sum (ResNet); without, every convolution with its bias and a ReLU, and each fully connected
/// layer but the last with a ReLU (VGG). The classifier is a Gemm with a bias.
/// </summary>
internal static class OnnxNetworkWriter
{
    public static OnnxModelWriter Write(OperatorGraph graph, int seed = 7, bool batchNorm = true)
    {
        var writer = new OnnxModelWriter(17, seed);
        foreach (var input in graph.Inputs)
        {
            writer.Input(input.Name, [.. input.Shape.Select(d => (long)d)]);
        }

        // A graph with its own biases and clamps is written as it is; one without gets torchvision's.
        var decorate = !graph.Nodes.Any(n => n is BiasAddNode or ClipNode);
        var tensorOf = graph.Inputs.ToDictionary(v => v.Name, v => v.Name, StringComparer.Ordinal);
        foreach (var node in graph.Nodes)
        {
            var input = tensorOf[node.Inputs[0].Name];
            var output = node.Name;
            switch (node)
            {
                case OperatorNode { Spec.Attributes: Conv2dAttributes c } conv:
                    Conv(writer, graph, conv, c, input, decorate, batchNorm);
                    break;
                case OperatorNode { Spec.Attributes: FullyConnectedAttributes f }:
                    // A bias node of the graph after the layer is the Gemm's C; the Gemm takes its name.
                    var ownBias = Sole(graph, node) is BiasAddNode bias ? bias : null;
                    var gemm = ownBias?.Name ?? output;
                    var relu = decorate && !batchNorm && !graph.IsOutput(node.Output);
                    writer.Weights($"{node.Name}.weight", f.OutFeatures, f.InFeatures).Uniform($"{gemm}.bias", -0.1, 0.1, f.OutFeatures);
                    writer.Node("Gemm", [input, $"{node.Name}.weight", $"{gemm}.bias"], [relu ? $"{gemm}.gemm" : gemm], Int("transB", 1));
                    if (relu)
                    {
                        writer.Node("Relu", $"{gemm}.gemm", gemm);
                    }

                    if (ownBias is not null)
                    {
                        tensorOf[ownBias.Name] = gemm;
                    }

                    break;
                case BiasAddNode when tensorOf.ContainsKey(node.Name):
                    break; // written with its fully connected layer
                case BiasAddNode when node.Inputs[0].Producer is { } producer && graph.Node(producer) is OperatorNode { Spec.Attributes: Conv2dAttributes c }:
                    writer.BatchNormConstants($"{node.Name}.bn", c.OutChannels);
                    writer.Node("BatchNormalization", [input, $"{node.Name}.bn.scale", $"{node.Name}.bn.bias", $"{node.Name}.bn.mean", $"{node.Name}.bn.var"], [output]);
                    break;
                case ClipNode { IsRelu: true }:
                    writer.Node("Relu", input, output);
                    break;
                case ClipNode clip:
                    writer.Initializer($"{node.Name}.min", [], (float)clip.Min).Initializer($"{node.Name}.max", [], (float)clip.Max);
                    writer.Node("Clip", [input, $"{node.Name}.min", $"{node.Name}.max"], [output]);
                    break;
                case AddNode add when decorate:
                    writer.Node("Add", [tensorOf[add.Left.Name], tensorOf[add.Right.Name]], [$"{node.Name}.sum"]);
                    writer.Node("Relu", $"{node.Name}.sum", output);
                    break;
                case AddNode add:
                    writer.Node("Add", [tensorOf[add.Left.Name], tensorOf[add.Right.Name]], [output]);
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

            tensorOf.TryAdd(node.Name, output);
        }

        foreach (var output in graph.Outputs)
        {
            writer.Output(tensorOf[output.Name]);
        }

        return writer;
    }

    /// <summary>
    /// A convolution: alone when the graph holds its bias; else with torchvision's batch normalization and ReLU (none
    /// before a residual sum), or its own bias and ReLU. Its last tensor has the node's name.
    /// </summary>
    private static void Conv(OnnxModelWriter writer, OperatorGraph graph, OperatorNode conv, Conv2dAttributes c, string input, bool decorate, bool batchNorm)
    {
        var name = conv.Name;
        var w = conv.Weights!.Value;
        writer.Weights($"{name}.weight", [.. w.Shape.Select(d => (long)d)]);
        var bias = decorate && !batchNorm;
        if (bias)
        {
            writer.Uniform($"{name}.bias", -0.1, 0.1, c.OutChannels);
        }

        var convOutput = decorate ? $"{name}.conv" : name;
        writer.Node(
            "Conv",
            bias ? [input, $"{name}.weight", $"{name}.bias"] : [input, $"{name}.weight"],
            [convOutput],
            Ints("kernel_shape", c.Kernel.Height, c.Kernel.Width),
            Ints("strides", c.Stride.Height, c.Stride.Width),
            Ints("pads", c.Padding.Top, c.Padding.Left, c.Padding.Bottom, c.Padding.Right),
            Ints("dilations", c.Dilation.Height, c.Dilation.Width),
            Int("group", c.Groups));
        if (!decorate)
        {
            return;
        }

        if (bias)
        {
            writer.Node("Relu", convOutput, name);
            return;
        }

        writer.BatchNormConstants($"{name}.bn", c.OutChannels);
        var residual = graph.ConsumersOf(conv.Output).Any(n => n is AddNode);
        writer.Node("BatchNormalization", [convOutput, $"{name}.bn.scale", $"{name}.bn.bias", $"{name}.bn.mean", $"{name}.bn.var"], [residual ? name : $"{name}.bn"]);
        if (!residual)
        {
            writer.Node("Relu", $"{name}.bn", name);
        }
    }

    /// <summary>The one node that reads <paramref name="node"/>'s output, if one alone does.</summary>
    private static GraphNode? Sole(OperatorGraph graph, GraphNode node) =>
        graph.ConsumersOf(node.Output) is [var reader] ? reader : null;
}
