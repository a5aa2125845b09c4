using Microsoft.Extensions.Logging;
using Swatop.Core.Targets;
using Swatop.Hardware.Sw26010.Kernels;
using Swatop.Hardware.Sw26010.Target;

namespace Swatop.Cli.CommandLine;

/// <summary>
/// What the commands run against, beside their options: the target, whether to draw a progress bar, how
/// <c>calibrate</c> simulates swDNN's convolution, and where log messages go. The <c>swatop</c> process
/// uses <see cref="Default"/>; tests replace parts of it.
/// </summary>
internal sealed record CommandServices
{
    /// <summary>The emulated SW26010, a progress bar when standard error is a terminal, the time model's swDNN figures, the console logger.</summary>
    public static CommandServices Default { get; } = new() { ProgressBar = !Console.IsErrorRedirected };

    /// <summary>The target operators run and tune on; the SW26010's default when null.</summary>
    public ITarget? Target { get; init; }

    /// <summary>The target to use: <see cref="Target"/>, or the SW26010's default.</summary>
    public ITarget TargetOrDefault => Target ?? Sw26010Target.Default;

    /// <summary>Whether <c>tune</c> draws a progress bar on standard error.</summary>
    public bool ProgressBar { get; init; }

    /// <summary>The simulated GFLOPS of swDNN's convolution of a shape on 4 core groups, for <c>calibrate --shapes</c>.</summary>
    public Func<SwDnnShape, double> SimulateSwDnn { get; init; } = Commands.CalibrateCommand.SimulateSwDnn;

    /// <summary>
    /// The loggers for a command, given whether <c>--verbose</c> was set: the console logger on standard
    /// error, at debug level when verbose and for warnings and errors otherwise.
    /// </summary>
    public Func<bool, ILoggerFactory> Logging { get; init; } = ConsoleLogging.Create;
}
