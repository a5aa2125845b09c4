namespace Swatop.Core.Onnx;

/// <summary>
/// An ONNX model the importer cannot take: the message names the node (with its op type and the model's
/// opset), the tensor or attribute at fault, its value and the rule, and <see cref="Id"/> is one of the
/// stable identifiers of <see cref="OnnxDiagnostics"/>. Nothing is imported when it is thrown.
/// </summary>
public sealed class OnnxImportException : Exception
{
    /// <summary>Creates an empty import failure (for serializers and tooling).</summary>
    public OnnxImportException()
    {
        Id = string.Empty;
    }

    /// <summary>Creates an import failure with a message and no identifier.</summary>
    /// <param name="message">What was wrong.</param>
    public OnnxImportException(string message)
        : base(message)
    {
        Id = string.Empty;
    }

    /// <summary>Creates an import failure with a message, no identifier and an inner exception.</summary>
    /// <param name="message">What was wrong.</param>
    /// <param name="innerException">The cause.</param>
    public OnnxImportException(string message, Exception innerException)
        : base(message, innerException)
    {
        Id = string.Empty;
    }

    /// <summary>Creates an import failure.</summary>
    /// <param name="id">The stable identifier, one of <see cref="OnnxDiagnostics"/>.</param>
    /// <param name="message">The node, the tensor or attribute, its value and the rule it broke.</param>
    /// <param name="innerException">The cause (a protobuf or graph failure); null otherwise.</param>
    public OnnxImportException(string id, string message, Exception? innerException)
        : base($"{id}: {message}", innerException)
    {
        Id = id;
    }

    /// <summary>The stable identifier of the rule that was broken, one of <see cref="OnnxDiagnostics"/>.</summary>
    public string Id { get; }
}
