using Swatop.Core.Graphs;

namespace Swatop.Core.GraphFusion;

/// <summary>
/// Folds a residual <see cref="AddNode"/> into the operator's epilogue as <see cref="EpilogueStep.ResidualAdd"/>,
/// reading the add's other operand. Only where that operand is an activation of the output's shape and the
/// operator does not read it already: a fused node reads each value in one placement (the residual in the
/// output's), so a value that is both an operator input and its residual stays a separate add.
/// </summary>
internal sealed class ResidualAddFusion : IFusionRule
{
    /// <inheritdoc/>
    public FusionChain? Fold(OperatorGraph graph, FusionChain chain, GraphNode next)
    {
        if (next is not AddNode add || add.Left.Equals(add.Right))
        {
            return null;
        }

        var other = add.Left.Equals(chain.Output) ? add.Right : add.Left;
        return other.IsConstant
            || !other.Shape.SequenceEqual(chain.Output.Shape)
            || chain.Operands.Any(o => o.Value.Equals(other))
            ? null
            : chain.Fold(add, EpilogueStep.ResidualAdd(), other);
    }
}
