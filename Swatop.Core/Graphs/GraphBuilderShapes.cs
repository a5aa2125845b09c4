using System.Collections.Immutable;

namespace Swatop.Core.Graphs;

/// <summary>The layers of the builder that move elements: average pooling, concatenation and reshape.</summary>
public sealed partial class GraphBuilder
{
    /// <summary>
    /// An average pooling of an NCHW value (floor mode): the output extents follow <see cref="MaxPool"/>'s rule.
    /// </summary>
    /// <param name="name">The node's name, unique in the graph.</param>
    /// <param name="input">The activation, <c>[N][C][H][W]</c>.</param>
    /// <param name="kernel">The window; an integer means a square window.</param>
    /// <param name="stride">The step between windows; the kernel when omitted.</param>
    /// <param name="padding">The implicit padding above and below, left and right; none when omitted; at most half the kernel.</param>
    /// <param name="countIncludePad">Whether the padding counts in the divisor (PyTorch's default) or not (ONNX's default).</param>
    /// <returns>The pooled value, <c>[N][C][OH][OW]</c>.</returns>
    /// <exception cref="GraphException">The name is not valid or taken, the input is not NCHW or not of this builder, or the kernel, stride or padding breaks a rule of <see cref="GraphDiagnostics.InvalidPooling"/>.</exception>
    public GraphValue AveragePool(string name, GraphValue input, Size2 kernel, Size2? stride = null, Size2? padding = null, bool countIncludePad = false)
    {
        var (s, p, output) = Pooled("AveragePool", name, input, kernel, stride, padding);
        return Append(new AveragePoolNode(name, input, kernel, s, p, countIncludePad, output));
    }

    /// <summary>The values joined along dimension <paramref name="axis"/>, in order.</summary>
    /// <param name="name">The node's name, unique in the graph.</param>
    /// <param name="axis">The dimension joined along, from zero; a negative axis counts from the last.</param>
    /// <param name="parts">One or more values of the same rank and the same lengths in every other dimension.</param>
    /// <returns>The joined value.</returns>
    /// <exception cref="GraphException">The name is not valid or taken, a part is not of this builder, the axis is not a dimension, or the parts' shapes do not fit together.</exception>
    public GraphValue Concat(string name, int axis, params ReadOnlySpan<GraphValue> parts)
    {
        NewName(name, nameof(name), "node");
        if (parts.IsEmpty)
        {
            GraphRules.Fail(GraphDiagnostics.ShapeMismatch, nameof(parts), $"Concat '{name}': parts is empty: a concatenation joins one or more values.");
        }

        foreach (var part in parts)
        {
            Own(part, nameof(parts), $"Concat '{name}'");
        }

        var first = parts[0];
        var a = Axis("Concat", name, first, axis);
        long joined = 0;
        foreach (var part in parts)
        {
            var fits = part.Rank == first.Rank;
            for (var d = 0; fits && d < first.Rank; d++)
            {
                fits = d == a || part.Shape[d] == first.Shape[d];
            }

            if (!fits)
            {
                GraphRules.Fail(
                    GraphDiagnostics.ShapeMismatch,
                    nameof(parts),
                    GraphRules.Invariant($"Concat '{name}' along axis {a}: '{part.Name}' {part.ShapeText} does not fit '{first.Name}' {first.ShapeText}: the parts have the same rank and the same lengths in every dimension but the axis."));
            }

            joined += part.Shape[a];
        }

        var shape = first.Shape.SetItem(a, (int)Math.Min(joined, int.MaxValue));
        GraphRules.Shape(shape.AsSpan(), name, nameof(parts));
        return Append(new ConcatNode(name, [.. parts], a, Computed(name, shape)));
    }

    /// <summary>The value reshaped to <paramref name="shape"/>, the elements in the same row-major order.</summary>
    /// <param name="name">The node's name, unique in the graph.</param>
    /// <param name="input">The value.</param>
    /// <param name="shape">The new dimensions, each at least one, with the input's element count.</param>
    /// <returns>The reshaped value.</returns>
    /// <exception cref="GraphException">The name is not valid or taken, the input is not of this builder, or the shape has a dimension below one or another element count.</exception>
    public GraphValue Reshape(string name, GraphValue input, params ReadOnlySpan<int> shape)
    {
        NewName(name, nameof(name), "node");
        Own(input, nameof(input), $"Reshape '{name}'");
        long count = 1;
        foreach (var d in shape)
        {
            count = d < 1 ? 0 : Math.Min(count * d, long.MaxValue / int.MaxValue);
        }

        if (shape.IsEmpty || count != input.ElementLength)
        {
            GraphRules.Fail(
                GraphDiagnostics.InvalidReshape,
                nameof(shape),
                GraphRules.Invariant($"Reshape '{name}': shape = {GraphValue.FormatShape(shape)} does not fit '{input.Name}' {input.ShapeText}: a reshape keeps the element count, {input.ElementLength}, and every dimension is at least 1."));
        }

        return Append(new ReshapeNode(name, input, Computed(name, [.. shape])));
    }
}
