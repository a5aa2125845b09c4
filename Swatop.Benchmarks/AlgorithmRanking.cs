using System.Diagnostics;
using System.Globalization;
using Swatop.Core;
using Swatop.Core.Scheduling;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Hardware.Sw26010.Tuning;
using Swatop.Primitives;

namespace Swatop.Benchmarks;

/// <summary>
/// Whether the cost model ranks the convolution algorithms as the emulator does, on the benchmark layers where
/// more than one applies (batch 128, double): for each algorithm, the model's best estimate, the emulator's time of
/// that same candidate, and the time tuning with the algorithm forced measures (the best of the model's best
/// <see cref="ModelGuidedSearch.DefaultMeasured"/>); then the algorithm the model would pick against the one whose
/// tuned time is least. <c>dotnet run -c Release --project Swatop.Benchmarks -- algorithm-ranking [layer part]</c>;
/// prints a Markdown table.
/// </summary>
public static class AlgorithmRanking
{
    private const int Batch = 128;

    /// <summary>The layers: ResNet-50's, VGG-16's and MobileNet-v2's where several algorithms apply.</summary>
    public static IReadOnlyList<(string Name, OperatorSpec Spec)> Layers { get; } =
    [
        ("resnet50 conv1", Operator.Conv2d(Batch, 3, 64, 224, 224, 7, stride: 2, padding: 3)),
        ("res2_3x3", Operator.Conv2d(Batch, 64, 64, 56, 56, 3, padding: 1)),
        ("res3_3x3", Operator.Conv2d(Batch, 128, 128, 28, 28, 3, padding: 1)),
        ("res4_3x3", Operator.Conv2d(Batch, 256, 256, 14, 14, 3, padding: 1)),
        ("res5_3x3", Operator.Conv2d(Batch, 512, 512, 7, 7, 3, padding: 1)),
        ("res3_3x3_stride2", Operator.Conv2d(Batch, 128, 128, 56, 56, 3, stride: 2, padding: 1)),
        ("vgg16 conv1_1", Operator.Conv2d(Batch, 3, 64, 224, 224, 3, padding: 1)),
        ("vgg16 conv3_1", Operator.Conv2d(Batch, 128, 256, 56, 56, 3, padding: 1)),
        ("mobilenetv2 depthwise 144", Operator.Conv2d(Batch, 144, 144, 56, 56, 3, padding: 1, groups: 144)),
        ("mobilenetv2 depthwise 384", Operator.Conv2d(Batch, 384, 384, 14, 14, 3, padding: 1, groups: 384)),
    ];

    /// <summary>Ranks and tunes every layer whose name contains <paramref name="part"/> with each algorithm that applies, and prints the table.</summary>
    public static void Run(string part)
    {
        var clock = Stopwatch.StartNew();
        var target = Sw26010Target.Default;
        Print($"| layer | algorithm | model's best estimate ms | emulator, that candidate ms | tuned ms | model picks | emulator picks | pick over best |");
        Print($"| --- | --- | ---: | ---: | ---: | --- | --- | ---: |");
        int layers = 0, agreed = 0;
        foreach (var (name, spec) in Layers.Where(l => l.Name.Contains(part, StringComparison.Ordinal)))
        {
            var rows = Rank(spec, target);
            foreach (var algorithm in ScheduleAlgorithms.For(spec).Where(a => rows.All(r => r.Algorithm != a.Name)))
            {
                Print($"| {name} | {algorithm.Name} | no schedule fits | | | | | |");
            }

            if (rows.Count < 2)
            {
                continue;
            }

            var (modelPick, emulatorPick) = (ModelPick(rows), EmulatorPick(rows));
            layers++;
            agreed += modelPick.Algorithm == emulatorPick.Algorithm ? 1 : 0;
            foreach (var row in rows)
            {
                Print($"| {name} | {row.Algorithm} | {row.Estimate * 1e3:F3} | {row.FirstMeasured * 1e3:F3} | {row.Tuned * 1e3:F3} | {modelPick.Algorithm} | {emulatorPick.Algorithm} | {modelPick.Tuned / emulatorPick.Tuned:F3} |");
            }
        }

        Print($"the model picks the emulator's fastest algorithm on {agreed} of {layers} layers; host seconds: {clock.Elapsed.TotalSeconds:F1}");
    }

    /// <summary>
    /// Each algorithm with a schedule for <paramref name="spec"/>: the model's best estimate, the emulator's time of that
    /// candidate, and the time tuning with the algorithm forced measures.
    /// </summary>
    public static IReadOnlyList<Row> Rank(OperatorSpec spec, Sw26010Target target)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(target);
        var model = new Sw26010CostModel(target.Spec);
        var rows = new List<Row>();
        foreach (var algorithm in ScheduleAlgorithms.For(spec))
        {
            if (ScheduleSpace.For(spec, target.Limits, null, algorithm.Name).Enumerate().FirstOrDefault() is null)
            {
                continue;
            }

            var first = spec.Tune(target, new TuningOptions { Algorithm = algorithm.Name, Strategy = new ModelGuidedSearch(model, 1), Seed = 1 });
            var tuned = spec.Tune(target, new TuningOptions { Algorithm = algorithm.Name, Seed = 1 });
            rows.Add(new Row(algorithm.Name, first.PredictedSeconds ?? double.NaN, first.MeasuredSeconds, tuned.MeasuredSeconds));
        }

        return rows;
    }

    /// <summary>The algorithm the cost model ranks first: the least best estimate.</summary>
    public static Row ModelPick(IReadOnlyList<Row> rows) => rows.MinBy(r => r.Estimate);

    /// <summary>The algorithm the emulator ranks first: the least tuned time.</summary>
    public static Row EmulatorPick(IReadOnlyList<Row> rows) => rows.MinBy(r => r.Tuned);

    private static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));

    /// <summary>One algorithm's figures on one layer, in seconds.</summary>
    /// <param name="Algorithm">The algorithm's name.</param>
    /// <param name="Estimate">The cost model's best estimate over the algorithm's space.</param>
    /// <param name="FirstMeasured">The emulator's time of the candidate so estimated.</param>
    /// <param name="Tuned">The time tuning with the algorithm forced measures.</param>
    public readonly record struct Row(string Algorithm, double Estimate, double FirstMeasured, double Tuned);
}
