using System.Collections.Immutable;
using System.Numerics;
using Swatop.Core.Layouts;
using Swatop.Core.Lowering;

namespace Swatop.Tests.LayoutSteps;

/// <summary>
/// The host's permute, the reference the layout steps on the CPEs are checked against: packing a framework
/// tensor into a kernel's internal layout (permuted, zero-padded to the range the kernel reads) and
/// unpacking the output from the core groups that computed each part of it. The rules are
/// <see cref="LayoutRules"/> (through <see cref="TensorLayout.OffsetsAlong"/>) and the output's
/// <see cref="Distribution.Owner"/>; the framework tensor is walked row-major.
/// </summary>
internal static class HostLayoutSteps
{
    /// <summary>
    /// Scatters <paramref name="source"/> (framework layout) into <paramref name="destination"/> (internal
    /// layout, zeroed), core group <paramref name="group"/>'s copy: every element when the placement is
    /// replicated, the elements the group holds when it is split.
    /// </summary>
    public static void Pack<T>(TensorPlacement placement, int group, ReadOnlySpan<T> source, Span<T> destination)
        where T : unmanaged, INumberBase<T>
    {
        var offsets = OffsetTables(placement.Layout);
        var shape = placement.Tensor.Shape;
        var split = placement.Distribution is SplitDistribution;
        Span<long> index = stackalloc long[shape.Length];
        for (var i = 0; i < source.Length; i++)
        {
            var offset = OffsetOf(offsets, index);
            if (offset >= 0 && (!split || placement.OwnerOf(index) == group))
            {
                destination[(int)offset] = source[i];
            }

            Advance(index, shape);
        }
    }

    /// <summary>Gathers the output: each framework element from the internal tensor of the core group that holds it.</summary>
    public static void Unpack<T>(TensorPlacement placement, IReadOnlyList<ReadOnlyMemory<T>> groupOutputs, Span<T> destination)
        where T : unmanaged, INumberBase<T>
    {
        var offsets = OffsetTables(placement.Layout);
        var shape = placement.Tensor.Shape;
        Span<long> index = stackalloc long[shape.Length];
        for (var i = 0; i < destination.Length; i++)
        {
            var owner = groupOutputs.Count == 1 ? 0 : placement.OwnerOf(index);
            destination[i] = groupOutputs[owner].Span[(int)OffsetOf(offsets, index)];
            Advance(index, shape);
        }
    }

    /// <summary><see cref="TensorLayout.OffsetsAlong"/> of every dimension.</summary>
    private static ImmutableArray<long>[] OffsetTables(TensorLayout layout) =>
        [.. Enumerable.Range(0, layout.Tensor.Rank).Select(layout.OffsetsAlong)];

    /// <summary>The internal offset of the element at <paramref name="index"/> (<see cref="TensorLayout.OffsetOf"/>), from the per-dimension tables.</summary>
    private static long OffsetOf(ImmutableArray<long>[] offsets, ReadOnlySpan<long> index)
    {
        var offset = 0L;
        for (var d = 0; d < index.Length; d++)
        {
            var along = offsets[d][(int)index[d]];
            if (along < 0)
            {
                return -1;
            }

            offset += along;
        }

        return offset;
    }

    private static void Advance(Span<long> index, ImmutableArray<int> shape)
    {
        for (var d = index.Length - 1; d >= 0; d--)
        {
            if (++index[d] < shape[d])
            {
                return;
            }

            index[d] = 0;
        }
    }
}
