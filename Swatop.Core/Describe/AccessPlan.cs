using System.Collections.Immutable;

namespace Swatop.Core;

/// <summary>
/// One input access of a contraction prepared for the reference evaluator: per dimension its
/// size, row-major stride, constant and the coefficient of every index and reduction axis; per
/// reduction level the flat stride of one step and the dimensions whose bounds can be checked
/// there (those read by no deeper reduction axis).
/// </summary>
internal sealed class AccessPlan
{
    public AccessPlan(TensorAccess access, ImmutableArray<Axis> indexAxes, ImmutableArray<Axis> reductionAxes)
    {
        var rank = access.Tensor.Rank;
        var strides = access.Tensor.Strides;
        Size = [.. access.Tensor.Shape.Select(s => (long)s)];
        Stride = [.. strides];
        Constant = [.. access.Indices.Select(e => e.Constant)];
        IndexCoefficients = [.. access.Indices.Select(e => indexAxes.Select(e.CoefficientOf).ToArray())];
        ReductionCoefficients = [.. access.Indices.Select(e => reductionAxes.Select(e.CoefficientOf).ToArray())];
        Current = new long[rank];

        var levels = reductionAxes.Length;
        LevelStride = new long[levels];
        var checkedAt = Enumerable.Range(0, levels + 1).Select(_ => new List<int>()).ToArray();
        var movedAt = Enumerable.Range(0, levels).Select(_ => new List<int>()).ToArray();
        for (var d = 0; d < rank; d++)
        {
            var deepest = -1;
            for (var l = 0; l < levels; l++)
            {
                var c = ReductionCoefficients[d][l];
                if (c != 0)
                {
                    deepest = l;
                    movedAt[l].Add(d);
                    LevelStride[l] += c * Stride[d];
                }
            }

            checkedAt[deepest + 1].Add(d);
        }

        UnreducedDims = [.. checkedAt[0]];
        CheckedAt = [.. checkedAt.Skip(1).Select(l => l.ToArray())];
        MovedAt = [.. movedAt.Select(l => l.ToArray())];
    }

    /// <summary>The size of each dimension.</summary>
    public long[] Size { get; }

    /// <summary>The row-major stride of each dimension.</summary>
    public long[] Stride { get; }

    /// <summary>The constant of each dimension's index.</summary>
    public long[] Constant { get; }

    /// <summary>Per dimension, the coefficient of each index axis.</summary>
    public long[][] IndexCoefficients { get; }

    /// <summary>Per dimension, the coefficient of each reduction axis.</summary>
    public long[][] ReductionCoefficients { get; }

    /// <summary>The flat offset change of one step of each reduction axis.</summary>
    public long[] LevelStride { get; }

    /// <summary>The dimensions that read no reduction axis: checked once per output element.</summary>
    public int[] UnreducedDims { get; }

    /// <summary>Per reduction level, the dimensions whose deepest reduction axis is that level.</summary>
    public int[][] CheckedAt { get; }

    /// <summary>Per reduction level, the dimensions that level's axis moves.</summary>
    public int[][] MovedAt { get; }

    /// <summary>The index of each dimension at the current point, with deeper reduction axes at zero.</summary>
    public long[] Current { get; }

    /// <summary>
    /// Sets <see cref="Current"/> for an output element (all reduction axes at zero) and its flat
    /// offset (which may lie outside the tensor until the reduction axes move); false when a
    /// dimension that reads no reduction axis is out of bounds, so every read is zero.
    /// </summary>
    public bool Start(int[] indexValues, out long offset)
    {
        offset = 0;
        for (var d = 0; d < Current.Length; d++)
        {
            var v = Constant[d];
            var coefficients = IndexCoefficients[d];
            for (var i = 0; i < indexValues.Length; i++)
            {
                v += coefficients[i] * indexValues[i];
            }

            Current[d] = v;
            offset += v * Stride[d];
        }

        foreach (var d in UnreducedDims)
        {
            if (Current[d] < 0 || Current[d] >= Size[d])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Narrows <c>[lo, hi)</c> to the values of level <paramref name="level"/> that keep the dimensions checked there in bounds.</summary>
    public void Narrow(int level, ref long lo, ref long hi)
    {
        foreach (var d in CheckedAt[level])
        {
            var c = ReductionCoefficients[d][level];
            var b = Current[d];
            var last = Size[d] - 1;
            if (c > 0)
            {
                lo = Math.Max(lo, CeilingDivide(-b, c));
                hi = Math.Min(hi, FloorDivide(last - b, c) + 1);
            }
            else
            {
                lo = Math.Max(lo, CeilingDivide(b - last, -c));
                hi = Math.Min(hi, FloorDivide(b, -c) + 1);
            }
        }
    }

    /// <summary>Moves the indices of the dimensions level <paramref name="level"/> reads by <paramref name="steps"/> steps.</summary>
    public void Move(int level, long steps)
    {
        foreach (var d in MovedAt[level])
        {
            Current[d] += ReductionCoefficients[d][level] * steps;
        }
    }

    private static long FloorDivide(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);

    private static long CeilingDivide(long a, long b) => a >= 0 ? (a + b - 1) / b : -(-a / b);
}
