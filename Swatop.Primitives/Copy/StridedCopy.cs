using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Swatop.Primitives;

/// <summary>
/// Strided block copies, the data movement of the SW26010's DMA in stride mode: <c>totalBytes</c>
/// moved as blocks of <c>blockBytes</c>, consecutive blocks of the strided side separated by a gap
/// of <c>gapBytes</c> (athread's <c>stepsize</c>: the bytes skipped between blocks, not the pitch).
/// </summary>
/// <remarks>
/// The strided side spans <c>(blocks - 1) * (blockBytes + gapBytes) + blockBytes</c> bytes, the
/// contiguous side <c>totalBytes</c>. The arguments are checked once; the copy is one block move
/// when the gap is zero or there is a single block, else a loop of inline vector moves per block
/// (the runtime's block copy for blocks of 4 KB and more).
/// </remarks>
public static class StridedCopy
{
    /// <summary>
    /// Reads <c>totalBytes / blockBytes</c> blocks of <paramref name="blockBytes"/> from
    /// <paramref name="source"/>, skipping <paramref name="gapBytes"/> after each, and writes them
    /// contiguously to the start of <paramref name="destination"/> (a DMA get in stride mode).
    /// </summary>
    /// <param name="source">The strided side; at least <c>(blocks - 1) * (blockBytes + gapBytes) + blockBytes</c> bytes.</param>
    /// <param name="destination">The contiguous side; at least <paramref name="totalBytes"/> bytes; must not overlap <paramref name="source"/>.</param>
    /// <param name="totalBytes">Bytes to move; zero or a positive multiple of <paramref name="blockBytes"/>.</param>
    /// <param name="blockBytes">Bytes of a block; positive.</param>
    /// <param name="gapBytes">Bytes skipped between consecutive blocks of the strided side; zero or positive.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range, or <paramref name="blockBytes"/> does not divide <paramref name="totalBytes"/>.</exception>
    /// <exception cref="ArgumentException">A span is too short, or the spans overlap.</exception>
    public static void Gather(ReadOnlySpan<byte> source, Span<byte> destination, int totalBytes, int blockBytes, int gapBytes)
    {
        int blocks = Validate(source, destination, totalBytes, blockBytes, gapBytes, nameof(source), nameof(destination));
        ref byte from = ref MemoryMarshal.GetReference(source);
        ref byte to = ref MemoryMarshal.GetReference(destination);
        if (gapBytes == 0 || blocks <= 1)
        {
            Unsafe.CopyBlockUnaligned(ref to, ref from, (uint)totalBytes);
            return;
        }

        BlockMover.Move(ref to, blockBytes, ref from, (nint)blockBytes + gapBytes, blocks, blockBytes);
    }

    /// <summary>
    /// Reads <paramref name="totalBytes"/> contiguous bytes from the start of <paramref name="source"/>
    /// and writes them to <paramref name="destination"/> as blocks of <paramref name="blockBytes"/>,
    /// skipping <paramref name="gapBytes"/> after each (a DMA put in stride mode; the inverse of
    /// <see cref="Gather"/>). The gap bytes of the destination are left untouched.
    /// </summary>
    /// <param name="source">The contiguous side; at least <paramref name="totalBytes"/> bytes.</param>
    /// <param name="destination">The strided side; at least <c>(blocks - 1) * (blockBytes + gapBytes) + blockBytes</c> bytes; must not overlap <paramref name="source"/>.</param>
    /// <param name="totalBytes">Bytes to move; zero or a positive multiple of <paramref name="blockBytes"/>.</param>
    /// <param name="blockBytes">Bytes of a block; positive.</param>
    /// <param name="gapBytes">Bytes skipped between consecutive blocks of the strided side; zero or positive.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range, or <paramref name="blockBytes"/> does not divide <paramref name="totalBytes"/>.</exception>
    /// <exception cref="ArgumentException">A span is too short, or the spans overlap.</exception>
    public static void Scatter(ReadOnlySpan<byte> source, Span<byte> destination, int totalBytes, int blockBytes, int gapBytes)
    {
        int blocks = Validate(destination, source, totalBytes, blockBytes, gapBytes, nameof(destination), nameof(source));
        ref byte from = ref MemoryMarshal.GetReference(source);
        ref byte to = ref MemoryMarshal.GetReference(destination);
        if (gapBytes == 0 || blocks <= 1)
        {
            Unsafe.CopyBlockUnaligned(ref to, ref from, (uint)totalBytes);
            return;
        }

        BlockMover.Move(ref to, (nint)blockBytes + gapBytes, ref from, blockBytes, blocks, blockBytes);
    }

    /// <summary>
    /// <see cref="Gather"/> without its checks, for a caller that has validated the descriptor and
    /// both extents itself (the emulator's DMA engine, on its hot path).
    /// </summary>
    internal static void GatherUnchecked(ref byte source, ref byte destination, int totalBytes, int blockBytes, int gapBytes)
    {
        if (gapBytes == 0 || blockBytes == totalBytes)
        {
            Unsafe.CopyBlockUnaligned(ref destination, ref source, (uint)totalBytes);
            return;
        }

        BlockMover.Move(ref destination, blockBytes, ref source, (nint)blockBytes + gapBytes, totalBytes / blockBytes, blockBytes);
    }

    /// <summary><see cref="Scatter"/> without its checks, for a caller that has validated them itself.</summary>
    internal static void ScatterUnchecked(ref byte source, ref byte destination, int totalBytes, int blockBytes, int gapBytes)
    {
        if (gapBytes == 0 || blockBytes == totalBytes)
        {
            Unsafe.CopyBlockUnaligned(ref destination, ref source, (uint)totalBytes);
            return;
        }

        BlockMover.Move(ref destination, (nint)blockBytes + gapBytes, ref source, blockBytes, totalBytes / blockBytes, blockBytes);
    }

    /// <summary>
    /// The bytes the strided side of a transfer spans: <c>(blocks - 1) * (blockBytes + gapBytes) + blockBytes</c>,
    /// or 0 when <paramref name="totalBytes"/> is 0.
    /// </summary>
    /// <param name="totalBytes">Bytes to move; zero or a positive multiple of <paramref name="blockBytes"/>.</param>
    /// <param name="blockBytes">Bytes of a block; positive.</param>
    /// <param name="gapBytes">Bytes skipped between consecutive blocks; zero or positive.</param>
    /// <returns>The extent of the strided side in bytes.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range, or <paramref name="blockBytes"/> does not divide <paramref name="totalBytes"/>.</exception>
    public static long StridedExtent(int totalBytes, int blockBytes, int gapBytes)
    {
        int blocks = CheckSizes(totalBytes, blockBytes, gapBytes);
        return Extent(blocks, blockBytes, gapBytes);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Validate(
        ReadOnlySpan<byte> strided, ReadOnlySpan<byte> contiguous, int totalBytes, int blockBytes, int gapBytes, string stridedName, string contiguousName)
    {
        int blocks = CheckSizes(totalBytes, blockBytes, gapBytes);
        Guard.SpanLength(strided.Length, Extent(blocks, blockBytes, gapBytes), "(blocks - 1) * (blockBytes + gapBytes) + blockBytes", stridedName, "bytes");
        Guard.SpanLength(contiguous.Length, totalBytes, "totalBytes", contiguousName, "bytes");
        if (totalBytes != 0 && strided.Overlaps(contiguous))
        {
            Guard.ThrowArgument(
                contiguousName,
                $"{contiguousName} overlaps {stridedName}: a strided copy needs distinct source and destination memory.");
        }

        return blocks;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CheckSizes(int totalBytes, int blockBytes, int gapBytes)
    {
        Guard.NonNegative(totalBytes);
        Guard.Positive(blockBytes);
        Guard.NonNegative(gapBytes);
        int blocks = totalBytes / blockBytes;
        if (blocks * blockBytes != totalBytes)
        {
            Guard.ThrowOutOfRange(
                nameof(blockBytes),
                blockBytes,
                $"blockBytes = {Guard.Format(blockBytes)} must divide totalBytes = {Guard.Format(totalBytes)} (a transfer moves whole blocks).");
        }

        return blocks;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long Extent(int blocks, int blockBytes, int gapBytes) =>
        blocks == 0 ? 0 : ((long)(blocks - 1) * ((long)blockBytes + gapBytes)) + blockBytes;
}
