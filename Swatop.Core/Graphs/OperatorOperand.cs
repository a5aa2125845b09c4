namespace Swatop.Core.Graphs;

/// <summary>
/// One input of an <see cref="OperatorNode"/>: the operator's tensor (by its name in the
/// operator's <see cref="Contraction"/>, such as <c>input</c> or <c>weights</c>) and the graph value
/// bound to it, which has exactly that tensor's shape.
/// </summary>
/// <param name="Tensor">The operator's tensor name: <c>input</c> or <c>weights</c> of a convolution, <c>X</c> or <c>W</c> of a fully connected layer, <c>A</c> or <c>B</c> of a GEMM.</param>
/// <param name="Value">The graph value bound to it.</param>
public sealed record OperatorOperand(string Tensor, GraphValue Value)
{
    /// <summary>True when the value is a graph constant (the operator's weights), false for an activation.</summary>
    public bool IsConstant => Value.IsConstant;

    /// <summary>Prints the binding as <c>tensor = value</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Tensor} = {Value.Name}";
}
