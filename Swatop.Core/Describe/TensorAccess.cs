using System.Collections.Immutable;

namespace Swatop.Core;

/// <summary>
/// A read or write of a tensor at affine indices, one per dimension. An input access may reach
/// outside the tensor's bounds: those reads are zero (this is how padding is expressed).
/// Compared by value.
/// </summary>
/// <param name="Tensor">The tensor accessed.</param>
/// <param name="Indices">One index expression per dimension of <paramref name="Tensor"/>.</param>
public sealed record TensorAccess(TensorDeclaration Tensor, ImmutableArray<AffineExpression> Indices)
{
    /// <summary>The tensor accessed.</summary>
    public TensorDeclaration Tensor { get; } = Tensor ?? throw new ArgumentNullException(nameof(Tensor));

    /// <summary>One index expression per dimension, outermost first.</summary>
    public ImmutableArray<AffineExpression> Indices { get; } = CheckIndices(Tensor, Indices);

    /// <summary>Every axis the access reads, in the order first seen (outermost dimension first).</summary>
    public IEnumerable<Axis> Axes =>
        Indices.SelectMany(e => e.Terms).Select(t => t.Axis).DistinctBy(a => a.Name);

    /// <summary>True when some index reads the axis (matched by name).</summary>
    /// <param name="axis">The axis.</param>
    /// <returns>Whether the access depends on the axis.</returns>
    public bool DependsOn(Axis axis) => Indices.Any(e => e.DependsOn(axis));

    /// <summary>
    /// The dimension whose index is exactly <paramref name="axis"/> (coefficient 1, no constant, no other
    /// axis), when no other dimension reads the axis; -1 otherwise. Only such a dimension can be cut in
    /// blocks of the axis's positions.
    /// </summary>
    /// <param name="axis">The axis.</param>
    /// <returns>The dimension, or -1.</returns>
    public int PlainDimensionOf(Axis axis)
    {
        var found = -1;
        for (var d = 0; d < Indices.Length; d++)
        {
            if (!Indices[d].DependsOn(axis))
            {
                continue;
            }

            var index = Indices[d];
            if (found >= 0 || index.Terms.Length != 1 || index.Constant != 0 || index.CoefficientOf(axis) != 1)
            {
                return -1;
            }

            found = d;
        }

        return found;
    }

    /// <summary>
    /// How many distinct elements of the tensor the access reads, out-of-range reads (padding) left
    /// out: a strided convolution, say, may skip input pixels. Exact when no two dimensions share an
    /// axis (as for GEMMs and convolutions); otherwise a lower bound, each group of dimensions linked
    /// by shared axes counted as its dimension with the most distinct values.
    /// </summary>
    /// <returns>The number of elements read.</returns>
    public long ElementsRead()
    {
        var group = Enumerable.Range(0, Indices.Length).ToArray();
        int Root(int d) => group[d] == d ? d : group[d] = Root(group[d]);
        for (var d = 0; d < Indices.Length; d++)
        {
            for (var e = d + 1; e < Indices.Length; e++)
            {
                if (Indices[d].Terms.Any(t => Indices[e].DependsOn(t.Axis)))
                {
                    group[Root(e)] = Root(d);
                }
            }
        }

        return Enumerable.Range(0, Indices.Length).GroupBy(Root)
            .Select(dims => dims.Max(DistinctValues))
            .Aggregate(1L, (product, count) => product * count);
    }

    /// <summary>The widest index range <see cref="ElementsRead"/> walks value by value.</summary>
    private const long MaxRangeWalked = 1L << 26;

    /// <summary>How many distinct in-range values the index of dimension <paramref name="d"/> takes.</summary>
    private long DistinctValues(int d)
    {
        var index = Indices[d];
        var (min, max) = index.Range;
        if (max - min >= MaxRangeWalked)
        {
            // Too wide to walk: nothing is certain, and the count must stay a lower bound.
            return 0;
        }

        var reached = new bool[max - min + 1];
        reached[index.Constant - min] = true;
        foreach (var term in index.Terms)
        {
            var next = new bool[reached.Length];
            for (var v = 0; v < reached.Length; v++)
            {
                if (!reached[v])
                {
                    continue;
                }

                for (long x = 0; x < term.Axis.Extent; x++)
                {
                    next[v + (term.Coefficient * x)] = true;
                }
            }

            reached = next;
        }

        return Enumerable.Range(0, reached.Length).LongCount(v => reached[v] && v + min >= 0 && v + min < Tensor.Shape[d]);
    }

    /// <summary>True when every index stays inside the tensor for all axis values.</summary>
    public bool IsInBounds
    {
        get
        {
            for (var d = 0; d < Indices.Length; d++)
            {
                var (min, max) = Indices[d].Range;
                if (min < 0 || max >= Tensor.Shape[d])
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>True when both access the same tensor at the same indices.</summary>
    /// <param name="other">The other access.</param>
    /// <returns>Whether they are equal.</returns>
    public bool Equals(TensorAccess? other) =>
        other is not null && Tensor.Equals(other.Tensor) && Indices.SequenceEqual(other.Indices);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Tensor);
        foreach (var e in Indices)
        {
            hash.Add(e);
        }

        return hash.ToHashCode();
    }

    /// <summary>Prints the access as <c>name[index0][index1]...</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Tensor.Name}[{string.Join("][", Indices)}]";

    private static ImmutableArray<AffineExpression> CheckIndices(TensorDeclaration? tensor, ImmutableArray<AffineExpression> indices)
    {
        ArgumentNullException.ThrowIfNull(tensor, nameof(Tensor));
        var count = indices.IsDefault ? 0 : indices.Length;
        if (count != tensor.Rank)
        {
            DescribeGuard.Fail(
                DescribeDiagnostics.AccessRankMismatch,
                nameof(Indices),
                $"Indices.Length = {DescribeGuard.Format(count)} for tensor '{tensor.Name}' of rank {DescribeGuard.Format(tensor.Rank)} is not valid: an access has exactly one index per dimension.");
        }

        foreach (var e in indices)
        {
            ArgumentNullException.ThrowIfNull(e, nameof(Indices));
        }

        return indices;
    }
}
