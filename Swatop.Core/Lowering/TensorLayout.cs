using System.Collections.Immutable;

namespace Swatop.Core.Lowering;

/// <summary>
/// How a kernel stores one operator tensor in main memory: a permutation of the framework
/// tensor's dimensions, each padded to the range the kernel reads (zeros outside the framework
/// tensor, which is how convolution padding reaches the kernel). The host packs inputs into it and
/// unpacks the output from it; an identity layout needs no host step.
/// </summary>
/// <param name="Tensor">The framework tensor.</param>
/// <param name="Order">Internal dimension i is framework dimension <c>Order[i]</c>, outermost first.</param>
/// <param name="Origins">Per framework dimension: the internal position of framework index 0.</param>
/// <param name="Lengths">Per framework dimension: its internal length.</param>
public sealed record TensorLayout(TensorDeclaration Tensor, ImmutableArray<int> Order, ImmutableArray<long> Origins, ImmutableArray<long> Lengths)
{
    /// <summary>Per framework dimension: elements between consecutive internal positions.</summary>
    public ImmutableArray<long> Strides { get; } = ComputeStrides(Order, Lengths);

    /// <summary>Elements of the internal tensor.</summary>
    public long Elements => Lengths.Aggregate(1L, (product, length) => product * length);

    /// <summary>Whether the internal tensor is the framework tensor itself.</summary>
    public bool IsIdentity =>
        Order.Select((dim, i) => dim == i).All(same => same) && Origins.All(o => o == 0) && Lengths.Select((l, d) => l == Tensor.Shape[d]).All(same => same);

    /// <summary>
    /// A layout for <paramref name="access"/> that puts <paramref name="inner"/>'s dimensions
    /// innermost and <paramref name="middle"/>'s just outside them, the others outside in their
    /// framework order; each dimension spans the range its index reads.
    /// </summary>
    public static TensorLayout For(TensorAccess access, Axis middle, Axis inner, bool padToReads)
    {
        ArgumentNullException.ThrowIfNull(access);
        var dims = Enumerable.Range(0, access.Indices.Length).ToList();
        var innerDims = dims.Where(d => access.Indices[d].DependsOn(inner)).ToList();
        var middleDims = dims.Where(d => !innerDims.Contains(d) && access.Indices[d].DependsOn(middle)).ToList();
        var order = dims.Where(d => !innerDims.Contains(d) && !middleDims.Contains(d)).Concat(middleDims).Concat(innerDims).ToImmutableArray();
        var origins = ImmutableArray.CreateBuilder<long>(dims.Count);
        var lengths = ImmutableArray.CreateBuilder<long>(dims.Count);
        foreach (var d in dims)
        {
            var (min, max) = access.Indices[d].Range;
            origins.Add(padToReads ? -min : 0);
            lengths.Add(padToReads ? max - min + 1 : access.Tensor.Shape[d]);
        }

        return new TensorLayout(access.Tensor, order, origins.MoveToImmutable(), lengths.MoveToImmutable());
    }

    /// <summary>
    /// The internal element offset of <paramref name="access"/> as a constant plus a coefficient per
    /// axis: <c>offset = Base + sum(coefficient[axis] * axis)</c>.
    /// </summary>
    public (long Base, IReadOnlyDictionary<string, long> Coefficients) AddressOf(TensorAccess access)
    {
        ArgumentNullException.ThrowIfNull(access);
        var constant = 0L;
        var coefficients = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var d = 0; d < access.Indices.Length; d++)
        {
            var index = access.Indices[d];
            constant += (index.Constant + Origins[d]) * Strides[d];
            foreach (var term in index.Terms)
            {
                coefficients[term.Axis.Name] = coefficients.GetValueOrDefault(term.Axis.Name) + (term.Coefficient * Strides[d]);
            }
        }

        return (constant, coefficients);
    }

    /// <summary>The internal offset of a framework element given by its index, or -1 when the layout does not hold it.</summary>
    public long OffsetOf(ReadOnlySpan<long> frameworkIndex)
    {
        var offset = 0L;
        for (var d = 0; d < frameworkIndex.Length; d++)
        {
            var position = frameworkIndex[d] + Origins[d];
            if (position < 0 || position >= Lengths[d])
            {
                return -1;
            }

            offset += position * Strides[d];
        }

        return offset;
    }

    private static ImmutableArray<long> ComputeStrides(ImmutableArray<int> order, ImmutableArray<long> lengths)
    {
        var strides = new long[lengths.Length];
        var stride = 1L;
        for (var i = order.Length - 1; i >= 0; i--)
        {
            strides[order[i]] = stride;
            stride *= lengths[order[i]];
        }

        return [.. strides];
    }
}
