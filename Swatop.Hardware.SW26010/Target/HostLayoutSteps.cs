using System.Numerics;
using Swatop.Core;
using Swatop.Core.Lowering;

namespace Swatop.Hardware.Sw26010.Target;

/// <summary>
/// The MPE's side of a lowered kernel: packing a framework tensor into the kernel's internal layout
/// (permuted, zero-padded to the range the kernel reads) and unpacking the output from the core
/// groups that computed each part of it.
/// </summary>
internal static class HostLayoutSteps
{
    /// <summary>Scatters <paramref name="source"/> (framework layout) into <paramref name="destination"/> (internal layout, zeroed).</summary>
    public static void Pack<T>(TensorLayout layout, ReadOnlySpan<T> source, Span<T> destination)
        where T : unmanaged, INumberBase<T>
    {
        var shape = layout.Tensor.Shape;
        Span<long> index = stackalloc long[shape.Length];
        for (var i = 0; i < source.Length; i++)
        {
            var offset = layout.OffsetOf(index);
            if (offset >= 0)
            {
                destination[(int)offset] = source[i];
            }

            Advance(index, shape);
        }
    }

    /// <summary>Gathers the output: each framework element from the internal tensor of the core group that computed it.</summary>
    public static void Unpack<T>(LoweredKernel lowered, TensorLayout layout, IReadOnlyList<ReadOnlyMemory<T>> groupOutputs, Span<T> destination)
        where T : unmanaged, INumberBase<T>
    {
        var shape = layout.Tensor.Shape;
        Span<long> index = stackalloc long[shape.Length];
        for (var i = 0; i < destination.Length; i++)
        {
            var owner = groupOutputs.Count == 1 ? 0 : lowered.OwnerOf(index);
            destination[i] = groupOutputs[owner].Span[(int)layout.OffsetOf(index)];
            Advance(index, shape);
        }
    }

    private static void Advance(Span<long> index, System.Collections.Immutable.ImmutableArray<int> shape)
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
