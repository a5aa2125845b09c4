using System.CommandLine;
using System.Globalization;
using Swatop.Cli.CommandLine;
using Swatop.Cli.Operators;
using Swatop.Core;
using Swatop.Core.Scheduling;
using Swatop.Core.Targets;
using Swatop.Hardware.Sw26010.Calibration;

namespace Swatop.Cli.Commands;

/// <summary>
/// <c>swatop check --shapes FILE.csv</c>: every operator of a shapes file run with its default
/// schedule on the emulated SW26010 and compared with the reference, one CSV row out per row in: the
/// input fields, then <c>result</c> (<c>ok</c> or the error), the simulated GFLOPS and % of peak, the
/// host seconds and the schedule. <c>swatop check --onnx MODEL.onnx [--batch N]</c> checks a model against ONNX
/// Runtime instead (<see cref="CheckOnnxCommand"/>).
/// </summary>
/// <remarks>
/// The file is comma-separated with a header naming at least <see cref="OperatorFields.Columns"/>;
/// other columns are passed through. Lines starting with <c>#</c> and blank lines are skipped. The
/// whole file is read and its format checked before the first operator runs, so a malformed file
/// writes nothing; an operator that cannot be described, scheduled or computed right is a failed row.
/// </remarks>
internal static class CheckCommand
{
    /// <summary>The columns the command adds.</summary>
    internal static IReadOnlyList<string> ResultColumns { get; } = ["result", "simulated_gflops", "peak_percent", "host_seconds", "algorithm", "schedule"];

    /// <summary>Declares the command: <c>--shapes FILE.csv</c> (required) and <c>--seed</c>.</summary>
    internal static Command Create(CommonOptions options, CommandServices services)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);
        var command = new Command("check", "Run every operator of a shapes file with its default schedule on the emulated SW26010, check each against the reference, "
            + "print the file back as CSV with result (ok or the error), simulated_gflops, peak_percent, host_seconds and schedule. Exits 1 when a row failed.");
        var onnx = new Option<string>("--onnx")
        {
            Description = "Check an ONNX model instead: run it on the emulated chip with seeded random inputs and compare every node with ONNX Runtime; "
                + "optionally with --batch N. One CSV row per node, then the row 'network' with result ok or the error.",
            HelpName = "MODEL.onnx",
        };
        var batch = options.Operator["batch"];
        command.Options.Add(options.Shapes);
        command.Options.Add(onnx);
        command.Options.Add(batch);
        command.Options.Add(options.Seed);
        command.Options.Add(options.Algorithm);
        command.Validators.Add(result =>
        {
            if (!result.Given(onnx) && !result.Given(options.Shapes))
            {
                result.AddError("expected --shapes FILE.csv, the operators to check, or --onnx MODEL.onnx, a model to check.");
            }
            else if (result.Given(onnx) && result.Given(options.Shapes))
            {
                result.AddError("--shapes and --onnx are two ways to say what to check: give one of them.");
            }
            else if (result.Given(options.Shapes) && result.Given(batch))
            {
                result.AddError("--batch goes with --onnx: a shapes file gives each operator's batch.");
            }
            else if (result.Given(onnx) && result.Given(options.Algorithm))
            {
                result.AddError("--algorithm goes with --shapes: a model's operators are tuned.");
            }
            else if (result.Given(batch))
            {
                TuneNetworkCommand.CheckBatch(result, batch);
            }
        });
        command.SetAction(result => result.GetValue(onnx) is { } model
            ? CheckOnnxCommand.Run(
                model,
                TuneNetworkCommand.BatchOf(result.GetValue(batch)),
                result.GetValue(options.Seed),
                result.InvocationConfiguration.Output,
                result.InvocationConfiguration.Error,
                services.TargetOrDefault)
            : Run(result.GetValue(options.Shapes)!, result.GetValue(options.Seed), options.AlgorithmIn(result), result.InvocationConfiguration.Output, result.InvocationConfiguration.Error, services.TargetOrDefault));
        return command;
    }

    /// <summary>Runs the command line <c>swatop check</c> <paramref name="arguments"/>; returns 0 when every row passed, 1 when one failed, 2 on bad arguments or a malformed file.</summary>
    internal static int Run(IReadOnlyList<string> arguments, TextWriter output, TextWriter error, ITarget? target = null) =>
        SwatopCommandLine.Invoke(["check", .. arguments], output, error, CommandServices.Default with { Target = target, ProgressBar = false });

    private static int Run(string path, int seed, string? algorithm, TextWriter output, TextWriter error, ITarget target)
    {
        ShapesFile file;
        try
        {
            file = ShapesFile.Read(path);
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"check: {e.Message}");
            return 2;
        }

        output.WriteLine(CsvTable.FormatRecord([.. file.Columns, .. ResultColumns]));
        var failed = 0;
        foreach (var row in file.Rows)
        {
            var result = Check(row, target, seed, algorithm);
            failed += result[0] == "ok" ? 0 : 1;
            output.WriteLine(CsvTable.FormatRecord([.. row.Fields, .. result]));
            output.Flush();

            // The row's operands and output are garbage now: collected before the next row draws its own, their memory is what
            // that row takes, so a file's peak is its largest row's rather than that row's beside what earlier rows left.
            GC.Collect();
        }

        error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"check: {file.Rows.Count - failed} of {file.Rows.Count} operators match the reference."));
        return failed == 0 ? 0 : 1;
    }

    private static string[] Check(ShapesFile.Row row, ITarget target, int seed, string? algorithm)
    {
        try
        {
            var spec = row.Operator.ToSpec();
            var schedule = ScheduleSpace.For(spec, target.Limits, null, algorithm).Default();
            var check = OperatorCheck.Run(spec, schedule, target, seed);
            var ic = CultureInfo.InvariantCulture;
            return
            [
                check.Comparison.Passed ? "ok" : check.Comparison.ToString(),
                check.Profile.KernelGflops.ToString("F2", ic),
                check.Profile.PeakPercent.ToString("F1", ic),
                check.HostSeconds.ToString("F2", ic),
                schedule.Algorithm,
                schedule.ToString(),
            ];
        }
        catch (Exception e) when (e is OperatorDescriptionException or ScheduleException or InvalidOperationException)
        {
            return [e.Message, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty];
        }
    }
}
