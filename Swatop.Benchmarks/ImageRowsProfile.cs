using System.Globalization;
using System.Text.Json;
using Swatop.Core;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Scheduling;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Hardware.Sw26010.Tuning;
using Swatop.Primitives;

namespace Swatop.Benchmarks;

/// <summary>
/// The in-place 1 x 1 layers of ResNet-50 at batch 128 in double, each schedule of a tuning database measured on its own
/// (timing only) with its first core group's profile, beside the cost model's kernel price: where a kernel loses against
/// its DMA floor (the controller's busy share, its requests, blocks and shared bytes, the CPEs' compute and waits).
/// <c>dotnet run -c Release --project Swatop.Benchmarks -- image-rows DATABASE [layer part]</c>, the database a
/// <c>swatop tune --database</c> file of <c>data/shapes/resnet50-conv-b128.csv</c>'s 1 x 1 rows in double.
/// </summary>
public static class ImageRowsProfile
{
    /// <summary>The 1 x 1 layers of <c>data/shapes/resnet50-conv-b128.csv</c> at 14 x 14 and 7 x 7 and the 28 x 28 one with K = 512, in double, by name.</summary>
    public static IReadOnlyList<(string Name, OperatorSpec Spec)> Layers { get; } =
    [
        ("res4_1x1_reduce_first", Operator.Conv2d(128, 512, 256, 28, 28, 1, elementType: ElementType.Float64)),
        ("res4_1x1_expand", Operator.Conv2d(128, 256, 1024, 14, 14, 1, elementType: ElementType.Float64)),
        ("res4_1x1_reduce", Operator.Conv2d(128, 1024, 256, 14, 14, 1, elementType: ElementType.Float64)),
        ("res5_1x1_reduce_first", Operator.Conv2d(128, 1024, 512, 14, 14, 1, elementType: ElementType.Float64)),
        ("res5_1x1_expand", Operator.Conv2d(128, 512, 2048, 7, 7, 1, elementType: ElementType.Float64)),
        ("res5_1x1_reduce", Operator.Conv2d(128, 2048, 512, 7, 7, 1, elementType: ElementType.Float64)),
    ];

    /// <summary>Measures every schedule of <paramref name="database"/> whose operator is one of <see cref="Layers"/> named with <paramref name="part"/>.</summary>
    public static void Run(string database, string part)
    {
        if (!File.Exists(database))
        {
            throw new ArgumentException($"database = '{database}' is not a file; pass a swatop tune --database file.", nameof(database));
        }

        var target = Sw26010Target.Default;
        foreach (var line in File.ReadLines(database).Where(l => l.Length > 0))
        {
            using var record = JsonDocument.Parse(line);
            var signature = record.RootElement.GetProperty("operatorSignature").GetString();
            var layer = Layers.FirstOrDefault(l => l.Spec.Signature == signature && l.Name.Contains(part, StringComparison.Ordinal));
            if (layer.Spec is null)
            {
                continue;
            }

            var schedule = Schedule.FromJson(record.RootElement.GetProperty("schedule").GetRawText());
            Measure(target, layer.Name, layer.Spec, schedule);
        }
    }

    /// <summary>Measures <paramref name="schedule"/> of <paramref name="spec"/> and prints its profile and price.</summary>
    public static void Measure(Sw26010Target target, string name, OperatorSpec spec, Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(schedule);
        var kernel = (Sw26010Kernel)spec.WithSchedule(schedule).Emit(target);
        var report = kernel.MeasureReport();
        var plan = ImplicitGemmAlgorithm.Instance.Plan(spec, schedule, target.Limits);
        var price = target.CostModel!.Estimate(plan, TuningObjective.Kernel);
        var group = report.CoreGroups[0].Profile;
        var account = plan.Accept<CostAccount>(new Sw26010CostModel(target.Spec));
        var cpes = group.Total;
        Print($"{name}: {report.Profile.SimulatedSeconds * 1e3:F3} ms, model {price * 1e3:F3} ms ({price / report.Profile.SimulatedSeconds:F3}); {schedule}");
        Print($"  {group}; shared {group.DmaSharedBytes / 1048576.0:F1} MiB");
        Print($"  emulator: CPE 0 compute {cpes.ComputeCycles / 64 / target.Spec.ClockHz * 1e3:F3} ms (mean of the 64), controller {group.ControllerBusyCycles / target.Spec.ClockHz * 1e3:F3} ms; model: compute {account.ComputeSeconds * 1e3:F3} ms, DMA hidden {account.HiddenDmaSeconds * 1e3:F3} ms, exposed {account.ExposedDmaSeconds * 1e3:F3} ms");
    }

    private static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));
}
