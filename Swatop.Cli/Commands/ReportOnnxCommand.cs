using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Swatop.Cli.CommandLine;
using Swatop.Cli.Operators;
using Swatop.Cli.Reports;
using Swatop.Core;
using Swatop.Core.Onnx;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Target;

namespace Swatop.Cli.Commands;

/// <summary>
/// <c>swatop report --onnx MODEL.onnx --out DIR [--batch N] [--database PATH] [--fresh]</c>: the model imported, fused
/// and tuned as <c>tune --onnx</c> does, then <see cref="Files"/> written into DIR: <c>layers.csv</c>
/// (<see cref="LayersCsv"/>, also printed on standard output), <c>roofline.svg</c> (<see cref="RooflineChart"/>) and
/// <c>breakdown.svg</c> (<see cref="BreakdownChart"/>). Where they went goes to standard error.
/// </summary>
internal static class ReportOnnxCommand
{
    /// <summary>The files the command writes, in the order it writes them.</summary>
    internal static IReadOnlyList<string> Files { get; } = ["layers.csv", "roofline.svg", "breakdown.svg"];

    /// <summary>The <c>--onnx</c> option of <c>report</c>.</summary>
    internal static Option<string> OnnxOption() => new("--onnx")
    {
        Description = "Tune an ONNX model as tune --onnx does and write its report into --out DIR: layers.csv (also printed), roofline.svg and breakdown.svg; "
            + "optionally with --batch N, --database, --fresh, --measured, --seed.",
        HelpName = "MODEL.onnx",
    };

    /// <summary>The <c>--out</c> option of <c>report --onnx</c>.</summary>
    internal static Option<string> OutOption() =>
        OptionValues.NotBlank("--out", "DIR", "the folder the report is written to", "With --onnx: the folder the report is written to, made when missing.");

    /// <summary>The options that belong to <c>--onnx</c> alone: refused without it.</summary>
    internal static IEnumerable<Option> OnnxOnly(CommonOptions options, Option<string> output) =>
        [output, options.Operator["batch"], options.Database, options.Fresh];

    /// <summary>Checks the options given with <c>--onnx</c>: <c>--out DIR</c>, an optional <c>--batch N</c>, no shapes file and nothing of <c>--shapes</c> alone.</summary>
    internal static void Validate(CommandResult result, CommonOptions options, Option<string> onnx, Option<string> output, IEnumerable<Option> refused)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(options);
        var batch = options.Operator["batch"];
        TuneNetworkCommand.RefuseForOnnx(result, [onnx, output, batch, options.Database, options.Fresh, options.Measured, options.Seed], refused);
        if (!result.Given(output))
        {
            result.AddError("--onnx needs --out DIR, the folder the report is written to.");
        }

        if (result.Given(batch))
        {
            TuneNetworkCommand.CheckBatch(result, batch);
        }
    }

    /// <summary>
    /// Imports, tunes and reports the model a command line that passed <see cref="Validate"/> names; returns 0 when the
    /// report was written, 1 when tuning or writing failed, 2 when the model cannot be imported or <c>--out</c> is a file.
    /// </summary>
    internal static int Run(ParseResult result, CommonOptions options, Option<string> onnx, Option<string> output, CommandServices services)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);
        var (standardOutput, error) = (result.InvocationConfiguration.Output, result.InvocationConfiguration.Error);
        var folder = result.GetValue(output)!;
        if (ReportFolder.Refusal(folder) is { } refusal)
        {
            error.WriteLine($"report: {refusal}");
            return SwatopCommandLine.UsageError;
        }

        var target = services.TargetOrDefault as Sw26010Target ?? Sw26010Target.Default;
        if (target.CostModel is not { } costModel)
        {
            error.WriteLine($"report: target '{target.Name}' has no cost model to rank its spaces with.");
            return SwatopCommandLine.UsageError;
        }

        Network network;
        try
        {
            network = Network.FromOnnx(result.GetValue(onnx)!, new OnnxImportOptions { BatchSize = TuneNetworkCommand.BatchOf(result.GetValue(options.Operator["batch"])) });
        }
        catch (OnnxImportException e)
        {
            error.WriteLine($"report: {e.Message}");
            return SwatopCommandLine.UsageError;
        }

        using var logging = services.Logging(result.GetValue(options.Verbose));
        var logger = logging.CreateLogger("swatop");
        var measured = result.GetValue(options.Measured);
        var tuning = new TuningOptions
        {
            Strategy = new ModelGuidedSearch(costModel, measured),
            Trials = measured,
            Seed = result.GetValue(options.Seed),
            Database = new TuningDatabase(result.GetValue(options.Database) ?? TuningDatabase.DefaultPath, logger),
            Fresh = result.GetValue(options.Fresh),
            Logger = logger,
        };

        var graph = network.Graph;
        var ic = CultureInfo.InvariantCulture;
        error.WriteLine(string.Create(ic, $"report: {graph.Name}, {graph.OperatorNodes.Length} operators ({graph.DistinctOperators.Length} distinct), {graph.Flops / 1e9:F1} GFlop"));
        var bar = services.ProgressBar ? new TuningProgressBar(error, graph.DistinctOperators.Length + 1) : null;
        TunedNetwork tuned;
        try
        {
            tuned = network.Tune(target, tuning with { Progress = bar }, bar is null ? null : new TuneNetworkCommand.Progress(bar));
        }
        catch (Exception e) when (TuneCommand.CannotTune(e))
        {
            bar?.Clear();
            error.WriteLine($"report: {e.Message}");
            return 1;
        }

        bar?.Clear();
        var figures = NetworkFigures.Of(Path.GetFileNameWithoutExtension(result.GetValue(onnx)!), tuned, target.Spec);
        var csv = LayersCsv.Format(figures);
        string[] texts = [csv, RooflineChart.Svg(figures), BreakdownChart.Svg(figures)];
        try
        {
            ReportFolder.Write(folder, [.. Files.Zip(texts)]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"report: --out '{folder}' cannot be written: {e.Message}");
            return 1;
        }

        standardOutput.Write(csv);
        error.WriteLine(string.Create(ic,
            $"report: {figures.EndToEndSeconds * 1e3:F3} ms end to end, {figures.KernelSeconds * 1e3:F3} ms of kernels, {figures.LayoutSeconds * 1e3:F3} ms of layout steps; tuned in {tuned.Tuning.Elapsed.TotalSeconds:F1} s."));
        if (!figures.Untimed.IsEmpty)
        {
            error.WriteLine($"report: not timed (they work in the layout their input lies in): {string.Join(", ", figures.Untimed)}.");
        }

        error.WriteLine($"report: wrote {string.Join(", ", Files.Select(f => Path.Combine(folder, f)))}.");
        return 0;
    }
}
