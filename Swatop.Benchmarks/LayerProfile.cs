using System.Globalization;
using Swatop.Core;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Hardware.Sw26010.Tuning;
using Swatop.Primitives;

namespace Swatop.Benchmarks;

/// <summary>
/// Where a tuned kernel's time goes on the stride-1 3 x 3 layers of ResNet-50 and VGG-16 at batch 128 in double: the
/// layer tuned with an algorithm (<c>auto</c>, or one named, seed 1), the winner measured on the emulator, and its first
/// core group's profile (the CPEs' compute, DMA-wait and register-wait shares; the controller's busy share, requests,
/// blocks and bytes; the gets' and puts' requests, blocks and bytes apart) beside the cost model's account.
/// <c>dotnet run -c Release --project Swatop.Benchmarks -- layer-profile [layer part] [algorithm]</c>.
/// </summary>
public static class LayerProfile
{
    private const int Batch = 128;

    /// <summary>Tunes and profiles every layer whose name contains <paramref name="part"/> with <paramref name="algorithm"/> (empty: every algorithm).</summary>
    public static void Run(string part, string algorithm)
    {
        var target = Sw26010Target.Default;
        var model = new Sw26010CostModel(target.Spec);
        foreach (var (name, ci, co, side) in WinogradEstimate.Layers.Where(l => l.Name.Contains(part, StringComparison.Ordinal)))
        {
            var layer = Operator.Conv2d(Batch, ci, co, side, side, 3, padding: 1, elementType: ElementType.Float64);
            var options = algorithm.Length == 0 ? new TuningOptions { Seed = 1 } : new TuningOptions { Algorithm = algorithm, Seed = 1 };
            var tuned = layer.Tune(target, options);
            var kernel = (Sw26010Kernel)layer.WithSchedule(tuned.Schedule).Emit(target);
            var report = kernel.MeasureReport();
            var group = report.CoreGroups[0];
            var total = group.Total;
            var account = Core.Scheduling.ScheduleAlgorithms.Of(tuned.Schedule).Plan(layer, tuned.Schedule, target.Limits).Accept(model);
            Print($"{name}: {tuned.Schedule}");
            Print($"  kernel {report.Profile.SimulatedSeconds * 1e3:F3} ms (tuned end to end {tuned.MeasuredSeconds * 1e3:F3} ms); model {account.Seconds * 1e3:F3} ms (compute {account.ComputeSeconds * 1e3:F3}, DMA hidden {account.HiddenDmaSeconds * 1e3:F3}, exposed {account.ExposedDmaSeconds * 1e3:F3})");
            Print($"  {group.Profile}");
            Print($"  gets {total.DmaGets} of {total.DmaGetBytes / 1048576.0:F1} MiB, puts {total.DmaPuts} of {total.DmaPutBytes / 1048576.0:F1} MiB, blocks {total.DmaBlocks}, waits {total.DmaWaits}, mesh GEMM calls {total.MeshGemmCalls}, flops {total.Flops}");
        }
    }

    private static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));
}
