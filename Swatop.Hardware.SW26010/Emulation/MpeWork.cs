namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>What a host-side step on the MPE does, for its simulated time: bytes it reads and writes, flops it computes.</summary>
/// <param name="Bytes">Bytes of main memory the step reads plus those it writes.</param>
/// <param name="Flops">Floating-point operations it performs.</param>
public readonly record struct MpeWork(long Bytes, long Flops = 0);
