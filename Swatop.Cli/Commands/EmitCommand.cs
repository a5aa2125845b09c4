using System.Diagnostics;
using System.Globalization;
using Swatop.Cli.Operators;
using Swatop.Core;
using Swatop.Core.Scheduling;
using Swatop.Hardware.Sw26010.Calibration;
using Swatop.Hardware.Sw26010.Emit;
using Swatop.Hardware.Sw26010.Emit.Verification;
using Swatop.Hardware.Sw26010.Target;

namespace Swatop.Cli.Commands;

/// <summary>
/// <c>swatop emit</c>: writes the athread C of one operator (the options of <c>swatop run</c>) or of
/// every row of a shapes file (one subfolder a row, named after its line) into <c>--out FOLDER</c>.
/// With <c>--check-headers</c> it compiles each kernel's C files with gcc as the emitted Makefile compiles
/// them for sw5cc (its defines, its C dialect) against stand-ins of the SW5 headers
/// (<see cref="Sw26010Kernel.CheckEmittedCForSw5"/>); with <c>--verify</c> it does that, then builds each
/// kernel with gcc against the athread shim, runs it on seeded operands and compares the output with
/// the reference.
/// </summary>
/// <remarks>
/// Prints one CSV row per operator: the operator, the folder, <c>ok</c> or the error, the seconds to
/// emit and to check (either check). Returns 0 when every operator was emitted (and checked), 1 when one
/// failed, 2 on bad arguments.
/// </remarks>
internal static class EmitCommand
{
    internal const string Usage = """
        usage: swatop emit --out FOLDER (--op conv2d|gemm|fc [sizes] | --shapes FILE.csv) [--dtype float32|float64]
                           [--schedule default|tuned|swdnn|FILE.json] [--database PATH] [--seed N]
                           [--check-headers | --verify] [--gcc PATH] [--verify-timeout SECONDS]
          the sizes are those of swatop run; --shapes writes one subfolder per row (line_N);
          --check-headers compiles each C file with gcc as the Makefile compiles it for sw5cc (its defines, gnu89)
          against stand-ins of the SW5 headers slave.h, simd.h and athread.h;
          --verify does that, then builds each kernel with gcc against the athread shim, runs it and checks it against the reference;
          --gcc names the compiler (default: $SWATOP_GCC, else gcc on the PATH), --verify-timeout bounds each run (default 600)
        """;

    /// <summary>The command's options besides an operator's.</summary>
    private static readonly string[] OwnOptions = ["out", "shapes", "schedule", "database", "seed", "gcc", "verify_timeout"];

    /// <summary>The CSV columns printed.</summary>
    internal static IReadOnlyList<string> Columns { get; } = ["operator", "folder", "result", "emit_seconds", "verify_seconds"];

    /// <summary>Runs the command with <paramref name="arguments"/> (those after <c>emit</c>).</summary>
    internal static int Run(IReadOnlyList<string> arguments, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var verify = arguments.Contains("--verify", StringComparer.Ordinal);
        var checkHeaders = verify || arguments.Contains("--check-headers", StringComparer.Ordinal);
        string folder;
        int seed;
        string scheduleChoice;
        string? database;
        GccShimOptions shim;
        List<(string Name, Func<OperatorSpec> Describe)> operators;
        try
        {
            var options = CommandOptions.Parse([.. arguments.Where(a => a is not "--verify" and not "--check-headers")], OwnOptions);
            if (!options.TryGetValue("out", out var outFolder) || string.IsNullOrWhiteSpace(outFolder))
            {
                throw new UsageException("--out FOLDER is required: the folder the sources are written to.");
            }

            folder = outFolder;
            seed = CommandOptions.Seed(options);
            scheduleChoice = options.GetValueOrDefault("schedule", "default");
            database = options.GetValueOrDefault("database");
            shim = ShimOptions(options);
            if (options.TryGetValue("shapes", out var shapes))
            {
                if (options.Keys.Any(k => !OwnOptions.Contains(k)))
                {
                    throw new UsageException("--shapes FILE.csv takes the operators from the file; give no operator options with it.");
                }

                var file = ShapesFile.Read(shapes);
                operators = [.. file.Rows.Select(row => (string.Create(CultureInfo.InvariantCulture, $"line_{row.LineNumber}"), (Func<OperatorSpec>)row.Operator.ToSpec))];
            }
            else
            {
                var spec = CommandOptions.Fields(options).ToSpec();
                operators = [(string.Empty, () => spec)];
            }
        }
        catch (UsageException e)
        {
            error.WriteLine($"emit: {e.Message}");
            error.WriteLine(Usage);
            return 2;
        }
        catch (Exception e) when (e is OperatorDescriptionException or FormatException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"emit: {e.Message}");
            return 2;
        }

        output.WriteLine(CsvTable.FormatRecord([.. Columns]));
        var failed = 0;
        foreach (var (name, describe) in operators)
        {
            var row = Emit(describe, Path.Combine(folder, name), scheduleChoice, database, seed, checkHeaders ? shim : null, verify);
            failed += row[2] == "ok" ? 0 : 1;
            output.WriteLine(CsvTable.FormatRecord(row));
            output.Flush();
        }

        error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"emit: {operators.Count - failed} of {operators.Count} operators emitted{(verify ? " and verified against the SW5 headers and against the reference on the host shim" : checkHeaders ? " and compiled against the SW5 headers" : "")}."));
        return failed == 0 ? 0 : 1;
    }

    /// <summary>The default seconds a verification run may take: the shim runs 64 threads a core group, slow on a small host.</summary>
    private const double DefaultVerifyTimeoutSeconds = 600;

    private static GccShimOptions ShimOptions(Dictionary<string, string> options)
    {
        var seconds = DefaultVerifyTimeoutSeconds;
        if (options.TryGetValue("verify_timeout", out var text)
            && (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out seconds) || !double.IsFinite(seconds) || seconds <= 0))
        {
            throw new UsageException($"--verify-timeout '{text}' must be a positive number of seconds.");
        }

        if (options.TryGetValue("gcc", out var compiler) && string.IsNullOrWhiteSpace(compiler))
        {
            throw new UsageException("--gcc needs the compiler's path or name.");
        }

        return GccShimOptions.Default with { Compiler = compiler, RunTimeout = TimeSpan.FromSeconds(seconds) };
    }

    private static string[] Emit(Func<OperatorSpec> describe, string folder, string scheduleChoice, string? database, int seed, GccShimOptions? check, bool run)
    {
        var ic = CultureInfo.InvariantCulture;
        var signature = string.Empty;
        var clock = Stopwatch.StartNew();
        var emitSeconds = string.Empty;
        try
        {
            var spec = describe();
            signature = spec.Signature;
            var target = Sw26010Target.Default;
            var schedule = ScheduleChoice.Resolve(scheduleChoice, spec, target, database);
            var kernel = (Sw26010Kernel)spec.WithSchedule(schedule).Emit(target);
            kernel.Sources.WriteTo(folder);
            emitSeconds = clock.Elapsed.TotalSeconds.ToString("F2", ic);
            if (check is null)
            {
                return [signature, folder, "ok", emitSeconds, string.Empty];
            }

            clock.Restart();
            if (run)
            {
                kernel.VerifyEmittedC(seed, check);
            }
            else
            {
                kernel.CheckEmittedCForSw5(check);
            }

            return [signature, folder, "ok", emitSeconds, clock.Elapsed.TotalSeconds.ToString("F2", ic)];
        }
        catch (Exception e) when (e is OperatorDescriptionException or ScheduleException or InvalidOperationException or EmitException or GccShimException or IOException or UnauthorizedAccessException)
        {
            return [signature, folder, e.Message.ReplaceLineEndings(" "), emitSeconds, string.Empty];
        }
    }
}
