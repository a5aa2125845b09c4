using System.Globalization;
using System.Text;

namespace Swatop.Core.Graphs;

/// <summary>
/// Prints an <see cref="OperatorGraph"/> as text, deterministically:
/// <code>
/// graph resnet50 Float64: 73 nodes, 54 operators (24 distinct), 8,178,368,512 flops
/// input data [1, 3, 224, 224]
/// conv1: Conv2d k=7x7 s=2x2 p=3,3,3,3 (data, conv1.weights) -> [1, 64, 112, 112]
/// maxpool: MaxPool k=3x3 s=2x2 p=1x1 (conv1) -> [1, 64, 56, 56]
/// ...
/// output fc [1, 1000]
/// </code>
/// </summary>
internal static class GraphPrinter
{
    /// <summary>The text of <paramref name="graph"/>, lines separated by <c>\n</c>, without a line break at the end.</summary>
    public static string Print(OperatorGraph graph)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"graph {graph.Name} {graph.ElementType}: {graph.Nodes.Length} nodes, ")
            .Append(CultureInfo.InvariantCulture, $"{graph.OperatorNodes.Length} operators ({graph.DistinctOperators.Length} distinct), ")
            .Append(CultureInfo.InvariantCulture, $"{graph.Flops:N0} flops\n");
        foreach (var input in graph.Inputs)
        {
            text.Append(CultureInfo.InvariantCulture, $"input {input}\n");
        }

        foreach (var node in graph.Nodes)
        {
            text.Append(node).Append('\n');
        }

        foreach (var output in graph.Outputs)
        {
            text.Append(CultureInfo.InvariantCulture, $"output {output}\n");
        }

        return text.ToString(0, text.Length - 1);
    }
}
