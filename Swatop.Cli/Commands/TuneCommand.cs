using System.CommandLine;
using System.Globalization;
using Swatop.Cli.CommandLine;
using Swatop.Cli.Operators;
using Swatop.Core;
using Swatop.Core.Scheduling;
using Swatop.Core.Targets;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Calibration;
using Swatop.Hardware.Sw26010.Emulation;

namespace Swatop.Cli.Commands;

/// <summary>
/// <c>swatop tune</c>: one operator from command-line options (as <c>swatop run</c> takes them), or
/// every operator of <c>--shapes FILE.csv</c> (the <c>swatop check</c> format), tuned on the emulated
/// SW26010 with the default, model-guided search, and printed beside the swDNN schedule where it
/// applies. The tuning database is read first unless <c>--fresh</c>, and the winners are recorded in it.
/// </summary>
/// <remarks>
/// With <c>--shapes</c> the output is CSV: the input columns, then <see cref="ResultColumns"/>. A
/// progress bar is drawn on standard error when it is a terminal; standard output holds nothing but
/// results. A row that cannot be tuned keeps its input fields, leaves the results empty, and its error
/// goes to standard error.
/// </remarks>
internal static class TuneCommand
{
    /// <summary>The columns the command adds with <c>--shapes</c>.</summary>
    internal static IReadOnlyList<string> ResultColumns { get; } =
        ["tuned_gflops", "swdnn_gflops", "peak_percent", "kernel_ms", "layout_ms", "end_to_end_ms", "end_to_end_gflops", "tuning_seconds", "candidates_ranked", "candidates_measured", "algorithm", "schedule"];

    private static readonly int TuningSecondsColumn = ResultColumns.ToList().IndexOf("tuning_seconds");

    /// <summary>
    /// Declares the command: one operator (the options of <c>run</c>), <c>--shapes FILE.csv</c> or
    /// <c>--network NAME --batch N</c> or <c>--onnx MODEL.onnx [--batch N]</c>, and <c>--database</c>, <c>--fresh</c>, <c>--measured</c>, <c>--seed</c>.
    /// </summary>
    internal static Command Create(CommonOptions options, CommandServices services)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);
        var command = new Command("tune", "Tune one operator (the options of swatop run), every operator of --shapes FILE.csv (one CSV row each; --dtype overrides the file's), "
            + "or a built-in network or an ONNX model as a graph with its layouts chosen jointly (--network NAME --batch N, float32 unless --dtype; or --onnx MODEL.onnx [--batch N]; one CSV row per layer and a total), "
            + "with the model-guided search; print the winner beside swDNN's schedule where it applies. Reads and appends the tuning database. Exits 1 when an operator could not be tuned.");
        var network = TuneNetworkCommand.NetworkOption();
        var onnx = TuneNetworkCommand.OnnxOption();
        options.Operator.AddTo(command);
        command.Options.Add(options.Shapes);
        command.Options.Add(network);
        command.Options.Add(onnx);
        command.Options.Add(options.Database);
        command.Options.Add(options.Fresh);
        command.Options.Add(options.Algorithm);
        command.Options.Add(options.Measured);
        command.Options.Add(options.Seed);
        command.Options.Add(options.CallerMemory);
        command.Validators.Add(result =>
        {
            if (result.Given(onnx))
            {
                TuneNetworkCommand.ValidateOnnx(result, options, onnx, network);
            }
            else if (result.Given(network))
            {
                TuneNetworkCommand.Validate(result, options, network);
            }
            else if (result.Given(options.Shapes) && options.Operator.GivenOn(result).Any(option => option != options.Operator.Dtype))
            {
                result.AddError("--shapes takes the operators from the file: give no operator options besides it but --dtype.");
            }

            if ((result.Given(onnx) || result.Given(network)) && result.Given(options.CallerMemory))
            {
                result.AddError("--caller-memory is where a single operator's caller keeps its tensors: a network keeps its values where its layouts are planned, so give it with --shapes or one operator.");
            }
        });
        command.SetAction(result =>
        {
            if (SwatopCommandLine.HelpWhenBare(result, options.Verbose) is { } bare)
            {
                return bare;
            }

            var (output, error) = (result.InvocationConfiguration.Output, result.InvocationConfiguration.Error);
            var target = services.TargetOrDefault;
            if (options.CallerMemoryIn(result) is var callerMemory && callerMemory != CallerMemory.Shared)
            {
                if (target is not Hardware.Sw26010.Target.Sw26010Target sw26010)
                {
                    error.WriteLine($"tune: --caller-memory core-groups needs the SW26010 target, not '{target.Name}'.");
                    return SwatopCommandLine.UsageError;
                }

                target = sw26010.WithCallerMemory(callerMemory);
            }

            using var logging = services.Logging(result.GetValue(options.Verbose));
            if (target.CostModel is null)
            {
                error.WriteLine($"tune: target '{target.Name}' has no cost model to rank its spaces with.");
                return SwatopCommandLine.UsageError;
            }

            var measured = result.GetValue(options.Measured);
            var logger = logging.CreateLogger("swatop");
            var tuning = new TuningOptions
            {
                Strategy = new ModelGuidedSearch(target.CostModel, measured),
                Trials = measured,
                Seed = result.GetValue(options.Seed),
                Database = new TuningDatabase(result.GetValue(options.Database) ?? TuningDatabase.DefaultPath, logger),
                Fresh = result.GetValue(options.Fresh),
                Logger = logger,
                Algorithm = options.AlgorithmIn(result),
            };
            if (result.GetResult(onnx) is not null)
            {
                return TuneNetworkCommand.OnnxGraph(result, options, onnx, error) is { } model
                    ? TuneNetworkCommand.Run(model, tuning, target, output, error, services.ProgressBar)
                    : SwatopCommandLine.UsageError;
            }

            if (result.GetResult(network) is not null)
            {
                return TuneNetworkCommand.Run(TuneNetworkCommand.Graph(result, options, network), tuning, target, output, error, services.ProgressBar);
            }

            if (result.GetValue(options.Shapes) is { } path)
            {
                ShapesFile file;
                try
                {
                    file = ShapesFile.Read(path).WithOperatorField("dtype", result.GetValue(options.Operator.Dtype));
                }
                catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
                {
                    error.WriteLine($"tune: {e.Message}");
                    return SwatopCommandLine.UsageError;
                }

                return TuneAll(file, tuning, target, output, error, services.ProgressBar);
            }

            OperatorSpec spec;
            try
            {
                spec = options.Operator.Fields(result).ToSpec();
            }
            catch (OperatorDescriptionException e)
            {
                error.WriteLine($"tune: {e.Message}");
                return SwatopCommandLine.UsageError;
            }

            return TuneOne(spec, tuning, target, output, error);
        });
        return command;
    }

    /// <summary>Runs the command line <c>swatop tune</c> <paramref name="arguments"/>; returns 0 when every operator was tuned, 1 when one failed, 2 on bad arguments or a malformed file.</summary>
    /// <param name="arguments">The arguments after <c>tune</c>.</param>
    /// <param name="output">Results.</param>
    /// <param name="error">Messages, and the progress bar when <paramref name="progressBar"/> is set.</param>
    /// <param name="target">The target; the SW26010 when null.</param>
    /// <param name="progressBar">Whether to draw a progress bar on <paramref name="error"/>.</param>
    internal static int Run(IReadOnlyList<string> arguments, TextWriter output, TextWriter error, ITarget? target = null, bool progressBar = false) =>
        SwatopCommandLine.Invoke(["tune", .. arguments], output, error, CommandServices.Default with { Target = target, ProgressBar = progressBar });

    private static int TuneOne(OperatorSpec spec, TuningOptions options, ITarget target, TextWriter output, TextWriter error)
    {
        TuningResult result;
        double? swDnn;
        try
        {
            result = spec.Tune(target, options);
            swDnn = SwDnnSeconds(spec, target, options.Objective);
        }
        catch (Exception e) when (CannotTune(e))
        {
            error.WriteLine($"tune: {e.Message}");
            return 1;
        }

        var ic = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(ic, $"{spec.Signature}: {spec.Flops / 1e9:F3} GFlop on {target.Name}"));
        output.WriteLine($"  schedule   {result.Schedule}");
        output.WriteLine($"  json       {result.Schedule.ToJson()}");
        output.WriteLine(string.Create(ic, $"  simulated  {result.Emit().Measure(options.Cancellation)}"));
        if (result.PredictedSeconds is { } predicted)
        {
            output.WriteLine(string.Create(ic, $"  predicted  {predicted * 1e3:F3} ms by the cost model"));
        }

        output.WriteLine(swDnn is { } seconds
            ? string.Create(ic, $"  swdnn      {seconds * 1e3:F3} ms ({Gflops(spec, seconds)} GFLOPS): tuned is {seconds / result.MeasuredSeconds:F2}x as fast")
            : "  swdnn      does not apply");
        output.WriteLine(result.AppliedRecord is { } record
            ? string.Create(ic, $"  tuning     applied the record of {record.Date:yyyy-MM-dd HH:mm} from {options.Database!.Path}")
            : string.Create(ic, $"  tuning     {result.Elapsed.TotalSeconds:F2} s: {result.Strategy}, {result.CandidatesRanked} ranked, {result.CandidatesMeasured} measured; recorded in {options.Database!.Path}"));
        return 0;
    }

    private static int TuneAll(ShapesFile file, TuningOptions options, ITarget target, TextWriter output, TextWriter error, bool progressBar)
    {
        var bar = progressBar ? new TuningProgressBar(error, file.Rows.Count) : null;
        options = options with { Progress = bar };
        output.WriteLine(CsvTable.FormatRecord([.. file.Columns, .. ResultColumns]));
        var failed = 0;
        var speedups = new List<double>();
        var seconds = new List<double>();
        var steps = new List<StepTime>();
        foreach (var row in file.Rows)
        {
            bar?.Next(row.Fields[0]);
            string[] results;
            try
            {
                results = Tune(row.Operator.ToSpec(), options, target, steps);
            }
            catch (Exception e) when (CannotTune(e))
            {
                bar?.Clear();
                error.WriteLine($"tune: {file.Source}, line {row.LineNumber}: {e.Message}");
                failed++;
                results = [.. ResultColumns.Select(_ => string.Empty)];
            }

            bar?.Clear();
            output.WriteLine(CsvTable.FormatRecord([.. row.Fields, .. results]));
            output.Flush();
            if (results[0].Length > 0)
            {
                seconds.Add(double.Parse(results[TuningSecondsColumn], CultureInfo.InvariantCulture));
            }

            if (results[1].Length > 0)
            {
                speedups.Add(double.Parse(results[0], CultureInfo.InvariantCulture) / double.Parse(results[1], CultureInfo.InvariantCulture));
            }
        }

        var ic = CultureInfo.InvariantCulture;
        error.WriteLine(string.Create(ic, $"tune: {file.Rows.Count - failed} of {file.Rows.Count} operators tuned{(seconds.Count > 0 ? $", in {Median.Of(seconds):F2} s each (median)" : string.Empty)}."));
        if (steps.Count > 0)
        {
            error.WriteLine(string.Create(ic, $"tune: {steps.Count} layout steps a call in all, {steps.Count(s => !s.OnMpe)} on the CPEs and {steps.Count(s => s.OnMpe)} on the MPE ({steps.Where(s => s.OnMpe).Sum(s => s.Seconds) * 1e3:F3} ms)."));
        }

        if (speedups.Count > 0)
        {
            error.WriteLine(string.Create(ic,
                $"tune: the tuned kernel is at least 5% faster than swDNN's schedule on {speedups.Count(s => s >= 1.05)} of the {speedups.Count} rows it applies to; median speed-up {Median.Of(speedups):F2}x."));
        }

        return failed == 0 ? 0 : 1;
    }

    private static string[] Tune(OperatorSpec spec, TuningOptions options, ITarget target, List<StepTime> steps)
    {
        var result = spec.Tune(target, options);
        var swDnn = SwDnnSeconds(spec, target, options.Objective);
        var profile = result.Emit().Measure(options.Cancellation);
        steps.AddRange(profile.Steps);
        var ic = CultureInfo.InvariantCulture;
        return
        [
            Gflops(spec, result.MeasuredSeconds),
            swDnn is { } seconds ? Gflops(spec, seconds) : string.Empty,
            profile.PeakPercent.ToString("F1", ic),
            (profile.KernelSeconds * 1e3).ToString("F3", ic),
            (profile.LayoutSeconds * 1e3).ToString("F3", ic),
            (profile.EndToEndSeconds * 1e3).ToString("F3", ic),
            profile.Gflops.ToString("F2", ic),
            result.Elapsed.TotalSeconds.ToString("F2", ic),
            result.CandidatesRanked.ToString(ic),
            result.CandidatesMeasured.ToString(ic),
            result.Schedule.Algorithm,
            result.Schedule.ToJson(),
        ];
    }

    /// <summary>
    /// Whether <paramref name="e"/> says an operator cannot be tuned (its description, a schedule, the
    /// emulator's limits, such as its main memory, a measurement, the database), so
    /// the command reports it and goes on.
    /// </summary>
    internal static bool CannotTune(Exception e) =>
        e is FormatException or ArgumentException or InvalidOperationException or IOException or EmulatorException or MeasurementException;

    /// <summary>The measured time of swDNN's schedule for <paramref name="spec"/> by <paramref name="objective"/>, or null where it does not apply.</summary>
    private static double? SwDnnSeconds(OperatorSpec spec, ITarget target, TuningObjective objective)
    {
        Schedule schedule;
        try
        {
            schedule = Schedules.SwDnn(spec, target.Limits);
            if (MainMemoryFootprint.ErrorOf(ScheduleAlgorithms.Of(schedule).Plan(spec, schedule, target.Limits)) is { } tooLarge)
            {
                throw tooLarge;
            }
        }
        catch (ScheduleException e) when (e.Id is ScheduleDiagnostics.NotApplicable or ScheduleDiagnostics.MainMemoryOverflow)
        {
            return null;
        }

        return new TargetMeasurer(target, objective).Measure(spec, schedule, CancellationToken.None).Seconds;
    }

    private static string Gflops(OperatorSpec spec, double seconds) => (spec.Flops / seconds / 1e9).ToString("F2", CultureInfo.InvariantCulture);
}
