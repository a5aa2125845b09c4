using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>
/// A tensor's storage in the main memory of one core group. The host (the MPE) reads and writes
/// it through <see cref="AsSpan{T}"/>; CPEs reach it only by DMA, through <see cref="At"/>.
/// </summary>
/// <remarks>
/// Host memory is taken when data first moves: 8-byte words, or, for a buffer allocated as a host array
/// (<see cref="MainMemory.AllocateHostArray{T}"/>), an array of its element type that the host can take
/// as it is (<see cref="HostArray{T}"/>) instead of copying it out. A buffer that borrows a framework's
/// dense tensor (<see cref="MainMemory.Borrow{T}"/>) holds no memory of its own: it is read where the
/// tensor lies and is read-only (a DMA put into it is <c>SWE0018</c>). A twin (<see cref="MainMemory.AllocateTwin"/>) has
/// addresses of its own and another group's bytes: the copies of a replicated tensor, which every group's pack writes alike. A run lets a buffer go as soon as
/// nothing reads it any more (<see cref="Release"/>), so that its memory can be taken back.
/// </remarks>
public sealed class GlobalBuffer
{
    private readonly Func<long, Array>? _hostArray;
    private Array? _data;
    private BorrowedTensor? _borrowed;
    private GlobalBuffer? _twin;
    private bool _released;

    internal GlobalBuffer(string name, int coreGroup, long address, long byteLength, Func<long, Array>? hostArray = null)
    {
        Name = name;
        CoreGroup = coreGroup;
        Address = address;
        ByteLength = byteLength;
        _hostArray = hostArray;
    }

    internal GlobalBuffer(string name, int coreGroup, long address, long byteLength, BorrowedTensor borrowed)
        : this(name, coreGroup, address, byteLength)
    {
        _borrowed = borrowed;
        IsReadOnly = true;
    }

    internal GlobalBuffer(string name, int coreGroup, long address, long byteLength, GlobalBuffer twin)
        : this(name, coreGroup, address, byteLength)
    {
        _twin = twin;
    }

    /// <summary>
    /// Whether the buffer is a framework's tensor read where it lies (<see cref="MainMemory.Borrow{T}"/>): the CPEs' DMA
    /// may get from it but not put into it.
    /// </summary>
    public bool IsReadOnly { get; }

    /// <summary>The name given at allocation; every message about the buffer uses it.</summary>
    public string Name { get; }

    /// <summary>The core group whose memory holds the buffer, or <see cref="MainMemory.SharedSegment"/> for the shared memory.</summary>
    public int CoreGroup { get; }

    /// <summary>Whether the buffer lies in the shared (cross-segment) memory, which every core group's DMA reaches.</summary>
    public bool IsShared => CoreGroup == MainMemory.SharedSegment;

    /// <summary>Whether the DMA of core group <paramref name="coreGroup"/>'s CPEs reaches the buffer: its own memory, or the shared memory.</summary>
    public bool IsReachableFrom(int coreGroup) => IsShared || CoreGroup == coreGroup;

    /// <summary>The emulated address of the first byte (aligned as the spec's DMA alignment asks).</summary>
    public long Address { get; }

    /// <summary>Size in bytes.</summary>
    public long ByteLength { get; }

    /// <summary>The buffer's bytes seen as elements of <typeparamref name="T"/>: the host-side view.</summary>
    /// <exception cref="EmulatorException">SWE0013: the buffer holds more than <see cref="int.MaxValue"/> elements of <typeparamref name="T"/>, more than one span reaches.</exception>
    public Span<T> AsSpan<T>()
        where T : unmanaged
    {
        var elements = ByteLength / Unsafe.SizeOf<T>();
        if (elements > int.MaxValue)
        {
            throw new EmulatorException(EmulatorDiagnostics.BufferTooLargeToHold, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"Main-memory buffer '{Name}' of CG {CoreGroup} holds {elements} elements of {typeof(T).Name}; a host-side view reaches at most {int.MaxValue}."));
        }

        return MemoryMarshal.CreateSpan(ref Unsafe.As<byte, T>(ref First), (int)elements);
    }

    /// <summary>The address of byte <paramref name="byteOffset"/> of the buffer, for a DMA descriptor.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The offset is outside the buffer.</exception>
    public GlobalAddress At(long byteOffset)
    {
        if (byteOffset < 0 || byteOffset > ByteLength)
        {
            throw new ArgumentOutOfRangeException(nameof(byteOffset), byteOffset,
                $"The offset must lie inside main-memory buffer '{Name}' of {ByteLength} bytes.");
        }

        return new GlobalAddress(this, byteOffset);
    }

    /// <summary>The address of element <paramref name="index"/> when the buffer holds elements of <typeparamref name="T"/>.</summary>
    public GlobalAddress AtElement<T>(long index)
        where T : unmanaged => At(index * System.Runtime.CompilerServices.Unsafe.SizeOf<T>());

    /// <summary>
    /// The byte at <paramref name="byteOffset"/>, for the DMA engine's copies (which check their bounds first). The bytes
    /// are zeroed and allocated on first use: a timing-only run that never moves data never pays for the host memory of
    /// its tensors. They are held as 8-byte words (or as a host array of elements, <see cref="HostArray{T}"/>), so a buffer may be as large as a core group's memory (8 GB), past the
    /// 2 GB of one host byte array.
    /// </summary>
    /// <exception cref="EmulatorException">SWE0013: the buffer is larger than one host array of words holds.</exception>
    internal ref byte ByteAt(long byteOffset) =>
        ref Unsafe.AddByteOffset(ref First, (nint)byteOffset);

    /// <summary>
    /// Lets the buffer's data go: the run no longer reads or writes it, so its host memory (none for a borrowed tensor,
    /// which stays the framework's) can be taken back while the run goes on. Touching the buffer afterwards is a fault
    /// of the run (<see cref="InvalidOperationException"/>), not a read of zeros.
    /// </summary>
    internal void Release()
    {
        _released = true;
        _borrowed = null;
        _twin = null;
        _data = null;
    }

    /// <summary>The buffer's first byte: the borrowed tensor's first element, the twin's first byte, or the first of the data held.</summary>
    private ref byte First
    {
        get
        {
            if (_borrowed is { } borrowed)
            {
                return ref borrowed.First;
            }

            if (_twin is { } twin)
            {
                return ref twin.First;
            }

            return ref MemoryMarshal.GetArrayDataReference(Data);
        }
    }

    /// <summary>
    /// The array that holds the buffer's data, as the host takes it without a copy: the buffer must have been
    /// allocated by <see cref="MainMemory.AllocateHostArray{T}"/> with elements of <typeparamref name="T"/>.
    /// It is the emulated memory itself: what the CPEs' DMA writes later shows in it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The buffer is not held as an array of <typeparamref name="T"/>.</exception>
    internal T[] HostArray<T>()
        where T : unmanaged => Data as T[] ?? throw new InvalidOperationException(
            $"Main-memory buffer '{Name}' of CG {CoreGroup} is held as {Data.GetType().Name}, not as {typeof(T).Name}[]; allocate it with MainMemory.AllocateHostArray<{typeof(T).Name}>.");

    /// <summary>The data (words, or the host array), allocated on first use; core groups that share the buffer may race to take it, and one wins.</summary>
    private Array Data => _data ?? Interlocked.CompareExchange(ref _data, NewData(), null) ?? _data;

    private Array NewData()
    {
        if (_released || _borrowed is not null || _twin is not null)
        {
            throw new InvalidOperationException(_released
                ? $"Main-memory buffer '{Name}' of CG {CoreGroup} was released: the run let it go as nothing was to read it any more."
                : $"Main-memory buffer '{Name}' of CG {CoreGroup} {(_twin is null ? "borrows a framework's tensor" : "shares another group's bytes")}; it holds no array of its own.");
        }

        if (_hostArray is not null)
        {
            return _hostArray(ByteLength);
        }

        var words = (ByteLength + sizeof(ulong) - 1) / sizeof(ulong);
        return words <= Array.MaxLength ? new ulong[words]
            : throw new EmulatorException(EmulatorDiagnostics.BufferTooLargeToHold, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"Main-memory buffer '{Name}' of CG {CoreGroup} has {ByteLength} bytes; the emulator holds the data of at most {(long)Array.MaxLength * sizeof(ulong)} bytes a buffer. A timing-only run (which moves no data) can use it."));
    }

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"'{Name}' ({ByteLength} bytes at 0x{Address:x} in {(IsShared ? "the shared memory" : $"CG {CoreGroup}")}{(IsReadOnly ? ", read-only" : "")})");
}
