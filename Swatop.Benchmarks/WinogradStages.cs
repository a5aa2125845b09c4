using System.Globalization;
using Swatop.Core;
using Swatop.Core.Algorithms.WinogradMesh;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Primitives;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Hardware.Sw26010.Tuning;
using Swatop.Primitives;

namespace Swatop.Benchmarks;

/// <summary>
/// Where the fused Winograd's time goes, stage by stage (<c>docs/winograd.md</c>): on the stride-1 3 x 3 layers of
/// ResNet-50 and VGG-16 at batch 128 in double, the fused Winograd tuned alone (seed 1), then that schedule with single
/// and with double buffers, with row and with block puts, each measured on the emulator (kernel time; its CPEs' compute, DMA-wait and
/// register-wait shares) beside the cost model's price of each stage (filter, input and output transforms, products;
/// the controller's time for the filters' and the input's gets and the output's puts; the mesh GEMM call's shape and its share of the CPEs' peak in the
/// time model) and the bound of
/// <see cref="WinogradEstimate.Fused"/>. <c>dotnet run -c Release --project Swatop.Benchmarks -- winograd-stages [layer part]</c>;
/// prints a Markdown table.
/// </summary>
public static class WinogradStages
{
    private const int Batch = 128;

    /// <summary>Measures every layer, or those whose name contains <paramref name="part"/>, and prints the table.</summary>
    public static void Run(string part)
    {
        var target = Sw26010Target.Default;
        var model = new Sw26010CostModel(target.Spec);
        Print($"| layer | schedule | emulator ms | bound ms | / bound | compute % | DMA wait % | mesh wait % | filter T ms | input T ms | products ms | output T ms | filter get ms | input get ms | put ms | model ms | mesh call M x N x K | its % of peak |");
        Print($"| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |");
        foreach (var (name, ci, co, side) in WinogradEstimate.Layers.Where(l => l.Name.Contains(part, StringComparison.Ordinal)))
        {
            var layer = Operator.Conv2d(Batch, ci, co, side, side, 3, padding: 1, elementType: ElementType.Float64);
            if (!WinogradMeshAlgorithm.Instance.AppliesTo(layer))
            {
                continue;
            }

            var bound = new[] { 2, 4 }.Min(m => WinogradEstimate.Fused(ci, co, side, m).Seconds);
            var tuned = (WinogradMeshSchedule)layer.Tune(target, new TuningOptions { Algorithm = WinogradMeshSchedule.AlgorithmName, Seed = 1 }).Schedule;
            var variants = new[] { (false, false), (true, false), (false, true), (true, true) }.Select(v => tuned with { DoubleBuffer = v.Item1, BlockPuts = v.Item2 });
            foreach (var schedule in variants)
            {
                WinogradMeshPlan plan;
                try
                {
                    plan = (WinogradMeshPlan)WinogradMeshAlgorithm.Instance.Plan(layer, schedule, target.Limits);
                }
                catch (Core.Scheduling.ScheduleException)
                {
                    Print($"| {name} | {schedule} | does not fit the LDM | | | | | | | | | | | | | |");
                    continue;
                }

                var kernel = (Sw26010Kernel)layer.WithSchedule(schedule).Emit(target);
                var report = kernel.MeasureReport();
                var group = report.CoreGroups[0].Profile;
                var times = group.Total;
                var all = times.ComputeCycles + times.DmaWaitCycles + times.RlcWaitCycles + times.SyncWaitCycles + times.IdleCycles;
                var seconds = report.Profile.SimulatedSeconds;
                var parts = model.Parts(plan);
                var price = model.Account(plan).Seconds;
                // The call's multiply-adds a CPE at the CPE's 4 a cycle, over the call's cycles in the time model.
                var call = MeshGemmPrimitive.Cycles(target.Spec.Timing, schedule.TileChunk, schedule.OutBlock, schedule.InBlock, ElementType.Float64);
                var peak = (double)schedule.TileChunk * schedule.OutBlock * schedule.InBlock / 64 / 4 / call;
                Print($"| {name} | {schedule}{(schedule == tuned ? " (tuned)" : "")} | {seconds * 1e3:F3} | {bound * 1e3:F3} | {seconds / bound:F2} | {100 * times.ComputeCycles / all:F0} | {100 * times.DmaWaitCycles / all:F0} | {100 * times.RlcWaitCycles / all:F0} | {parts.FilterTransformSeconds * 1e3:F1} | {parts.InputTransformSeconds * 1e3:F1} | {parts.ProductSeconds * 1e3:F1} | {parts.OutputTransformSeconds * 1e3:F1} | {parts.FilterGetSeconds * 1e3:F1} | {parts.InputGetSeconds * 1e3:F1} | {parts.PutSeconds * 1e3:F1} | {price * 1e3:F3} | {schedule.TileChunk} x {schedule.OutBlock} x {schedule.InBlock} | {100 * peak:F0} |");
            }
        }
    }

    private static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));
}
