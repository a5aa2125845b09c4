using System.Globalization;
using Swatop.Core;
using Swatop.Core.Algorithms.WinogradMesh;
using Swatop.Core.Scheduling;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Hardware.Sw26010.Tuning;
using Swatop.Primitives;

namespace Swatop.Benchmarks;

/// <summary>
/// The cost model's price of the fused Winograd against the emulator's time (<c>docs/winograd.md</c>): on the stride-1
/// 3 x 3 layers of ResNet-50 and VGG-16 at batch 128 in double, the fused schedules the model ranks first (one of each of
/// its best distinct estimates, as the model-guided search measures them) and their twins with one position's blocks at
/// a time where those fit, each priced stage by stage and measured on the emulator (kernel time); then, for the ranking
/// they enter, each other algorithm's best-estimated candidate, its estimate and its measured time (end to end, as
/// tuning measures them). <c>dotnet run -c Release
/// --project Swatop.Benchmarks -- winograd-price [layer part] [count]</c>; prints a Markdown table.
/// </summary>
public static class WinogradPrice
{
    private const int Batch = 128;

    /// <summary>Prices and measures the <paramref name="count"/> best-ranked fused schedules of every layer whose name contains <paramref name="part"/>.</summary>
    public static void Run(string part, int count)
    {
        var target = Sw26010Target.Default;
        var model = new Sw26010CostModel(target.Spec);
        Print($"| layer | schedule | model ms | emulator ms | model / emulator | filter T ms | input T ms | products ms | output T ms | filter get ms | input get ms | put ms | waits ms |");
        Print($"| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (name, ci, co, side) in WinogradEstimate.Layers.Where(l => l.Name.Contains(part, StringComparison.Ordinal)))
        {
            var layer = Operator.Conv2d(Batch, ci, co, side, side, 3, padding: 1, elementType: ElementType.Float64);
            if (!WinogradMeshAlgorithm.Instance.AppliesTo(layer))
            {
                continue;
            }

            var plans = ScheduleSpace.For(layer, target.Limits, null, WinogradMeshSchedule.AlgorithmName).Enumerate()
                .Select(s => (WinogradMeshPlan)WinogradMeshAlgorithm.Instance.Plan(layer, s, target.Limits))
                .Select(p => (Plan: p, Seconds: model.Account(p).Seconds))
                .GroupBy(p => p.Seconds).Select(g => g.First()).OrderBy(p => p.Seconds).Take(count).ToList();
            foreach (var (plan, seconds) in plans)
            {
                var measured = ((Sw26010Kernel)layer.WithSchedule(plan.Schedule).Emit(target)).MeasureReport().Profile.SimulatedSeconds;
                var parts = model.Parts(plan);
                Print($"| {name} | {plan.Schedule} | {seconds * 1e3:F3} | {measured * 1e3:F3} | {seconds / measured:F3} | {parts.FilterTransformSeconds * 1e3:F1} | {parts.InputTransformSeconds * 1e3:F1} | {parts.ProductSeconds * 1e3:F1} | {parts.OutputTransformSeconds * 1e3:F1} | {parts.FilterGetSeconds * 1e3:F1} | {parts.InputGetSeconds * 1e3:F1} | {parts.PutSeconds * 1e3:F1} | {parts.WaitSeconds * 1e3:F2} |");
            }

            foreach (var algorithm in ScheduleAlgorithms.For(layer).Where(a => a.Name != WinogradMeshSchedule.AlgorithmName))
            {
                var best = layer.Tune(target, new TuningOptions { Algorithm = algorithm.Name, Strategy = new ModelGuidedSearch(model, 1), Seed = 1 });
                var estimate = best.PredictedSeconds ?? double.NaN;
                Print($"| {name} | {best.Schedule} (its algorithm's best estimate) | {estimate * 1e3:F3} | {best.MeasuredSeconds * 1e3:F3} | {estimate / best.MeasuredSeconds:F3} | | | | | | | | |");
            }
        }
    }

    private static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));
}
