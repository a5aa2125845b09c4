namespace Swatop.Core.Scheduling;

/// <summary>A schedule that does not fit its operator: names the decision, its value and the rule.</summary>
public sealed class ScheduleException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="id">The stable diagnostic id (<see cref="ScheduleDiagnostics"/>).</param>
    /// <param name="decision">The decision at fault.</param>
    /// <param name="message">What is wrong and the rule.</param>
    public ScheduleException(string id, string decision, string message)
        : base($"{id}: {message}", decision)
    {
        Id = id;
    }

    /// <summary>Creates an exception without an id (for serializers).</summary>
    public ScheduleException()
    {
        Id = string.Empty;
    }

    /// <summary>Creates an exception without an id.</summary>
    public ScheduleException(string message)
        : base(message)
    {
        Id = string.Empty;
    }

    /// <summary>Creates an exception without an id.</summary>
    public ScheduleException(string message, Exception innerException)
        : base(message, innerException)
    {
        Id = string.Empty;
    }

    /// <summary>The stable diagnostic id.</summary>
    public string Id { get; }
}
