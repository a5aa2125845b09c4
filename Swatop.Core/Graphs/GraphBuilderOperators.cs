using System.Collections.Immutable;

namespace Swatop.Core.Graphs;

/// <summary>The operator nodes of the builder: convolutions, fully connected layers and GEMMs.</summary>
public sealed partial class GraphBuilder
{
    /// <summary>The parameters of <see cref="Operator.Conv2d"/> and <see cref="Operator.FullyConnected"/> that come from the activation.</summary>
    private static readonly string[] ActivationParameters = ["batch", "inChannels", "inFeatures", "height", "width"];

    /// <summary>
    /// A convolution (<see cref="Operator.Conv2d"/>, NCHW activations, OIHW weights, no bias) of
    /// <paramref name="input"/>. Its weights are a new constant <c>&lt;name&gt;.weights</c>,
    /// <c>[outChannels][inChannels / groups][kernel.Height][kernel.Width]</c>.
    /// </summary>
    /// <param name="name">The node's name, unique in the graph.</param>
    /// <param name="input">The activation, <c>[N][C][H][W]</c>.</param>
    /// <param name="outChannels">The output channels.</param>
    /// <param name="kernel">The kernel size; an integer means a square kernel.</param>
    /// <param name="stride">The stride; one when omitted.</param>
    /// <param name="padding">The zero padding; none when omitted; an integer pads every side.</param>
    /// <param name="dilation">The dilation; one when omitted.</param>
    /// <param name="groups">The number of channel groups.</param>
    /// <returns>The output, <c>[N][outChannels][OH][OW]</c>.</returns>
    /// <exception cref="GraphException">
    /// The name is not valid or taken, the input is not NCHW or not of this builder, or the convolution
    /// breaks a rule of <see cref="Operator.Conv2d"/> (<see cref="GraphDiagnostics.InvalidOperator"/>, with its <c>SWD</c> diagnostic).
    /// </exception>
    public GraphValue Conv2d(
        string name,
        GraphValue input,
        int outChannels,
        Size2 kernel,
        Size2? stride = null,
        Padding2? padding = null,
        Size2? dilation = null,
        int groups = 1)
    {
        var weightsName = OperatorNodeName(name);
        Own(input, nameof(input), $"Conv2d '{name}'");
        GraphRules.Rank(input, 4, name, "Conv2d", nameof(input), "[N][C][H][W]");
        var shape = input.Shape;
        var spec = Describe(
            name,
            "Conv2d",
            input,
            () => Operator.Conv2d(shape[0], shape[1], outChannels, shape[2], shape[3], kernel, stride, padding, dilation, groups, ElementType));
        return AppendOperator(name, spec, weightsName, input);
    }

    /// <summary>
    /// A fully connected layer without bias (<see cref="Operator.FullyConnected"/>,
    /// <c>Y = X W^T</c>, the PyTorch <c>Linear</c> layout) of <paramref name="input"/>. Its weights are
    /// a new constant <c>&lt;name&gt;.weights</c>, <c>[outFeatures][inFeatures]</c>.
    /// </summary>
    /// <param name="name">The node's name, unique in the graph.</param>
    /// <param name="input">The activation, <c>[N][inFeatures]</c> (flatten an NCHW value first).</param>
    /// <param name="outFeatures">The output features.</param>
    /// <returns>The output, <c>[N][outFeatures]</c>.</returns>
    /// <exception cref="GraphException">The name is not valid or taken, the input is not two-dimensional or not of this builder, or <paramref name="outFeatures"/> is smaller than one.</exception>
    public GraphValue FullyConnected(string name, GraphValue input, int outFeatures)
    {
        var weightsName = OperatorNodeName(name);
        Own(input, nameof(input), $"FullyConnected '{name}'");
        GraphRules.Rank(input, 2, name, "FullyConnected", nameof(input), "[N][features] (flatten an NCHW value first)");
        var shape = input.Shape;
        var spec = Describe(name, "FullyConnected", input, () => Operator.FullyConnected(shape[0], shape[1], outFeatures, ElementType));
        return AppendOperator(name, spec, weightsName, input);
    }

    /// <summary>
    /// A (batched) matrix product of two activations (<see cref="Operator.Gemm"/>): <c>[M][K]</c> times
    /// <c>[K][N]</c> gives <c>[M][N]</c>; with <paramref name="transposeA"/> <paramref name="a"/> is stored
    /// <c>[K][M]</c>, with <paramref name="transposeB"/> <paramref name="b"/> is stored <c>[N][K]</c>. Three
    /// dimensions mean a batch of at least two products, <c>[B][M][K]</c> and so on; a GEMM has no constant.
    /// </summary>
    /// <param name="name">The node's name, unique in the graph.</param>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand, of the same number of dimensions.</param>
    /// <param name="transposeA">The left operand is stored transposed.</param>
    /// <param name="transposeB">The right operand is stored transposed.</param>
    /// <returns>The product, <c>[M][N]</c> or <c>[B][M][N]</c>.</returns>
    /// <exception cref="GraphException">The name is not valid or taken, an operand is not of this builder, or the shapes do not fit a product.</exception>
    public GraphValue Gemm(string name, GraphValue a, GraphValue b, bool transposeA = false, bool transposeB = false)
    {
        NewName(name, nameof(name), "node");
        Own(a, nameof(a), $"Gemm '{name}'");
        Own(b, nameof(b), $"Gemm '{name}'");
        var rank = a.Rank;
        if (rank is not (2 or 3) || b.Rank != rank || (rank == 3 && (a.Shape[0] < 2 || a.Shape[0] != b.Shape[0])))
        {
            GraphRules.Fail(
                GraphDiagnostics.ShapeMismatch,
                rank is not (2 or 3) || (rank == 3 && a.Shape[0] < 2) ? nameof(a) : nameof(b),
                $"Gemm '{name}': a = '{a.Name}' {a.ShapeText} and b = '{b.Name}' {b.ShapeText} are not operands of a product: "
                + "both must be matrices, or both batches of the same number (at least two) of matrices.");
        }

        var batch = rank == 3 ? a.Shape[0] : 1;
        var (m, ka) = transposeA ? (a.Shape[^1], a.Shape[^2]) : (a.Shape[^2], a.Shape[^1]);
        var (kb, n) = transposeB ? (b.Shape[^1], b.Shape[^2]) : (b.Shape[^2], b.Shape[^1]);
        if (ka != kb)
        {
            GraphRules.Fail(
                GraphDiagnostics.ShapeMismatch,
                nameof(b),
                GraphRules.Invariant(
                    $"Gemm '{name}': a = '{a.Name}' {a.ShapeText} (transposeA = {transposeA}) has K = {ka} but b = '{b.Name}' {b.ShapeText} (transposeB = {transposeB}) has K = {kb}: the inner dimensions of a product must agree."));
        }

        var spec = Describe(name, "Gemm", a, () => Operator.Gemm(m, n, ka, transposeA, transposeB, batch, ElementType), nameof(a));
        var e = spec.Expression;
        ImmutableArray<OperatorOperand> operands = [new(e.Left.Tensor.Name, a), new(e.Right.Tensor.Name, b)];
        return Append(new OperatorNode(name, spec, operands, Computed(name, e.Output.Tensor.Shape)));
    }

    /// <summary>Checks a new operator node's name and its constant's name; returns the constant's.</summary>
    private string OperatorNodeName(string name) => NodeConstantName(name, "weights");

    /// <summary>Checks a new node's name and the name <c>&lt;name&gt;.&lt;suffix&gt;</c> of its constant; returns the constant's.</summary>
    private string NodeConstantName(string name, string suffix)
    {
        NewName(name, nameof(name), "node");
        var constant = $"{name}.{suffix}";
        if (values.TryGetValue(constant, out var existing))
        {
            GraphRules.Fail(
                GraphDiagnostics.DuplicateName,
                nameof(name),
                $"{nameof(name)} = \"{name}\" names its {suffix} \"{constant}\", which is already the name of {Holder(existing)} of graph '{Name}': "
                + "nodes, inputs and constants each need their own name.");
        }

        return constant;
    }

    /// <summary>
    /// The operator a builder of <see cref="Operator"/> describes; its refusal names the node and the builder's
    /// parameter, or <paramref name="activationParameter"/> for a size that comes from the activation's shape.
    /// </summary>
    private static OperatorSpec Describe(
        string name, string operation, GraphValue activation, Func<OperatorSpec> describe, string activationParameter = "input")
    {
        try
        {
            return describe();
        }
        catch (OperatorDescriptionException e)
        {
            var parameter = e.ParamName is { } p && !ActivationParameters.Contains(p) ? p : activationParameter;
            var suffix = $" (Parameter '{e.ParamName}')";
            var message = e.Message.EndsWith(suffix, StringComparison.Ordinal) ? e.Message[..^suffix.Length] : e.Message;
            GraphRules.Fail(
                GraphDiagnostics.InvalidOperator,
                parameter,
                $"{operation} '{name}' of '{activation.Name}' {activation.ShapeText}: {message}",
                e);
            return null!;
        }
    }

    /// <summary>Adds an operator node that reads an activation (the contraction's left) and a new constant (its right).</summary>
    private GraphValue AppendOperator(string name, OperatorSpec spec, string weightsName, GraphValue activation)
    {
        var e = spec.Expression;
        var weights = AddConstant(weightsName, e.Right.Tensor.Shape);
        ImmutableArray<OperatorOperand> operands = [new(e.Left.Tensor.Name, activation), new(e.Right.Tensor.Name, weights)];
        return Append(new OperatorNode(name, spec, operands, Computed(name, e.Output.Tensor.Shape)));
    }
}
