using Swatop.Core.Graphs;

namespace Swatop.Core.GraphFusion;

/// <summary>
/// Folds a <see cref="ClipNode"/> (a ReLU, a ReLU6, any bounds) into the operator's epilogue as
/// <see cref="EpilogueStep.Clip"/>; not right after another clip (an epilogue takes no two in a row).
/// </summary>
internal sealed class ClipFusion : IFusionRule
{
    /// <inheritdoc/>
    public FusionChain? Fold(OperatorGraph graph, FusionChain chain, GraphNode next) =>
        next is ClipNode clip
            ? chain.Fold(clip, EpilogueStep.Clip(clip.Min, clip.Max), null)
            : null;
}
