namespace Swatop.Core.Graphs;

/// <summary>
/// An invalid graph: the message names the node, the parameter or value at fault and the rule it
/// broke, <see cref="ArgumentException.ParamName"/> names the parameter, and <see cref="Id"/> is one
/// of the stable identifiers of <see cref="GraphDiagnostics"/>.
/// </summary>
public sealed class GraphException : ArgumentException
{
    /// <summary>Creates an empty graph failure (for serializers and tooling).</summary>
    public GraphException()
    {
        Id = string.Empty;
    }

    /// <summary>Creates a graph failure with a message and no identifier.</summary>
    /// <param name="message">What was wrong.</param>
    public GraphException(string message)
        : base(message)
    {
        Id = string.Empty;
    }

    /// <summary>Creates a graph failure with a message, no identifier and an inner exception.</summary>
    /// <param name="message">What was wrong.</param>
    /// <param name="innerException">The cause.</param>
    public GraphException(string message, Exception innerException)
        : base(message, innerException)
    {
        Id = string.Empty;
    }

    /// <summary>Creates a graph failure.</summary>
    /// <param name="id">The stable identifier, one of <see cref="GraphDiagnostics"/>.</param>
    /// <param name="paramName">The parameter that holds the invalid value.</param>
    /// <param name="message">The node, the parameter, its value and the rule it broke.</param>
    /// <param name="innerException">The cause, when another stage refused the value; null otherwise.</param>
    public GraphException(string id, string paramName, string message, Exception? innerException = null)
        : base($"{id}: {message}", paramName, innerException)
    {
        Id = id;
    }

    /// <summary>The stable identifier of the rule that was broken, one of <see cref="GraphDiagnostics"/>.</summary>
    public string Id { get; }
}
