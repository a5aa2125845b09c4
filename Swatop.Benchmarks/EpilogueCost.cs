using System.Diagnostics;
using System.Globalization;
using Swatop.Core;
using Swatop.Core.Scheduling;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Benchmarks;

/// <summary>
/// What a fused epilogue costs: a ResNet-50 convolution at batch 128 in float, tuned for its kernel time without an
/// epilogue and with ResNet's bias + residual add + ReLU, each kernel measured on the emulator (timing only), and the
/// plain kernel's schedule measured with the epilogue too. Prints one line per measurement and the ratios.
/// <c>dotnet run -c Release --project Swatop.Benchmarks -- epilogue [layer]</c>, the layer one of
/// <see cref="Layers"/> (default <c>res3_1x1_expand</c>, the convolution ResNet adds its shortcut to).
/// </summary>
public static class EpilogueCost
{
    /// <summary>The layers of <c>data/shapes/resnet50-conv-b128.csv</c> the command knows, by name.</summary>
    public static IReadOnlyDictionary<string, OperatorSpec> Layers { get; } = new Dictionary<string, OperatorSpec>(StringComparer.Ordinal)
    {
        ["res3_1x1_expand"] = Operator.Conv2d(128, 128, 512, 28, 28, 1, elementType: ElementType.Float32),
        ["res3_3x3"] = Operator.Conv2d(128, 128, 128, 28, 28, 3, padding: 1, elementType: ElementType.Float32),
        ["res4_1x1_expand"] = Operator.Conv2d(128, 256, 1024, 14, 14, 1, elementType: ElementType.Float32),
    };

    /// <summary>Tunes and measures <paramref name="layer"/> without and with the epilogue, and prints the figures.</summary>
    public static void Run(string layer)
    {
        if (!Layers.TryGetValue(layer, out var plain))
        {
            throw new ArgumentException($"layer = '{layer}' is not one of {string.Join(", ", Layers.Keys)}.", nameof(layer));
        }

        var fused = plain.WithEpilogue(EpilogueStep.Bias(), EpilogueStep.ResidualAdd(), EpilogueStep.Relu());
        var options = new TuningOptions { Objective = TuningObjective.Kernel, Seed = 1 };
        var clock = Stopwatch.StartNew();
        var plainTuned = plain.Tune(options);
        var fusedTuned = fused.Tune(options);
        var plainSeconds = Measure(plain, plainTuned.Schedule);
        var fusedSeconds = Measure(fused, fusedTuned.Schedule);
        Print($"{layer} {plain.Signature}");
        Print($"without epilogue, tuned: {plainSeconds * 1e3:F3} ms ({plainTuned.Schedule})");
        Print($"with bias + residual + relu, tuned: {fusedSeconds * 1e3:F3} ms ({fusedTuned.Schedule})");
        Print($"ratio, each tuned: {fusedSeconds / plainSeconds:F4}");
        try
        {
            var same = Measure(fused, plainTuned.Schedule);
            Print($"with the epilogue under the plain kernel's schedule: {same * 1e3:F3} ms, ratio {same / plainSeconds:F4}");
        }
        catch (ScheduleException e)
        {
            Print($"the plain kernel's schedule does not fit the epilogue: {e.Message}");
        }

        Print($"host seconds: {clock.Elapsed.TotalSeconds:F1}");
    }

    private static double Measure(OperatorSpec spec, Schedule schedule) => spec.WithSchedule(schedule).Emit(Sw26010Target.Default).Measure().KernelSeconds;

    private static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));
}
