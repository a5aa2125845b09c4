using Microsoft.Extensions.Logging;

namespace Swatop.Core.Tuning;

/// <summary>The log messages of <see cref="TuningDatabase"/>.</summary>
internal static partial class TuningDatabaseLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "{Path}, line {Line}: {Id}: {Reason}")]
    public static partial void LineSkipped(ILogger logger, string path, int line, string id, string reason);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Read {Records} tuning records from {Path}; {Skipped} lines skipped")]
    public static partial void Read(ILogger logger, string path, int records, int skipped);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Appended a tuning record to {Path}: {Record}")]
    public static partial void Appended(ILogger logger, string path, TuningRecord record);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "{Path} holds {Count} records of {Operator} on {Target}; the best: {Best}")]
    public static partial void LookedUp(ILogger logger, string path, int count, string @operator, string target, TuningRecord? best);
}
