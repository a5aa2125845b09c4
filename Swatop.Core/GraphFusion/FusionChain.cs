using System.Collections.Immutable;
using Swatop.Core.Graphs;

namespace Swatop.Core.GraphFusion;

/// <summary>
/// An operator node and the element-wise nodes folded into its epilogue so far: the operator with its epilogue
/// (<see cref="Spec"/>), the values bound to its tensors (<see cref="Operands"/>, the epilogue's after the
/// contraction's), the value the chain computes (<see cref="Output"/>, the last folded node's) and the folded nodes.
/// </summary>
/// <param name="Producer">The operator node the chain starts at.</param>
/// <param name="Spec">The operator with the epilogue of the folded nodes.</param>
/// <param name="Operands">The values bound to <see cref="Spec"/>'s inputs, in the order of <see cref="OperatorSpec.Inputs"/>.</param>
/// <param name="Last">The last node of the chain: the operator node itself, or the last folded node.</param>
/// <param name="Folded">The folded nodes, in order.</param>
internal sealed record FusionChain(OperatorNode Producer, OperatorSpec Spec, ImmutableArray<OperatorOperand> Operands, GraphNode Last, ImmutableArray<GraphNode> Folded)
{
    /// <summary>The chain of <paramref name="producer"/> alone.</summary>
    public static FusionChain Start(OperatorNode producer) => new(producer, producer.Spec, producer.Operands, producer, []);

    /// <summary>The value the chain computes.</summary>
    public GraphValue Output => Last.Output;

    /// <summary>The steps of the chain's epilogue so far.</summary>
    public ImmutableArray<EpilogueStep> Steps => Spec.Epilogue.Steps;

    /// <summary>
    /// The chain with <paramref name="node"/> folded in as <paramref name="step"/> (reading <paramref name="operand"/>
    /// when the step reads a tensor), or null when the operator refuses that epilogue (its Describe checks).
    /// </summary>
    public FusionChain? Fold(GraphNode node, EpilogueStep step, GraphValue? operand)
    {
        OperatorSpec spec;
        try
        {
            spec = Spec.WithEpilogue([.. Steps, step]);
        }
        catch (OperatorDescriptionException)
        {
            return null;
        }

        var operands = operand is null ? Operands : Operands.Add(new OperatorOperand(step.TensorName!, operand));
        return new FusionChain(Producer, spec, operands, node, Folded.Add(node));
    }

    /// <summary>The fused operator node: named after the chain's last node, whose output it computes.</summary>
    public OperatorNode ToNode() => new(Last.Name, Spec, Operands, Last.Output);
}
