using System.Numerics;

namespace Swatop.Core.Graphs;

/// <summary>
/// The reference semantics of each kind of node, on flat row-major arrays: an operator through
/// <see cref="ReferenceEvaluator"/> (sums in double, rounded once), the other layers as plain loops.
/// A max pooling, a sum, a bias, a scale and a clamp are exact in <typeparamref name="T"/> (one
/// rounding each); an average pooling sums in double in row-major order, divides by the window's
/// element count and rounds once; a softmax works in double and rounds once; a flattening, a reshape
/// and a concatenation copy. Each call reads the values of the node's inputs from <see cref="Values"/> and returns the output.
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
        var spec = node.Spec;
        var e = spec.Expression;
        var left = Values[node.Operand(e.Left.Tensor.Name).Value.Name];
        var right = Values[node.Operand(e.Right.Tensor.Name).Value.Name];
        var epilogue = spec.EpilogueInputs.Select(a => Values[node.Operand(a.Tensor.Name).Value.Name]).ToArray();
        if (typeof(T) == typeof(double))
        {
            return (T[])(object)ReferenceEvaluator.Evaluate(spec, (double[])(object)left, (double[])(object)right, [.. epilogue.Select(v => (double[])(object)v)]);
        }

        return (T[])(object)ReferenceEvaluator.Evaluate(spec, (float[])(object)left, (float[])(object)right, [.. epilogue.Select(v => (float[])(object)v)]);
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
    public T[] Visit(MaxPoolNode node) =>
        Pool(node.Input, node.Output, node.Kernel, node.Stride, node.Padding, (input, at, width, window) =>
        {
            var max = input[at + (window.H0 * width) + window.W0];
            for (var h = window.H0; h < window.H1; h++)
            {
                for (var w = window.W0; w < window.W1; w++)
                {
                    var x = input[at + (h * width) + w];
                    max = x > max ? x : max;
                }
            }

            return max;
        });

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

    /// <inheritdoc />
    public T[] Visit(BiasAddNode node) => PerChannel(node.Input, Values[node.Bias.Name], (x, b) => x + b);

    /// <inheritdoc />
    public T[] Visit(ChannelScaleNode node) => PerChannel(node.Input, Values[node.Scale.Name], (x, s) => x * s);

    /// <inheritdoc />
    public T[] Visit(ClipNode node)
    {
        var input = Values[node.Input.Name];
        var output = new T[input.Length];
        var min = double.IsNegativeInfinity(node.Min) ? (T?)null : T.CreateTruncating(node.Min);
        var max = double.IsPositiveInfinity(node.Max) ? (T?)null : T.CreateTruncating(node.Max);
        for (var i = 0; i < output.Length; i++)
        {
            var x = input[i];
            x = min is { } lo && x < lo ? lo : x;
            x = max is { } hi && x > hi ? hi : x;
            output[i] = x;
        }

        return output;
    }

    /// <inheritdoc />
    public T[] Visit(AveragePoolNode node) =>
        Pool(node.Input, node.Output, node.Kernel, node.Stride, node.Padding, (input, at, width, window) =>
        {
            var sum = 0.0;
            for (var h = window.H0; h < window.H1; h++)
            {
                for (var w = window.W0; w < window.W1; w++)
                {
                    sum += double.CreateTruncating(input[at + (h * width) + w]);
                }
            }

            var count = node.CountIncludePad
                ? (Math.Min(window.Top + node.Kernel.Height, window.Height + node.Padding.Height) - window.Top)
                    * (Math.Min(window.Left + node.Kernel.Width, width + node.Padding.Width) - window.Left)
                : (window.H1 - window.H0) * (window.W1 - window.W0);
            return T.CreateTruncating(sum / count);
        });

    /// <inheritdoc />
    public T[] Visit(ConcatNode node)
    {
        var shape = node.Output.Shape;
        var outer = 1;
        for (var d = 0; d < node.Axis; d++)
        {
            outer *= shape[d];
        }

        var inner = 1;
        for (var d = node.Axis + 1; d < shape.Length; d++)
        {
            inner *= shape[d];
        }

        var output = new T[node.Output.ElementLength];
        var offset = 0;
        foreach (var part in node.Parts)
        {
            var values = Values[part.Name];
            var block = part.Shape[node.Axis] * inner;
            for (var o = 0; o < outer; o++)
            {
                values.AsSpan(o * block, block).CopyTo(output.AsSpan((o * shape[node.Axis] * inner) + offset, block));
            }

            offset += block;
        }

        return output;
    }

    /// <inheritdoc />
    public T[] Visit(SoftmaxNode node)
    {
        var input = Values[node.Input.Name];
        var shape = node.Input.Shape;
        var length = shape[node.Axis];
        var inner = 1;
        for (var d = node.Axis + 1; d < shape.Length; d++)
        {
            inner *= shape[d];
        }

        var outer = input.Length / (length * inner);
        var output = new T[input.Length];
        var exps = new double[length];
        for (var o = 0; o < outer; o++)
        {
            for (var i = 0; i < inner; i++)
            {
                var at = (o * length * inner) + i;
                var max = double.NegativeInfinity;
                for (var k = 0; k < length; k++)
                {
                    max = Math.Max(max, double.CreateTruncating(input[at + (k * inner)]));
                }

                var sum = 0.0;
                for (var k = 0; k < length; k++)
                {
                    sum += exps[k] = Math.Exp(double.CreateTruncating(input[at + (k * inner)]) - max);
                }

                for (var k = 0; k < length; k++)
                {
                    output[at + (k * inner)] = T.CreateTruncating(exps[k] / sum);
                }
            }
        }

        return output;
    }

    /// <inheritdoc />
    public T[] Visit(ReshapeNode node) => [.. Values[node.Input.Name]];

    /// <summary>Applies <paramref name="apply"/> to each element and its channel's constant (dimension 1).</summary>
    private T[] PerChannel(GraphValue input, T[] constant, Func<T, T, T> apply)
    {
        var values = Values[input.Name];
        var channels = input.Shape[1];
        var inner = (int)(input.ElementLength / input.Shape[0] / channels);
        var output = new T[values.Length];
        for (var i = 0; i < output.Length; i++)
        {
            output[i] = apply(values[i], constant[(i / inner) % channels]);
        }

        return output;
    }

    /// <summary>
    /// A pooling of <paramref name="inputValue"/> into <paramref name="outputValue"/>: each output element is
    /// <paramref name="reduce"/> over its window, clipped to the input (padding holds nothing).
    /// </summary>
    private T[] Pool(GraphValue inputValue, GraphValue outputValue, Size2 kernel, Size2 stride, Size2 padding, Func<T[], int, int, PoolWindow, T> reduce)
    {
        var input = Values[inputValue.Name];
        var (planes, height, width) = Planes(inputValue);
        var (outHeight, outWidth) = (outputValue.Shape[2], outputValue.Shape[3]);
        var output = new T[planes * outHeight * outWidth];
        var o = 0;
        for (var plane = 0; plane < planes; plane++)
        {
            var at = plane * height * width;
            for (var oh = 0; oh < outHeight; oh++)
            {
                var top = (oh * stride.Height) - padding.Height;
                var (h0, h1) = (Math.Max(top, 0), Math.Min(top + kernel.Height, height));
                for (var ow = 0; ow < outWidth; ow++)
                {
                    var left = (ow * stride.Width) - padding.Width;
                    output[o++] = reduce(input, at, width, new PoolWindow(top, left, height, h0, h1, Math.Max(left, 0), Math.Min(left + kernel.Width, width)));
                }
            }
        }

        return output;
    }

    /// <summary>A pooling window: its top-left corner (in the padded input), the input's height, and the input rows and columns it covers.</summary>
    private readonly record struct PoolWindow(int Top, int Left, int Height, int H0, int H1, int W0, int W1);

    /// <summary>The channel planes of an NCHW value (<c>N * C</c>), and their height and width.</summary>
    private static (int Planes, int Height, int Width) Planes(GraphValue value) =>
        (value.Shape[0] * value.Shape[1], value.Shape[2], value.Shape[3]);
}
