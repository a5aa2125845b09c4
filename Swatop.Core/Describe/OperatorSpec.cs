using System.Globalization;
using Swatop.Primitives;

namespace Swatop.Core;

/// <summary>
/// A described operator, the value the rest of the pipeline consumes: its kind, the tensor
/// expression that defines it, its element type and its kind-specific attributes. Made by the
/// builders of <see cref="Operator"/>; immutable and compared by value.
/// </summary>
public sealed record OperatorSpec
{
    internal OperatorSpec(OperatorKind kind, Contraction expression, ElementType elementType, OperatorAttributes attributes, Epilogue? epilogue = null)
    {
        ArgumentNullException.ThrowIfNull(expression);
        ArgumentNullException.ThrowIfNull(attributes);
        DescribeGuard.Defined(kind, nameof(kind));
        DescribeGuard.Defined(elementType, nameof(elementType));
        Kind = kind;
        Expression = expression;
        ElementType = elementType;
        Attributes = attributes;
        Epilogue = epilogue ?? Epilogue.None;
        EpilogueInputs = EpilogueOperands.Accesses(this);
    }

    /// <summary>Which builder made the operator.</summary>
    public OperatorKind Kind { get; }

    /// <summary>The tensor expression that defines the operator.</summary>
    public Contraction Expression { get; }

    /// <summary>The element type of every tensor.</summary>
    public ElementType ElementType { get; }

    /// <summary>
    /// The kind-specific attributes: <see cref="GemmAttributes"/>, <see cref="FullyConnectedAttributes"/>,
    /// <see cref="Conv2dAttributes"/> or <see cref="CustomAttributes"/>.
    /// </summary>
    public OperatorAttributes Attributes { get; }

    /// <summary>What the operator does to each output tile before it is put back: <see cref="Epilogue.None"/> from every builder, another from <see cref="WithEpilogue(Epilogue)"/>.</summary>
    public Epilogue Epilogue { get; }

    /// <summary>
    /// The tensors the epilogue reads besides the output, in the order of its steps, each with how an output
    /// element reads it: <c>bias</c> at the element's output channel, <c>residual</c> at the element's own
    /// indices. Empty for the empty epilogue.
    /// </summary>
    public System.Collections.Immutable.ImmutableArray<TensorAccess> EpilogueInputs { get; }

    /// <summary>
    /// Every input a run of the operator takes, in the order a run and the emitted entry function take them:
    /// the contraction's left and right inputs, then the epilogue's.
    /// </summary>
    public IEnumerable<TensorDeclaration> Inputs => Expression.Inputs.Select(input => input.Tensor).Concat(EpilogueInputs.Select(input => input.Tensor));

    /// <summary>
    /// The inputs a framework holds constant from call to call, by tensor name: a convolution's
    /// <c>weights</c>, a fully connected layer's <c>W</c>; none for a GEMM or a custom operator, whose
    /// operands are both activations. A compiled kernel packs them once (its prepare step).
    /// </summary>
    /// <remarks>An epilogue's <c>bias</c> is constant too; its <c>residual</c> is an activation.</remarks>
    public System.Collections.Immutable.ImmutableArray<string> ConstantInputs => Kind switch
    {
        OperatorKind.Conv2d => ["weights", .. BiasInputs],
        OperatorKind.FullyConnected => ["W", .. BiasInputs],
        _ => [.. BiasInputs],
    };

    /// <summary>The floating-point operations of one evaluation (see <see cref="Contraction.Flops"/>).</summary>
    public long Flops => Expression.Flops;

    /// <summary>
    /// The canonical, deterministic text of the operator: kind, shapes, attributes, layout and
    /// element type, such as <c>conv2d n=1 ci=3 co=64 h=224 w=224 k=7x7 s=2x2 p=3,3,3,3 d=1x1 g=1 nchw float32</c>.
    /// Two specs have the same signature exactly when they describe the same computation; tuning
    /// records are keyed by it. A custom operator's signature spells out its whole contraction.
    /// </summary>
    public string Signature
    {
        get
        {
            var type = ElementType.ToString().ToLowerInvariant();
            return Attributes is CustomAttributes
                ? $"custom {CustomSignature(Expression)} {type}{EpilogueSignature}"
                : $"{Attributes.Signature} {type}{EpilogueSignature}";
        }
    }

    /// <summary>The same operator computed in another element type.</summary>
    /// <param name="elementType">The new element type.</param>
    /// <returns>The operator with that element type.</returns>
    public OperatorSpec WithElementType(ElementType elementType) => new(Kind, Expression, elementType, Attributes, Epilogue);

    /// <summary>
    /// The same operator with <paramref name="epilogue"/> applied to its output before it is written (it replaces
    /// the operator's epilogue): <c>conv.WithEpilogue(Epilogue.Of(EpilogueStep.Bias(), EpilogueStep.ResidualAdd(), EpilogueStep.Relu()))</c>.
    /// </summary>
    /// <param name="epilogue">The epilogue; <see cref="Epilogue.None"/> removes the operator's.</param>
    /// <returns>The operator with that epilogue.</returns>
    /// <exception cref="OperatorDescriptionException">
    /// <see cref="DescribeDiagnostics.EpilogueWithoutChannels"/>: a bias on an operator without output channels;
    /// <see cref="DescribeDiagnostics.EpilogueShapeMismatch"/>: a residual whose stated shape is not the output's;
    /// <see cref="DescribeDiagnostics.EpilogueTensorNameTaken"/>: an epilogue tensor's name is one of the operator's.
    /// </exception>
    public OperatorSpec WithEpilogue(Epilogue epilogue)
    {
        ArgumentNullException.ThrowIfNull(epilogue);
        return new(Kind, Expression, ElementType, Attributes, EpilogueOperands.Bind(this, epilogue));
    }

    /// <summary>The same operator with the epilogue of <paramref name="steps"/> (<see cref="Epilogue.Of"/>).</summary>
    /// <param name="steps">The steps, applied in order.</param>
    /// <returns>The operator with that epilogue.</returns>
    public OperatorSpec WithEpilogue(params EpilogueStep[] steps) => WithEpilogue(Epilogue.Of(steps));

    /// <summary>The same computation over another contraction (a view of the same tensors' bytes), with this operator's epilogue.</summary>
    internal OperatorSpec WithExpression(Contraction expression) => new(Kind, expression, ElementType, Attributes, Epilogue);

    /// <summary>A readable one-line summary: kind, element type, the contraction and the flop count.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{Kind} {ElementType}: {Expression.Output} = sum({string.Join(", ", Expression.ReductionAxes.Select(a => a.Name))}) "
            + $"{Expression.Left} * {Expression.Right} ({Signature}; {Expression.Flops:N0} flops)");

    /// <summary>True when both have the same kind, expression, element type and attributes.</summary>
    /// <param name="other">The other spec.</param>
    /// <returns>Whether they are equal.</returns>
    public bool Equals(OperatorSpec? other) =>
        other is not null
        && Kind == other.Kind
        && ElementType == other.ElementType
        && Attributes.Equals(other.Attributes)
        && Expression.Equals(other.Expression)
        && Epilogue.Equals(other.Epilogue);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, ElementType, Attributes, Expression, Epilogue);

    /// <summary>The bias among the epilogue's inputs, when it has one.</summary>
    private IEnumerable<string> BiasInputs => Epilogue.Steps.OfType<BiasStep>().Select(_ => BiasStep.Name);

    /// <summary>The epilogue's part of the signature: nothing for the empty one.</summary>
    private string EpilogueSignature => Epilogue.IsEmpty ? "" : $" epilogue {Epilogue}";

    /// <summary>The contraction spelled out: name, axes with extents, tensors with shapes and the accesses.</summary>
    private static string CustomSignature(Contraction c) =>
        $"{c.Name} axes={string.Join(",", c.Axes)} "
        + $"{c.Output} = sum({string.Join(",", c.ReductionAxes.Select(a => a.Name))}) {c.Left} * {c.Right} "
        + $"shapes={string.Join(",", c.Tensors)}";
}
