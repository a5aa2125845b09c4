using System.Buffers;
using System.Numerics;
using Swatop.Primitives;

namespace Swatop.Core;

/// <summary>
/// The reference value of a contraction computed fast, for operators too large for
/// <see cref="ReferenceEvaluator"/>: the operands are gathered into matrices (im2col for a
/// convolution) and multiplied with the host GEMM kernel, in parallel over blocks of rows.
/// </summary>
/// <remarks>
/// The index axes split three ways: those both operands read are a batch (a convolution's groups),
/// those the right operand does not read are rows (batch, output pixels), those only the right one
/// reads are columns (output channels); the reduction axes are the inner dimension. For each batch
/// point the right operand is gathered once as K x N, and for each block of rows the left one as
/// rows x K, reads outside a tensor giving zero. Sums accumulate in double in the GEMM kernel's order,
/// not <see cref="ReferenceEvaluator"/>'s, so results agree with it to rounding, not bit for bit.
/// </remarks>
public static class GemmEvaluator
{
    /// <summary>Rows gathered and multiplied at a time.</summary>
    private const int BlockRows = 256;

    /// <summary>Evaluates a contraction in double precision.</summary>
    /// <param name="expression">The contraction.</param>
    /// <param name="left">The left operand's tensor, row-major, exactly its element count long.</param>
    /// <param name="right">The right operand's tensor, row-major, exactly its element count long.</param>
    /// <returns>The output tensor, row-major.</returns>
    /// <exception cref="ArgumentException">An array's length is not its tensor's element count.</exception>
    public static double[] Evaluate(Contraction expression, double[] left, double[] right) => Evaluate<double>(expression, left, right);

    /// <summary>Evaluates a contraction on floats, accumulating in double and rounding each result once.</summary>
    /// <param name="expression">The contraction.</param>
    /// <param name="left">The left operand's tensor, row-major, exactly its element count long.</param>
    /// <param name="right">The right operand's tensor, row-major, exactly its element count long.</param>
    /// <returns>The output tensor, row-major.</returns>
    /// <exception cref="ArgumentException">An array's length is not its tensor's element count.</exception>
    public static float[] Evaluate(Contraction expression, float[] left, float[] right) => Evaluate<float>(expression, left, right);

    private static T[] Evaluate<T>(Contraction expression, T[] left, T[] right)
        where T : unmanaged, INumberBase<T>
    {
        var output = new T[expression.Output.Tensor.ElementLength];
        Visit(expression, left, right, block =>
        {
            for (var j = 0; j < block.Columns; j++)
            {
                for (var i = 0; i < block.Rows; i++)
                {
                    output[block.OutputOffset(i, j)] = T.CreateTruncating(block.C[i + (j * block.Rows)]);
                }
            }
        });
        return output;
    }

    /// <summary>
    /// Computes the contraction block by block and hands each block to <paramref name="visit"/>, in
    /// parallel: the gathered rows of the left operand, the gathered right operand and their product.
    /// </summary>
    internal static void Visit<T>(Contraction e, T[] left, T[] right, Action<GemmBlock> visit)
        where T : unmanaged, INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        ReferenceEvaluator.CheckLength(left.Length, e.Left.Tensor, nameof(left));
        ReferenceEvaluator.CheckLength(right.Length, e.Right.Tensor, nameof(right));
        var batch = e.IndexAxes.Where(a => e.Left.DependsOn(a) && e.Right.DependsOn(a)).ToArray();
        var rows = e.IndexAxes.Where(a => !e.Right.DependsOn(a)).ToArray();
        var columns = e.IndexAxes.Where(a => e.Right.DependsOn(a) && !e.Left.DependsOn(a)).ToArray();
        var inner = e.ReductionAxes.ToArray();
        var l = new Gather(e.Left, batch, rows, inner);
        var r = new Gather(e.Right, batch, columns, inner);
        var outBatch = OutputOffsets(e.Output, batch);
        var outRows = OutputOffsets(e.Output, rows);
        var outColumns = OutputOffsets(e.Output, columns);
        int m = outRows.Length, n = outColumns.Length, k = l.InnerPoints;
        var b = new double[(long)k * n];
        for (var point = 0; point < outBatch.Length; point++)
        {
            for (var j = 0; j < n; j++)
            {
                r.Fill(right, point, j, b.AsSpan(j * k, k));
            }

            var batchOffset = outBatch[point];
            Parallel.For(0, (m + BlockRows - 1) / BlockRows, index =>
            {
                var first = index * BlockRows;
                var count = Math.Min(BlockRows, m - first);
                var a = ArrayPool<double>.Shared.Rent(count * k);
                var c = ArrayPool<double>.Shared.Rent(count * n);
                try
                {
                    var row = new double[k];
                    for (var i = 0; i < count; i++)
                    {
                        l.Fill(left, point, first + i, row);
                        for (var p = 0; p < k; p++)
                        {
                            a[i + (p * count)] = row[p];
                        }
                    }

                    c.AsSpan(0, count * n).Clear();
                    GemmKernel.MultiplyAdd(count, n, k, a.AsSpan(0, count * k), count, b, k, c.AsSpan(0, count * n), count);
                    visit(new GemmBlock(count, n, k, a, b, c, batchOffset, outRows.AsMemory(first, count), outColumns));
                }
                finally
                {
                    ArrayPool<double>.Shared.Return(a);
                    ArrayPool<double>.Shared.Return(c);
                }
            });
        }
    }

    /// <summary>The flat output offset of every point of <paramref name="axes"/> (the last axis fastest).</summary>
    private static long[] OutputOffsets(TensorAccess output, Axis[] axes)
    {
        var strides = output.Tensor.Strides;
        var partial = Gather.Partials(output, axes);
        var offsets = new long[partial.Length / Math.Max(1, output.Indices.Length)];
        for (var point = 0; point < offsets.Length; point++)
        {
            for (var d = 0; d < output.Indices.Length; d++)
            {
                offsets[point] += partial[(point * output.Indices.Length) + d] * strides[d];
            }
        }

        return offsets;
    }

    /// <summary>Reads one operand by batch point, outer point (row or column) and inner point, zero outside the tensor.</summary>
    private sealed class Gather
    {
        private readonly TensorAccess _access;
        private readonly long[] _batch;
        private readonly long[] _outer;
        private readonly long[] _inner;
        private readonly long[] _constant;
        private readonly long[] _strides;
        private readonly int _dims;

        public Gather(TensorAccess access, Axis[] batch, Axis[] outer, Axis[] inner)
        {
            _access = access;
            _dims = access.Indices.Length;
            _batch = Partials(access, batch);
            _outer = Partials(access, outer);
            _inner = Partials(access, inner);
            _constant = [.. access.Indices.Select(i => i.Constant)];
            _strides = [.. access.Tensor.Strides];
            InnerPoints = _inner.Length / Math.Max(1, _dims);
        }

        public int InnerPoints { get; }

        /// <summary>The operand's values along the inner axes at one batch and outer point.</summary>
        public void Fill<T>(T[] tensor, int batchPoint, int outerPoint, Span<double> destination)
            where T : unmanaged, INumberBase<T>
        {
            Span<long> fixedPart = stackalloc long[_dims];
            for (var d = 0; d < _dims; d++)
            {
                fixedPart[d] = _constant[d] + _batch[(batchPoint * _dims) + d] + _outer[(outerPoint * _dims) + d];
            }

            var shape = _access.Tensor.Shape;
            for (var p = 0; p < destination.Length; p++)
            {
                long offset = 0;
                var inside = true;
                for (var d = 0; d < _dims; d++)
                {
                    var index = fixedPart[d] + _inner[(p * _dims) + d];
                    inside &= index >= 0 && index < shape[d];
                    offset += index * _strides[d];
                }

                destination[p] = inside ? double.CreateTruncating(tensor[offset]) : 0;
            }
        }

        /// <summary>For every point of <paramref name="axes"/> (the last axis fastest), each dimension's index less its constant.</summary>
        public static long[] Partials(TensorAccess access, Axis[] axes)
        {
            var dims = access.Indices.Length;
            var points = axes.Aggregate(1, (product, axis) => checked(product * axis.Extent));
            var coefficients = axes.Select(a => access.Indices.Select(i => i.CoefficientOf(a)).ToArray()).ToArray();
            var result = new long[(long)points * dims];
            var values = new int[axes.Length];
            for (var point = 0; point < points; point++)
            {
                for (var d = 0; d < dims; d++)
                {
                    long sum = 0;
                    for (var x = 0; x < axes.Length; x++)
                    {
                        sum += coefficients[x][d] * values[x];
                    }

                    result[(point * dims) + d] = sum;
                }

                for (var x = axes.Length - 1; x >= 0; x--)
                {
                    if (++values[x] < axes[x].Extent)
                    {
                        break;
                    }

                    values[x] = 0;
                }
            }

            return result;
        }
    }
}
