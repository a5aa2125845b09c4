using Swatop.Core.Graphs;

namespace Swatop.Core.GraphFusion;

/// <summary>
/// One rewrite of <see cref="EpilogueFusion"/>: folds one kind of element-wise node into the epilogue of the
/// operator whose chain it reads. The pass has checked that the node is the only reader of the chain's output
/// and that the output is no graph output.
/// </summary>
internal interface IFusionRule
{
    /// <summary>The chain with <paramref name="next"/> folded in, or null when this rule does not fold it.</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="chain">The chain so far.</param>
    /// <param name="next">The node that alone reads the chain's output.</param>
    FusionChain? Fold(OperatorGraph graph, FusionChain chain, GraphNode next);
}
