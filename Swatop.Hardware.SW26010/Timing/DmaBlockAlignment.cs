namespace Swatop.Hardware.Sw26010.Timing;

/// <summary>
/// Which blocks of a DMA transfer take the form the SW26010's DMA engine serves best, and the public
/// athread codes (swDNN, swGEMM) keep to: a block of at least <see cref="WideBlockBytes"/> bytes that
/// starts on a <see cref="LineBytes"/>-byte boundary of main memory. The time model prices a transfer
/// by its requests, blocks and bytes (<see cref="DmaTimingModel"/>), not by where its blocks start, so
/// this is reported beside the time (<see cref="CoreGroupProfile.DmaAlignedWideBytes"/>) rather than
/// charged: it says how much of a kernel's traffic is in the shape that the calibration's fast points
/// were measured in.
/// </summary>
internal static class DmaBlockAlignment
{
    /// <summary>The alignment of a block's first byte in main memory, in bytes.</summary>
    public const int LineBytes = 128;

    /// <summary>The least block length, in bytes.</summary>
    public const int WideBlockBytes = 256;

    /// <summary>
    /// The blocks of a transfer of <paramref name="blocks"/> blocks of <paramref name="blockBytes"/> bytes,
    /// <paramref name="strideBytes"/> apart (the gap between one block's end and the next one's start),
    /// whose first is at main-memory address <paramref name="start"/>, that are wide and start aligned.
    /// </summary>
    public static int AlignedWideBlocks(long start, int blocks, int blockBytes, int strideBytes)
    {
        if (blockBytes < WideBlockBytes || blocks <= 0)
        {
            return 0;
        }

        // The blocks' starts step by the pitch: their offsets within a line repeat with a period of at most LineBytes / gcd.
        var pitch = (long)blockBytes + strideBytes;
        var offset = (int)(((start % LineBytes) + LineBytes) % LineBytes);
        var step = (int)(pitch % LineBytes);
        var period = LineBytes / Gcd(step, LineBytes);
        var aligned = 0;
        for (var i = 0; i < Math.Min(blocks, period); i++)
        {
            if ((offset + (i * step)) % LineBytes == 0)
            {
                aligned += ((blocks - 1 - i) / period) + 1;
            }
        }

        return aligned;
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);
}
