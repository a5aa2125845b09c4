using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Swatop.Primitives;

/// <summary>
/// Moves <c>blocks</c> equal blocks between two pitched layouts, the inner loop of
/// <see cref="StridedCopy"/>. The block size is the same for every block, so the size class is
/// chosen once and each class runs a loop of inline vector moves; a block is covered by
/// overlapping moves (the first and the last vector of the block), which is safe because source
/// and destination are distinct memory. Large blocks go to the runtime's block copy.
/// </summary>
internal static class BlockMover
{
    /// <summary>Blocks of at least this many bytes are copied by <see cref="Unsafe.CopyBlockUnaligned(ref byte, ref readonly byte, uint)"/>.</summary>
    private const int LargeBlock = 4096;

    /// <summary>
    /// Copies <paramref name="blocks"/> blocks of <paramref name="block"/> bytes from
    /// <paramref name="source"/> (block i at <c>i * sourcePitch</c>) to <paramref name="destination"/>
    /// (block i at <c>i * destinationPitch</c>). Arguments are checked by the caller; the
    /// source and destination ranges do not overlap.
    /// </summary>
    public static void Move(ref byte destination, nint destinationPitch, ref byte source, nint sourcePitch, int blocks, int block)
    {
        nint size = block;
        if (block >= LargeBlock)
        {
            for (int i = 0; i < blocks; i++)
            {
                Unsafe.CopyBlockUnaligned(ref destination, ref source, (uint)block);
                destination = ref Unsafe.Add(ref destination, destinationPitch);
                source = ref Unsafe.Add(ref source, sourcePitch);
            }
        }
        else if (Vector512.IsHardwareAccelerated && block > 2 * Vector512<byte>.Count)
        {
            MoveLoop<Vector512<byte>>(ref destination, destinationPitch, ref source, sourcePitch, blocks, size);
        }
        else if (Vector512.IsHardwareAccelerated && block > 2 * Vector256<byte>.Count)
        {
            MovePair<Vector512<byte>>(ref destination, destinationPitch, ref source, sourcePitch, blocks, size);
        }
        else if (block > 2 * Vector256<byte>.Count)
        {
            MoveLoop<Vector256<byte>>(ref destination, destinationPitch, ref source, sourcePitch, blocks, size);
        }
        else if (block >= Vector256<byte>.Count)
        {
            MovePair<Vector256<byte>>(ref destination, destinationPitch, ref source, sourcePitch, blocks, size);
        }
        else if (block >= Vector128<byte>.Count)
        {
            MovePair<Vector128<byte>>(ref destination, destinationPitch, ref source, sourcePitch, blocks, size);
        }
        else if (block >= sizeof(ulong))
        {
            MovePair<ulong>(ref destination, destinationPitch, ref source, sourcePitch, blocks, size);
        }
        else if (block >= sizeof(uint))
        {
            MovePair<uint>(ref destination, destinationPitch, ref source, sourcePitch, blocks, size);
        }
        else
        {
            // 1 to 3 bytes: the first, the middle and the last byte cover the block.
            nint middle = size / 2, last = size - 1;
            for (int i = 0; i < blocks; i++)
            {
                destination = source;
                Unsafe.Add(ref destination, middle) = Unsafe.Add(ref source, middle);
                Unsafe.Add(ref destination, last) = Unsafe.Add(ref source, last);
                destination = ref Unsafe.Add(ref destination, destinationPitch);
                source = ref Unsafe.Add(ref source, sourcePitch);
            }
        }
    }

    /// <summary>Blocks of more than two words of <typeparamref name="TWord"/>: whole words, then a last word ending at the block's end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MoveLoop<TWord>(ref byte destination, nint destinationPitch, ref byte source, nint sourcePitch, int blocks, nint size)
        where TWord : unmanaged
    {
        nint word = Unsafe.SizeOf<TWord>();
        nint last = size - word;
        for (int i = 0; i < blocks; i++)
        {
            for (nint offset = 0; offset < last; offset += word)
            {
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, offset), Unsafe.ReadUnaligned<TWord>(ref Unsafe.Add(ref source, offset)));
            }

            Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, last), Unsafe.ReadUnaligned<TWord>(ref Unsafe.Add(ref source, last)));
            destination = ref Unsafe.Add(ref destination, destinationPitch);
            source = ref Unsafe.Add(ref source, sourcePitch);
        }
    }

    /// <summary>Blocks of 1 to 2 words of <typeparamref name="TWord"/>: the first and the last word cover the block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MovePair<TWord>(ref byte destination, nint destinationPitch, ref byte source, nint sourcePitch, int blocks, nint size)
        where TWord : unmanaged
    {
        nint last = size - Unsafe.SizeOf<TWord>();
        if (last == 0)
        {
            // Exactly one word a block (the common power-of-two sizes): one move.
            for (int i = 0; i < blocks; i++)
            {
                Unsafe.WriteUnaligned(ref destination, Unsafe.ReadUnaligned<TWord>(ref source));
                destination = ref Unsafe.Add(ref destination, destinationPitch);
                source = ref Unsafe.Add(ref source, sourcePitch);
            }

            return;
        }

        for (int i = 0; i < blocks; i++)
        {
            TWord head = Unsafe.ReadUnaligned<TWord>(ref source);
            TWord tail = Unsafe.ReadUnaligned<TWord>(ref Unsafe.Add(ref source, last));
            Unsafe.WriteUnaligned(ref destination, head);
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, last), tail);
            destination = ref Unsafe.Add(ref destination, destinationPitch);
            source = ref Unsafe.Add(ref source, sourcePitch);
        }
    }
}
