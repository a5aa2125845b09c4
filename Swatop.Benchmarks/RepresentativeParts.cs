using System.Diagnostics;
using System.Globalization;
using Swatop.Core;
using Swatop.Core.Scheduling;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Benchmarks;

/// <summary>
/// The tuner's candidates timed on a representative part of the batch against their full emulation: a layer's default
/// model-guided search, each candidate measured both ways one after the other, with the simulated times, their relative
/// difference and the host seconds each way, and whether the fastest is the same.
/// <c>dotnet run -c Release --project Swatop.Benchmarks -- representative-parts [layer part] [float32|float64]</c>.
/// </summary>
public static class RepresentativeParts
{
    /// <summary>Runs the search of every layer of <see cref="TuningProfile.Layers"/> whose name contains <paramref name="part"/>.</summary>
    public static void Run(string part, string elementType)
    {
        var type = elementType == "float64" ? ElementType.Float64 : ElementType.Float32;
        var target = Sw26010Target.Default;
        var ic = CultureInfo.InvariantCulture;
        foreach (var (name, make) in TuningProfile.Layers.Where(l => l.Name.Contains(part, StringComparison.Ordinal)))
        {
            var spec = make(type);
            var measurer = new BothWays(new TargetMeasurer(target));
            var context = new SearchContext(ScheduleSpace.For(spec, target.Limits), measurer, int.MaxValue, new Random(1), null, CancellationToken.None);
            var found = new ModelGuidedSearch(target.CostModel!).Search(context);
            var rows = measurer.Rows;
            var byPart = rows.MinBy(r => r.Candidate.Seconds)!;
            var byFull = rows.MinBy(r => r.Full.Seconds)!;
            Console.WriteLine(string.Create(ic,
                $"{name} {elementType}: {rows.Count} candidates, host s {rows.Sum(r => r.CandidateWall):F2} as candidates against {rows.Sum(r => r.FullWall):F2} in full; worst relative difference {rows.Max(r => r.Error):E2}; fastest {(byPart.Candidate.Schedule.Equals(byFull.Full.Schedule) ? "the same" : "DIFFERENT")} ({byFull.Full.Seconds * 1e3:F3} ms in full, result {found.Best.Seconds * 1e3:F3} ms)"));
            foreach (var r in rows)
            {
                Console.WriteLine(string.Create(ic,
                    $"  {r.Candidate.Schedule.Algorithm,-14} {r.Candidate.Seconds * 1e3,10:F3} ms {(r.Candidate.Part is null ? "(full)   " : "(part)   ")} full {r.Full.Seconds * 1e3,10:F3} ms  diff {r.Error:E2}  host s {r.CandidateWall:F2} / {r.FullWall:F2}  {r.Candidate.Part?.ToString() ?? "measured in full"}"));
            }
        }
    }

    /// <summary>
    /// Each layer whose name contains <paramref name="part"/> tuned by the default search with candidates timed in full and
    /// on representative parts, in turn, <paramref name="repeats"/> times each after a warm-up of both, in one process:
    /// wall and process CPU seconds, and whether the schedule and its time are the same.
    /// <c>dotnet run -c Release --project Swatop.Benchmarks -- representative-tune [layer part] [float32|float64] [repeats]</c>.
    /// </summary>
    public static void Tune(string part, string elementType, int repeats)
    {
        var type = elementType == "float64" ? ElementType.Float64 : ElementType.Float32;
        var target = Sw26010Target.Default;
        var ic = CultureInfo.InvariantCulture;
        foreach (var (name, make) in TuningProfile.Layers.Where(l => l.Name.Contains(part, StringComparison.Ordinal)))
        {
            var spec = make(type);
            (double Wall, double Cpu, SearchResult Found) Once(bool parts)
            {
                var process = Process.GetCurrentProcess();
                var cpu = process.TotalProcessorTime;
                var wall = Stopwatch.StartNew();
                var context = new SearchContext(ScheduleSpace.For(spec, target.Limits), new TargetMeasurer(target, representativeParts: parts), int.MaxValue, new Random(1), null, CancellationToken.None);
                var found = new ModelGuidedSearch(target.CostModel!).Search(context);
                process.Refresh();
                return (wall.Elapsed.TotalSeconds, (process.TotalProcessorTime - cpu).TotalSeconds, found);
            }

            Once(false);
            Once(true);
            for (var run = 1; run <= repeats; run++)
            {
                var full = Once(false);
                var parts = Once(true);
                Console.WriteLine(string.Create(ic,
                    $"{name} {elementType} run {run}: in full {full.Wall:F2} s wall, {full.Cpu:F2} s CPU; on parts {parts.Wall:F2} s wall, {parts.Cpu:F2} s CPU; winner {(full.Found.Best.Schedule.Equals(parts.Found.Best.Schedule) && full.Found.Best.Seconds == parts.Found.Best.Seconds ? "the same" : "DIFFERENT")}, {parts.Found.Best.Seconds * 1e3:F3} ms, {parts.Found.Best.Schedule.Algorithm}"));
            }
        }
    }

    private sealed record Row(Measurement Candidate, Measurement Full, double CandidateWall, double FullWall)
    {
        public double Error => Math.Abs(Candidate.Seconds - Full.Seconds) / Full.Seconds;
    }

    /// <summary>Times each candidate as the tuner does and in full, one after the other.</summary>
    private sealed class BothWays(TargetMeasurer inner) : IMeasurer
    {
        public List<Row> Rows { get; } = [];

        public string Name => inner.Name;

        public Measurement Measure(OperatorSpec spec, Schedule schedule, CancellationToken cancellation) => inner.Measure(spec, schedule, cancellation);

        public Measurement MeasureCandidate(OperatorSpec spec, Schedule schedule, CancellationToken cancellation)
        {
            var clock = Stopwatch.StartNew();
            var candidate = inner.MeasureCandidate(spec, schedule, cancellation);
            var candidateWall = clock.Elapsed.TotalSeconds;
            clock.Restart();
            var full = candidate.Part is null ? candidate : inner.Measure(spec, schedule, cancellation);
            Rows.Add(new Row(candidate, full, candidateWall, candidate.Part is null ? candidateWall : clock.Elapsed.TotalSeconds));
            return candidate;
        }
    }
}
