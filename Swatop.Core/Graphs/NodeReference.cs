using System.Numerics;

namespace Swatop.Core.Graphs;

/// <summary>
/// The reference semantics of each kind of node, on flat row-major arrays: an operator through
/// <see cref="ReferenceEvaluator"/> (sums in double, rounded once), the other layers as plain loops.
/// A max pooling and a sum are exact in <typeparamref name="T"/>; a global average pooling sums in
/// double in row-major order, divides by the window's element count and rounds once; a flattening
/// copies. Each call reads the values of the node's inputs from <see cref="Values"/> and returns the output.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>, the graph's element type.</typeparam>
internal sealed class NodeReference<T> : IGraphNodeVisitor<T[]>
    where T : unmanaged, INumber<T>
{
    /// <summary>The values computed or given so far, by name.</summary>
    public Dictionary<string, T[]> Values { get; } = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public T[] Visit(OperatorNode node)
    {
        var e = node.Spec.Expression;
        var left = Values[node.Operand(e.Left.Tensor.Name).Value.Name];
        var right = Values[node.Operand(e.Right.Tensor.Name).Value.Name];
        if (typeof(T) == typeof(double))
        {
            return (T[])(object)ReferenceEvaluator.Evaluate(e, (double[])(object)left, (double[])(object)right);
        }

        return (T[])(object)ReferenceEvaluator.Evaluate(e, (float[])(object)left, (float[])(object)right);
    }

    /// <inheritdoc />
    public T[] Visit(AddNode node)
    {
        var left = Values[node.Left.Name];
        var right = Values[node.Right.Name];
        var sum = new T[left.Length];
        for (var i = 0; i < sum.Length; i++)
        {
            sum[i] = left[i] + right[i];
        }

        return sum;
    }

    /// <inheritdoc />
    public T[] Visit(MaxPoolNode node)
    {
        var input = Values[node.Input.Name];
        var (planes, height, width) = Planes(node.Input);
        var (outHeight, outWidth) = (node.Output.Shape[2], node.Output.Shape[3]);
        var output = new T[planes * outHeight * outWidth];
        var o = 0;
        for (var plane = 0; plane < planes; plane++)
        {
            var at = plane * height * width;
            for (var oh = 0; oh < outHeight; oh++)
            {
                var top = (oh * node.Stride.Height) - node.Padding.Height;
                var (h0, h1) = (Math.Max(top, 0), Math.Min(top + node.Kernel.Height, height));
                for (var ow = 0; ow < outWidth; ow++)
                {
                    var left = (ow * node.Stride.Width) - node.Padding.Width;
                    var (w0, w1) = (Math.Max(left, 0), Math.Min(left + node.Kernel.Width, width));
                    var max = input[at + (h0 * width) + w0];
                    for (var h = h0; h < h1; h++)
                    {
                        for (var w = w0; w < w1; w++)
                        {
                            var x = input[at + (h * width) + w];
                            max = x > max ? x : max;
                        }
                    }

                    output[o++] = max;
                }
            }
        }

        return output;
    }

    /// <inheritdoc />
    public T[] Visit(GlobalAveragePoolNode node)
    {
        var input = Values[node.Input.Name];
        var (planes, height, width) = Planes(node.Input);
        var size = height * width;
        var output = new T[planes];
        for (var plane = 0; plane < planes; plane++)
        {
            var sum = 0.0;
            foreach (var x in input.AsSpan(plane * size, size))
            {
                sum += double.CreateTruncating(x);
            }

            output[plane] = T.CreateTruncating(sum / size);
        }

        return output;
    }

    /// <inheritdoc />
    public T[] Visit(FlattenNode node) => [.. Values[node.Input.Name]];

    /// <summary>The channel planes of an NCHW value (<c>N * C</c>), and their height and width.</summary>
    private static (int Planes, int Height, int Width) Planes(GraphValue value) =>
        (value.Shape[0] * value.Shape[1], value.Shape[2], value.Shape[3]);
}
