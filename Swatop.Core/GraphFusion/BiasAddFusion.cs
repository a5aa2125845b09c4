using Swatop.Core.Graphs;

namespace Swatop.Core.GraphFusion;

/// <summary>
/// Folds a <see cref="BiasAddNode"/> into the operator's epilogue as <see cref="EpilogueStep.Bias"/>, reading the
/// node's constant. Only where the node's channels (dimension 1) are the operator's output channels: a
/// convolution's and a fully connected layer's are, a batched GEMM's are not (dimension 1 is its rows).
/// </summary>
internal sealed class BiasAddFusion : IFusionRule
{
    /// <inheritdoc/>
    public FusionChain? Fold(OperatorGraph graph, FusionChain chain, GraphNode next) =>
        next is BiasAddNode bias && EpilogueOperands.ChannelDimension(chain.Spec) == 1
            ? chain.Fold(bias, EpilogueStep.Bias(), bias.Bias)
            : null;
}
