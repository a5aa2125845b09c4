namespace Swatop.Core.Tuning;

/// <summary>The stable ids of <see cref="MeasurementException"/>.</summary>
public static class MeasurementDiagnostics
{
    /// <summary>The measuring command could not be started (not found, not executable).</summary>
    public const string CommandNotStarted = "SWM0001";

    /// <summary>The measuring command exited with a non-zero code.</summary>
    public const string CommandFailed = "SWM0002";

    /// <summary>The measuring command did not finish within its timeout and was killed.</summary>
    public const string CommandTimedOut = "SWM0003";

    /// <summary>The measuring command's output has no line that reads as a time in seconds.</summary>
    public const string NoTime = "SWM0004";
}
