namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>
/// The DDR3 memory of one core group, or the chip's shared (cross-segment) memory. Tensors are placed
/// in the memory of the core group that owns them; a CPE's DMA reaches its own group's memory and the
/// shared memory, which is interleaved over every group's DDR3 and reached through the on-chip network
/// (slower per byte: <see cref="Timing.DmaTimingModel.CrossSegmentByteFactor"/>). The framework's own
/// tensors live there, so every core group can read and write them.
/// </summary>
public sealed class MainMemory
{
    /// <summary>The <see cref="CoreGroup"/> of the shared memory.</summary>
    public const int SharedSegment = -1;

    private readonly List<GlobalBuffer> _buffers = [];
    private readonly object _gate = new();
    private readonly int _alignment;
    private long _nextAddress;

    internal MainMemory(int coreGroup, long capacityBytes, int alignment)
    {
        CoreGroup = coreGroup;
        CapacityBytes = capacityBytes;
        _alignment = alignment;

        // Each group's memory gets its own range of emulated addresses, so messages are unambiguous; the shared memory lies above them.
        BaseAddress = (coreGroup == SharedSegment ? 63L : coreGroup) << 40;
        _nextAddress = BaseAddress;
    }

    /// <summary>The core group this memory belongs to, or <see cref="SharedSegment"/>.</summary>
    public int CoreGroup { get; }

    /// <summary>Bytes of memory the group has.</summary>
    public long CapacityBytes { get; }

    /// <summary>The emulated address of the memory's first byte.</summary>
    public long BaseAddress { get; }

    /// <summary>Bytes handed out so far, alignment padding included.</summary>
    public long AllocatedBytes
    {
        get
        {
            lock (_gate)
            {
                return _nextAddress - BaseAddress;
            }
        }
    }

    /// <summary>The buffers allocated so far, in allocation order.</summary>
    public IReadOnlyList<GlobalBuffer> Buffers
    {
        get
        {
            lock (_gate)
            {
                return [.. _buffers];
            }
        }
    }

    /// <summary>Allocates <paramref name="count"/> zeroed elements of <typeparamref name="T"/>.</summary>
    public GlobalBuffer Allocate<T>(string name, long count)
        where T : unmanaged
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return Allocate(name, (long)count * System.Runtime.CompilerServices.Unsafe.SizeOf<T>());
    }

    /// <summary>
    /// Allocates <paramref name="count"/> zeroed elements of <typeparamref name="T"/> held as one host array of
    /// <typeparamref name="T"/>, which <see cref="GlobalBuffer.HostArray{T}"/> hands out without a copy: a
    /// framework's output that the host keeps after the run.
    /// </summary>
    /// <exception cref="EmulatorException">SWE0007 when the group's memory cannot hold it; SWE0013 when a host array cannot hold <paramref name="count"/> elements.</exception>
    internal GlobalBuffer AllocateHostArray<T>(string name, long count)
        where T : unmanaged
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count > Array.MaxLength)
        {
            throw new EmulatorException(EmulatorDiagnostics.BufferTooLargeToHold, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"Main-memory buffer '{name}' of {(CoreGroup == SharedSegment ? "the shared segment" : $"CG {CoreGroup}")} has {count} elements of {typeof(T).Name}; a host array holds at most {Array.MaxLength}."));
        }

        return Allocate(name, count * System.Runtime.CompilerServices.Unsafe.SizeOf<T>(), _ => new T[count]);
    }

    /// <summary>
    /// Places the framework's dense tensor <paramref name="tensor"/> in this memory where it lies, without a copy: a
    /// read-only buffer (<see cref="GlobalBuffer.IsReadOnly"/>) of its elements in order, which takes the memory's
    /// emulated addresses and capacity as an allocation does and no host memory of its own. A framework's input
    /// that the kernel or its layout steps only read.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="tensor"/> is not dense.</exception>
    /// <exception cref="EmulatorException">SWE0007 when the group's memory cannot hold it.</exception>
    internal GlobalBuffer Borrow<T>(string name, System.Numerics.Tensors.Tensor<T> tensor)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var borrowed = BorrowedTensor.Of(tensor);
        return Allocate(name, tensor.FlattenedLength * System.Runtime.CompilerServices.Unsafe.SizeOf<T>(), (address, byteLength) => new GlobalBuffer(name, CoreGroup, address, byteLength, borrowed));
    }

    /// <summary>
    /// Allocates a buffer of <paramref name="twin"/>'s size at addresses of this memory whose bytes are <paramref name="twin"/>'s
    /// (a buffer of another core group's memory): what one group writes into either, the other reads. For a tensor whole
    /// in every group that the groups' layout steps write alike and the kernel only reads (a replicated input's packed
    /// copies), one host copy then serves every group; the DMA still reaches each group's own buffer at its own addresses.
    /// </summary>
    /// <exception cref="EmulatorException">SWE0007 when the group's memory cannot hold it.</exception>
    internal GlobalBuffer AllocateTwin(string name, GlobalBuffer twin)
    {
        ArgumentNullException.ThrowIfNull(twin);
        return Allocate(name, twin.ByteLength, (address, byteLength) => new GlobalBuffer(name, CoreGroup, address, byteLength, twin));
    }

    /// <summary>
    /// Allocates <paramref name="byteLength"/> zeroed bytes, aligned for DMA. Host memory is taken when
    /// data first moves, and only up to <see cref="Array.MaxLength"/> 8-byte words a buffer (SWE0013 beyond).
    /// </summary>
    /// <exception cref="EmulatorException">SWE0007 when the group's memory cannot hold it.</exception>
    public GlobalBuffer Allocate(string name, long byteLength) => Allocate(name, byteLength, (Func<long, Array>?)null);

    private GlobalBuffer Allocate(string name, long byteLength, Func<long, Array>? hostArray) =>
        Allocate(name, byteLength, (address, length) => new GlobalBuffer(name, CoreGroup, address, length, hostArray));

    /// <summary>Takes <paramref name="byteLength"/> bytes of the memory's addresses for the buffer <paramref name="create"/> makes at an address.</summary>
    private GlobalBuffer Allocate(string name, long byteLength, Func<long, long, GlobalBuffer> create)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfNegative(byteLength);

        lock (_gate)
        {
            var used = _nextAddress - BaseAddress;
            if (used + byteLength > CapacityBytes)
            {
                throw new EmulatorException(EmulatorDiagnostics.MainMemoryExhausted, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"Main memory of {(CoreGroup == SharedSegment ? "the shared segment" : $"CG {CoreGroup}")} cannot hold buffer '{name}' of {byteLength} bytes: {used} of {CapacityBytes} bytes are in use."));
            }

            var buffer = create(_nextAddress, byteLength);
            _nextAddress += (byteLength + _alignment - 1) / _alignment * _alignment;
            _buffers.Add(buffer);
            return buffer;
        }
    }
}
