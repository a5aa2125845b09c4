namespace Swatop.Hardware.Sw26010.Emit;

/// <summary>The C emitter cannot write a kernel as athread C; <see cref="Id"/> says which rule (see <see cref="EmitDiagnostics"/>).</summary>
public sealed class EmitException : Exception
{
    /// <summary>Creates the error; the message is prefixed with the id.</summary>
    public EmitException(string id, string message)
        : base($"{id}: {message}")
    {
        Id = id;
    }

    /// <summary>Creates an error without a specific rule; prefer the id-carrying constructor.</summary>
    public EmitException()
        : this(EmitDiagnostics.InvalidName, "The kernel cannot be emitted as athread C.")
    {
    }

    /// <summary>Creates an error without a specific rule; prefer the id-carrying constructor.</summary>
    public EmitException(string message)
        : base(message)
    {
        Id = string.Empty;
    }

    /// <summary>Creates an error without a specific rule; prefer the id-carrying constructor.</summary>
    public EmitException(string message, Exception innerException)
        : base(message, innerException)
    {
        Id = string.Empty;
    }

    /// <summary>The rule broken, e.g. <c>SWC0001</c>.</summary>
    public string Id { get; }
}
