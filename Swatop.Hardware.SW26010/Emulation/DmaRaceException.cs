namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>
/// A CPE touched LDM that an outstanding DMA transfer still owns: on the real machine the data moves
/// some time between the issue and the reply, so the program's result would depend on timing. The
/// emulator moves the data at issue and would compute the right answer; it reports the race instead.
/// <see cref="EmulatorException.Id"/> names the rule (<see cref="EmulatorDiagnostics.PendingGetTouched"/>,
/// <see cref="EmulatorDiagnostics.PendingPutSourceWritten"/>, <see cref="EmulatorDiagnostics.OverlappingTransfers"/>).
/// </summary>
public sealed class DmaRaceException : EmulatorException
{
    /// <summary>Creates the report of a race between <paramref name="pending"/> and <paramref name="conflicting"/> on <paramref name="cpe"/>.</summary>
    /// <param name="id">The rule broken.</param>
    /// <param name="cpe">The CPE.</param>
    /// <param name="kernel">The compiled kernel's name; null for a hand-written program.</param>
    /// <param name="pending">The outstanding transfer.</param>
    /// <param name="conflicting">The access that came before the wait covering it.</param>
    public DmaRaceException(string id, CpeId cpe, string? kernel, LdmAccess pending, LdmAccess conflicting)
        : base(id, Describe(id, cpe, kernel, pending, conflicting))
    {
        ArgumentNullException.ThrowIfNull(pending);
        ArgumentNullException.ThrowIfNull(conflicting);
        Cpe = cpe;
        Kernel = kernel;
        Pending = pending;
        Conflicting = conflicting;
    }

    /// <summary>Creates a report without its parts; prefer the full constructor.</summary>
    public DmaRaceException()
        : this("A DMA race.")
    {
    }

    /// <summary>Creates a report without its parts; prefer the full constructor.</summary>
    public DmaRaceException(string message)
        : base(EmulatorDiagnostics.PendingGetTouched, message)
    {
        Pending = Conflicting = new LdmAccess("unknown", "unknown", 0, 0, Writes: false, Statement: null);
    }

    /// <summary>Creates a report without its parts; prefer the full constructor.</summary>
    public DmaRaceException(string message, Exception innerException)
        : base(EmulatorDiagnostics.PendingGetTouched, message, innerException)
    {
        Pending = Conflicting = new LdmAccess("unknown", "unknown", 0, 0, Writes: false, Statement: null);
    }

    /// <summary>The CPE that raced with its own DMA engine.</summary>
    public CpeId Cpe { get; }

    /// <summary>The compiled kernel's name; null for a hand-written program.</summary>
    public string? Kernel { get; }

    /// <summary>The transfer that was still outstanding: issued, not yet covered by a wait.</summary>
    public LdmAccess Pending { get; }

    /// <summary>The access that touched the transfer's LDM before the wait.</summary>
    public LdmAccess Conflicting { get; }

    /// <summary>The same report with the kernel and the statement of the conflicting access named (the executor knows them, the CPE does not).</summary>
    internal DmaRaceException At(string kernel, string statement) =>
        new(Id, Cpe, kernel, Pending, Conflicting with { Statement = statement });

    /// <summary>The rule <paramref name="id"/> names, as the message states it.</summary>
    internal static string Rule(string id) => id switch
    {
        EmulatorDiagnostics.PendingGetTouched =>
            "LDM that an outstanding get fills may not be read or written until a DMA wait on its reply word covers the get",
        EmulatorDiagnostics.PendingPutSourceWritten =>
            "the LDM source of an outstanding put may not be written until a DMA wait on its reply word covers the put",
        EmulatorDiagnostics.TransferOutstandingAtEnd =>
            "a kernel may not end while a transfer it issued is outstanding; wait for every get and put before the kernel returns",
        _ => "two outstanding transfers may not overlap in LDM where one of them writes it; wait for the first before issuing the second",
    };

    private static string Describe(string id, CpeId cpe, string? kernel, LdmAccess pending, LdmAccess conflicting) =>
        $"{(kernel is null ? cpe.ToString() : $"Kernel '{kernel}' on {cpe}")}: {conflicting}, while {pending} is outstanding; {Rule(id)}.";
}
