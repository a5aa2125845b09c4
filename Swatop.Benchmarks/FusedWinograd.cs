using System.Diagnostics;
using System.Globalization;
using Swatop.Core;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Algorithms.WinogradGemm;
using Swatop.Core.Algorithms.WinogradMesh;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Benchmarks;

/// <summary>
/// The figure of the fused Winograd (<c>docs/winograd.md</c>): on every stride-1 3 x 3 layer of ResNet-50 and VGG-16 at
/// batch 128 in double, the tuned time with every algorithm (<c>auto</c>) against the implicit GEMM's alone, both end
/// to end as <c>swatop tune</c> measures them, and the fused Winograd's own tuned time beside its bound from
/// <see cref="WinogradEstimate.Fused"/>, and the composite Winograd's own tuned time (<c>winograd-gemm</c>). Run with <c>dotnet run -c Release --project Swatop.Benchmarks -- winograd-fused
/// [layer part]</c>; prints a Markdown table and the median speedup.
/// </summary>
public static class FusedWinograd
{
    private const int Batch = 128;

    /// <summary>Tunes every layer, or those whose name contains <paramref name="part"/>, and prints the table.</summary>
    public static void Run(string part)
    {
        var clock = Stopwatch.StartNew();
        var target = Sw26010Target.Default;
        var speedups = new List<double>();
        Print($"| layer | implicit ms | auto ms | auto's algorithm | speedup | fused ms | fused schedule | fused bound ms (tile) | fused / bound | composite ms | composite schedule | tuning s (auto) |");
        Print($"| --- | ---: | ---: | --- | ---: | ---: | --- | ---: | ---: | ---: | --- | ---: |");
        foreach (var (name, ci, co, side) in WinogradEstimate.Layers.Where(l => l.Name.Contains(part, StringComparison.Ordinal)))
        {
            var layer = Operator.Conv2d(Batch, ci, co, side, side, 3, padding: 1, elementType: ElementType.Float64);
            var implicitTuned = layer.Tune(target, new TuningOptions { Algorithm = ImplicitGemmSchedule.AlgorithmName, Seed = 1 });
            var autoClock = Stopwatch.StartNew();
            var auto = layer.Tune(target, new TuningOptions { Seed = 1 });
            var autoSeconds = autoClock.Elapsed.TotalSeconds;
            var speedup = implicitTuned.MeasuredSeconds / auto.MeasuredSeconds;
            speedups.Add(speedup);
            var bound = new[] { 2, 4 }.Select(m => (m, WinogradEstimate.Fused(ci, co, side, m).Seconds)).MinBy(b => b.Seconds);
            if (WinogradMeshAlgorithm.Instance.AppliesTo(layer))
            {
                var fused = layer.Tune(target, new TuningOptions { Algorithm = WinogradMeshSchedule.AlgorithmName, Seed = 1 });
                var composite = layer.Tune(target, new TuningOptions { Algorithm = WinogradGemmSchedule.AlgorithmName, Seed = 1 });
                Print($"| {name} | {implicitTuned.MeasuredSeconds * 1e3:F3} | {auto.MeasuredSeconds * 1e3:F3} | {auto.Schedule.Algorithm} | {speedup:F2} | {fused.MeasuredSeconds * 1e3:F3} | {fused.Schedule} | {bound.Seconds * 1e3:F3} (F{bound.m}) | {fused.MeasuredSeconds / bound.Seconds:F2} | {composite.MeasuredSeconds * 1e3:F3} | {composite.Schedule} | {autoSeconds:F1} |");
            }
            else
            {
                Print($"| {name} | {implicitTuned.MeasuredSeconds * 1e3:F3} | {auto.MeasuredSeconds * 1e3:F3} | {auto.Schedule.Algorithm} | {speedup:F2} | - | {WinogradMeshAlgorithm.WhyNot(layer)} | {bound.Seconds * 1e3:F3} (F{bound.m}) | - | - | not applicable | {autoSeconds:F1} |");
            }
        }

        var sorted = speedups.Order().ToList();
        var median = sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
        Print($"median speedup of auto over implicit: {median:F2} over {sorted.Count} layers; host seconds: {clock.Elapsed.TotalSeconds:F1}");
    }

    private static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));
}
