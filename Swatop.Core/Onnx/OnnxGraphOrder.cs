using System.Collections.Immutable;
using Onnx;

namespace Swatop.Core.Onnx;

/// <summary>
/// The nodes of a model's graph in an order that runs (each after the providers of its inputs; the model's
/// own order where it allows), restricted to those the graph's outputs need. Checks that every tensor has one provider (a graph input, an
/// initializer or a node output), that every node input and graph output has a provider, and that the
/// nodes form no cycle; in time n log n of the graph's size.
/// </summary>
internal static class OnnxGraphOrder
{
    /// <summary>The live nodes of <paramref name="graph"/> in execution order, each with its index in the model.</summary>
    public static ImmutableArray<NodeProto> Order(GraphProto graph, int opset)
    {
        var given = new HashSet<string>(StringComparer.Ordinal);
        foreach (var initializer in graph.Initializer)
        {
            if (!given.Add(initializer.Name))
            {
                throw new OnnxImportException(OnnxDiagnostics.DuplicateTensor, $"initializer '{initializer.Name}' is given twice: every tensor has one provider.", null);
            }
        }

        var inputs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var input in graph.Input)
        {
            if (!inputs.Add(input.Name))
            {
                throw new OnnxImportException(OnnxDiagnostics.DuplicateTensor, $"graph input '{input.Name}' is declared twice: every tensor has one provider.", null);
            }

            given.Add(input.Name);
        }

        var producer = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < graph.Node.Count; i++)
        {
            var node = graph.Node[i];
            foreach (var output in node.Output.Where(o => o.Length > 0))
            {
                if (given.Contains(output) || !producer.TryAdd(output, i))
                {
                    var other = given.Contains(output) ? "a graph input or an initializer" : $"node '{new OnnxNode(graph.Node[producer[output]], opset).Name}'";
                    throw new OnnxNode(node, opset).Error(OnnxDiagnostics.DuplicateTensor, $"computes '{output}', which {other} already provides: every tensor has one provider.");
                }
            }
        }

        foreach (var node in graph.Node)
        {
            foreach (var input in node.Input.Where(i => i.Length > 0))
            {
                if (!given.Contains(input) && !producer.ContainsKey(input))
                {
                    throw new OnnxNode(node, opset).Error(OnnxDiagnostics.DanglingTensor, $"reads '{input}', which no graph input, initializer or node provides.");
                }
            }
        }

        foreach (var output in graph.Output)
        {
            if (!given.Contains(output.Name) && !producer.ContainsKey(output.Name))
            {
                throw new OnnxImportException(OnnxDiagnostics.DanglingTensor, $"graph output '{output.Name}' is provided by no graph input, initializer or node.", null);
            }
        }

        // Kahn's algorithm over the node-to-node edges.
        var waiting = new int[graph.Node.Count];
        var readers = new List<int>[graph.Node.Count];
        for (var i = 0; i < graph.Node.Count; i++)
        {
            readers[i] = [];
        }

        for (var i = 0; i < graph.Node.Count; i++)
        {
            foreach (var input in graph.Node[i].Input.Where(n => n.Length > 0).Distinct(StringComparer.Ordinal))
            {
                if (!given.Contains(input))
                {
                    waiting[i]++;
                    readers[producer[input]].Add(i);
                }
            }
        }

        // The ready node first in the model's order runs next, so a model already in order keeps it.
        var ready = new PriorityQueue<int, int>(Enumerable.Range(0, graph.Node.Count).Where(i => waiting[i] == 0).Select(i => (i, i)));
        var order = new List<int>(graph.Node.Count);
        while (ready.TryDequeue(out var i, out _))
        {
            order.Add(i);
            foreach (var reader in readers[i])
            {
                if (--waiting[reader] == 0)
                {
                    ready.Enqueue(reader, reader);
                }
            }
        }

        if (order.Count < graph.Node.Count)
        {
            var stuck = Enumerable.Range(0, graph.Node.Count).First(i => waiting[i] > 0);
            throw new OnnxNode(graph.Node[stuck], opset).Error(
                OnnxDiagnostics.Cycle,
                $"lies on a cycle (or reads one): {graph.Node.Count - order.Count} nodes wait for each other's outputs, so none can run first.");
        }

        // The nodes the outputs need, walking back from them.
        var needed = new HashSet<string>(graph.Output.Select(o => o.Name), StringComparer.Ordinal);
        var live = new bool[graph.Node.Count];
        for (var k = order.Count - 1; k >= 0; k--)
        {
            var node = graph.Node[order[k]];
            if (node.Output.Any(needed.Contains))
            {
                live[order[k]] = true;
                needed.UnionWith(node.Input.Where(n => n.Length > 0));
            }
        }

        return [.. order.Where(i => live[i]).Select(i => graph.Node[i])];
    }
}
