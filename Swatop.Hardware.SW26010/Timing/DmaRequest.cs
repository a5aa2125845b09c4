using Swatop.Hardware.Sw26010.Emulation;

namespace Swatop.Hardware.Sw26010.Timing;

/// <summary>A DMA request on its way through a core group's memory controller.</summary>
internal sealed class DmaRequest
{
    internal DmaRequest(ReplyWord reply, bool isGet, long address, int blocks, int blockBytes, int strideBytes, double issueCycle)
    {
        Reply = reply;
        IsGet = isGet;
        Address = address;
        Blocks = blocks;
        BlockBytes = blockBytes;
        StrideBytes = strideBytes;
        IssueCycle = issueCycle;
    }

    internal ReplyWord Reply { get; }

    internal bool IsGet { get; }

    /// <summary>The absolute main-memory address of the first block.</summary>
    internal long Address { get; }

    internal int Blocks { get; }

    internal int BlockBytes { get; }

    internal int StrideBytes { get; }

    internal long Bytes => (long)Blocks * BlockBytes;

    /// <summary>The CPE cycle at which the request reached the controller.</summary>
    internal double IssueCycle { get; }

    /// <summary>The cycle its reply arrives; NaN until the controller has served it.</summary>
    internal double CompletionCycle { get; set; } = double.NaN;

    internal bool IsServed => !double.IsNaN(CompletionCycle);
}
