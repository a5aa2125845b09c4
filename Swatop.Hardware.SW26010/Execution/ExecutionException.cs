using Swatop.Hardware.Sw26010.Emulation;

namespace Swatop.Hardware.Sw26010.Execution;

/// <summary>
/// The loop-IR executor refused a kernel, its tensors, or a value at run time; <see cref="EmulatorException.Id"/>
/// says which rule (see <see cref="ExecutionDiagnostics"/>). Raised inside a CPE program it reaches
/// the caller of the run unwrapped, like the emulator's own errors.
/// </summary>
public sealed class ExecutionException : EmulatorException
{
    /// <summary>Creates the error; the message is prefixed with the id.</summary>
    public ExecutionException(string id, string message, Exception? innerException = null)
        : base(id, message, innerException)
    {
    }

    /// <summary>Creates an error without a specific rule; prefer the id-carrying constructor.</summary>
    public ExecutionException()
        : base(EmulatorDiagnostics.ProgramFault, "The loop-IR executor failed.")
    {
    }

    /// <summary>Creates an error without a specific rule; prefer the id-carrying constructor.</summary>
    public ExecutionException(string message)
        : base(EmulatorDiagnostics.ProgramFault, message)
    {
    }

    /// <summary>Creates an error without a specific rule; prefer the id-carrying constructor.</summary>
    public ExecutionException(string message, Exception innerException)
        : base(EmulatorDiagnostics.ProgramFault, message, innerException)
    {
    }
}
