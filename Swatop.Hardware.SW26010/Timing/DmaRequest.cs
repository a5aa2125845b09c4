namespace Swatop.Hardware.Sw26010.Timing;

/// <summary>
/// A DMA request on its way through a core group's memory controller. Its reply word reuses it
/// for a later transfer once the controller has served it.
/// </summary>
internal sealed class DmaRequest
{
    internal bool IsGet { get; private set; }

    internal int Blocks { get; private set; }

    internal int BlockBytes { get; private set; }

    internal long Bytes => (long)Blocks * BlockBytes;

    /// <summary>Its blocks of at least 256 bytes that start on a 128-byte boundary (<see cref="DmaBlockAlignment"/>).</summary>
    internal int AlignedWideBlocks { get; private set; }

    /// <summary>Whether the transfer reaches the shared (cross-segment) memory rather than the group's own.</summary>
    internal bool CrossSegment { get; private set; }

    /// <summary>The CPE cycle at which the request reached the controller.</summary>
    internal double IssueCycle { get; private set; }

    /// <summary>The cycle its reply arrives; NaN until the controller has served it.</summary>
    internal double CompletionCycle { get; set; } = double.NaN;

    internal bool IsServed => !double.IsNaN(CompletionCycle);

    /// <summary>Makes this the request for a new transfer.</summary>
    internal DmaRequest Describe(bool isGet, int blocks, int blockBytes, double issueCycle, bool crossSegment, int alignedWideBlocks)
    {
        AlignedWideBlocks = alignedWideBlocks;
        IsGet = isGet;
        CrossSegment = crossSegment;
        Blocks = blocks;
        BlockBytes = blockBytes;
        IssueCycle = issueCycle;
        CompletionCycle = double.NaN;
        return this;
    }
}
