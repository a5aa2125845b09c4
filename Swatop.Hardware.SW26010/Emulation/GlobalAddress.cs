namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>A byte address in main memory: a buffer and an offset into it.</summary>
/// <param name="Buffer">The main-memory buffer.</param>
/// <param name="ByteOffset">Bytes from the start of the buffer.</param>
public readonly record struct GlobalAddress(GlobalBuffer Buffer, long ByteOffset)
{
    /// <summary>The emulated absolute address.</summary>
    public long Absolute => Buffer.Address + ByteOffset;

    /// <summary>This address moved by <paramref name="bytes"/>.</summary>
    public GlobalAddress Offset(long bytes) => Buffer.At(ByteOffset + bytes);

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"'{Buffer.Name}'+{ByteOffset}");
}
