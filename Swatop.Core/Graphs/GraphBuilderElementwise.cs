using System.Collections.Immutable;

namespace Swatop.Core.Graphs;

/// <summary>The element-wise layers of the builder: per-channel bias and scale, clamps, softmax, and the graph's own constants.</summary>
public sealed partial class GraphBuilder
{
    /// <summary>
    /// Declares a constant of the graph, a tensor given once with the weights (such as the right operand
    /// of a <see cref="Gemm"/> whose left is an activation). Operators' and layers' own constants are made
    /// by their methods; this one is for a constant a node reads as an operand.
    /// </summary>
    /// <param name="name">The constant's name, unique in the graph.</param>
    /// <param name="shape">Its dimensions, each at least one.</param>
    /// <returns>The constant.</returns>
    /// <exception cref="GraphException">The name is not valid or already used, or the shape is not valid.</exception>
    public GraphValue Constant(string name, params ReadOnlySpan<int> shape)
    {
        NewName(name, nameof(name), "constant");
        GraphRules.Shape(shape, name, nameof(shape));
        return AddConstant(name, [.. shape]);
    }

    /// <summary>
    /// A per-channel bias, <c>Output[n][c][...] = Input[n][c][...] + Bias[c]</c>, whose bias is a new
    /// constant <c>&lt;name&gt;.bias</c> of shape <c>[C]</c>, C the input's dimension 1.
    /// </summary>
    /// <param name="name">The node's name, unique in the graph.</param>
    /// <param name="input">The activation, of two or more dimensions.</param>
    /// <returns>The sum, of the input's shape.</returns>
    /// <exception cref="GraphException">The name is not valid or taken, or the input is not of this builder or has one dimension.</exception>
    public GraphValue BiasAdd(string name, GraphValue input)
    {
        var bias = ChannelConstant(name, input, "BiasAdd", "bias");
        return Append(new BiasAddNode(name, input, bias, Computed(name, input.Shape)));
    }

    /// <summary>
    /// A per-channel scale, <c>Output[n][c][...] = Input[n][c][...] * Scale[c]</c>, whose scale is a new
    /// constant <c>&lt;name&gt;.scale</c> of shape <c>[C]</c>, C the input's dimension 1.
    /// </summary>
    /// <param name="name">The node's name, unique in the graph.</param>
    /// <param name="input">The activation, of two or more dimensions.</param>
    /// <returns>The product, of the input's shape.</returns>
    /// <exception cref="GraphException">The name is not valid or taken, or the input is not of this builder or has one dimension.</exception>
    public GraphValue ChannelScale(string name, GraphValue input)
    {
        var scale = ChannelConstant(name, input, "ChannelScale", "scale");
        return Append(new ChannelScaleNode(name, input, scale, Computed(name, input.Shape)));
    }

    /// <summary>A ReLU, <c>max(Input, 0)</c>: the clamp to <c>[0, +inf]</c>.</summary>
    /// <param name="name">The node's name, unique in the graph.</param>
    /// <param name="input">The activation.</param>
    /// <returns>The result, of the input's shape.</returns>
    /// <exception cref="GraphException">The name is not valid or taken, or the input is not of this builder.</exception>
    public GraphValue Relu(string name, GraphValue input) => Clip(name, input, 0, double.PositiveInfinity);

    /// <summary>An element-wise clamp, <c>min(max(Input, min), max)</c>: a ReLU6 is <c>[0, 6]</c>.</summary>
    /// <param name="name">The node's name, unique in the graph.</param>
    /// <param name="input">The activation.</param>
    /// <param name="min">The lower bound; <see cref="double.NegativeInfinity"/> for none.</param>
    /// <param name="max">The upper bound, at least <paramref name="min"/>; <see cref="double.PositiveInfinity"/> for none.</param>
    /// <returns>The result, of the input's shape.</returns>
    /// <exception cref="GraphException">The name is not valid or taken, the input is not of this builder, or a bound is not a number or <paramref name="min"/> is above <paramref name="max"/>.</exception>
    public GraphValue Clip(string name, GraphValue input, double min, double max)
    {
        NewName(name, nameof(name), "node");
        Own(input, nameof(input), $"Clip '{name}'");
        if (double.IsNaN(min) || double.IsNaN(max) || min > max)
        {
            GraphRules.Fail(
                GraphDiagnostics.InvalidClip,
                double.IsNaN(min) ? nameof(min) : nameof(max),
                GraphRules.Invariant($"Clip '{name}': min = {min} and max = {max} are not valid bounds: both are numbers and min is at most max."));
        }

        return Append(new ClipNode(name, input, min, max, Computed(name, input.Shape)));
    }

    /// <summary>The softmax along dimension <paramref name="axis"/> (ONNX's <c>Softmax</c> from opset 13).</summary>
    /// <param name="name">The node's name, unique in the graph.</param>
    /// <param name="input">The activation.</param>
    /// <param name="axis">The dimension normalized over, from zero; a negative axis counts from the last (-1 is the last).</param>
    /// <returns>The result, of the input's shape.</returns>
    /// <exception cref="GraphException">The name is not valid or taken, the input is not of this builder, or the axis is not one of its dimensions.</exception>
    public GraphValue Softmax(string name, GraphValue input, int axis = -1)
    {
        NewName(name, nameof(name), "node");
        Own(input, nameof(input), $"Softmax '{name}'");
        var a = Axis("Softmax", name, input, axis);
        return Append(new SoftmaxNode(name, input, a, Computed(name, input.Shape)));
    }

    /// <summary>Checks a per-channel node's name and input and makes its constant <c>&lt;name&gt;.&lt;suffix&gt;</c>, <c>[C]</c>.</summary>
    private GraphValue ChannelConstant(string name, GraphValue input, string operation, string suffix)
    {
        var constant = NodeConstantName(name, suffix);

        Own(input, nameof(input), $"{operation} '{name}'");
        if (input.Rank < 2)
        {
            GraphRules.Fail(
                GraphDiagnostics.RankMismatch,
                nameof(input),
                GraphRules.Invariant($"{operation} '{name}': input = '{input.Name}' {input.ShapeText} has {input.Rank} dimension; its channels are dimension 1, so it takes two or more."));
        }

        return AddConstant(constant, ImmutableArray.Create(input.Shape[1]));
    }

    /// <summary>The axis <paramref name="axis"/> of <paramref name="input"/> counted from zero, a negative one from the last.</summary>
    private static int Axis(string operation, string name, GraphValue input, int axis)
    {
        var a = axis < 0 ? axis + input.Rank : axis;
        if (a < 0 || a >= input.Rank)
        {
            GraphRules.Fail(
                GraphDiagnostics.InvalidAxis,
                nameof(axis),
                GraphRules.Invariant($"{operation} '{name}': axis = {axis} is not a dimension of '{input.Name}' {input.ShapeText}: an axis lies in [{-input.Rank}, {input.Rank - 1}]."));
        }

        return a;
    }
}
