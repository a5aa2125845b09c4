namespace Swatop.Core.Tuning;

/// <summary>A candidate could not be measured; the message says why and where its files are kept.</summary>
public sealed class MeasurementException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="id">One of <see cref="MeasurementDiagnostics"/>.</param>
    /// <param name="folder">The folder with the candidate's files, kept for inspection.</param>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause, if any.</param>
    public MeasurementException(string id, string folder, string message, Exception? innerException = null)
        : base($"{id}: {message}", innerException)
    {
        Id = id;
        Folder = folder;
    }

    /// <summary>Creates an exception without an id.</summary>
    public MeasurementException()
    {
        Id = string.Empty;
        Folder = string.Empty;
    }

    /// <summary>Creates an exception without an id.</summary>
    public MeasurementException(string message)
        : base(message)
    {
        Id = string.Empty;
        Folder = string.Empty;
    }

    /// <summary>Creates an exception without an id.</summary>
    public MeasurementException(string message, Exception innerException)
        : base(message, innerException)
    {
        Id = string.Empty;
        Folder = string.Empty;
    }

    /// <summary>The diagnostic's id.</summary>
    public string Id { get; }

    /// <summary>The folder holding the candidate's files.</summary>
    public string Folder { get; }
}
