namespace Swatop.Core.Tuning;

/// <summary>
/// The tuning database file cannot be used: it names the file, the reason and what to do. An
/// <see cref="IOException"/>, so that callers who handle file errors handle it too; the underlying
/// error, if any, is the <see cref="Exception.InnerException"/>.
/// </summary>
public sealed class TuningException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="id">The stable diagnostic id (<see cref="TuningDiagnostics"/>).</param>
    /// <param name="path">The file (or directory) at fault.</param>
    /// <param name="message">What is wrong and the rule.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public TuningException(string id, string path, string message, Exception? innerException = null)
        : base($"{id}: {message}", innerException)
    {
        Id = id;
        Path = path;
    }

    /// <summary>Creates an exception without an id (for serializers).</summary>
    public TuningException()
    {
        Id = string.Empty;
        Path = string.Empty;
    }

    /// <summary>Creates an exception without an id.</summary>
    public TuningException(string message)
        : base(message)
    {
        Id = string.Empty;
        Path = string.Empty;
    }

    /// <summary>Creates an exception without an id.</summary>
    public TuningException(string message, Exception innerException)
        : base(message, innerException)
    {
        Id = string.Empty;
        Path = string.Empty;
    }

    /// <summary>The stable diagnostic id.</summary>
    public string Id { get; }

    /// <summary>The file (or directory) at fault.</summary>
    public string Path { get; }
}
