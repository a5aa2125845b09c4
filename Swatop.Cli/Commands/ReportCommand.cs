using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Swatop.Cli.CommandLine;
using Swatop.Cli.Operators;
using Swatop.Core;
using Swatop.Core.Scheduling;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Calibration;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Hardware.Sw26010.Tuning;

namespace Swatop.Cli.Commands;

/// <summary>
/// <c>swatop report --shapes FILE.csv</c>: how well the tuner does on each operator of a shapes file.
/// It tunes the operator (model-guided, no database) and times that; draws a uniform sample of the
/// space's points and measures each on the emulator, for the rank correlation between the cost model
/// and the emulator, the best time the sample finds, and the time measuring the whole space would take
/// (the space's size times the sample's mean measuring time: the exhaustive baseline, extrapolated);
/// and sets the tuned time against the roofline bound (<see cref="Sw26010Roofline"/>).
/// </summary>
internal static class ReportCommand
{
    /// <summary>The columns the command adds.</summary>
    internal static IReadOnlyList<string> ResultColumns { get; } =
    [
        "points", "tuning_seconds", "tuned_ms", "roofline_ms", "roofline_ratio", "sampled", "spearman", "sampled_best_ms", "tuned_over_best",
        "measure_seconds", "exhaustive_seconds", "exhaustive_ratio",
    ];

    /// <summary>
    /// Declares the command: <c>--shapes FILE.csv</c>, <c>--samples</c>, <c>--measured</c>, <c>--dtype</c>, <c>--seed</c>; or
    /// <c>--onnx MODEL.onnx --out DIR [--batch N] [--database PATH] [--fresh]</c> (<see cref="ReportOnnxCommand"/>).
    /// </summary>
    internal static Command Create(CommonOptions options, CommandServices services)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);
        var samples = OptionValues.WholeNumber("--samples", 16, 0, null, "Points of each space measured for the cost model's fidelity (0: tuning and roofline only).");
        var onnx = ReportOnnxCommand.OnnxOption();
        var folder = ReportOnnxCommand.OutOption();
        var command = new Command("report", "Tune each operator of a shapes file and report, one CSV row each, the cost model's rank correlation with the emulator over a uniform sample, "
            + "the tuned time against the sample's best and the roofline, and the time measuring the whole space would take; "
            + "or tune an ONNX model (--onnx MODEL.onnx --out DIR) and write its per-layer CSV, an SVG roofline of its kernels and an SVG time breakdown per layer. Exits 1 when a row failed.");
        command.Options.Add(options.Shapes);
        command.Options.Add(samples);
        command.Options.Add(options.Measured);
        command.Options.Add(options.Operator.Dtype);
        command.Options.Add(options.Seed);
        command.Options.Add(onnx);
        command.Options.Add(folder);
        command.Options.Add(options.Operator["batch"]);
        command.Options.Add(options.Database);
        command.Options.Add(options.Fresh);
        command.Validators.Add(result =>
        {
            if (result.Given(onnx))
            {
                ReportOnnxCommand.Validate(result, options, onnx, folder, [options.Shapes, samples, options.Operator.Dtype]);
            }
            else if (!result.Given(options.Shapes))
            {
                result.AddError("expected --shapes FILE.csv, the operators to report on, or --onnx MODEL.onnx --out DIR.");
            }
            else if (ReportOnnxCommand.OnnxOnly(options, folder).FirstOrDefault(result.Given) is { } other)
            {
                result.AddError($"{other.Name} is an option of --onnx: --shapes takes the operators from the file.");
            }
        });
        command.SetAction(result => result.GetResult(onnx) is not null ? ReportOnnxCommand.Run(result, options, onnx, folder, services) : Run(
            result.GetValue(options.Shapes)!, result.GetValue(options.Operator.Dtype), result.GetValue(samples), result.GetValue(options.Measured), result.GetValue(options.Seed),
            result.InvocationConfiguration.Output, result.InvocationConfiguration.Error, services.TargetOrDefault as Sw26010Target ?? Sw26010Target.Default));
        return command;
    }

    /// <summary>Runs the command line <c>swatop report</c> <paramref name="arguments"/>; returns 0 when every row was reported, 1 when one failed, 2 on bad arguments or a malformed file.</summary>
    internal static int Run(IReadOnlyList<string> arguments, TextWriter output, TextWriter error, Sw26010Target? target = null) =>
        SwatopCommandLine.Invoke(["report", .. arguments], output, error, CommandServices.Default with { Target = target, ProgressBar = false });

    private static int Run(string path, string? dtype, int samples, int measured, int seed, TextWriter output, TextWriter error, Sw26010Target target)
    {
        ShapesFile file;
        try
        {
            file = ShapesFile.Read(path).WithOperatorField("dtype", dtype);
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"report: {e.Message}");
            return 2;
        }

        output.WriteLine(CsvTable.FormatRecord([.. file.Columns, .. ResultColumns]));
        var rows = new List<Row>();
        foreach (var row in file.Rows)
        {
            string[] results;
            try
            {
                var spec = row.Operator.ToSpec();
                var report = Report(spec, target, samples, measured, seed);
                rows.Add(report);
                results = report.Fields();
            }
            catch (Exception e) when (TuneCommand.CannotTune(e))
            {
                error.WriteLine($"report: {file.Source}, line {row.LineNumber}: {e.Message}");
                results = [.. ResultColumns.Select(_ => string.Empty)];
            }

            output.WriteLine(CsvTable.FormatRecord([.. row.Fields, .. results]));
            output.Flush();
        }

        Summarize(rows, file.Rows.Count, error);
        return rows.Count == file.Rows.Count ? 0 : 1;
    }

    private static Row Report(OperatorSpec spec, Sw26010Target target, int samples, int measured, int seed)
    {
        var tuned = spec.Tune(target, new TuningOptions { Strategy = new ModelGuidedSearch(target.CostModel!, measured), Trials = measured, Seed = seed });

        // A uniform sample of the space's points (reservoir sampling over the enumeration), measured one by one.
        var random = new Random(seed);
        var sample = new List<SchedulePlan>();
        long points = 0;
        foreach (var plan in spec.Space(target.Limits).EnumeratePlans())
        {
            points++;
            if (sample.Count < samples)
            {
                sample.Add(plan);
            }
            else if (random.NextInt64(points) is var slot && slot < samples)
            {
                sample[(int)slot] = plan;
            }
        }

        var measurer = new TargetMeasurer(target);
        var model = target.CostModel!;
        var clock = Stopwatch.StartNew();
        var times = sample.Select(plan => measurer.Measure(spec, plan.Schedule, CancellationToken.None).Seconds).ToList();
        var measureSeconds = clock.Elapsed.TotalSeconds / Math.Max(1, sample.Count);
        var estimates = sample.Select(plan => model.Estimate(plan)).ToList();
        return new Row(
            points,
            tuned.Elapsed.TotalSeconds,
            tuned.MeasuredSeconds,
            Sw26010Roofline.Seconds(spec, target.Spec),
            sample.Count,
            sample.Count >= 2 ? SpearmanCorrelation.Compute(estimates, times) : double.NaN,
            times.DefaultIfEmpty(double.PositiveInfinity).Min(),
            measureSeconds);
    }

    private static void Summarize(List<Row> rows, int total, TextWriter error)
    {
        var ic = CultureInfo.InvariantCulture;
        error.WriteLine(string.Create(ic, $"report: {rows.Count} of {total} operators reported."));
        if (rows.Count == 0)
        {
            return;
        }

        error.WriteLine(string.Create(ic,
            $"report: Spearman (model against emulator) median {Median(rows.Where(r => r.Sampled > 0).Select(r => r.Spearman))}; tuned within 5% of the best measured on {rows.Count(r => r.Sampled > 0 && r.TunedOverBest <= 1.05)} of {rows.Count(r => r.Sampled > 0)} sampled."));
        error.WriteLine(string.Create(ic,
            $"report: tuning {Median(rows.Select(r => r.TuningSeconds))} s median, {rows.Max(r => r.TuningSeconds):F2} s at most; measuring every point would take {Median(rows.Where(r => r.Sampled > 0).Select(r => r.ExhaustiveRatio))} times as long (median), {rows.Where(r => r.Sampled > 0).Select(r => r.ExhaustiveRatio).DefaultIfEmpty(double.NaN).Min():F0} times at least."));
        error.WriteLine(string.Create(ic, $"report: tuned time over the roofline bound {Median(rows.Select(r => r.RooflineRatio))} (median)."));
    }

    private static string Median(IEnumerable<double> values) =>
        Operators.Median.Of(values) is var median && double.IsNaN(median) ? "n/a" : median.ToString("F2", CultureInfo.InvariantCulture);

    /// <summary>One operator's figures.</summary>
    private sealed record Row(long Points, double TuningSeconds, double TunedSeconds, double RooflineSeconds, int Sampled, double Spearman, double SampledBestSeconds, double MeasureSeconds)
    {
        public double RooflineRatio => TunedSeconds / RooflineSeconds;

        public double TunedOverBest => TunedSeconds / Math.Min(TunedSeconds, SampledBestSeconds);

        public double ExhaustiveSeconds => Points * MeasureSeconds;

        public double ExhaustiveRatio => ExhaustiveSeconds / TuningSeconds;

        public string[] Fields()
        {
            var ic = CultureInfo.InvariantCulture;
            string[] tuned = [Points.ToString(ic), TuningSeconds.ToString("F2", ic), (TunedSeconds * 1e3).ToString("0.######", ic), (RooflineSeconds * 1e3).ToString("0.######", ic), RooflineRatio.ToString("F2", ic), Sampled.ToString(ic)];
            return Sampled == 0 ? [.. tuned, "", "", "", "", "", ""] :
            [
                .. tuned, Spearman.ToString("F3", ic), (SampledBestSeconds * 1e3).ToString("0.######", ic),
                TunedOverBest.ToString("F3", ic), MeasureSeconds.ToString("F2", ic), ExhaustiveSeconds.ToString("F0", ic), ExhaustiveRatio.ToString("F0", ic),
            ];
        }
    }
}
