using System.Globalization;
using Swatop.Cli.Operators;
using Swatop.Core;
using Swatop.Core.Scheduling;
using Swatop.Core.Targets;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Calibration;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Target;

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
    internal const string Usage = """
        usage: swatop tune --op conv2d|gemm|fc [sizes] [--dtype float32|float64] [options]
               swatop tune --shapes FILE.csv [--dtype float32|float64] [options]
               swatop tune --network resnet50|vgg16 --batch N [--dtype float32|float64] [options]
          sizes:   as for swatop run; with --shapes, --dtype overrides the file's
          --network tunes a built-in network as a graph, its layouts chosen jointly (float32 unless --dtype)
          options: [--database PATH] [--fresh] [--measured K] [--seed N]
          --database PATH  the tuning database (default: the user's, see README)
          --fresh          search even when the database has a record, and record the result
          --measured K     candidates the model's ranking sends to the emulator (default 8)
        """;

    /// <summary>The columns the command adds with <c>--shapes</c>.</summary>
    internal static IReadOnlyList<string> ResultColumns { get; } =
        ["tuned_gflops", "swdnn_gflops", "peak_percent", "kernel_ms", "layout_ms", "end_to_end_ms", "end_to_end_gflops", "tuning_seconds", "candidates_ranked", "candidates_measured", "schedule"];

    private static readonly int TuningSecondsColumn = ResultColumns.ToList().IndexOf("tuning_seconds");

    /// <summary>Runs the command; returns 0 when every operator was tuned, 1 when one failed, 2 on bad arguments or a malformed file.</summary>
    /// <param name="arguments">The arguments after <c>tune</c>.</param>
    /// <param name="output">Results.</param>
    /// <param name="error">Messages, and the progress bar when <paramref name="progressBar"/> is set.</param>
    /// <param name="target">The target; the SW26010 when null.</param>
    /// <param name="progressBar">Whether to draw a progress bar on <paramref name="error"/>.</param>
    internal static int Run(IReadOnlyList<string> arguments, TextWriter output, TextWriter error, ITarget? target = null, bool progressBar = false)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        target ??= Sw26010Target.Default;
        if (arguments.Count == 0)
        {
            error.WriteLine(Usage);
            return 2;
        }

        OperatorSpec? single = null;
        ShapesFile? file = null;
        TuningOptions options;
        try
        {
            var parsed = CommandOptions.Parse(arguments, ["fresh"], ["shapes", "network", "database", "measured", "seed"]);
            options = Options(parsed, target);
            if (parsed.ContainsKey("network"))
            {
                if (parsed.Keys.FirstOrDefault(name => name != "network" && !TuneNetworkCommand.Options.Contains(name)) is { } other)
                {
                    throw new UsageException($"--network takes the operators from the network: --{other} is not one of its options ({string.Join(", ", TuneNetworkCommand.Options.Select(o => "--" + o))}).");
                }

                return TuneNetworkCommand.Run(parsed, options, target, output, error, progressBar);
            }

            if (parsed.TryGetValue("shapes", out var path))
            {
                if (parsed.Keys.Any(name => name is not ("shapes" or "database" or "fresh" or "measured" or "seed" or "dtype")))
                {
                    throw new UsageException("--shapes takes the operators from the file: give no operator options besides it but --dtype.");
                }

                file = ShapesFile.Read(path).WithOperatorField("dtype", parsed.GetValueOrDefault("dtype"));
            }
            else
            {
                var fields = parsed.Where(p => p.Key is not ("database" or "fresh" or "measured" or "seed")).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
                single = CommandOptions.Fields(fields).ToSpec();
            }
        }
        catch (UsageException e)
        {
            error.WriteLine($"tune: {e.Message}");
            error.WriteLine(Usage);
            return 2;
        }
        catch (Exception e) when (e is OperatorDescriptionException or FormatException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"tune: {e.Message}");
            return 2;
        }

        return single is not null ? TuneOne(single, options, target, output, error) : TuneAll(file!, options, target, output, error, progressBar);
    }

    private static TuningOptions Options(Dictionary<string, string> parsed, ITarget target)
    {
        var measured = ModelGuidedSearch.DefaultMeasured;
        if (parsed.TryGetValue("measured", out var text) && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out measured) || measured < 1))
        {
            throw new UsageException($"--measured '{text}' must be a whole number of candidates, at least 1.");
        }

        var model = target.CostModel ?? throw new UsageException($"target '{target.Name}' has no cost model to rank its spaces with.");
        return new TuningOptions
        {
            Strategy = new ModelGuidedSearch(model, measured),
            Trials = measured,
            Seed = CommandOptions.Seed(parsed),
            Database = new TuningDatabase(parsed.GetValueOrDefault("database") ?? TuningDatabase.DefaultPath),
            Fresh = parsed.ContainsKey("fresh"),
        };
    }

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
        foreach (var row in file.Rows)
        {
            bar?.Next(row.Fields[0]);
            string[] results;
            try
            {
                results = Tune(row.Operator.ToSpec(), options, target);
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
        if (speedups.Count > 0)
        {
            error.WriteLine(string.Create(ic,
                $"tune: the tuned kernel is at least 5% faster than swDNN's schedule on {speedups.Count(s => s >= 1.05)} of the {speedups.Count} rows it applies to; median speed-up {Median.Of(speedups):F2}x."));
        }

        return failed == 0 ? 0 : 1;
    }

    private static string[] Tune(OperatorSpec spec, TuningOptions options, ITarget target)
    {
        var result = spec.Tune(target, options);
        var swDnn = SwDnnSeconds(spec, target, options.Objective);
        var profile = result.Emit().Measure(options.Cancellation);
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
        }
        catch (ScheduleException e) when (e.Id == ScheduleDiagnostics.NotApplicable)
        {
            return null;
        }

        return new TargetMeasurer(target, objective).Measure(spec, schedule, CancellationToken.None).Seconds;
    }

    private static string Gflops(OperatorSpec spec, double seconds) => (spec.Flops / seconds / 1e9).ToString("F2", CultureInfo.InvariantCulture);
}
