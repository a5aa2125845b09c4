using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core;
using Swatop.Core.Scheduling;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Target;

namespace Swatop.Tests.Tuning;

/// <summary>The black-box search strategies against a stand-in measurer: they find what they should, keep their budget, repeat for a seed, stop when cancelled.</summary>
public sealed class SearchStrategyTests
{
    private static readonly OperatorSpec Gemm = Operator.Gemm(130, 40, 20);

    private static ScheduleSpace Space => ScheduleSpace.For(Gemm, Sw26010Target.Default.Limits);

    private static SearchContext Context(IMeasurer measurer, int trials, int seed = 1, IProgress<TuningProgress>? progress = null, CancellationToken cancellation = default) =>
        new(Space, measurer, trials, new Random(seed), progress, cancellation);

    [Test]
    public void Exhaustive_search_finds_the_fastest_point_of_the_space()
    {
        var all = Space.Enumerate().ToList();
        var measurer = new StandInMeasurer();
        var result = new ExhaustiveSearch().Search(Context(measurer, int.MaxValue));
        Assert.That(result.Measured, Is.EqualTo(all.Count));
        Assert.That(result.Best.Seconds, Is.EqualTo(all.Min(StandInMeasurer.SecondsOf)));
        Assert.That(measurer.Measured, Is.EqualTo(all), "every point once, in enumeration order");
    }

    [TestCaseSource(nameof(Strategies))]
    public void A_search_keeps_its_budget_and_never_measures_a_point_twice(ISearchStrategy strategy)
    {
        var measurer = new StandInMeasurer();
        var result = strategy.Search(Context(measurer, 25));
        Assert.That(result.Measured, Is.EqualTo(25));
        Assert.That(measurer.Measured, Has.Count.EqualTo(25).And.Unique);
        Assert.That(result.Best.Seconds, Is.EqualTo(measurer.Measured.Min(StandInMeasurer.SecondsOf)));
        Assert.That(measurer.Measured, Is.All.Matches<ImplicitGemmSchedule>(s => Space.Canonical(s).Equals(s)));
    }

    [TestCaseSource(nameof(RandomizedStrategies))]
    public void A_seed_fixes_the_course_of_a_search(ISearchStrategy strategy)
    {
        var first = new StandInMeasurer();
        var second = new StandInMeasurer();
        var other = new StandInMeasurer();
        strategy.Search(Context(first, 15, seed: 7));
        strategy.Search(Context(second, 15, seed: 7));
        strategy.Search(Context(other, 15, seed: 8));
        Assert.That(second.Measured, Is.EqualTo(first.Measured));
        Assert.That(other.Measured, Is.Not.EqualTo(first.Measured));
    }

    [Test]
    public void Annealing_ends_no_worse_than_where_it_started()
    {
        var measurer = new StandInMeasurer();
        var result = new SimulatedAnnealing().Search(Context(measurer, 40));
        Assert.That(result.Best.Seconds, Is.LessThanOrEqualTo(StandInMeasurer.SecondsOf(measurer.Measured[0])));
    }

    [TestCaseSource(nameof(Strategies))]
    public void Cancellation_stops_a_search_between_measurements(ISearchStrategy strategy)
    {
        using var cancellation = new CancellationTokenSource();
        var measurer = new StandInMeasurer(after: 3, cancellation);
        Assert.Throws<OperationCanceledException>(() => strategy.Search(Context(measurer, 50, cancellation: cancellation.Token)));
        Assert.That(measurer.Measured, Has.Count.EqualTo(3));
    }

    [Test]
    public void Progress_is_reported_after_every_measurement_with_the_best_so_far()
    {
        var reports = new List<TuningProgress>();
        var measurer = new StandInMeasurer();
        new RandomSearch().Search(Context(measurer, 10, progress: new Recorder(reports)));
        Assert.That(reports.Select(r => r.Measured), Is.EqualTo(Enumerable.Range(1, 10)));
        Assert.That(reports.Select(r => r.BestSeconds), Is.Ordered.Descending);
        Assert.That(reports[^1].BestSeconds, Is.EqualTo(measurer.Measured.Min(StandInMeasurer.SecondsOf)));
    }

    [Test]
    public void A_search_without_a_trial_is_refused()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Context(new StandInMeasurer(), 0));
        Assert.That(e!.ParamName, Is.EqualTo("Trials"));
    }

    [Test]
    public void A_neighbour_differs_in_one_decision_and_is_a_point_of_the_space()
    {
        var random = new Random(5);
        var schedule = Space.Sample(random);
        for (var i = 0; i < 50; i++)
        {
            var next = Space.Neighbor(schedule, random);
            Assert.That(next, Is.Not.EqualTo(schedule));
            Assert.DoesNotThrow(() => Space.Validate(next));
            Assert.That(Space.Canonical(next), Is.EqualTo(next));
            schedule = next;
        }
    }

    [Test]
    public void The_target_measurer_gives_the_compiled_kernels_simulated_time()
    {
        var schedule = Space.Default();
        var measurement = new TargetMeasurer(Sw26010Target.Default).Measure(Gemm, schedule, CancellationToken.None);
        var profile = Gemm.WithSchedule(schedule).Emit(Sw26010Target.Default).Measure();
        Assert.That(measurement.Seconds, Is.EqualTo(profile.EndToEndSeconds).And.GreaterThan(0), "end to end by default");
        Assert.That(measurement.KernelSeconds, Is.EqualTo(profile.KernelSeconds));
        Assert.That(measurement.PeakPercent, Is.EqualTo(profile.PeakPercent));
    }

    [Test]
    public void Model_guided_search_ranks_the_whole_space_and_measures_only_its_best_ranked()
    {
        var all = Space.Enumerate().ToList();
        var measurer = new StandInMeasurer();
        var model = new StandInModel(scale: 2);
        var result = new ModelGuidedSearch(model, measured: 5).Search(Context(measurer, 100));
        Assert.That(result.Ranked, Is.EqualTo(all.Count));
        Assert.That(model.Estimated, Is.EqualTo(all.Count));
        Assert.That(result.Measured, Is.EqualTo(5));
        var expected = all.GroupBy(StandInMeasurer.SecondsOf).OrderBy(g => g.Key).Take(5).Select(g => g.MinBy(s => s.ToJson(), StringComparer.Ordinal));
        Assert.That(measurer.Measured, Is.EqualTo(expected), "the five best-ranked, best first");
        Assert.That(result.Best.Seconds, Is.EqualTo(all.Min(StandInMeasurer.SecondsOf)), "a model that ranks right finds the fastest");
    }

    [Test]
    public void Model_guided_search_measures_one_candidate_of_each_estimate_the_model_gives_alike()
    {
        var all = Space.Enumerate().ToList();
        var measurer = new StandInMeasurer();
        var model = new StandInModel(scale: 1, buckets: 4);
        var result = new ModelGuidedSearch(model, measured: 3).Search(Context(measurer, 100));
        var groups = all.GroupBy(s => Math.Floor(StandInMeasurer.SecondsOf(s) * 1e3 * 4)).OrderBy(g => g.Key).ToList();
        Assert.That(groups.Take(3).Select(g => g.Count()), Is.All.GreaterThan(1), "the space has ties for the rule to break");
        Assert.That(result.Measured, Is.EqualTo(3));
        Assert.That(measurer.Measured, Is.EqualTo(groups.Take(3).Select(g => g.MinBy(s => s.ToJson(), StringComparer.Ordinal))),
            "the first schedule in JSON order of each of the three best estimates");
        Assert.That(new ModelGuidedSearch(new StandInModel(scale: 1, buckets: 4), measured: 8).Search(Context(new StandInMeasurer(), 100)).Measured,
            Is.EqualTo(groups.Count), "no more than there are distinct estimates");
    }

    [Test]
    public void Model_guided_search_measures_as_many_at_once_as_the_host_has_cores_where_the_measurer_allows_it()
    {
        var sequential = new StandInMeasurer();
        var concurrent = new ConcurrentMeasurer();
        var reports = new List<TuningProgress>();
        var one = new ModelGuidedSearch(new StandInModel(scale: 1), measured: 8).Search(Context(sequential, 100));
        var many = new ModelGuidedSearch(new StandInModel(scale: 1), measured: 8).Search(Context(concurrent, 100, progress: new Recorder(reports)));
        Assert.Multiple(() =>
        {
            Assert.That(concurrent.Measured.Order(StringComparer.Ordinal), Is.EqualTo(sequential.Measured.Select(s => s.ToJson()).Order(StringComparer.Ordinal)));
            Assert.That((many.Best.Schedule, many.Measured, many.Predicted), Is.EqualTo((one.Best.Schedule, one.Measured, one.Predicted)));
            Assert.That(reports.Select(r => r.Measured), Is.EqualTo(Enumerable.Range(1, 8)), "progress in the search's order");
            Assert.That(concurrent.MostAtOnce, Is.InRange(1, Environment.ProcessorCount));
            if (Environment.ProcessorCount > 1)
            {
                Assert.That(concurrent.MostAtOnce, Is.GreaterThan(1));
            }
        });
    }

    [Test]
    public void Model_guided_search_measures_no_more_than_the_trial_budget()
    {
        var measurer = new StandInMeasurer();
        var result = new ModelGuidedSearch(new StandInModel(scale: 1), measured: 50).Search(Context(measurer, 3));
        Assert.That(result.Measured, Is.EqualTo(3));
        Assert.That(measurer.Measured, Has.Count.EqualTo(3));
    }

    [Test]
    public void Model_guided_search_needs_something_to_measure()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ModelGuidedSearch(new StandInModel(scale: 1), measured: 0));
        Assert.That(e!.ParamName, Is.EqualTo("measured"));
    }

    private static IEnumerable<ISearchStrategy> Strategies() => [.. RandomizedStrategies(), new ExhaustiveSearch(), new ModelGuidedSearch(new StandInModel(scale: 1), measured: int.MaxValue)];

    private static IEnumerable<ISearchStrategy> RandomizedStrategies() => [new RandomSearch(), new SimulatedAnnealing()];

    /// <summary>A measurer whose time is a fixed, uneven function of the schedule's text; it records what it measured.</summary>
    private sealed class StandInMeasurer(int after = int.MaxValue, CancellationTokenSource? cancel = null) : IMeasurer
    {
        public List<Schedule> Measured { get; } = [];

        public string Name => "stand-in";

        public static double SecondsOf(Schedule schedule)
        {
            var hash = 2166136261u;
            foreach (var c in schedule.ToString())
            {
                hash = (hash ^ c) * 16777619u;
            }

            return 1e-3 * (1 + (hash % 10_000) / 10_000.0);
        }

        public Measurement Measure(OperatorSpec spec, Schedule schedule, CancellationToken cancellation)
        {
            cancellation.ThrowIfCancellationRequested();
            Measured.Add(schedule);
            if (Measured.Count == after)
            {
                cancel?.Cancel();
            }

            return new Measurement(schedule, SecondsOf(schedule), null);
        }
    }

    /// <summary>A stand-in that may measure concurrently, each measurement taking a while; it records how many ran at once.</summary>
    private sealed class ConcurrentMeasurer : IMeasurer
    {
        private readonly System.Collections.Concurrent.ConcurrentBag<string> _measured = [];
        private int _running;
        private int _mostAtOnce;

        public IEnumerable<string> Measured => _measured;

        public int MostAtOnce => Volatile.Read(ref _mostAtOnce);

        public string Name => "concurrent stand-in";

        public bool MeasuresConcurrently => true;

        public Measurement Measure(OperatorSpec spec, Schedule schedule, CancellationToken cancellation)
        {
            var running = Interlocked.Increment(ref _running);
            int most;
            do
            {
                most = Volatile.Read(ref _mostAtOnce);
            }
            while (running > most && Interlocked.CompareExchange(ref _mostAtOnce, running, most) != most);

            Thread.Sleep(50);
            _measured.Add(schedule.ToJson());
            Interlocked.Decrement(ref _running);
            return new Measurement(schedule, StandInMeasurer.SecondsOf(schedule), null);
        }
    }

    /// <summary>
    /// A model that ranks exactly as <see cref="StandInMeasurer"/> measures, at another scale, or, given
    /// <paramref name="buckets"/>, estimates alike every schedule whose time falls in the same of that many
    /// equal buckets of the stand-in's range; it counts its estimates, which the search asks for from several threads.
    /// </summary>
    private sealed class StandInModel(double scale, int buckets = 0) : ICostModel
    {
        private int _estimated;

        public int Estimated => Volatile.Read(ref _estimated);

        public string Name => "stand-in";

        public double Estimate(SchedulePlan plan, TuningObjective objective = TuningObjective.EndToEnd)
        {
            Interlocked.Increment(ref _estimated);
            var seconds = StandInMeasurer.SecondsOf(plan.Schedule);
            return scale * (buckets > 0 ? Math.Floor(seconds * 1e3 * buckets) / buckets : seconds);
        }

        public double EstimateStep(Core.LayoutSteps.LayoutStep layoutStep) => throw new NotSupportedException("The searches under test price no layout steps.");
    }

    private sealed class Recorder(List<TuningProgress> reports) : IProgress<TuningProgress>
    {
        public void Report(TuningProgress value) => reports.Add(value);
    }
}
