namespace Swatop.Hardware.Sw26010.Timing;

/// <summary>What a CPE waits for, for the profile's account.</summary>
internal enum WaitKind
{
    /// <summary>A DMA reply.</summary>
    Dma,

    /// <summary>A register, or the other CPEs of a mesh primitive.</summary>
    Rlc,

    /// <summary>An <c>athread_syn</c> barrier.</summary>
    Sync,
}
