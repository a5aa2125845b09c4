using System.Collections.Immutable;
using Swatop.Core.Graphs;

namespace Swatop.Core.GraphFusion;

/// <summary>
/// The fusion pass: a graph-to-graph rewrite that folds the element-wise nodes following an operator node (a
/// convolution, a fully connected layer, a GEMM) into that operator's epilogue (<see cref="OperatorSpec.WithEpilogue(Epilogue)"/>),
/// so that they run in LDM on the output tile before it is put, with no pass of their own over memory. From each
/// operator node in execution order it follows its output while the output has exactly one reader and is no graph
/// output, and folds that reader when a rule takes it: a per-channel bias (<see cref="BiasAddFusion"/>), a clamp
/// (<see cref="ClipFusion"/>) or a residual add of another activation of the output's shape
/// (<see cref="ResidualAddFusion"/>); it stops at the first node no rule takes, or that the operator's epilogue
/// refuses (a second bias or residual, two clips in a row). The fused node takes the last folded node's name and
/// output, in that node's place, so every other node, the graph's inputs, constants and outputs stay as they are;
/// the values between the operator and that node disappear. Its reference output equals the unfused graph's
/// exactly (<see cref="EpilogueEvaluator"/> applies each step in the element type, as the nodes do).
/// </summary>
public static class EpilogueFusion
{
    /// <summary>The rewrites, tried in this order on each node that follows a chain.</summary>
    private static readonly IFusionRule[] Rules = [new BiasAddFusion(), new ClipFusion(), new ResidualAddFusion()];

    /// <summary>The graph with every foldable bias, clamp and residual add folded into its operator's epilogue; the graph itself when nothing folds.</summary>
    /// <param name="graph">The graph.</param>
    /// <returns>The fused graph, of the same name, element type, inputs, constants and outputs.</returns>
    public static OperatorGraph FuseEpilogues(this OperatorGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var folded = new HashSet<string>(StringComparer.Ordinal);
        var fusedAt = new Dictionary<string, OperatorNode>(StringComparer.Ordinal);
        foreach (var op in graph.OperatorNodes)
        {
            if (folded.Contains(op.Name))
            {
                continue;
            }

            var chain = FusionChain.Start(op);
            while (Next(graph, chain, folded) is { } next && Rules.Select(rule => rule.Fold(graph, chain, next)).FirstOrDefault(c => c is not null) is { } longer)
            {
                chain = longer;
            }

            if (chain.Folded.IsEmpty)
            {
                continue;
            }

            folded.Add(op.Name);
            folded.UnionWith(chain.Folded.Select(n => n.Name));
            fusedAt[chain.Last.Name] = chain.ToNode();
        }

        if (fusedAt.Count == 0)
        {
            return graph;
        }

        ImmutableArray<GraphNode> nodes = [.. graph.Nodes
            .Select(n => fusedAt.TryGetValue(n.Name, out var fused) ? fused : folded.Contains(n.Name) ? null : n)
            .OfType<GraphNode>()];
        return new OperatorGraph(graph.Name, graph.ElementType, graph.Inputs, graph.Constants, nodes, graph.Outputs);
    }

    /// <summary>The one reader of the chain's output, when there is exactly one, the output is no graph output and the reader is not folded yet.</summary>
    private static GraphNode? Next(OperatorGraph graph, FusionChain chain, HashSet<string> folded)
    {
        var output = chain.Output;
        if (graph.IsOutput(output) || graph.ConsumersOf(output) is not [var reader] || folded.Contains(reader.Name))
        {
            return null;
        }

        // A reader that reads the value twice (an add of it to itself) reads nothing else to fold.
        return reader.Inputs.Count(v => v.Equals(output)) == 1 ? reader : null;
    }
}
