using Microsoft.Extensions.Logging;
using Swatop.Core;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Scheduling;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Target;

namespace Swatop.Tests.Tuning;

/// <summary><c>Tune()</c>: a search on the emulator, deterministic for a seed, looked up and recorded in the database, cancellable.</summary>
public sealed class TuneTests
{
    private static readonly OperatorSpec Gemm = Operator.Gemm(130, 40, 20);

    private static TuningOptions Random(int trials = 4, int seed = 1) => new() { Strategy = new RandomSearch(), Trials = trials, Seed = seed };

    [Test]
    public void A_random_search_on_the_emulator_returns_the_fastest_it_measured()
    {
        var measurer = new CountingMeasurer(new TargetMeasurer(Sw26010Target.Default));
        var result = Gemm.Tune(Sw26010Target.Default, Random(trials: 5) with { Measurer = measurer });
        Assert.That(result.CandidatesMeasured, Is.EqualTo(5));
        Assert.That(measurer.Measurements, Has.Count.EqualTo(5));
        Assert.That(result.MeasuredSeconds, Is.EqualTo(measurer.Measurements.Min(m => m.Seconds)));
        Assert.That(result.Schedule, Is.EqualTo(measurer.Measurements.MinBy(m => m.Seconds)!.Schedule));
        Assert.That(result.Strategy, Is.EqualTo("random"));
        Assert.That(result.PredictedSeconds, Is.Null, "nothing ranked");
        Assert.That(result.Emit().Measure().KernelSeconds, Is.EqualTo(result.MeasuredSeconds));
    }

    [Test]
    public void The_same_seed_gives_the_same_schedule()
    {
        var first = Gemm.Tune(Sw26010Target.Default, Random(seed: 9));
        var second = Gemm.Tune(Sw26010Target.Default, Random(seed: 9));
        Assert.That(second.Schedule, Is.EqualTo(first.Schedule));
        Assert.That(second.MeasuredSeconds, Is.EqualTo(first.MeasuredSeconds));
    }

    [Test]
    public void A_second_tune_of_the_same_operator_applies_the_record_and_measures_nothing()
    {
        using var directory = new TemporaryDirectory();
        var database = new TuningDatabase(Path.Combine(directory.Path, "tuning.jsonl"));
        var first = Gemm.Tune(Sw26010Target.Default, Random() with { Database = database });
        var logger = new CapturingLogger();
        var measurer = new CountingMeasurer(new TargetMeasurer(Sw26010Target.Default));
        var second = Gemm.Tune(Sw26010Target.Default, Random() with { Database = database, Measurer = measurer, Logger = logger });
        Assert.That(measurer.Measurements, Is.Empty);
        Assert.That(second.AppliedRecord, Is.Not.Null);
        Assert.That(second.Schedule, Is.EqualTo(first.Schedule));
        Assert.That(second.MeasuredSeconds, Is.EqualTo(first.MeasuredSeconds));
        Assert.That(second.Strategy, Is.EqualTo("database"));
        Assert.That(logger.Entries.Select(e => e.Message), Has.Some.Contains("Applied the tuning record").And.Some.Contains(Gemm.Signature));
    }

    [Test]
    public void A_fresh_tune_searches_again_and_records_again()
    {
        using var directory = new TemporaryDirectory();
        var database = new TuningDatabase(Path.Combine(directory.Path, "tuning.jsonl"));
        Gemm.Tune(Sw26010Target.Default, Random() with { Database = database });
        var again = Gemm.Tune(Sw26010Target.Default, Random(seed: 2) with { Database = database, Fresh = true });
        Assert.That(again.AppliedRecord, Is.Null);
        Assert.That(again.CandidatesMeasured, Is.EqualTo(4));
        Assert.That(new TuningDatabase(database.Path).Read().Records, Has.Length.EqualTo(2));
    }

    [Test]
    public void A_record_whose_schedule_no_longer_fits_is_ignored_with_a_warning()
    {
        using var directory = new TemporaryDirectory();
        var database = new TuningDatabase(Path.Combine(directory.Path, "tuning.jsonl"));
        var foreign = new ImplicitGemmSchedule { Mapping = new GemmMapping("m", "n", "k"), TileM = 1024, TileN = 32, TileK = 8, IndexOrder = ["m", "n"], ReductionOrder = ["k"] };
        database.Append(TuningRecord.For(Gemm, Sw26010Target.Default, foreign, 1e-9, null, DateTimeOffset.UtcNow));
        var logger = new CapturingLogger();
        var result = Gemm.Tune(Sw26010Target.Default, Random() with { Database = database, Logger = logger });
        Assert.That(result.AppliedRecord, Is.Null);
        Assert.That(result.CandidatesMeasured, Is.EqualTo(4));
        Assert.That(logger.Warnings, Has.Some.Contains("no longer fits").And.Some.Contains("SWS0002"));
    }

    [Test]
    public void Cancelled_tuning_leaves_the_database_as_it_was()
    {
        using var directory = new TemporaryDirectory();
        var database = new TuningDatabase(Path.Combine(directory.Path, "tuning.jsonl"));
        Gemm.Tune(Sw26010Target.Default, Random() with { Database = database });
        var before = File.ReadAllText(database.Path);
        using var cancellation = new CancellationTokenSource();
        var measurer = new CountingMeasurer(new TargetMeasurer(Sw26010Target.Default), cancelAfter: 2, cancellation);
        Assert.Throws<OperationCanceledException>(() =>
            Gemm.Tune(Sw26010Target.Default, Random(trials: 20) with { Database = database, Fresh = true, Measurer = measurer, Cancellation = cancellation.Token }));
        Assert.That(measurer.Measurements, Has.Count.EqualTo(2));
        Assert.That(File.ReadAllText(database.Path), Is.EqualTo(before));
    }

    [Test]
    public void Cancellation_stops_ranking_a_large_space_at_once_and_leaves_the_database_as_it_was()
    {
        using var directory = new TemporaryDirectory();
        var database = new TuningDatabase(Path.Combine(directory.Path, "tuning.jsonl"));
        Gemm.Tune(Sw26010Target.Default, Random() with { Database = database });
        var before = File.ReadAllText(database.Path);
        var layer = Operator.Conv2d(128, 256, 256, 14, 14, 3, padding: 1);
        using var cancellation = new CancellationTokenSource();
        var tuning = Task.Run(() => layer.Tune(Sw26010Target.Default, new TuningOptions { Database = database, Cancellation = cancellation.Token }));
        Thread.Sleep(300);
        Assert.That(tuning.IsCompleted, Is.False, "ranking half a million points takes longer than 300 ms");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        cancellation.Cancel();
        Assert.Throws<OperationCanceledException>(() => tuning.GetAwaiter().GetResult());
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)), "ranking stops long before it would end (the latency itself is measured by CancellationBenchmarks)");
        Assert.That(File.ReadAllText(database.Path), Is.EqualTo(before));
    }

    [Test]
    public void Cancellation_stops_a_measurement_on_the_emulator_at_once()
    {
        var layer = Operator.Conv2d(128, 64, 64, 56, 56, 3, padding: 1);
        var slow = ImplicitGemmSpace.For(layer, Sw26010Target.Default.Limits).Enumerate().First();
        using var cancellation = new CancellationTokenSource();
        var measuring = Task.Run(() => new TargetMeasurer(Sw26010Target.Default).Measure(layer, slow, cancellation.Token));
        Thread.Sleep(300);
        Assert.That(measuring.IsCompleted, Is.False, "the smallest tiles of a batch-128 layer take seconds to emulate");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        cancellation.Cancel();
        Assert.Throws<OperationCanceledException>(() => measuring.GetAwaiter().GetResult());
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)), "the emulator stops between CPE resumptions, not at the end of the run");
    }

    [Test]
    public void Tuned_kernels_compute_their_operators()
    {
        var random = new Random(20261125);
        foreach (var spec in new[] { Operator.Conv2d(4, 6, 10, 9, 7, 3, stride: 2, padding: 1), Operator.Gemm(70, 50, 30, transposeB: true, batch: 2), Operator.FullyConnected(3, 40, 24) })
        {
            var tuned = spec.Tune(Sw26010Target.Default, new TuningOptions { Strategy = new ModelGuidedSearch(Sw26010Target.Default.CostModel!, measured: 3), Trials = 3 });
            var check = Swatop.Cli.Operators.OperatorCheck.Run(spec, tuned.Schedule, Sw26010Target.Default, random.Next());
            Assert.That(check.Comparison.Passed, check.Comparison.ToString());
        }
    }

    [Test]
    public void A_time_budget_stops_measuring_after_the_first_candidate_once_spent()
    {
        var measurer = new CountingMeasurer(new SlowMeasurer(TimeSpan.FromMilliseconds(40)));
        var result = Gemm.Tune(Sw26010Target.Default, Random(trials: 50) with { Measurer = measurer, TimeBudget = TimeSpan.FromMilliseconds(1) });
        Assert.That(result.CandidatesMeasured, Is.EqualTo(1));
    }

    [Test]
    public void By_default_tuning_ranks_the_space_with_the_model_and_measures_its_best()
    {
        var logger = new CapturingLogger();
        var result = Gemm.Tune(new TuningOptions { Logger = logger });
        Assert.That(result.CandidatesRanked, Is.GreaterThanOrEqualTo(ModelGuidedSearch.DefaultMeasured).And.AtMost(ImplicitGemmSpace.For(Gemm, Sw26010Target.Default.Limits).Enumerate().Count()),
            "the shapes the model's bound rules out are not ranked");
        Assert.That(result.CandidatesMeasured, Is.EqualTo(ModelGuidedSearch.DefaultMeasured));
        Assert.That(result.PredictedSeconds, Is.GreaterThan(0));
        Assert.That(result.Strategy, Does.StartWith("model-guided"));
        Assert.That(logger.Entries.Select(e => e.Message), Has.Some.Contains("Tuned " + Gemm.Signature));
    }

    [Test]
    public void Without_a_strategy_a_target_without_a_cost_model_says_what_to_do()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Gemm.Tune(new ModelessTarget(), TuningOptions.Default));
        Assert.That(e!.Message, Does.Contain("modeless").And.Contain("no cost model").And.Contain("TuningOptions.Strategy"));
    }

    [Test]
    public void Options_out_of_range_are_refused_by_name()
    {
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => _ = new TuningOptions { Trials = 0 })!.ParamName, Is.EqualTo("Trials"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => _ = new TuningOptions { TimeBudget = TimeSpan.Zero })!.ParamName, Is.EqualTo("TimeBudget"));
    }

    /// <summary>Passes measurements through and keeps them; may cancel a token after some.</summary>
    private sealed class CountingMeasurer(IMeasurer inner, int cancelAfter = int.MaxValue, CancellationTokenSource? cancel = null) : IMeasurer
    {
        public List<Measurement> Measurements { get; } = [];

        public string Name => inner.Name;

        public Measurement Measure(OperatorSpec spec, Schedule schedule, CancellationToken cancellation)
        {
            var measurement = inner.Measure(spec, schedule, cancellation);
            Measurements.Add(measurement);
            if (Measurements.Count == cancelAfter)
            {
                cancel?.Cancel();
            }

            return measurement;
        }
    }

    /// <summary>The SW26010 without its cost model.</summary>
    private sealed class ModelessTarget : Core.Targets.ITarget
    {
        public string Name => "modeless";

        public string Signature => Sw26010Target.Default.Signature;

        public TargetLimits Limits => Sw26010Target.Default.Limits;

        public ICostModel? CostModel => null;

        public Core.Targets.ICompiledKernel Compile(Core.Lowering.LoweredKernel lowered, ILogger? logger = null) => Sw26010Target.Default.Compile(lowered, logger);

        public Core.Targets.StepTime MeasureStep(Core.LayoutSteps.LayoutStep layoutStep, CancellationToken cancellation = default) => Sw26010Target.Default.MeasureStep(layoutStep, cancellation);
    }

    /// <summary>Takes a while and gives every schedule the same time.</summary>
    private sealed class SlowMeasurer(TimeSpan delay) : IMeasurer
    {
        public string Name => "slow";

        public Measurement Measure(OperatorSpec spec, Schedule schedule, CancellationToken cancellation)
        {
            Thread.Sleep(delay);
            return new Measurement(schedule, 1e-3, null);
        }
    }
}
