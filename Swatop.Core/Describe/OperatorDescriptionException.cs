namespace Swatop.Core;

/// <summary>
/// An invalid operator description: the message names the parameter, its value and the rule it
/// broke, <see cref="ArgumentException.ParamName"/> names the parameter, and <see cref="Id"/> is
/// one of the stable identifiers of <see cref="DescribeDiagnostics"/>.
/// </summary>
public sealed class OperatorDescriptionException : ArgumentException
{
    /// <summary>Creates an empty description failure (for serializers and tooling).</summary>
    public OperatorDescriptionException()
    {
        Id = string.Empty;
    }

    /// <summary>Creates a description failure with a message and no identifier.</summary>
    /// <param name="message">What was wrong.</param>
    public OperatorDescriptionException(string message)
        : base(message)
    {
        Id = string.Empty;
    }

    /// <summary>Creates a description failure with a message, no identifier and an inner exception.</summary>
    /// <param name="message">What was wrong.</param>
    /// <param name="innerException">The cause.</param>
    public OperatorDescriptionException(string message, Exception innerException)
        : base(message, innerException)
    {
        Id = string.Empty;
    }

    /// <summary>Creates a description failure.</summary>
    /// <param name="id">The stable identifier, one of <see cref="DescribeDiagnostics"/>.</param>
    /// <param name="paramName">The parameter that holds the invalid value.</param>
    /// <param name="message">The parameter, its value and the rule it broke.</param>
    public OperatorDescriptionException(string id, string paramName, string message)
        : base($"{id}: {message}", paramName)
    {
        Id = id;
    }

    /// <summary>The stable identifier of the rule that was broken, one of <see cref="DescribeDiagnostics"/>.</summary>
    public string Id { get; }
}
