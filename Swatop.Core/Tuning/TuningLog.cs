using Microsoft.Extensions.Logging;
using Swatop.Core.Scheduling;

namespace Swatop.Core.Tuning;

/// <summary>The log messages of <see cref="OperatorTuning.Tune"/>.</summary>
internal static partial class TuningLog
{
    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Applied the tuning record of {Path} for {Operator}: {Record}")]
    public static partial void Applied(ILogger logger, string path, string @operator, TuningRecord record);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Ignored the tuning record of {Path} for {Operator}: its schedule no longer fits ({Reason}); tuning again")]
    public static partial void Stale(ILogger logger, string path, string @operator, string reason);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Tuning {Operator} on {Target} with {Strategy}, measuring with {Measurer}")]
    public static partial void Searching(ILogger logger, string @operator, string target, string strategy, string measurer);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "Tuned {Operator}: {Schedule}, {Milliseconds} ms measured; {Ranked} ranked, {Measured} measured in {Seconds} s")]
    public static partial void Tuned(ILogger logger, string @operator, Schedule schedule, double milliseconds, long ranked, int measured, double seconds);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "Recalled the tuning of {Operator} on {Target} from this process's memory: {Schedule}")]
    public static partial void Recalled(ILogger logger, string @operator, string target, Schedule schedule);
}
