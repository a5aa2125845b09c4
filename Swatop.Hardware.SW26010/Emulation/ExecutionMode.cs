namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>How the emulator uses the host's cores. Both modes compute bit-identical results.</summary>
public enum ExecutionMode
{
    /// <summary>Core groups run on their own host threads and collective primitives split their work over the host's cores.</summary>
    Parallel,

    /// <summary>Everything runs on the calling thread, one core group after another.</summary>
    Sequential,
}
