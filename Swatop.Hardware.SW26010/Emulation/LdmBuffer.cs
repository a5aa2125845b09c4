using Swatop.Primitives;

namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>
/// A typed array in one CPE's local data memory, as <c>ldm_malloc</c> returns it. Only its owner
/// may touch it; a freed buffer may not be touched at all.
/// </summary>
public sealed class LdmBuffer
{
    internal LdmBuffer(Ldm home, string name, ElementType elementType, int byteOffset, int elementCount)
    {
        Home = home;
        Owner = home.Owner;
        Name = name;
        ElementType = elementType;
        ByteOffset = byteOffset;
        ElementCount = elementCount;
    }

    /// <summary>The CPE whose LDM holds the buffer.</summary>
    public CpeId Owner { get; }

    /// <summary>The LDM that holds the buffer.</summary>
    internal Ldm Home { get; }

    /// <summary>The name given at allocation; every message about the buffer uses it.</summary>
    public string Name { get; }

    /// <summary>The type of the buffer's elements.</summary>
    public ElementType ElementType { get; }

    /// <summary>Where the buffer starts in the LDM, in bytes.</summary>
    public int ByteOffset { get; }

    /// <summary>Elements in the buffer.</summary>
    public int ElementCount { get; }

    /// <summary>Bytes of one element.</summary>
    public int ElementBytes => ElementType == ElementType.Float64 ? sizeof(double) : sizeof(float);

    /// <summary>Bytes in the buffer.</summary>
    public int ByteLength => ElementCount * ElementBytes;

    /// <summary>True once the buffer was freed.</summary>
    public bool IsFreed { get; internal set; }

    /// <summary>The whole buffer as a span.</summary>
    public LdmSpan All => new(this, 0, ElementCount);

    /// <summary>A part of the buffer: <paramref name="count"/> elements from element <paramref name="start"/>.</summary>
    /// <exception cref="EmulatorException">SWE0002 when the part does not lie inside the buffer.</exception>
    public LdmSpan Slice(int start, int count) =>
        start < 0 || count < 0 || (long)start + count > ElementCount ? throw OutOfBounds(start, count) : new LdmSpan(this, start, count);

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"'{Name}' ({ElementCount} x {ElementType} at LDM offset {ByteOffset} of {Owner})");

    private EmulatorException OutOfBounds(int start, int count) =>
        new(EmulatorDiagnostics.LdmOutOfBounds, string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{Owner}: elements [{start}, {(long)start + count}) lie outside LDM buffer '{Name}' of {ElementCount} {ElementType} elements."));
}
