namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>
/// The stable ids of the emulator's errors. Each names one rule of the machine; messages name
/// the CPE, the buffer and the sizes involved. Ids are never reused for another rule.
/// </summary>
public static class EmulatorDiagnostics
{
    /// <summary>An LDM allocation does not fit in the CPE's free local memory.</summary>
    public const string LdmCapacityExceeded = "SWE0001";

    /// <summary>An LDM access or slice falls outside its buffer, or uses a freed buffer.</summary>
    public const string LdmOutOfBounds = "SWE0002";

    /// <summary>A SIMD load or store is not aligned to the vector's size.</summary>
    public const string MisalignedVectorAccess = "SWE0003";

    /// <summary>A CPE touched LDM (or a reply word) that belongs to another CPE.</summary>
    public const string ForeignLdmAccess = "SWE0004";

    /// <summary>A DMA descriptor breaks a rule: sizes, block size, stride or alignment.</summary>
    public const string InvalidDmaDescriptor = "SWE0005";

    /// <summary>A DMA reaches outside its main-memory buffer or into another core group's memory.</summary>
    public const string DmaOutOfBounds = "SWE0006";

    /// <summary>A main-memory allocation does not fit in the core group's memory.</summary>
    public const string MainMemoryExhausted = "SWE0007";

    /// <summary>Register communication between CPEs that share neither a row nor a column, or to a destination that does not exist.</summary>
    public const string RlcRouteRefused = "SWE0008";

    /// <summary>No CPE can proceed: a get with no put, a collective some CPEs never reach, a wait for more DMA replies than were issued.</summary>
    public const string Deadlock = "SWE0009";

    /// <summary>A mesh primitive's shape rules, operand sizes, element types or the CPEs' arguments disagree.</summary>
    public const string PrimitiveMisuse = "SWE0010";

    /// <summary>A CPE program threw an exception of its own.</summary>
    public const string ProgramFault = "SWE0011";

    /// <summary>A spawn, join or run was used out of order (join without spawn, two spawns at once).</summary>
    public const string InvalidRunState = "SWE0012";

    /// <summary>A run that moves data touched a main-memory buffer larger than the host can back (timing-only runs never touch it).</summary>
    public const string BufferTooLargeToHold = "SWE0013";

    /// <summary>An LDM range that an outstanding DMA get fills was read or written (by a primitive or the program) before a wait covered the get.</summary>
    public const string PendingGetTouched = "SWE0014";

    /// <summary>The LDM source of an outstanding DMA put was written before a wait covered the put.</summary>
    public const string PendingPutSourceWritten = "SWE0015";

    /// <summary>A DMA transfer was issued over LDM that an outstanding transfer also covers, and one of the two writes it (a get).</summary>
    public const string OverlappingTransfers = "SWE0016";

    /// <summary>A kernel ended on a CPE with a DMA transfer still outstanding: no wait covered it, so it may land after the CPE returned.</summary>
    public const string TransferOutstandingAtEnd = "SWE0017";

    /// <summary>A DMA put into a read-only buffer: a framework's input tensor that the run reads where it lies (<see cref="MainMemory.Borrow{T}"/>).</summary>
    public const string PutIntoReadOnlyBuffer = "SWE0018";
}
