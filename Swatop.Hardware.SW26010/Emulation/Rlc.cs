namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>Constants of register communication.</summary>
public static class Rlc
{
    /// <summary>The destination that broadcasts to every other CPE of the row or column (athread's 8).</summary>
    public const int Broadcast = 8;
}
