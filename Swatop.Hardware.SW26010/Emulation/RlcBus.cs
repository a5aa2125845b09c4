namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>The two register-communication buses of a CPE: along its row, or along its column.</summary>
public enum RlcBus
{
    /// <summary>The CPE's row (athread <c>putr</c> / <c>getr</c>); the destination is a column.</summary>
    Row,

    /// <summary>The CPE's column (athread <c>putc</c> / <c>getc</c>); the destination is a row.</summary>
    Column,
}
