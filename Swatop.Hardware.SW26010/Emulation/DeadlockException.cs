namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>
/// The program can never finish on the real machine: every unfinished CPE waits for something no
/// other CPE will provide. The emulator reports it as soon as it knows, never by hanging.
/// </summary>
public sealed class DeadlockException : EmulatorException
{
    /// <summary>Creates the report; <paramref name="blockedCpes"/> lists the CPEs that wait.</summary>
    public DeadlockException(string message, IReadOnlyList<CpeId> blockedCpes)
        : base(EmulatorDiagnostics.Deadlock, message) => BlockedCpes = blockedCpes;

    /// <summary>Creates a report without the list of CPEs.</summary>
    public DeadlockException()
        : this("Deadlock.", [])
    {
    }

    /// <summary>Creates a report without the list of CPEs.</summary>
    public DeadlockException(string message)
        : this(message, [])
    {
    }

    /// <summary>Creates a report without the list of CPEs.</summary>
    public DeadlockException(string message, Exception innerException)
        : base(EmulatorDiagnostics.Deadlock, message, innerException) => BlockedCpes = [];

    /// <summary>The CPEs that were waiting when no CPE could proceed.</summary>
    public IReadOnlyList<CpeId> BlockedCpes { get; }
}
