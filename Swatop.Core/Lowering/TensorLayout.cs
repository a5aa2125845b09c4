using System.Collections.Immutable;

namespace Swatop.Core.Lowering;

/// <summary>
/// How a kernel stores one operator tensor in main memory: a permutation of the framework
/// tensor's dimensions, each padded to the range the kernel reads (zeros outside the framework
/// tensor, which is how convolution padding reaches the kernel), some of them cut in blocks. The
/// host packs inputs into it and unpacks the output from it; an identity layout needs no host step.
/// </summary>
/// <remarks>
/// A blocked dimension of block length <c>b</c> is two internal dimensions: which block (in
/// <paramref name="Order"/>'s place of the dimension) and the position inside it; the positions inside
/// the blocks come after every dimension of <paramref name="Order"/>, in its order. So position
/// <c>p</c> of a dimension lies <c>(p / b) * OuterStrides[d] + (p % b) * Strides[d]</c> elements in,
/// and <c>p * Strides[d]</c> for a dimension that is not blocked.
/// </remarks>
/// <param name="Tensor">The framework tensor.</param>
/// <param name="Order">Internal dimension i is framework dimension <c>Order[i]</c> (its blocks, for a blocked one), outermost first.</param>
/// <param name="Origins">Per framework dimension: the internal position of framework index 0.</param>
/// <param name="Lengths">Per framework dimension: its internal length (a multiple of its block length when blocked).</param>
/// <param name="Blocks">Per framework dimension: its block length, or 0 when it is not blocked.</param>
public sealed record TensorLayout(TensorDeclaration Tensor, ImmutableArray<int> Order, ImmutableArray<long> Origins, ImmutableArray<long> Lengths, ImmutableArray<long> Blocks)
{
    private readonly (ImmutableArray<long> Inner, ImmutableArray<long> Outer) _strides = ComputeStrides(Order, Lengths, Blocks);

    /// <summary>Per framework dimension: elements between consecutive internal positions (inside a block, for a blocked one).</summary>
    public ImmutableArray<long> Strides => _strides.Inner;

    /// <summary>Per framework dimension: elements between consecutive blocks of a blocked dimension; 0 for one that is not blocked.</summary>
    public ImmutableArray<long> OuterStrides => _strides.Outer;

    /// <summary>Elements of the internal tensor.</summary>
    public long Elements => Lengths.Aggregate(1L, (product, length) => product * length);

    /// <summary>Whether the internal tensor is the framework tensor itself.</summary>
    public bool IsIdentity =>
        Order.Select((dim, i) => dim == i).All(same => same) && Origins.All(o => o == 0) && Blocks.All(b => b == 0)
        && Lengths.Select((l, d) => l == Tensor.Shape[d]).All(same => same);

    /// <summary>Whether framework dimension <paramref name="dimension"/> is cut in blocks.</summary>
    public bool IsBlocked(int dimension) => Blocks[dimension] > 0;

    /// <summary>
    /// This layout with framework dimension <paramref name="dimension"/> cut in blocks of
    /// <paramref name="block"/> positions and its length padded with zeros to <paramref name="length"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The block is not positive, the length is not a multiple of it, or shorter than the dimension's.</exception>
    public TensorLayout WithBlocks(int dimension, long block, long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(block);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, Lengths[dimension]);
        if (length % block != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, $"The padded length must be a multiple of the block length {block}.");
        }

        return new TensorLayout(Tensor, Order, Origins, Lengths.SetItem(dimension, length), Blocks.SetItem(dimension, block));
    }

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

        return new TensorLayout(access.Tensor, order, origins.MoveToImmutable(), lengths.MoveToImmutable(), [.. new long[dims.Count]]);
    }

    /// <summary>
    /// The internal element offset of <paramref name="access"/> as a constant plus a coefficient per
    /// axis: <c>offset = Base + sum(coefficient[axis] * axis)</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">A dimension is blocked: its offset is not affine.</exception>
    public (long Base, IReadOnlyDictionary<string, long> Coefficients) AddressOf(TensorAccess access)
    {
        ArgumentNullException.ThrowIfNull(access);
        if (Blocks.Any(b => b > 0))
        {
            throw new InvalidOperationException($"The layout of '{Tensor.Name}' has blocked dimensions: offsets in it are not affine in the axes.");
        }

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

            offset += IsBlocked(d) ? (position / Blocks[d] * OuterStrides[d]) + (position % Blocks[d] * Strides[d]) : position * Strides[d];
        }

        return offset;
    }

    private static (ImmutableArray<long> Inner, ImmutableArray<long> Outer) ComputeStrides(ImmutableArray<int> order, ImmutableArray<long> lengths, ImmutableArray<long> blocks)
    {
        var inner = new long[lengths.Length];
        var outer = new long[lengths.Length];
        var stride = 1L;
        for (var i = order.Length - 1; i >= 0; i--)
        {
            var d = order[i];
            if (blocks[d] > 0)
            {
                inner[d] = stride;
                stride *= blocks[d];
            }
        }

        for (var i = order.Length - 1; i >= 0; i--)
        {
            var d = order[i];
            if (blocks[d] > 0)
            {
                outer[d] = stride;
                stride *= lengths[d] / blocks[d];
            }
            else
            {
                inner[d] = stride;
                stride *= lengths[d];
            }
        }

        return ([.. inner], [.. outer]);
    }
}
