using System.Numerics;

namespace Swatop.Core;

/// <summary>
/// The reference semantics of a <see cref="Contraction"/>, the result every kernel is checked
/// against. Tensors are flat row-major spans (the last dimension fastest) in their declared
/// shapes. For every output element the sum starts from zero and accumulates in double over the
/// reduction axes in declared order (the first declared axis outermost) with
/// <see cref="Math.FusedMultiplyAdd(double, double, double)"/>, skipping reads outside a tensor
/// (they are zero). Float inputs are widened to double and each result rounded to float once, as
/// the float-in-double kernels of the hardware do.
/// </summary>
public static class ReferenceEvaluator
{
    /// <summary>Evaluates a contraction in double precision.</summary>
    /// <param name="expression">The contraction.</param>
    /// <param name="left">The left operand's tensor, row-major, exactly its element count long.</param>
    /// <param name="right">The right operand's tensor, row-major, exactly its element count long.</param>
    /// <returns>The output tensor, row-major.</returns>
    /// <exception cref="ArgumentException">A span's length is not its tensor's element count.</exception>
    public static double[] Evaluate(Contraction expression, ReadOnlySpan<double> left, ReadOnlySpan<double> right) =>
        Run(expression, left, right);

    /// <summary>Evaluates a contraction on floats, accumulating in double and rounding each result once.</summary>
    /// <param name="expression">The contraction.</param>
    /// <param name="left">The left operand's tensor, row-major, exactly its element count long.</param>
    /// <param name="right">The right operand's tensor, row-major, exactly its element count long.</param>
    /// <returns>The output tensor, row-major.</returns>
    /// <exception cref="ArgumentException">A span's length is not its tensor's element count.</exception>
    public static float[] Evaluate(Contraction expression, ReadOnlySpan<float> left, ReadOnlySpan<float> right) =>
        Run(expression, left, right);

    /// <summary>Evaluates an operator in double precision: its contraction, then its epilogue (<see cref="EpilogueEvaluator"/>).</summary>
    /// <param name="spec">The operator.</param>
    /// <param name="left">The left operand's tensor, row-major.</param>
    /// <param name="right">The right operand's tensor, row-major.</param>
    /// <param name="epilogueInputs">The epilogue's tensors, in the order of <see cref="OperatorSpec.EpilogueInputs"/>.</param>
    /// <returns>The output tensor, row-major.</returns>
    /// <exception cref="ArgumentException">A span's length is not its tensor's element count, or the epilogue's tensors do not match it.</exception>
    public static double[] Evaluate(OperatorSpec spec, ReadOnlySpan<double> left, ReadOnlySpan<double> right, params double[][] epilogueInputs) =>
        RunOperator(spec, left, right, epilogueInputs);

    /// <summary>Evaluates an operator on floats: its contraction accumulated in double and rounded once, then its epilogue in float.</summary>
    /// <param name="spec">The operator.</param>
    /// <param name="left">The left operand's tensor, row-major.</param>
    /// <param name="right">The right operand's tensor, row-major.</param>
    /// <param name="epilogueInputs">The epilogue's tensors, in the order of <see cref="OperatorSpec.EpilogueInputs"/>.</param>
    /// <returns>The output tensor, row-major.</returns>
    /// <exception cref="ArgumentException">A span's length is not its tensor's element count, or the epilogue's tensors do not match it.</exception>
    public static float[] Evaluate(OperatorSpec spec, ReadOnlySpan<float> left, ReadOnlySpan<float> right, params float[][] epilogueInputs) =>
        RunOperator(spec, left, right, epilogueInputs);

    private static T[] RunOperator<T>(OperatorSpec spec, ReadOnlySpan<T> left, ReadOnlySpan<T> right, T[][] epilogueInputs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(spec);
        var output = Run(spec.Expression, left, right);
        EpilogueEvaluator.Apply<T>(spec, output, epilogueInputs);
        return output;
    }

    private static T[] Run<T>(Contraction expression, ReadOnlySpan<T> left, ReadOnlySpan<T> right)
        where T : unmanaged, INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(expression);
        CheckLength(left.Length, expression.Left.Tensor, nameof(left));
        CheckLength(right.Length, expression.Right.Tensor, nameof(right));

        var index = expression.IndexAxes;
        var reduction = expression.ReductionAxes;
        var l = new AccessPlan(expression.Left, index, reduction);
        var r = new AccessPlan(expression.Right, index, reduction);
        var output = new T[expression.Output.Tensor.ElementLength];
        var outputStride = OutputAxisStrides(expression);
        var extents = reduction.Select(a => (long)a.Extent).ToArray();
        var values = new int[index.Length];
        var count = output.Length;
        for (var point = 0; point < count; point++)
        {
            long outOffset = 0;
            for (var i = 0; i < values.Length; i++)
            {
                outOffset += outputStride[i] * values[i];
            }

            var inside = l.Start(values, out var lo) & r.Start(values, out var ro);
            var sum = inside ? Reduce(0, l, r, extents, left, right, lo, ro, 0.0) : 0.0;
            output[outOffset] = T.CreateTruncating(sum);

            for (var i = values.Length - 1; i >= 0; i--)
            {
                if (++values[i] < index[i].Extent)
                {
                    break;
                }

                values[i] = 0;
            }
        }

        return output;
    }

    /// <summary>Accumulates the reduction levels from <paramref name="level"/> inwards.</summary>
    private static double Reduce<T>(
        int level, AccessPlan l, AccessPlan r, long[] extents, ReadOnlySpan<T> left, ReadOnlySpan<T> right, long lo, long ro, double sum)
        where T : unmanaged, INumberBase<T>
    {
        long first = 0, end = extents[level];
        l.Narrow(level, ref first, ref end);
        r.Narrow(level, ref first, ref end);
        if (first >= end)
        {
            return sum;
        }

        var ls = l.LevelStride[level];
        var rs = r.LevelStride[level];
        lo += ls * first;
        ro += rs * first;
        if (level == extents.Length - 1)
        {
            // Every read of this run is inside both tensors: offsets fit in int.
            int li = (int)lo, ri = (int)ro, lstep = (int)ls, rstep = (int)rs;
            for (var v = first; v < end; v++)
            {
                sum = Math.FusedMultiplyAdd(double.CreateTruncating(left[li]), double.CreateTruncating(right[ri]), sum);
                li += lstep;
                ri += rstep;
            }

            return sum;
        }

        l.Move(level, first);
        r.Move(level, first);
        for (var v = first; v < end; v++)
        {
            sum = Reduce(level + 1, l, r, extents, left, right, lo, ro, sum);
            lo += ls;
            ro += rs;
            l.Move(level, 1);
            r.Move(level, 1);
        }

        l.Move(level, -end);
        r.Move(level, -end);
        return sum;
    }

    /// <summary>The flat output offset of one step of each index axis.</summary>
    private static long[] OutputAxisStrides(Contraction expression)
    {
        var output = expression.Output;
        var strides = output.Tensor.Strides;
        var result = new long[expression.IndexAxes.Length];
        for (var i = 0; i < result.Length; i++)
        {
            for (var d = 0; d < output.Indices.Length; d++)
            {
                result[i] += output.Indices[d].CoefficientOf(expression.IndexAxes[i]) * strides[d];
            }
        }

        return result;
    }

    /// <summary>Refuses, by parameter name, an operand whose length is not its tensor's element count.</summary>
    internal static void CheckLength(int length, TensorDeclaration tensor, string paramName)
    {
        if (length != tensor.ElementLength)
        {
            throw new ArgumentException(
                $"{paramName}.Length = {length} does not match tensor '{tensor}': it must hold exactly {tensor.ElementLength} elements.",
                paramName);
        }
    }
}
