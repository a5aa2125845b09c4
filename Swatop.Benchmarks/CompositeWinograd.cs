using System.Diagnostics;
using System.Globalization;
using Swatop.Core;
using Swatop.Core.Algorithms.WinogradGemm;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Hardware.Sw26010.Tuning;
using Swatop.Primitives;

namespace Swatop.Benchmarks;

/// <summary>
/// The composite Winograd stage by stage (<c>docs/winograd.md</c>): on the stride-1 3 x 3 layers of ResNet-50 and VGG-16 at
/// batch 128 in double (those whose name contains the part), the composite Winograd tuned alone (seed 1), its measured
/// time on the emulator (a call of the kernel prepared with its weights), the cost model's price, the prepare step's filter
/// transform measured and priced, and the price's stages: a CPE's compute per phase and the controller's
/// time per kind of transfer. Run with <c>dotnet run -c Release --project Swatop.Benchmarks -- winograd-composite [layer part] [tile]</c>;
/// with a tile (2, 4 or 6), only the points of that output tile are searched (<see cref="OneTileSearch"/>).
/// </summary>
public static class CompositeWinograd
{
    private const int Batch = 128;

    /// <summary>Tunes every layer whose name contains <paramref name="part"/>, over the points of <paramref name="tile"/> alone when it is given, and prints the table.</summary>
    public static void Run(string part, int? tile = null)
    {
        var clock = Stopwatch.StartNew();
        var target = Sw26010Target.Default;
        var model = new Sw26010CostModel(target.Spec);
        Print($"| layer | composite ms | price ms | prepare ms | prepare price ms | schedule (tuned) | filters | input | products | output | U get/put | input gets | V puts | A, B gets, C puts | M gets | output puts | waits |");
        Print($"| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (name, ci, co, side) in WinogradEstimate.Layers.Where(l => l.Name.Contains(part, StringComparison.Ordinal)))
        {
            var layer = Operator.Conv2d(Batch, ci, co, side, side, 3, padding: 1, elementType: ElementType.Float64);
            if (!WinogradGemmAlgorithm.Instance.AppliesTo(layer))
            {
                Print($"| {name} | - | - | - | - | {WinogradGemmAlgorithm.WhyNot(layer)} | | | | | | | | | | | |");
                continue;
            }

            var options = new TuningOptions { Algorithm = WinogradGemmSchedule.AlgorithmName, Seed = 1 };
            var tuned = layer.Tune(target, tile is { } m ? options with { Strategy = new OneTileSearch(new ModelGuidedSearch(target.CostModel!), m) } : options);
            var plan = (WinogradGemmPlan)WinogradGemmAlgorithm.Instance.Plan(layer, tuned.Schedule, target.Limits);
            var p = model.Parts(plan);
            var price = model.Account(plan).Seconds;
            var prepare = layer.WithSchedule(tuned.Schedule).Emit(target).Measure().PrepareSeconds;
            static string Ms(double seconds) => (seconds * 1e3).ToString("F3", CultureInfo.InvariantCulture);
            Print($"| {name} | {tuned.MeasuredSeconds * 1e3:F3} | {price * 1e3:F3} | {Ms(prepare)} | {Ms(p.PrepareSeconds)} | {tuned.Schedule} | {Ms(p.FilterTransformSeconds)} | {Ms(p.InputTransformSeconds)} | {Ms(p.ProductSeconds)} | {Ms(p.OutputTransformSeconds)} | {Ms(p.FilterDmaSeconds)} | {Ms(p.InputGetSeconds)} | {Ms(p.TilePutSeconds)} | {Ms(p.ProductDmaSeconds)} | {Ms(p.SumGetSeconds)} | {Ms(p.OutputPutSeconds)} | {Ms(p.WaitSeconds)} |");
        }

        Print($"host seconds: {clock.Elapsed.TotalSeconds:F1}");
    }

    private static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));
}
