using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Swatop.Primitives;

namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>
/// The local data memory of one CPE: a scratchpad of <see cref="Sw26010Spec.LdmBytes"/> bytes that
/// only its CPE addresses. Allocation is checked against the capacity, every access against its
/// buffer, every vector access against the vector's alignment.
/// </summary>
public sealed class Ldm
{
    private readonly List<LdmBuffer> _live = []; // sorted by offset

    // The storage, made on first touch: a timing-only run checks every allocation and access but
    // never reads or writes a byte, so its 64 CPEs a core group do without 64 KB each.
    private byte[]? _storage;

    internal Ldm(CpeId owner, int capacityBytes, bool checkRaces = true)
    {
        Owner = owner;
        CapacityBytes = capacityBytes;
        Pending = new PendingTransfers(owner, checkRaces);
    }

    /// <summary>The DMA transfers that still own parts of this LDM: every access is checked against them.</summary>
    internal PendingTransfers Pending { get; }

    /// <summary>The CPE this LDM belongs to.</summary>
    public CpeId Owner { get; }

    /// <summary>Capacity in bytes.</summary>
    public int CapacityBytes { get; }

    /// <summary>Bytes held by live buffers (alignment gaps excluded).</summary>
    public int UsedBytes { get; private set; }

    /// <summary>The most bytes live at once since the last <see cref="Reset"/>.</summary>
    public int HighWaterBytes { get; private set; }

    /// <summary>The live buffers, by address.</summary>
    public IReadOnlyList<LdmBuffer> Buffers => _live;

    /// <summary>
    /// Allocates <paramref name="count"/> elements of <paramref name="elementType"/> at an address that
    /// is a multiple of <paramref name="alignment"/> bytes (32 by default: a <c>doublev4</c>).
    /// </summary>
    /// <exception cref="EmulatorException">SWE0001 when no free range is large enough.</exception>
    public LdmBuffer Allocate(string name, ElementType elementType, int count, int alignment = 32)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (alignment <= 0 || (alignment & (alignment - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(alignment), alignment, "The alignment must be a positive power of two.");
        }

        var elementBytes = elementType == ElementType.Float64 ? sizeof(double) : sizeof(float);
        var bytes = (long)count * elementBytes;
        var offset = FindFit(bytes, alignment);
        if (offset < 0)
        {
            throw new EmulatorException(EmulatorDiagnostics.LdmCapacityExceeded, string.Create(CultureInfo.InvariantCulture,
                $"{Owner}: LDM buffer '{name}' of {bytes} bytes ({count} x {elementType}) does not fit: {UsedBytes} of {CapacityBytes} bytes are held by {_live.Count} buffers ({Describe()}), {CapacityBytes - UsedBytes} are free."));
        }

        var buffer = new LdmBuffer(this, name, elementType, offset, count);
        var index = _live.FindIndex(b => b.ByteOffset > offset);
        _live.Insert(index < 0 ? _live.Count : index, buffer);
        UsedBytes += (int)bytes;
        HighWaterBytes = Math.Max(HighWaterBytes, UsedBytes);
        return buffer;
    }

    /// <summary>Frees a buffer of this LDM (<c>ldm_free</c>).</summary>
    public void Free(LdmBuffer buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        CheckOwned(buffer);
        _live.Remove(buffer);
        buffer.IsFreed = true;
        UsedBytes -= buffer.ByteLength;
    }

    /// <summary>
    /// The elements of a double span, for scalar access by the CPE program. The view is checked as a
    /// read when it is taken: a get still filling the span is a race, a write through the view into
    /// the source of an outstanding put is not caught.
    /// </summary>
    public Span<double> Doubles(LdmSpan span) => View<double>(span, ElementType.Float64);

    /// <summary>The elements of a float span, for scalar access by the CPE program; checked as <see cref="Doubles"/> is.</summary>
    public Span<float> Floats(LdmSpan span) => View<float>(span, ElementType.Float32);

    /// <summary>Loads the <c>doublev4</c> at element <paramref name="index"/> (<c>simd_load</c>); the address must be 32-byte aligned.</summary>
    public Vector256<double> LoadDoubleV4(LdmBuffer buffer, int index) =>
        Vector256.LoadUnsafe(ref VectorRef<double>(buffer, index, ElementType.Float64, 4, writes: false));

    /// <summary>Stores a <c>doublev4</c> at element <paramref name="index"/> (<c>simd_store</c>); the address must be 32-byte aligned.</summary>
    public void StoreDoubleV4(LdmBuffer buffer, int index, Vector256<double> value) =>
        value.StoreUnsafe(ref VectorRef<double>(buffer, index, ElementType.Float64, 4, writes: true));

    /// <summary>Loads the <c>floatv4</c> at element <paramref name="index"/>; the address must be 16-byte aligned.</summary>
    public Vector128<float> LoadFloatV4(LdmBuffer buffer, int index) =>
        Vector128.LoadUnsafe(ref VectorRef<float>(buffer, index, ElementType.Float32, 4, writes: false));

    /// <summary>Stores a <c>floatv4</c> at element <paramref name="index"/>; the address must be 16-byte aligned.</summary>
    public void StoreFloatV4(LdmBuffer buffer, int index, Vector128<float> value) =>
        value.StoreUnsafe(ref VectorRef<float>(buffer, index, ElementType.Float32, 4, writes: true));

    /// <summary>Frees every buffer; used between spawns (LDM does not survive a kernel).</summary>
    internal void Reset()
    {
        foreach (var buffer in _live)
        {
            buffer.IsFreed = true;
        }

        _live.Clear();
        Pending.Clear();
        UsedBytes = 0;
        HighWaterBytes = 0;
    }

    /// <summary>The raw bytes of a span, without the owner check: for the emulator's own collectives and DMA engine.</summary>
    internal Span<byte> RawBytes(LdmSpan span) => Bytes.AsSpan(span.LdmByteOffset, span.ByteLength);

    /// <summary>The first byte of a span, without the owner check: for the DMA engine's copies.</summary>
    internal ref byte RawStart(LdmSpan span) => ref Bytes[span.LdmByteOffset];

    internal void CheckOwned(LdmBuffer buffer)
    {
        if (!ReferenceEquals(buffer.Home, this) || buffer.IsFreed)
        {
            throw NotOwned(buffer);
        }
    }

    private EmulatorException NotOwned(LdmBuffer buffer) => !ReferenceEquals(buffer.Home, this)
        ? new EmulatorException(EmulatorDiagnostics.ForeignLdmAccess,
            $"{Owner} touched LDM buffer '{buffer.Name}' of {buffer.Owner}: a CPE addresses only its own LDM; move data with DMA or register communication.")
        : new EmulatorException(EmulatorDiagnostics.LdmOutOfBounds, $"{Owner} touched LDM buffer '{buffer.Name}' after it was freed.");

    internal void CheckSpan(LdmSpan span, ElementType expected, string role)
    {
        CheckOwned(span.Buffer);
        if (span.ElementType != expected)
        {
            throw new EmulatorException(EmulatorDiagnostics.PrimitiveMisuse,
                $"{Owner}: {role} '{span.Buffer.Name}' holds {span.ElementType} elements where {expected} is required.");
        }
    }

    private Span<T> View<T>(LdmSpan span, ElementType expected)
        where T : unmanaged
    {
        CheckSpan(span, expected, "LDM buffer");
        Pending.Read(span, "a scalar view");
        return MemoryMarshal.Cast<byte, T>(RawBytes(span));
    }

    private ref T VectorRef<T>(LdmBuffer buffer, int index, ElementType expected, int lanes, bool writes)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(buffer);
        CheckOwned(buffer);
        if (buffer.ElementType != expected)
        {
            throw new EmulatorException(EmulatorDiagnostics.PrimitiveMisuse,
                $"{Owner}: a {expected} vector access to LDM buffer '{buffer.Name}', which holds {buffer.ElementType} elements.");
        }

        if (index < 0 || index > buffer.ElementCount - lanes)
        {
            throw new EmulatorException(EmulatorDiagnostics.LdmOutOfBounds, string.Create(CultureInfo.InvariantCulture,
                $"{Owner}: a {lanes}-lane vector access at element {index} of LDM buffer '{buffer.Name}' reaches outside its {buffer.ElementCount} elements."));
        }

        var vectorBytes = lanes * Unsafe.SizeOf<T>();
        var address = buffer.ByteOffset + (index * Unsafe.SizeOf<T>());
        if (address % vectorBytes != 0)
        {
            throw new EmulatorException(EmulatorDiagnostics.MisalignedVectorAccess, string.Create(CultureInfo.InvariantCulture,
                $"{Owner}: a {vectorBytes}-byte vector access at element {index} of LDM buffer '{buffer.Name}' (LDM address {address}) is not {vectorBytes}-byte aligned."));
        }

        Pending.Access(buffer, address, vectorBytes, writes, writes ? "a vector store" : "a vector load");
        return ref Unsafe.As<byte, T>(ref Bytes[address]);
    }

    private byte[] Bytes => _storage ??= new byte[CapacityBytes];

    private int FindFit(long bytes, int alignment)
    {
        var cursor = 0L;
        foreach (var buffer in _live)
        {
            var start = (cursor + alignment - 1) / alignment * alignment;
            if (start + bytes <= buffer.ByteOffset)
            {
                return (int)start;
            }

            cursor = buffer.ByteOffset + buffer.ByteLength;
        }

        var last = (cursor + alignment - 1) / alignment * alignment;
        return last + bytes <= CapacityBytes ? (int)last : -1;
    }

    private string Describe() =>
        _live.Count == 0 ? "none" : string.Join(", ", _live.Select(b => string.Create(CultureInfo.InvariantCulture, $"'{b.Name}' {b.ByteLength} B")));
}
