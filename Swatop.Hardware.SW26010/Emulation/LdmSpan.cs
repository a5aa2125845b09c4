using Swatop.Primitives;

namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>A contiguous run of elements of an LDM buffer: the operand of DMA and of the primitives.</summary>
/// <param name="Buffer">The buffer.</param>
/// <param name="Start">The first element.</param>
/// <param name="Count">How many elements.</param>
public readonly record struct LdmSpan(LdmBuffer Buffer, int Start, int Count)
{
    /// <summary>The element type of the buffer.</summary>
    public ElementType ElementType => Buffer.ElementType;

    /// <summary>Bytes covered.</summary>
    public int ByteLength => Count * Buffer.ElementBytes;

    /// <summary>The LDM byte address of the first element.</summary>
    public int LdmByteOffset => Buffer.ByteOffset + (Start * Buffer.ElementBytes);

    /// <summary>A part of this span.</summary>
    public LdmSpan Slice(int start, int count) =>
        start < 0 || count < 0 || (long)start + count > Count ? throw OutOfBounds(start, count) : new LdmSpan(Buffer, Start + start, count);

    /// <summary>True when the two spans share a byte of LDM.</summary>
    public bool Overlaps(LdmSpan other) =>
        ReferenceEquals(Buffer.Home, other.Buffer.Home)
        && LdmByteOffset < other.LdmByteOffset + other.ByteLength
        && other.LdmByteOffset < LdmByteOffset + ByteLength;

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"'{Buffer.Name}'[{Start}..{Start + Count})");

    private EmulatorException OutOfBounds(int start, int count) =>
        new(EmulatorDiagnostics.LdmOutOfBounds, string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{Buffer.Owner}: elements [{start}, {(long)start + count}) lie outside the {Count}-element span at element {Start} of LDM buffer '{Buffer.Name}'."));
}
