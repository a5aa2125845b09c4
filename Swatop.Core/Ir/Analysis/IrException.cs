namespace Swatop.Core.Ir;

/// <summary>
/// Loop IR that cannot be parsed, transformed or accepted; <see cref="Id"/> names the broken rule
/// (see <see cref="IrDiagnostics"/>) and the message names the statement, buffer or sizes involved.
/// </summary>
public class IrException : Exception
{
    /// <summary>Creates the error; the message is prefixed with the id.</summary>
    /// <param name="id">One of the <see cref="IrDiagnostics"/> ids.</param>
    /// <param name="message">What is wrong, naming the statement, buffer or sizes.</param>
    /// <param name="innerException">The cause, if any.</param>
    public IrException(string id, string message, Exception? innerException = null)
        : base($"{id}: {message}", innerException) => Id = id;

    /// <summary>Creates an error without a specific id; prefer the id-carrying constructor.</summary>
    public IrException()
        : this(IrDiagnostics.Unspecified, "The loop IR is invalid.")
    {
    }

    /// <summary>Creates an error without a specific id; prefer the id-carrying constructor.</summary>
    /// <param name="message">What is wrong.</param>
    public IrException(string message)
        : this(IrDiagnostics.Unspecified, message)
    {
    }

    /// <summary>Creates an error without a specific id; prefer the id-carrying constructor.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public IrException(string message, Exception innerException)
        : this(IrDiagnostics.Unspecified, message, innerException)
    {
    }

    /// <summary>The stable id of the broken rule.</summary>
    public string Id { get; }
}
