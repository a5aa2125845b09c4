namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>A rule of the machine was broken; <see cref="Id"/> says which (see <see cref="EmulatorDiagnostics"/>).</summary>
public class EmulatorException : Exception
{
    /// <summary>Creates the error; the message is prefixed with the id.</summary>
    public EmulatorException(string id, string message, Exception? innerException = null)
        : base($"{id}: {message}", innerException) => Id = id;

    /// <summary>Creates an error without an id; prefer the id-carrying constructor.</summary>
    public EmulatorException()
        : this(EmulatorDiagnostics.ProgramFault, "The emulator failed.")
    {
    }

    /// <summary>Creates an error without an id; prefer the id-carrying constructor.</summary>
    public EmulatorException(string message)
        : this(EmulatorDiagnostics.ProgramFault, message)
    {
    }

    /// <summary>Creates an error without an id; prefer the id-carrying constructor.</summary>
    public EmulatorException(string message, Exception innerException)
        : this(EmulatorDiagnostics.ProgramFault, message, innerException)
    {
    }

    /// <summary>The stable id of the broken rule.</summary>
    public string Id { get; }
}
