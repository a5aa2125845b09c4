using System.Diagnostics;
using System.Globalization;
using Swatop.Core;
using Swatop.Core.Lowering;
using Swatop.Core.Scheduling;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Benchmarks;

/// <summary>
/// Where a layer's tuning time goes: the default model-guided search of one layer at batch 128, run
/// <c>repeats</c> times in one process (the first pays the JIT), with the ranking timed apart from each
/// measured candidate's lowering, compilation (the pass pipeline and the executor's compile) and timing-only
/// emulation. Candidates are measured one after the other, so each stage's process CPU time is its own.
/// <c>dotnet run -c Release --project Swatop.Benchmarks -- tuning-profile LAYER [float32|float64] [repeats]</c>.
/// </summary>
public static class TuningProfile
{
    private const int Batch = 128;

    /// <summary>The layers it knows: the slowest to tune of ResNet-50 and VGG-16 at batch 128, and a few beside them.</summary>
    public static IReadOnlyList<(string Name, Func<ElementType, OperatorSpec> Spec)> Layers { get; } =
    [
        ("resnet50-conv1", t => Operator.Conv2d(Batch, 3, 64, 224, 224, 7, stride: 2, padding: 3, elementType: t)),
        ("res2_3x3", t => Operator.Conv2d(Batch, 64, 64, 56, 56, 3, padding: 1, elementType: t)),
        ("res3_downsample", t => Operator.Conv2d(Batch, 256, 512, 56, 56, 1, stride: 2, elementType: t)),
        ("vgg16-conv1_1", t => Operator.Conv2d(Batch, 3, 64, 224, 224, 3, padding: 1, elementType: t)),
        ("vgg16-conv1_2", t => Operator.Conv2d(Batch, 64, 64, 224, 224, 3, padding: 1, elementType: t)),
        ("vgg16-conv2_1", t => Operator.Conv2d(Batch, 64, 128, 112, 112, 3, padding: 1, elementType: t)),
        ("vgg16-conv2_2", t => Operator.Conv2d(Batch, 128, 128, 112, 112, 3, padding: 1, elementType: t)),
        ("vgg16-conv3_1", t => Operator.Conv2d(Batch, 128, 256, 56, 56, 3, padding: 1, elementType: t)),
        ("vgg16-conv3_2", t => Operator.Conv2d(Batch, 256, 256, 56, 56, 3, padding: 1, elementType: t)),
        ("vgg16-conv4_1", t => Operator.Conv2d(Batch, 256, 512, 28, 28, 3, padding: 1, elementType: t)),
        ("vgg16-conv4_2", t => Operator.Conv2d(Batch, 512, 512, 28, 28, 3, padding: 1, elementType: t)),
    ];

    /// <summary>Profiles the layer named <paramref name="layer"/> in <paramref name="elementType"/>, <paramref name="repeats"/> times, and prints each run's stages.</summary>
    public static void Run(string layer, string elementType, int repeats)
    {
        var type = elementType == "float64" ? ElementType.Float64 : ElementType.Float32;
        var (_, make) = Layers.FirstOrDefault(l => l.Name == layer);
        if (make is null)
        {
            Console.WriteLine($"tuning-profile: no layer '{layer}'; the layers are {string.Join(", ", Layers.Select(l => l.Name))}.");
            return;
        }

        var spec = make(type);
        var target = Sw26010Target.Default;
        for (var run = 1; run <= repeats; run++)
        {
            var process = Process.GetCurrentProcess();
            var (wall, cpu) = (Stopwatch.StartNew(), process.TotalProcessorTime);
            var measurer = new StagedMeasurer(target);
            var space = ScheduleSpace.For(spec, target.Limits);
            var context = new SearchContext(space, measurer, int.MaxValue, new Random(1), null, CancellationToken.None);
            var found = new ModelGuidedSearch(target.CostModel!).Search(context);
            process.Refresh();
            var (totalWall, totalCpu) = (wall.Elapsed.TotalSeconds, (process.TotalProcessorTime - cpu).TotalSeconds);
            var stages = measurer.Stages;
            var measuring = stages.Sum(s => s.LowerCpu + s.CompileCpu + s.MeasureCpu);
            var measuringWall = stages.Sum(s => s.Wall);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{layer} {elementType} run {run}: {totalWall:F2} s wall, {totalCpu:F2} s CPU; ranking {found.Ranked:N0} plans in {totalWall - measuringWall:F2} s wall, {totalCpu - measuring:F2} s CPU; measuring {stages.Count} candidates in {measuringWall:F2} s wall, {measuring:F2} s CPU (lowering {stages.Sum(s => s.LowerCpu):F2}, compiling {stages.Sum(s => s.CompileCpu):F2}, emulating {stages.Sum(s => s.MeasureCpu):F2}); winner {found.Best.Seconds * 1e3:F3} ms, {found.Best.Schedule.Algorithm}"));
            foreach (var s in stages)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {s.Seconds * 1e3,10:F3} ms simulated; CPU s: lower {s.LowerCpu:F3}, compile {s.CompileCpu:F3}, emulate {s.MeasureCpu:F3}; {s.Schedule}"));
            }
        }
    }

    /// <summary>What one candidate's measurement took, stage by stage (process CPU seconds).</summary>
    private sealed record Stage(string Schedule, double Seconds, double LowerCpu, double CompileCpu, double MeasureCpu, double Wall);

    /// <summary>The target's timing-only measurement, one candidate at a time, each stage timed.</summary>
    private sealed class StagedMeasurer(Sw26010Target target) : IMeasurer
    {
        public List<Stage> Stages { get; } = [];

        public string Name => "staged";

        public Measurement Measure(OperatorSpec spec, Schedule schedule, CancellationToken cancellation)
        {
            var process = Process.GetCurrentProcess();
            var wall = Stopwatch.StartNew();
            TimeSpan Cpu()
            {
                process.Refresh();
                return process.TotalProcessorTime;
            }

            var t0 = Cpu();
            var lowered = KernelLowering.Lower(spec, schedule, target.Limits);
            var t1 = Cpu();
            var kernel = target.Compile(lowered);
            var t2 = Cpu();
            var profile = kernel.Measure(cancellation);
            var t3 = Cpu();
            Stages.Add(new Stage(schedule.ToJson(), profile.EndToEndSeconds, (t1 - t0).TotalSeconds, (t2 - t1).TotalSeconds, (t3 - t2).TotalSeconds, wall.Elapsed.TotalSeconds));
            return new Measurement(schedule, profile.EndToEndSeconds, profile.PeakPercent) { KernelSeconds = profile.KernelSeconds };
        }
    }
}
