using System.Collections.Immutable;
using System.Globalization;
using Swatop.Core.Layouts;

namespace Swatop.Core.Lowering;

/// <summary>
/// How a kernel stores one operator tensor in main memory: a permutation of the framework
/// tensor's dimensions, each padded to the range the kernel reads (zeros outside the framework
/// tensor, which is how convolution padding reaches the kernel), some of them cut in blocks. The
/// layout steps on the CPEs pack inputs into it and unpack the output from it; an identity layout needs no step.
/// Compared by value; prints as the framework tensor and its internal dimensions.
/// </summary>
/// <remarks>
/// A blocked dimension of block length <c>b</c> is two internal dimensions: which block (in
/// <paramref name="Order"/>'s place of the dimension) and the position inside it; the positions inside
/// the blocks come after every dimension of <paramref name="Order"/>, in its order. So position
/// <c>p</c> of a dimension lies <c>(p / b) * OuterStrides[d] + (p % b) * Strides[d]</c> elements in,
/// and <c>p * Strides[d]</c> for a dimension that is not blocked: <see cref="LayoutRules.Place"/>, the
/// one definition, which the layout steps' lowering follows.
/// </remarks>
/// <param name="Tensor">The framework tensor.</param>
/// <param name="Order">Internal dimension i is framework dimension <c>Order[i]</c> (its blocks, for a blocked one), outermost first.</param>
/// <param name="Origins">Per framework dimension: the internal position of framework index 0.</param>
/// <param name="Lengths">Per framework dimension: its internal length (a multiple of its block length when blocked).</param>
/// <param name="Blocks">Per framework dimension: its block length, or 0 when it is not blocked.</param>
public sealed record TensorLayout(TensorDeclaration Tensor, ImmutableArray<int> Order, ImmutableArray<long> Origins, ImmutableArray<long> Lengths, ImmutableArray<long> Blocks)
{
    private (ImmutableArray<long> Inner, ImmutableArray<long> Outer)? _strides;

    /// <summary>Internal dimension i is framework dimension <c>Order[i]</c> (its blocks, for a blocked one), outermost first.</summary>
    public ImmutableArray<int> Order { get; init => (field, _strides) = (value, null); } = Order;

    /// <summary>Per framework dimension: its internal length (a multiple of its block length when blocked).</summary>
    public ImmutableArray<long> Lengths { get; init => (field, _strides) = (value, null); } = Lengths;

    /// <summary>Per framework dimension: its block length, or 0 when it is not blocked.</summary>
    public ImmutableArray<long> Blocks { get; init => (field, _strides) = (value, null); } = Blocks;

    /// <summary>Per framework dimension: elements between consecutive internal positions (inside a block, for a blocked one).</summary>
    public ImmutableArray<long> Strides => ComputedStrides.Inner;

    /// <summary>Per framework dimension: elements between consecutive blocks of a blocked dimension; 0 for one that is not blocked.</summary>
    public ImmutableArray<long> OuterStrides => ComputedStrides.Outer;

    private (ImmutableArray<long> Inner, ImmutableArray<long> Outer) ComputedStrides => _strides ??= ComputeStrides(Order, Lengths, Blocks);

    /// <summary>
    /// When not <see langword="null"/>, the layout holds the column matrix of the tensor under this window
    /// (<see cref="ColumnWindow"/>), not the tensor itself: its dimensions are the matrix's
    /// <c>[N][C * Kh * Kw][OutHeight][OutWidth]</c>, arranged by <see cref="Order"/>, <see cref="Origins"/>,
    /// <see cref="Lengths"/> and <see cref="Blocks"/> as a tensor's are. An element of the tensor then lies in
    /// several places or none, so such a layout has no <see cref="OffsetOf"/>; its pack is the column step.
    /// </summary>
    public ColumnWindow? Window { get; init; }

    /// <summary>Elements of the internal tensor.</summary>
    public long Elements => Lengths.Aggregate(1L, (product, length) => product * length);

    /// <summary>Whether the internal tensor is the framework tensor itself.</summary>
    public bool IsIdentity =>
        Window is null && Order.Select((dim, i) => dim == i).All(same => same) && Origins.All(o => o == 0) && Blocks.All(b => b == 0)
        && Lengths.Select((l, d) => l == Tensor.Shape[d]).All(same => same);

    /// <summary>
    /// Whether the internal tensor holds every element at the framework's row-major offset: the identity, or the identity
    /// with its first dimension cut in blocks of one position (<see cref="RowMajorInCoreGroups"/>).
    /// </summary>
    public bool IsRowMajor =>
        Window is null && Order.Select((dim, i) => dim == i).All(same => same) && Origins.All(o => o == 0)
        && Blocks.Select((b, d) => b == 0 || (d == 0 && b == 1)).All(plain => plain)
        && Lengths.Select((l, d) => l == Tensor.Shape[d]).All(same => same);

    /// <summary>The framework's own layout of <paramref name="tensor"/>: row-major, no padding, no blocks.</summary>
    public static TensorLayout RowMajor(TensorDeclaration tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var rank = tensor.Rank;
        return new TensorLayout(tensor, [.. Enumerable.Range(0, rank)], [.. new long[rank]], [.. tensor.Shape.Select(s => (long)s)], [.. new long[rank]]);
    }

    /// <summary>
    /// <paramref name="tensor"/> row-major in each core group's own memory: the framework's order with its first dimension
    /// cut in blocks of one position (one image of an activation, one output channel's filters), which puts every element at
    /// the offset the framework's layout does, but is not the framework's layout: a tensor kept so lies in the groups' own
    /// memories, not in the shared memory, and a kernel reaches it there at a group's own cost.
    /// </summary>
    public static TensorLayout RowMajorInCoreGroups(TensorDeclaration tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return RowMajor(tensor).WithBlocks(0, 1, tensor.Shape[0]);
    }

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

    /// <summary>
    /// The internal offset of a framework element given by its index, or -1 when the layout does not hold
    /// it: <see cref="LayoutRules.Place"/> of each dimension's <see cref="LayoutRules.PositionOf"/>, summed,
    /// when every position is <see cref="LayoutRules.Inside"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The layout holds a column matrix (<see cref="Window"/>): an element lies in several places.</exception>
    public long OffsetOf(ReadOnlySpan<long> frameworkIndex)
    {
        ThrowIfWindowed();
        var element = new ElementScope(this, frameworkIndex);
        var offset = 0L;
        for (var d = 0; d < frameworkIndex.Length; d++)
        {
            var along = OffsetAlong(element, d);
            if (along < 0)
            {
                return -1;
            }

            offset += along;
        }

        return offset;
    }

    /// <summary>
    /// What each framework index of dimension <paramref name="dimension"/> adds to an element's internal
    /// offset, or -1 for an index the layout does not hold: <see cref="OffsetOf"/> is the sum over the
    /// dimensions, or -1 when any of them is -1. The host permute the tests check layout steps against walks tensors with these tables.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimension"/> is not a dimension of the tensor.</exception>
    public ImmutableArray<long> OffsetsAlong(int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(dimension);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(dimension, Tensor.Rank);
        ThrowIfWindowed();
        var index = new long[Tensor.Rank];
        var offsets = ImmutableArray.CreateBuilder<long>(Tensor.Shape[dimension]);
        for (var i = 0; i < Tensor.Shape[dimension]; i++)
        {
            index[dimension] = i;
            offsets.Add(OffsetAlong(new ElementScope(this, index), dimension));
        }

        return offsets.MoveToImmutable();
    }

    private void ThrowIfWindowed()
    {
        if (Window is not null)
        {
            throw new InvalidOperationException($"The layout {this} holds a column matrix of '{Tensor.Name}': an element lies in as many places as windows read it, so it has no one offset.");
        }
    }

    /// <summary>
    /// What dimension <paramref name="dimension"/> of <paramref name="element"/> adds to its internal offset:
    /// <see cref="LayoutRules.Place"/> of its <see cref="LayoutRules.PositionOf"/>, or -1 when that position is
    /// not <see cref="LayoutRules.Inside"/> the layout.
    /// </summary>
    private static long OffsetAlong(ElementScope element, int dimension)
    {
        var position = LayoutRules.PositionOf.Evaluate(element.At(dimension));
        return LayoutRules.Inside.Evaluate(element.At(dimension, position)) == 0 ? -1 : LayoutRules.Place.Evaluate(element.At(dimension, position));
    }

    /// <summary>
    /// Whether <paramref name="other"/> stores a tensor of the same shape in the same internal arrangement,
    /// whatever the tensors are called: what a producer and a consumer agree on.
    /// </summary>
    public bool HasSameArrangement(TensorLayout? other) =>
        other is not null && Tensor.Shape.SequenceEqual(other.Tensor.Shape) && Order.SequenceEqual(other.Order) && Origins.SequenceEqual(other.Origins)
        && Lengths.SequenceEqual(other.Lengths) && Blocks.SequenceEqual(other.Blocks) && Equals(Window, other.Window);

    /// <summary>Whether both store the same tensor in the same arrangement.</summary>
    public bool Equals(TensorLayout? other) => other is not null && Tensor.Equals(other.Tensor) && HasSameArrangement(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Tensor);
        hash.Add(Window);
        foreach (var values in new[] { Order.Select(o => (long)o), Origins, Lengths, Blocks })
        {
            foreach (var value in values)
            {
                hash.Add(value);
            }
        }

        return hash.ToHashCode();
    }

    /// <summary>
    /// The framework tensor and its internal dimensions, outermost first, e.g. <c>input[2][3][5][6] -&gt; [2:7@1, 3:7@1, 1:3, 0:2]</c>:
    /// <c>d:n</c> is framework dimension <c>d</c> with internal length <c>n</c>, <c>@o</c> its origin when not 0,
    /// <c>d:n/b</c> the dimension cut in blocks of <c>b</c>, whose positions inside the blocks come innermost, as <c>d%b</c>.
    /// </summary>
    public override string ToString()
    {
        var ic = CultureInfo.InvariantCulture;
        var outer = Order.Select(d => string.Create(ic, $"{d}:{Lengths[d]}{(IsBlocked(d) ? $"/{Blocks[d]}" : "")}{(Origins[d] != 0 ? $"@{Origins[d]}" : "")}"));
        var inner = Order.Where(IsBlocked).Select(d => string.Create(ic, $"{d}%{Blocks[d]}"));
        return string.Create(ic, $"{Tensor.Name}[{string.Join("][", Tensor.Shape)}] -> {(Window is null ? "" : $"{Window} ")}[{string.Join(", ", outer.Concat(inner))}]");
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
