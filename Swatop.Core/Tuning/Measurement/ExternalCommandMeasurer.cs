using System.Diagnostics;
using System.Globalization;
using Swatop.Core.Scheduling;
using Swatop.Core.Targets;

namespace Swatop.Core.Tuning;

/// <summary>
/// Measures on a real machine through a command the user configures, for people with a Sunway: the
/// candidate is compiled for the target, its sources (<see cref="ICompiledKernel.Sources"/>) are written
/// to a fresh folder, and the command runs in that folder (which is also in the environment as
/// <c>SWATOP_KERNEL_DIR</c>), typically to build the kernel, submit it and print its time. The last line
/// of its standard output that reads as a number is the kernel's time in seconds.
/// </summary>
/// <remarks>
/// A command that cannot start, exits with a non-zero code, outlives <see cref="Timeout"/> (it is then
/// killed with its children) or prints no time fails the measurement with a
/// <see cref="MeasurementException"/> that names the command and keeps the folder; the folder of a
/// successful measurement is deleted. Cancellation kills the command too.
/// </remarks>
public sealed class ExternalCommandMeasurer : IMeasurer
{
    private readonly ITarget _target;

    /// <summary>Creates the measurer.</summary>
    /// <param name="target">The target whose sources the command builds.</param>
    /// <param name="command">The program to run: a path, or a name found on <c>PATH</c>.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="timeout">How long one measurement may take; positive.</param>
    /// <param name="root">Where the candidates' folders are made; the system's temporary folder when null.</param>
    /// <exception cref="ArgumentException"><paramref name="command"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is not positive.</exception>
    public ExternalCommandMeasurer(ITarget target, string command, IReadOnlyList<string> arguments, TimeSpan timeout, string? root = null)
    {
        _target = target ?? throw new ArgumentNullException(nameof(target));
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        ArgumentNullException.ThrowIfNull(arguments);
        if (timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, $"timeout = {timeout}: a measurement needs a positive time limit.");
        }

        Command = command;
        Arguments = [.. arguments];
        Timeout = timeout;
        Root = root ?? Path.GetTempPath();
    }

    /// <summary>The program run for each measurement.</summary>
    public string Command { get; }

    /// <summary>Its arguments.</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>How long one measurement may take.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Where the candidates' folders are made.</summary>
    public string Root { get; }

    /// <inheritdoc/>
    public string Name => $"external command '{Command}'";

    /// <inheritdoc/>
    /// <exception cref="MeasurementException">The command failed; the message says how and where the files are.</exception>
    public Measurement Measure(OperatorSpec spec, Schedule schedule, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(schedule);
        cancellation.ThrowIfCancellationRequested();
        var folder = Directory.CreateDirectory(Path.Combine(Root, "swatop-measure-" + Guid.NewGuid().ToString("N")[..12])).FullName;
        spec.WithSchedule(schedule).Emit(_target).Sources.WriteTo(folder);
        var (exitCode, output, error) = Run(folder, cancellation);
        if (exitCode != 0)
        {
            throw Failure(MeasurementDiagnostics.CommandFailed, folder, $"exited with code {exitCode}{Tail("standard error", error)}");
        }

        var seconds = output.Split('\n').Select(line => line.Trim()).Reverse()
            .Select(line => double.TryParse(line, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : (double?)null)
            .FirstOrDefault(value => value is not null);
        if (seconds is not { } time || !double.IsFinite(time) || time <= 0)
        {
            throw Failure(MeasurementDiagnostics.NoTime, folder,
                $"printed no positive time in seconds on a line of its own{Tail("standard output", output)}");
        }

        Directory.Delete(folder, recursive: true);
        return new Measurement(schedule, time, null);
    }

    private (int ExitCode, string Output, string Error) Run(string folder, CancellationToken cancellation)
    {
        var start = new ProcessStartInfo(Command)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["SWATOP_KERNEL_DIR"] = folder;
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("no process was started");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw Failure(MeasurementDiagnostics.CommandNotStarted, folder, $"could not be started: {e.Message}", e);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            limit.CancelAfter(Timeout);
            try
            {
                process.WaitForExitAsync(limit.Token).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                cancellation.ThrowIfCancellationRequested();
                throw Failure(MeasurementDiagnostics.CommandTimedOut, folder, $"did not finish within {Timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s and was killed");
            }

            return (process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
        }
    }

    private MeasurementException Failure(string id, string folder, string what, Exception? inner = null) =>
        new(id, folder, $"The measuring command '{Command}' {what}. The kernel's files are kept in {folder}.", inner);

    private static string Tail(string stream, string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? $" (its {stream} was empty)" : $"; the end of its {stream}: {string.Join(" | ", lines.TakeLast(3))}";
    }
}
