using Microsoft.Extensions.Logging;

namespace Swatop.Cli.CommandLine;

/// <summary>
/// The <c>Microsoft.Extensions.Logging</c> console logger the commands log through, on standard error so
/// that standard output keeps only results: debug and above with <c>--verbose</c>, warnings and errors
/// otherwise.
/// </summary>
internal static class ConsoleLogging
{
    /// <summary>A logger factory writing to standard error, at <see cref="LogLevel.Debug"/> when <paramref name="verbose"/>, else at <see cref="LogLevel.Warning"/>.</summary>
    public static ILoggerFactory Create(bool verbose) => LoggerFactory.Create(builder =>
    {
        builder.SetMinimumLevel(Level(verbose));
        builder.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.AddSimpleConsole(options => options.SingleLine = true);
    });

    /// <summary>The least level logged.</summary>
    public static LogLevel Level(bool verbose) => verbose ? LogLevel.Debug : LogLevel.Warning;
}
