using Swatop.Hardware.Sw26010.Emulation;

namespace Swatop.Hardware.Sw26010.Timing;

/// <summary>A DMA request on its way through a core group's memory controller.</summary>
internal sealed class DmaRequest
{
    internal DmaRequest(ReplyWord reply, bool isGet, int blocks, int blockBytes, double issueCycle)
    {
        Reply = reply;
        IsGet = isGet;
        Blocks = blocks;
        BlockBytes = blockBytes;
        IssueCycle = issueCycle;
    }

    internal ReplyWord Reply { get; }

    internal bool IsGet { get; }

    internal int Blocks { get; }

    internal int BlockBytes { get; }

    internal long Bytes => (long)Blocks * BlockBytes;

    /// <summary>The CPE cycle at which the request reached the controller.</summary>
    internal double IssueCycle { get; }

    /// <summary>The cycle its reply arrives; NaN until the controller has served it.</summary>
    internal double CompletionCycle { get; set; } = double.NaN;

    internal bool IsServed => !double.IsNaN(CompletionCycle);
}
