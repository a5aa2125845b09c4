using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Swatop.Primitives;

/// <summary>
/// The transpose primitive on the host: a column-major <c>rows x columns</c> block becomes its
/// column-major <c>columns x rows</c> transpose, <c>destination[j + i * columns] = source[i + j * rows]</c>,
/// the data movement the layout steps use to pack tiles into blocked or permuted layouts.
/// </summary>
/// <remarks>
/// Elements move as bit patterns, never as values: any unmanaged element type works, and a NaN keeps
/// its payload. The block is walked in 4 x 4 blocks inside cache tiles; with 8-byte elements each
/// block is transposed in registers by four 256-bit loads, eight shuffles and four stores (the kernel
/// the SW26010's cycle model prices), with 4-byte elements by 128-bit vectors; the edges and other
/// element sizes move element by element. A block of one row or one column is its own transpose in
/// memory and is copied.
/// </remarks>
public static class BlockTranspose
{
    /// <summary>Rows and columns of a register block.</summary>
    private const int Block = 4;

    /// <summary>Rows and columns of a cache tile, a multiple of <see cref="Block"/>.</summary>
    private const int Tile = 32;

    /// <summary>
    /// Writes the transpose of the column-major <paramref name="rows"/> x <paramref name="columns"/>
    /// block at the start of <paramref name="source"/> to the start of <paramref name="destination"/>,
    /// column-major <paramref name="columns"/> x <paramref name="rows"/>.
    /// </summary>
    /// <typeparam name="T">The element type; elements move as bit patterns.</typeparam>
    /// <param name="source">The block read; at least <c>rows * columns</c> elements.</param>
    /// <param name="destination">The transpose written; at least <c>rows * columns</c> elements; must not overlap the block read.</param>
    /// <param name="rows">The source block's rows; zero or positive.</param>
    /// <param name="columns">The source block's columns; zero or positive.</param>
    /// <exception cref="ArgumentOutOfRangeException">An extent is negative.</exception>
    /// <exception cref="ArgumentException">A span is too short, or the blocks overlap.</exception>
    public static void Transpose<T>(ReadOnlySpan<T> source, Span<T> destination, int rows, int columns)
        where T : unmanaged
    {
        var elements = Validate(source, destination, rows, columns);
        if (elements == 0)
        {
            return;
        }

        TransposeUnchecked(ref MemoryMarshal.GetReference(source), ref MemoryMarshal.GetReference(destination), rows, columns);
    }

    /// <summary>The semantics, one element at a time: what <see cref="Transpose{T}"/> must equal bit for bit.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="source">The block read; at least <c>rows * columns</c> elements.</param>
    /// <param name="destination">The transpose written; at least <c>rows * columns</c> elements; must not overlap the block read.</param>
    /// <param name="rows">The source block's rows; zero or positive.</param>
    /// <param name="columns">The source block's columns; zero or positive.</param>
    /// <exception cref="ArgumentOutOfRangeException">An extent is negative.</exception>
    /// <exception cref="ArgumentException">A span is too short, or the blocks overlap.</exception>
    public static void Reference<T>(ReadOnlySpan<T> source, Span<T> destination, int rows, int columns)
        where T : unmanaged
    {
        Validate(source, destination, rows, columns);
        for (var j = 0; j < columns; j++)
        {
            for (var i = 0; i < rows; i++)
            {
                destination[j + (i * columns)] = source[i + (j * rows)];
            }
        }
    }

    /// <summary>
    /// <see cref="Transpose{T}"/> without its checks, for a caller that has validated the extents and
    /// the places itself (the emulator, on its hot path): <c>rows * columns</c> elements at each
    /// reference, apart, both extents positive.
    /// </summary>
    internal static void TransposeUnchecked<T>(ref T source, ref T destination, int rows, int columns)
        where T : unmanaged
    {
        if (rows == 1 || columns == 1)
        {
            // One row or one column: the transpose has the same order in memory.
            MemoryMarshal.CreateReadOnlySpan(ref source, rows * columns).CopyTo(MemoryMarshal.CreateSpan(ref destination, rows * columns));
            return;
        }

        for (var j0 = 0; j0 < columns; j0 += Tile)
        {
            var j1 = Math.Min(j0 + Tile, columns);
            for (var i0 = 0; i0 < rows; i0 += Tile)
            {
                TransposeTile(ref source, ref destination, rows, columns, i0, Math.Min(i0 + Tile, rows), j0, j1);
            }
        }
    }

    /// <summary>Rows <paramref name="i0"/>..<paramref name="i1"/> and columns <paramref name="j0"/>..<paramref name="j1"/> of the source: whole 4 x 4 blocks in registers, the edges element by element.</summary>
    private static void TransposeTile<T>(ref T source, ref T destination, int rows, int columns, int i0, int i1, int j0, int j1)
        where T : unmanaged
    {
        int iBlocks = i0 + ((i1 - i0) / Block * Block), jBlocks = j0 + ((j1 - j0) / Block * Block);
        if (Unsafe.SizeOf<T>() == sizeof(double) && Avx.IsSupported)
        {
            ref var from = ref Unsafe.As<T, double>(ref source);
            ref var to = ref Unsafe.As<T, double>(ref destination);
            for (var j = j0; j < jBlocks; j += Block)
            {
                for (var i = i0; i < iBlocks; i += Block)
                {
                    Block64(ref from, ref to, rows, columns, i, j);
                }
            }
        }
        else if (Unsafe.SizeOf<T>() == sizeof(float) && Sse.IsSupported)
        {
            ref var from = ref Unsafe.As<T, float>(ref source);
            ref var to = ref Unsafe.As<T, float>(ref destination);
            for (var j = j0; j < jBlocks; j += Block)
            {
                for (var i = i0; i < iBlocks; i += Block)
                {
                    Block32(ref from, ref to, rows, columns, i, j);
                }
            }
        }
        else
        {
            Scalar(ref source, ref destination, rows, columns, i0, iBlocks, j0, jBlocks);
        }

        // The edges: the rows below the whole blocks, then the columns right of them.
        Scalar(ref source, ref destination, rows, columns, iBlocks, i1, j0, j1);
        Scalar(ref source, ref destination, rows, columns, i0, iBlocks, jBlocks, j1);
    }

    /// <summary>One 4 x 4 block of 8-byte elements at (<paramref name="i"/>, <paramref name="j"/>): four loads, eight shuffles, four stores.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block64(ref double source, ref double destination, int rows, int columns, int i, int j)
    {
        // Column j + c of the source, rows i..i+3.
        var at = (nuint)(i + (j * rows));
        var r0 = Vector256.LoadUnsafe(ref source, at);
        var r1 = Vector256.LoadUnsafe(ref source, at + (nuint)rows);
        var r2 = Vector256.LoadUnsafe(ref source, at + (nuint)(2 * rows));
        var r3 = Vector256.LoadUnsafe(ref source, at + (nuint)(3 * rows));

        // Shuffles move bits: a NaN's payload survives.
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);

        // Column i + r of the destination, rows j..j+3.
        var to = (nuint)(j + (i * columns));
        Avx.Permute2x128(t0, t2, 0x20).StoreUnsafe(ref destination, to);
        Avx.Permute2x128(t1, t3, 0x20).StoreUnsafe(ref destination, to + (nuint)columns);
        Avx.Permute2x128(t0, t2, 0x31).StoreUnsafe(ref destination, to + (nuint)(2 * columns));
        Avx.Permute2x128(t1, t3, 0x31).StoreUnsafe(ref destination, to + (nuint)(3 * columns));
    }

    /// <summary>One 4 x 4 block of 4-byte elements at (<paramref name="i"/>, <paramref name="j"/>): four loads, eight shuffles, four stores.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block32(ref float source, ref float destination, int rows, int columns, int i, int j)
    {
        var at = (nuint)(i + (j * rows));
        var r0 = Vector128.LoadUnsafe(ref source, at);
        var r1 = Vector128.LoadUnsafe(ref source, at + (nuint)rows);
        var r2 = Vector128.LoadUnsafe(ref source, at + (nuint)(2 * rows));
        var r3 = Vector128.LoadUnsafe(ref source, at + (nuint)(3 * rows));

        var t0 = Sse.UnpackLow(r0, r1);
        var t1 = Sse.UnpackLow(r2, r3);
        var t2 = Sse.UnpackHigh(r0, r1);
        var t3 = Sse.UnpackHigh(r2, r3);

        var to = (nuint)(j + (i * columns));
        Sse.MoveLowToHigh(t0, t1).StoreUnsafe(ref destination, to);
        Sse.MoveHighToLow(t1, t0).StoreUnsafe(ref destination, to + (nuint)columns);
        Sse.MoveLowToHigh(t2, t3).StoreUnsafe(ref destination, to + (nuint)(2 * columns));
        Sse.MoveHighToLow(t3, t2).StoreUnsafe(ref destination, to + (nuint)(3 * columns));
    }

    /// <summary>Rows <paramref name="i0"/>..<paramref name="i1"/> and columns <paramref name="j0"/>..<paramref name="j1"/> of the source, element by element.</summary>
    private static void Scalar<T>(ref T source, ref T destination, int rows, int columns, int i0, int i1, int j0, int j1)
        where T : unmanaged
    {
        for (var j = j0; j < j1; j++)
        {
            for (var i = i0; i < i1; i++)
            {
                Unsafe.Add(ref destination, j + (i * columns)) = Unsafe.Add(ref source, i + (j * rows));
            }
        }
    }

    private static long Validate<T>(ReadOnlySpan<T> source, ReadOnlySpan<T> destination, int rows, int columns)
        where T : unmanaged
    {
        Guard.NonNegative(rows);
        Guard.NonNegative(columns);
        var elements = (long)rows * columns;
        Guard.SpanLength(source.Length, elements, "rows * columns", nameof(source));
        Guard.SpanLength(destination.Length, elements, "rows * columns", nameof(destination));
        if (elements != 0 && source[..(int)elements].Overlaps(destination[..(int)elements]))
        {
            Guard.ThrowArgument(nameof(destination), "destination overlaps source: a transpose needs distinct source and destination memory.");
        }

        return elements;
    }
}
