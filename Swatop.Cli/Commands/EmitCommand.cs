using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Swatop.Cli.CommandLine;
using Swatop.Cli.Operators;
using Swatop.Core;
using Swatop.Core.Scheduling;
using Swatop.Core.Tuning;
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
    /// <summary>The CSV columns printed.</summary>
    internal static IReadOnlyList<string> Columns { get; } = ["operator", "folder", "result", "emit_seconds", "verify_seconds"];

    /// <summary>The default seconds a verification run may take: the shim runs a core group's 64 CPEs one at a time on one host thread, slow for a large layer on a small host.</summary>
    private const double DefaultVerifyTimeoutSeconds = 600;

    /// <summary>
    /// Declares the command: <c>--out FOLDER</c> (required), one operator (the options of <c>run</c>) or
    /// <c>--shapes FILE.csv</c>, <c>--schedule</c>, <c>--database</c>, <c>--seed</c>, <c>--check-headers</c>,
    /// <c>--verify</c>, <c>--gcc</c>, <c>--verify-timeout</c>.
    /// </summary>
    internal static Command Create(CommonOptions options, CommandServices services)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);
        var output = OptionValues.NotBlank("--out", "FOLDER", "the folder the sources are written to", "The folder the athread C is written to; with --shapes, one subfolder per row (line_N).");
        output.Required = true;
        var checkHeaders = new Option<bool>("--check-headers")
        {
            Description = "Compile each C file with gcc as the emitted Makefile compiles it for sw5cc (its defines, gnu89) against stand-ins of the SW5 headers slave.h, simd.h, athread.h and mpi.h.",
        };
        var verify = new Option<bool>("--verify")
        {
            Description = "Do what --check-headers does, then build each kernel with gcc against the athread shim, run it and check it against the reference.",
        };
        var gcc = OptionValues.NotBlank("--gcc", "PATH", "the compiler's path or name", "The C compiler [default: $SWATOP_GCC, else gcc on the PATH].");
        var timeout = OptionValues.Seconds("--verify-timeout", DefaultVerifyTimeoutSeconds, "The seconds each verification run may take.");
        var onnx = new Option<string>("--onnx")
        {
            Description = "Emit an ONNX model as a network: imported (at --batch N when given), fused, tuned as a graph (--database, --fresh, --seed) and written as one C library "
                + "with a function per kernel and a runner that chains them; --verify checks it on the gcc shim against the emulator, node by node.",
            HelpName = "MODEL.onnx",
        };
        var command = new Command("emit", "Write an operator's athread C (or each row's of --shapes, or an ONNX model's network with --onnx) into --out FOLDER and print one CSV row per operator (ok or the error); "
            + "--check-headers compiles it against the SW5 headers, --verify also runs it on the gcc shim. Exits 1 when an operator failed.");
        command.Options.Add(output);
        options.Operator.AddTo(command);
        command.Options.Add(options.Shapes);
        command.Options.Add(options.Schedule);
        command.Options.Add(options.Algorithm);
        command.Options.Add(onnx);
        command.Options.Add(options.Database);
        command.Options.Add(options.Fresh);
        command.Options.Add(options.Seed);
        command.Options.Add(checkHeaders);
        command.Options.Add(verify);
        command.Options.Add(gcc);
        command.Options.Add(timeout);
        command.Validators.Add(result =>
        {
            if (result.Given(onnx))
            {
                ValidateOnnx(result, options, onnx, [checkHeaders, verify, gcc, timeout]);
            }
            else if (result.Given(options.Fresh))
            {
                result.AddError("--fresh tunes a network afresh; it goes with --onnx only (an operator's schedule is chosen by --schedule).");
            }
            else if (result.Given(options.Shapes) && options.Operator.GivenOn(result).Any())
            {
                result.AddError("--shapes FILE.csv takes the operators from the file; give no operator options with it.");
            }
        });
        command.SetAction(result =>
        {
            var error = result.InvocationConfiguration.Error;
            if (result.GetValue(onnx) is { } model)
            {
                using var networkLogging = services.Logging(result.GetValue(options.Verbose));
                var verifyWith = result.GetValue(verify)
                    ? GccShimOptions.Default with { Compiler = result.GetValue(gcc), RunTimeout = TimeSpan.FromSeconds(result.GetValue(timeout)) }
                    : null;
                return EmitNetworkCommand.Run(model, TuneNetworkCommand.BatchOf(result.GetValue(options.Operator["batch"])), result.GetValue(output)!,
                    new TuningOptions
                    {
                        Seed = result.GetValue(options.Seed),
                        Database = new TuningDatabase(result.GetValue(options.Database) ?? TuningDatabase.DefaultPath, networkLogging.CreateLogger("swatop")),
                        Fresh = result.GetValue(options.Fresh),
                        Logger = networkLogging.CreateLogger("swatop"),
                    },
                    services.TargetOrDefault, verifyWith, result.InvocationConfiguration.Output, error);
            }

            List<(string Name, Func<OperatorSpec> Describe)> operators;
            try
            {
                if (result.GetValue(options.Shapes) is { } shapes)
                {
                    var file = ShapesFile.Read(shapes);
                    operators = [.. file.Rows.Select(row => (string.Create(CultureInfo.InvariantCulture, $"line_{row.LineNumber}"), (Func<OperatorSpec>)row.Operator.ToSpec))];
                }
                else
                {
                    var spec = options.Operator.Fields(result).ToSpec();
                    operators = [(string.Empty, () => spec)];
                }
            }
            catch (Exception e) when (e is OperatorDescriptionException or FormatException or IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"emit: {e.Message}");
                return 2;
            }

            using var logging = services.Logging(result.GetValue(options.Verbose));
            var shim = GccShimOptions.Default with { Compiler = result.GetValue(gcc), RunTimeout = TimeSpan.FromSeconds(result.GetValue(timeout)) };
            var run = result.GetValue(verify);
            var check = run || result.GetValue(checkHeaders);
            return Run(operators, result.GetValue(output)!, result.GetValue(options.Schedule)!, options.AlgorithmIn(result), result.GetValue(options.Database), result.GetValue(options.Seed),
                check ? shim : null, run, result.InvocationConfiguration.Output, error, logging.CreateLogger("swatop"));
        });
        return command;
    }

    /// <summary>
    /// Checks the options given with <c>--onnx</c>: an optional <c>--batch N</c> and, of the rest, only <c>--database</c>,
    /// <c>--fresh</c>, <c>--seed</c>, <c>--verify</c>, <c>--gcc</c> and <c>--verify-timeout</c>, as
    /// <see cref="TuneNetworkCommand.ValidateOnnx"/> checks <c>tune --onnx</c>.
    /// </summary>
    private static void ValidateOnnx(CommandResult result, CommonOptions options, Option<string> onnx, IReadOnlyList<Option> checks)
    {
        var batch = options.Operator["batch"];
        TuneNetworkCommand.RefuseForOnnx(result, [onnx, batch, options.Database, options.Fresh, options.Seed, .. checks.Where(c => c.Name != "--check-headers")],
            options.Operator.All.Append<Option>(options.Shapes).Append(options.Schedule).Append(options.Algorithm).Concat(checks));
        if (result.Given(batch))
        {
            TuneNetworkCommand.CheckBatch(result, batch);
        }
    }

    /// <summary>Runs the command line <c>swatop emit</c> <paramref name="arguments"/>; returns 0 when every operator was emitted (and checked), 1 when one failed, 2 on bad arguments.</summary>
    internal static int Run(IReadOnlyList<string> arguments, TextWriter output, TextWriter error) =>
        SwatopCommandLine.Invoke(["emit", .. arguments], output, error, CommandServices.Default with { ProgressBar = false });

    private static int Run(List<(string Name, Func<OperatorSpec> Describe)> operators, string folder, string scheduleChoice, string? algorithm, string? database, int seed,
        GccShimOptions? check, bool verify, TextWriter output, TextWriter error, ILogger logger)
    {
        var checkHeaders = check is not null;
        output.WriteLine(CsvTable.FormatRecord([.. Columns]));
        var failed = 0;
        foreach (var (name, describe) in operators)
        {
            var row = Emit(describe, Path.Combine(folder, name), scheduleChoice, algorithm, database, seed, check, verify, logger);
            failed += row[2] == "ok" ? 0 : 1;
            output.WriteLine(CsvTable.FormatRecord(row));
            output.Flush();
        }

        error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"emit: {operators.Count - failed} of {operators.Count} operators emitted{(verify ? " and verified against the SW5 headers and against the reference on the host shim" : checkHeaders ? " and compiled against the SW5 headers" : "")}."));
        return failed == 0 ? 0 : 1;
    }

    private static string[] Emit(Func<OperatorSpec> describe, string folder, string scheduleChoice, string? algorithm, string? database, int seed, GccShimOptions? check, bool run, ILogger logger)
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
            var schedule = ScheduleChoice.Resolve(scheduleChoice, spec, target, database, logger, algorithm);
            var kernel = (Sw26010Kernel)spec.WithSchedule(schedule).Emit(target, logger);
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
