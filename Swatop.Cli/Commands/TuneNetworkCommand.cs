using System.Globalization;
using Swatop.Cli.Operators;
using Swatop.Core.Graphs;
using Swatop.Core.GraphTuning;
using Swatop.Core.Targets;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Calibration;
using Swatop.Primitives;

namespace Swatop.Cli.Commands;

/// <summary>
/// <c>swatop tune --network resnet50|vgg16 --batch N</c>: a built-in network tuned as a graph, its layouts
/// chosen jointly, printed as CSV: one row per operator in execution order (<c>layer</c>, the shapes-file
/// columns, then <see cref="ResultColumns"/>), then a row whose <c>layer</c> is <c>total</c>. A summary
/// goes to standard error: the total beside the same layers called one by one in the framework's layout,
/// and the nodes that are not timed.
/// </summary>
internal static class TuneNetworkCommand
{
    /// <summary>The networks the command knows, by the name <c>--network</c> takes.</summary>
    internal static IReadOnlyDictionary<string, Func<int, ElementType, OperatorGraph>> Networks { get; } =
        new Dictionary<string, Func<int, ElementType, OperatorGraph>>(StringComparer.Ordinal)
        {
            ["resnet50"] = Core.Graphs.Networks.ResNet50,
            ["vgg16"] = Core.Graphs.Networks.Vgg16,
        };

    /// <summary>The columns after the shapes-file columns.</summary>
    internal static IReadOnlyList<string> ResultColumns { get; } = ["kernel_ms", "layout_ms", "end_to_end_ms", "schedule"];

    /// <summary>The options <c>--network</c> takes besides itself.</summary>
    internal static IReadOnlyList<string> Options { get; } = ["batch", "dtype", "database", "fresh", "measured", "seed"];

    /// <summary>Runs the command with options already parsed; returns 0 when tuned, 1 when tuning failed, 2 on bad arguments.</summary>
    internal static int Run(Dictionary<string, string> parsed, TuningOptions options, ITarget target, TextWriter output, TextWriter error, bool progressBar)
    {
        OperatorGraph graph;
        try
        {
            graph = Graph(parsed);
        }
        catch (UsageException e)
        {
            error.WriteLine($"tune: {e.Message}");
            error.WriteLine(TuneCommand.Usage);
            return 2;
        }

        var ic = CultureInfo.InvariantCulture;
        error.WriteLine(string.Create(ic, $"tune: {graph.Name}, {graph.OperatorNodes.Length} operators ({graph.DistinctOperators.Length} distinct), {graph.Flops / 1e9:F1} GFlop"));
        var bar = progressBar ? new TuningProgressBar(error, graph.DistinctOperators.Length + 1) : null;
        GraphTuningResult tuned;
        try
        {
            tuned = graph.Tune(target, options with { Progress = bar }, bar is null ? null : new Progress(bar));
        }
        catch (Exception e) when (TuneCommand.CannotTune(e))
        {
            bar?.Clear();
            error.WriteLine($"tune: {e.Message}");
            return 1;
        }

        bar?.Clear();

        Write(tuned, output);
        error.WriteLine(string.Create(ic,
            $"tune: {tuned.EndToEndSeconds * 1e3:F3} ms end to end ({tuned.Gflops:F1} GFLOPS), {tuned.KernelSeconds * 1e3:F3} ms of kernels, {tuned.LayoutSeconds * 1e3:F3} ms of layout steps; each layer called on its own in the framework's layout: {tuned.FrameworkSeconds * 1e3:F3} ms."));
        error.WriteLine($"tune: not timed (they work in the layout their input lies in): {string.Join(", ", tuned.UntimedNodes.Select(n => n.Name))}.");
        error.WriteLine(string.Create(ic, $"tune: tuned in {tuned.Elapsed.TotalSeconds:F1} s."));
        return 0;
    }

    /// <summary>Moves the bar to each distinct operator as it starts tuning, then to the layouts' planning (one step more).</summary>
    private sealed class Progress(TuningProgressBar bar) : IProgress<GraphTuningProgress>
    {
        public void Report(GraphTuningProgress value)
        {
            if (value.Stage != "measuring steps")
            {
                bar.Next(value.Stage);
            }
        }
    }

    /// <summary>Writes <paramref name="tuned"/> as the command's CSV: a row per operator in execution order, then the total.</summary>
    internal static void Write(GraphTuningResult tuned, TextWriter output)
    {
        output.WriteLine(CsvTable.FormatRecord(["layer", .. OperatorFields.Columns, .. ResultColumns]));
        foreach (var layer in tuned.Layers)
        {
            output.WriteLine(CsvTable.FormatRecord([layer.Name, .. OperatorColumns.Of(layer.Operator), .. Times(layer.KernelSeconds, layer.LayoutSeconds), layer.Schedule.ToJson()]));
        }

        output.WriteLine(CsvTable.FormatRecord(["total", .. OperatorFields.Columns.Select(_ => string.Empty), .. Times(tuned.KernelSeconds, tuned.LayoutSeconds), string.Empty]));
    }

    private static string[] Times(double kernel, double layout) =>
        [.. new[] { kernel, layout, kernel + layout }.Select(s => (s * 1e3).ToString("F3", CultureInfo.InvariantCulture))];

    private static OperatorGraph Graph(Dictionary<string, string> parsed)
    {
        var name = parsed["network"];
        if (!Networks.TryGetValue(name, out var build))
        {
            throw new UsageException($"--network '{name}' is not a built-in network: it must be one of {string.Join(", ", Networks.Keys)}.");
        }

        if (!parsed.TryGetValue("batch", out var text))
        {
            throw new UsageException("--network needs --batch N, the batch size to tune the network for.");
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var batch) || batch < 1)
        {
            throw new UsageException($"--batch '{text}' must be a whole number of images, at least 1.");
        }

        var type = parsed.GetValueOrDefault("dtype") switch
        {
            null or "float32" => ElementType.Float32,
            "float64" => ElementType.Float64,
            var other => throw new UsageException($"--dtype '{other}' must be float32 or float64."),
        };
        return build(batch, type);
    }
}
