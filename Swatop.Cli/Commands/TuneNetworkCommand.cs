using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Swatop.Cli.CommandLine;
using Swatop.Cli.Operators;
using Swatop.Core.GraphFusion;
using Swatop.Core.Graphs;
using Swatop.Core.GraphTuning;
using Swatop.Core.Onnx;
using Swatop.Core.Targets;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Calibration;
using Swatop.Primitives;

namespace Swatop.Cli.Commands;

/// <summary>
/// <c>swatop tune --network resnet50|vgg16|mobilenetv2 --batch N</c> or <c>swatop tune --onnx MODEL.onnx [--batch N]</c>: a
/// built-in network or an imported model (its biases, clamps and residual adds fused into its operators) tuned as a graph, its layouts chosen jointly, printed as CSV: one row per operator in execution order (<c>layer</c>, the shapes-file
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
            ["mobilenetv2"] = Core.Graphs.Networks.MobileNetV2,
        };

    /// <summary>The columns after the shapes-file columns.</summary>
    internal static IReadOnlyList<string> ResultColumns { get; } = ["kernel_ms", "layout_ms", "end_to_end_ms", "schedule"];

    /// <summary>The <c>--network</c> option: a built-in network's name.</summary>
    internal static Option<string> NetworkOption()
    {
        var option = new Option<string>("--network")
        {
            Description = $"Tune a built-in network as a graph, its layouts chosen jointly: {string.Join(" or ", Networks.Keys)}; with --batch N and optionally --dtype, --database, --fresh, --measured, --seed.",
            HelpName = string.Join("|", Networks.Keys),
        };
        option.CompletionSources.Add([.. Networks.Keys]);
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } name && !Networks.ContainsKey(name))
            {
                result.AddError($"--network '{name}' is not a built-in network: it must be one of {string.Join(", ", Networks.Keys)}.");
            }
        });
        return option;
    }

    /// <summary>The <c>--onnx</c> option: an ONNX model's file.</summary>
    internal static Option<string> OnnxOption() => new("--onnx")
    {
        Description = "Tune an ONNX model (a PyTorch or other framework's export) as a graph, its layouts chosen jointly: the model's file; "
            + "optionally with --batch N (the batch its inputs take instead of the file's), --database, --fresh, --measured, --seed.",
        HelpName = "MODEL.onnx",
    };

    /// <summary>Checks the options given with <c>--onnx</c>: an optional <c>--batch N</c>, nothing of an operator else, no shapes file or built-in network.</summary>
    internal static void ValidateOnnx(CommandResult result, CommonOptions options, Option<string> onnx, Option<string> network)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(options);
        var batch = options.Operator["batch"];
        RefuseForOnnx(result, [onnx, batch, options.Database, options.Fresh, options.Measured, options.Seed], options.Operator.All.Append<Option>(options.Shapes).Append(network));
        if (result.Given(batch))
        {
            CheckBatch(result, batch);
        }
    }

    /// <summary>
    /// The rule every command's <c>--onnx</c> follows: of <paramref name="candidates"/>, only the <paramref name="allowed"/>
    /// options (the first of which is <c>--onnx</c> itself) may be given.
    /// </summary>
    internal static void RefuseForOnnx(CommandResult result, IReadOnlyList<Option> allowed, IEnumerable<Option> candidates)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (candidates.FirstOrDefault(option => result.Given(option) && !allowed.Contains(option)) is { } other)
        {
            result.AddError($"--onnx takes the operators from the model: {other.Name} is not one of its options ({string.Join(", ", allowed.Skip(1).Select(o => o.Name))}).");
        }
    }

    /// <summary>
    /// The model a command line that passed <see cref="ValidateOnnx"/> names, imported at the batch it gives, its biases,
    /// clamps and residual adds folded into the epilogues of the operators that produce them (<see cref="EpilogueFusion"/>); or, when the
    /// file cannot be imported, null with the importer's error written to <paramref name="error"/>.
    /// </summary>
    internal static OperatorGraph? OnnxGraph(ParseResult result, CommonOptions options, Option<string> onnx, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            return OnnxImport.Load(result.GetValue(onnx)!, new OnnxImportOptions { BatchSize = BatchOf(result.GetValue(options.Operator["batch"])) }).Graph.FuseEpilogues();
        }
        catch (OnnxImportException e)
        {
            error.WriteLine($"tune: {e.Message}");
            return null;
        }
    }

    /// <summary>The batch <paramref name="text"/> gives: a whole number of images, at least 1; null for anything else or nothing.</summary>
    internal static int? BatchOf(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1 ? value : null;

    /// <summary>Refuses a given <c>--batch</c> that <see cref="BatchOf"/> does not read.</summary>
    internal static void CheckBatch(CommandResult result, Option<string> batch)
    {
        if (BatchOf(result.GetValue(batch)) is null)
        {
            result.AddError($"--batch '{result.GetValue(batch)}' must be a whole number of images, at least 1.");
        }
    }

    /// <summary>Checks the options given with <c>--network</c>: <c>--batch N</c>, a float <c>--dtype</c>, nothing of an operator else, no shapes file.</summary>
    internal static void Validate(CommandResult result, CommonOptions options, Option<string> network)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(options);
        var batch = options.Operator["batch"];
        var allowed = new Option[] { network, batch, options.Operator.Dtype, options.Database, options.Fresh, options.Measured, options.Seed };
        if (options.Operator.All.Append<Option>(options.Shapes).FirstOrDefault(option => result.Given(option) && !allowed.Contains(option)) is { } other)
        {
            result.AddError($"--network takes the operators from the network: {other.Name} is not one of its options ({string.Join(", ", allowed.Skip(1).Select(o => o.Name))}).");
        }

        if (!result.Given(batch))
        {
            result.AddError("--network needs --batch N, the batch size to tune the network for.");
        }
        else
        {
            CheckBatch(result, batch);
        }

        if (result.GetValue(options.Operator.Dtype) is { } type && type is not ("float32" or "float64"))
        {
            result.AddError($"--dtype '{type}' must be float32 or float64.");
        }
    }

    /// <summary>The network a command line that passed <see cref="Validate"/> names, its biases, clamps and residual adds fused (<see cref="EpilogueFusion"/>).</summary>
    internal static OperatorGraph Graph(ParseResult result, CommonOptions options, Option<string> network)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(options);
        var batch = BatchOf(result.GetValue(options.Operator["batch"])) ?? throw new InvalidOperationException("--batch was not validated.");
        var type = result.GetValue(options.Operator.Dtype) == "float64" ? ElementType.Float64 : ElementType.Float32;
        return Networks[result.GetValue(network)!](batch, type).FuseEpilogues();
    }

    /// <summary>Tunes <paramref name="graph"/> and writes its CSV and summary; returns 0 when tuned, 1 when tuning failed.</summary>
    internal static int Run(OperatorGraph graph, TuningOptions options, ITarget target, TextWriter output, TextWriter error, bool progressBar)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
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
            $"tune: {tuned.EndToEndSeconds * 1e3:F3} ms end to end ({tuned.Gflops:F1} GFLOPS), {tuned.KernelSeconds * 1e3:F3} ms of kernels, {tuned.LayoutSeconds * 1e3:F3} ms of layout steps ({tuned.Layers.Sum(l => l.Steps.Count(s => !s.OnMpe))} on the CPEs, {tuned.Layers.Sum(l => l.Steps.Count(s => s.OnMpe))} on the MPE), {tuned.NodeSeconds * 1e3:F3} ms of other nodes ({tuned.NodeTimes.Count(n => !n.OnMpe)} on the CPEs, {tuned.NodeTimes.Count(n => n.OnMpe)} on the MPE); each layer called on its own in the framework's layout: {tuned.FrameworkSeconds * 1e3:F3} ms."));
        if (!tuned.UntimedNodes.IsEmpty)
        {
            error.WriteLine($"tune: not timed (they work in the layout their input lies in): {string.Join(", ", tuned.UntimedNodes.Select(n => n.Name))}.");
        }

        if (!tuned.ViewNodes.IsEmpty)
        {
            error.WriteLine($"tune: views, no time: {string.Join(", ", tuned.ViewNodes.Select(n => n.Name))}.");
        }
        error.WriteLine(string.Create(ic, $"tune: tuned in {tuned.Elapsed.TotalSeconds:F1} s."));
        return 0;
    }

    /// <summary>Moves the bar to each distinct operator as it starts tuning, then to the layouts' planning (one step more).</summary>
    internal sealed class Progress(TuningProgressBar bar) : IProgress<GraphTuningProgress>
    {
        public void Report(GraphTuningProgress value)
        {
            if (value.Stage != "measuring steps")
            {
                bar.Next(value.Stage);
            }
        }
    }

    /// <summary>
    /// Writes <paramref name="tuned"/> as the command's CSV: a row per operator, and per other node the target timed (its
    /// time in the kernel column, its operator columns and schedule empty), in execution order, then the total.
    /// </summary>
    internal static void Write(GraphTuningResult tuned, TextWriter output)
    {
        output.WriteLine(CsvTable.FormatRecord(["layer", .. OperatorFields.Columns, .. ResultColumns]));
        var layers = tuned.Layers.ToDictionary(l => l.Name, StringComparer.Ordinal);
        var nodes = tuned.NodeTimes.ToDictionary(n => n.Name, StringComparer.Ordinal);
        foreach (var node in tuned.Graph.Nodes)
        {
            if (layers.TryGetValue(node.Name, out var layer))
            {
                output.WriteLine(CsvTable.FormatRecord([layer.Name, .. OperatorColumns.Of(layer.Operator), .. Times(layer.KernelSeconds, layer.LayoutSeconds), layer.Schedule.ToJson()]));
            }
            else if (nodes.TryGetValue(node.Name, out var time))
            {
                output.WriteLine(CsvTable.FormatRecord([node.Name, .. OperatorFields.Columns.Select(_ => string.Empty), .. Times(time.Seconds, 0), string.Empty]));
            }
        }

        output.WriteLine(CsvTable.FormatRecord(["total", .. OperatorFields.Columns.Select(_ => string.Empty), .. Times(tuned.KernelSeconds + tuned.NodeSeconds, tuned.LayoutSeconds), string.Empty]));
    }

    private static string[] Times(double kernel, double layout) =>
        [.. new[] { kernel, layout, kernel + layout }.Select(s => (s * 1e3).ToString("F3", CultureInfo.InvariantCulture))];
}
