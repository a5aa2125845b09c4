using System.Diagnostics;
using System.Globalization;
using Swatop.Core.GraphFusion;
using Swatop.Core.Graphs;
using Swatop.Core.GraphTuning;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Benchmarks;

/// <summary>
/// GoogLeNet's Inception 3a block (192 channels of 28 x 28 in; branches of 64, 96 then 128, 16 then 32 and a pooling then 32
/// channels, joined into 256; then the 1 x 1 convolution of 128 channels that opens block 3b and reads the join) tuned
/// twice for the SW26010 from one tuning database: the concatenation kept a copy (its CPE kernel, the planning before
/// concatenation views) and made a view where the producers can write their slices (<see cref="ConcatView"/>); prints
/// each end to end, the concatenation's time and why a copy stays one.
/// <c>dotnet run -c Release --project Swatop.Benchmarks -- concat-view [batch] [float32|float64] [trials]</c>.
/// </summary>
public static class ConcatViewFigures
{
    /// <summary>The Inception 3a block and the convolution of 3b that reads its join, each convolution followed by its ReLU (fused).</summary>
    public static OperatorGraph Inception3a(int batch, ElementType type)
    {
        var b = new GraphBuilder("inception-3a", type);
        var x = b.Input("x", batch, 192, 28, 28);
        GraphValue Conv(string name, GraphValue input, int channels, int kernel) =>
            b.Relu($"{name}.relu", b.Conv2d(name, input, outChannels: channels, kernel: kernel, padding: kernel / 2));
        var b1 = Conv("3a.1x1", x, 64, 1);
        var b2 = Conv("3a.3x3", Conv("3a.3x3_reduce", x, 96, 1), 128, 3);
        var b3 = Conv("3a.5x5", Conv("3a.5x5_reduce", x, 16, 1), 32, 5);
        var b4 = Conv("3a.pool_proj", b.MaxPool("3a.pool", x, kernel: 3, stride: 1, padding: 1), 32, 1);
        var join = b.Concat("3a.output", 1, b1, b2, b3, b4);
        return b.Output(Conv("3b.1x1", join, 128, 1)).Build();
    }

    /// <summary>Tunes the block with the copy and with the view and prints both.</summary>
    public static void Run(int batch, ElementType type, int trials)
    {
        var graph = Inception3a(batch, type).FuseEpilogues();
        var target = Sw26010Target.Default;
        var path = Path.Combine(Path.GetTempPath(), $"swatop-concat-view-{batch}-{type}-{trials}.jsonl");
        var options = new TuningOptions { Trials = trials, Seed = 3, Database = new TuningDatabase(path) };
        var ic = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(ic, $"# {graph.Name}, batch {batch}, {type}, {trials} trials, database {path}"));
        Console.WriteLine("concat,end_to_end_ms,kernels_ms,layout_ms,other_nodes_ms,concat_ms,tuning_s");
        foreach (var views in new[] { false, true })
        {
            var clock = Stopwatch.StartNew();
            var tuned = graph.Tune(target, options, concatViews: views);
            var join = tuned.NodeTimes.Where(t => t.Name == "3a.output").Sum(t => t.Seconds);
            Console.WriteLine(string.Create(ic,
                $"{(views ? "view" : "copy")},{tuned.EndToEndSeconds * 1e3:F3},{tuned.KernelSeconds * 1e3:F3},{tuned.LayoutSeconds * 1e3:F3},{tuned.NodeSeconds * 1e3:F3},{join * 1e3:F3},{clock.Elapsed.TotalSeconds:F1}"));
            foreach (var layer in tuned.Layers)
            {
                Console.WriteLine(string.Create(ic, $"#   {layer.Name}: {layer.KernelSeconds * 1e3:F3} ms kernel, {layer.LayoutSeconds * 1e3:F3} ms steps, {layer.Schedule}"));
            }

            foreach (var line in tuned.ConcatViews.Select(v => $"#   view {v}").Concat(tuned.ConcatRefusals.Select(r => $"#   copy {r}")))
            {
                Console.WriteLine(line);
            }
        }
    }
}
