using System.Diagnostics;
using System.Globalization;
using Swatop.Core;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Scheduling;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Benchmarks;

/// <summary>
/// What the implicit GEMM's twins in the core groups' own memories add to a layer's tuning: for a ResNet-50 1 x 1 layer at
/// batch 128, under each place the caller keeps its activations (the shared memory, the core groups' memories), the implicit
/// GEMM space's points and how many keep tensors row-major in the groups' memories, the points of every algorithm's space,
/// the model-guided search's ranking alone (its candidates "measured" by the model's own estimate, so the wall time is the
/// ranking's), and the whole search with the target's timing-only measurer, as <c>Tune()</c> runs it; each search after one
/// ranking that pays the JIT; then the winner's kernel and its twin's, where it has one; then, by the kernel alone, the implicit GEMM point the model prices fastest among those that keep
/// nothing in the groups' memories and among the twins that do, each priced and measured by the emulator.
/// <c>dotnet run -c Release --project Swatop.Benchmarks -- group-memory-tune [layer part] [float32|float64]</c>.
/// </summary>
public static class GroupMemoryTuning
{
    private const int Batch = 128;

    /// <summary>The stride-1 1 x 1 layers of ResNet-50 it knows, each read and written in place by some implicit GEMM point.</summary>
    public static IReadOnlyList<(string Name, Func<ElementType, OperatorSpec> Spec)> Layers { get; } =
    [
        ("res2_1x1_expand", t => Operator.Conv2d(Batch, 64, 256, 56, 56, 1, elementType: t)),
        ("res3_1x1_reduce", t => Operator.Conv2d(Batch, 512, 128, 28, 28, 1, elementType: t)),
        ("res4_1x1_expand", t => Operator.Conv2d(Batch, 256, 1024, 14, 14, 1, elementType: t)),
        ("res5_1x1_expand", t => Operator.Conv2d(Batch, 512, 2048, 7, 7, 1, elementType: t)),
    ];

    /// <summary>Prints the figures of the layers whose names contain <paramref name="part"/>, in <paramref name="elementType"/>.</summary>
    public static void Run(string part, string elementType)
    {
        var type = elementType == "float32" ? ElementType.Float32 : ElementType.Float64;
        var target = Sw26010Target.Default;
        var model = target.CostModel!;
        var warm = Layers[0].Spec(type);
        Rank(warm, target.Limits, model);
        foreach (var (name, make) in Layers.Where(l => l.Name.Contains(part, StringComparison.Ordinal)))
        {
            var spec = make(type);
            foreach (var memory in new[] { CallerMemory.Shared, CallerMemory.CoreGroups })
            {
                var limits = target.Limits with { CallerMemory = memory };
                var gemm = ImplicitGemmSpace.For(spec, limits).EnumeratePlans().ToList();
                var inGroups = gemm.Count(p => p.Placements.Any(q => q.IsRowMajorInCoreGroups));
                var all = ScheduleSpace.For(spec, limits).EnumeratePlans().Count();
                var (rankWall, ranked, rankedBest) = Rank(spec, limits, model);
                var wall = Stopwatch.StartNew();
                var space = ScheduleSpace.For(spec, limits);
                var found = new ModelGuidedSearch(model).Search(new SearchContext(space, new TargetMeasurer(target), int.MaxValue, new Random(1), null, CancellationToken.None));
                var tuneWall = wall.Elapsed.TotalSeconds;
                var winner = found.Best.Schedule;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name} {elementType} caller {memory}: implicit GEMM points {gemm.Count:N0} ({inGroups:N0} in the groups' memories), all algorithms {all:N0}; ranking alone {rankWall:F2} s wall, {ranked:N0} plans ranked, best estimate {rankedBest * 1e3:F3} ms; search with the emulator {tuneWall:F2} s wall, {found.Measured} measured, winner {found.Best.Seconds * 1e3:F3} ms end to end ({found.Best.KernelSeconds * 1e3:F3} ms kernel), {winner.Algorithm}{(winner is ImplicitGemmSchedule { GroupMemory: true } ? " in the groups' memories" : "")}: {winner}"));

                // The winner's own twin, where it reads or writes a tensor in place: the same schedule's kernel both ways, priced and measured.
                if (memory == CallerMemory.CoreGroups && winner is ImplicitGemmSchedule { GroupMemory: false } inPlace
                    && LoopPlan.TryCreate(spec, inPlace with { GroupMemory = true }, limits, out _) is { } twin)
                {
                    var pair = new[] { LoopPlan.Create(spec, inPlace, limits), twin }.Select(p => (Model: model.Estimate(p, TuningObjective.Kernel),
                        Emulator: new TargetMeasurer(target, TuningObjective.Kernel).Measure(spec, p.Schedule, CancellationToken.None).Seconds)).ToArray();
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  the winner's kernel in place: model {pair[0].Model * 1e3:F3} ms, emulator {pair[0].Emulator * 1e3:F3} ms; its twin in the groups' memories: model {pair[1].Model * 1e3:F3} ms, emulator {pair[1].Emulator * 1e3:F3} ms"));
                }

                // The kernels alone: the implicit GEMM point the model prices fastest in place, and in the groups' memories, each measured.
                foreach (var (label, plans) in new[] { ("in place or packed", gemm.Where(p => !p.Placements.Any(q => q.IsRowMajorInCoreGroups))), ("in the groups' memories", gemm.Where(p => p.Placements.Any(q => q.IsRowMajorInCoreGroups))) })
                {
                    var best = plans.Select(p => (Plan: p, Seconds: model.Estimate(p, TuningObjective.Kernel))).OrderBy(p => p.Seconds).FirstOrDefault();
                    if (best.Plan is null)
                    {
                        continue;
                    }

                    var kernel = new TargetMeasurer(target, TuningObjective.Kernel).Measure(spec, best.Plan.Schedule, CancellationToken.None);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  kernel objective, best {label}: model {best.Seconds * 1e3:F3} ms, emulator {kernel.Seconds * 1e3:F3} ms: {best.Plan.Schedule}"));
                }
            }
        }
    }

    /// <summary>The model-guided search's ranking of <paramref name="spec"/>'s space under <paramref name="limits"/>, its candidates priced by the model instead of measured.</summary>
    private static (double Wall, long Ranked, double Best) Rank(OperatorSpec spec, TargetLimits limits, ICostModel model)
    {
        var wall = Stopwatch.StartNew();
        var space = ScheduleSpace.For(spec, limits);
        var found = new ModelGuidedSearch(model).Search(new SearchContext(space, new ModelMeasurer(model, space), int.MaxValue, new Random(1), null, CancellationToken.None));
        return (wall.Elapsed.TotalSeconds, found.Ranked, found.Best.Seconds);
    }

    /// <summary>A measurer that gives each candidate the model's end-to-end estimate of its plan: no emulation, so a search's wall time is its ranking's.</summary>
    private sealed class ModelMeasurer(ICostModel model, IScheduleSpace space) : IMeasurer
    {
        public string Name => "model";

        public Measurement Measure(OperatorSpec spec, Schedule schedule, CancellationToken cancellation) =>
            new(schedule, model.Estimate(space.Validate(schedule)), 0);
    }
}
