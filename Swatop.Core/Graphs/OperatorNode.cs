using System.Collections.Immutable;
using System.Globalization;

namespace Swatop.Core.Graphs;

/// <summary>
/// An operator of the Describe stage (an <see cref="OperatorSpec"/> made by <see cref="Operator"/>'s
/// builders) with each of its input tensors bound to a graph value. A convolution reads its
/// <c>input</c> from an activation and its <c>weights</c> from a constant named
/// <c>&lt;node&gt;.weights</c>; a fully connected layer reads <c>X</c> from an activation and
/// <c>W</c> from a constant; a GEMM reads both <c>A</c> and <c>B</c> from activations. Every bound
/// value has exactly its tensor's shape, and the output is the operator's output tensor. An operator with an
/// epilogue (made by <see cref="GraphFusion.EpilogueFusion"/>) also binds the epilogue's tensors: its
/// <c>bias</c> to a constant and its <c>residual</c> to an activation of the output's shape.
/// </summary>
public sealed record OperatorNode : GraphNode
{
    internal OperatorNode(string name, OperatorSpec spec, ImmutableArray<OperatorOperand> operands, GraphValue output)
        : base(name, output)
    {
        Spec = spec;
        Operands = operands;
    }

    /// <summary>The operator, as the tuner takes it.</summary>
    public OperatorSpec Spec { get; }

    /// <summary>The operator's input tensors and the values bound to them, in the order of <see cref="OperatorSpec.Inputs"/>: the contraction's left and right, then the epilogue's.</summary>
    public ImmutableArray<OperatorOperand> Operands { get; }

    /// <summary>The operands bound to activations (graph inputs or other nodes' outputs): one for a convolution or a fully connected layer, two for a GEMM, and an epilogue's residual.</summary>
    public ImmutableArray<OperatorOperand> Activations => [.. Operands.Where(o => !o.IsConstant)];

    /// <summary>The operand bound to a constant, the operator's weights; null for a GEMM of two activations.</summary>
    public OperatorOperand? Weights => Operands.Take(2).FirstOrDefault(o => o.IsConstant);

    /// <summary>The operator's kind.</summary>
    public OperatorKind Kind => Spec.Kind;

    /// <summary>The floating-point operations of one evaluation.</summary>
    public long Flops => Spec.Flops;

    /// <inheritdoc />
    public override ImmutableArray<GraphValue> Inputs => [.. Operands.Select(o => o.Value)];

    /// <inheritdoc />
    public override string Operation => Spec.Attributes switch
    {
        Conv2dAttributes c => string.Create(
            CultureInfo.InvariantCulture,
            $"Conv2d k={c.Kernel} s={c.Stride} p={c.Padding}{(c.Dilation == 1 ? "" : $" d={c.Dilation}")}{(c.Groups == 1 ? "" : $" g={c.Groups}")}"),
        FullyConnectedAttributes f => string.Create(CultureInfo.InvariantCulture, $"FullyConnected {f.InFeatures}->{f.OutFeatures}"),
        GemmAttributes g => string.Create(
            CultureInfo.InvariantCulture,
            $"Gemm m={g.M} n={g.N} k={g.K}{(g.TransposeA ? " ta" : "")}{(g.TransposeB ? " tb" : "")}"),
        _ => Spec.Kind.ToString(),
    } + (Spec.Epilogue.IsEmpty ? "" : $" + {Spec.Epilogue}");

    /// <summary>The operand bound to the operator's tensor <paramref name="tensor"/>.</summary>
    /// <param name="tensor">The tensor name, such as <c>input</c>.</param>
    /// <returns>The operand.</returns>
    /// <exception cref="KeyNotFoundException">The operator has no input tensor of that name; the message lists them.</exception>
    public OperatorOperand Operand(string tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return Operands.FirstOrDefault(o => o.Tensor == tensor)
            ?? throw new KeyNotFoundException(
                $"Node '{Name}' has no operand '{tensor}'; its operator's inputs are {string.Join(", ", Operands.Select(o => $"'{o.Tensor}'"))}.");
    }

    /// <summary>
    /// The prepared form of <paramref name="lowered"/>, this node's kernel, that the graph runs: the form (the composite
    /// Winograd's) when its constant is bound to a constant of the graph, so it is transformed once, in the preparation; null
    /// when the kernel has none or its constant is an activation here.
    /// </summary>
    /// <param name="lowered">The node's kernel under some schedule.</param>
    public Lowering.PreparedForm? PreparedFormOf(Lowering.LoweredKernel lowered)
    {
        ArgumentNullException.ThrowIfNull(lowered);
        return lowered.Prepared is { } form && Operands.Any(o => o.IsConstant && o.Tensor == form.Constant) ? form : null;
    }

    /// <inheritdoc />
    public override TResult Accept<TResult>(IGraphNodeVisitor<TResult> visitor)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        return visitor.Visit(this);
    }

    /// <summary>True when both have the same name, output, operator and operands.</summary>
    /// <param name="other">The other node.</param>
    /// <returns>Whether they are equal.</returns>
    public bool Equals(OperatorNode? other) =>
        base.Equals(other) && Spec.Equals(other.Spec) && Operands.SequenceEqual(other.Operands);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Spec);
}
