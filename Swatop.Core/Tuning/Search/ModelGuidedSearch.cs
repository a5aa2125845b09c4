using Swatop.Core.Scheduling;

namespace Swatop.Core.Tuning;

/// <summary>
/// The default strategy: rank every point of the space with a cost model, measure the best-ranked
/// ones, one for each of the <see cref="Measured"/> best distinct estimates (no more than the trial
/// budget), and keep the fastest measured. Candidates the model estimates alike (a space holds many:
/// the same tiles under mirrored windows or splits, say) are all one to it, so measuring several of
/// them would spend the trials its ranking cannot guide; each such group is measured through its
/// first schedule in JSON order. The ranking runs on every host core, each taking the space's families
/// (<see cref="IScheduleSpace.EnumerateFamilies"/>) in turn, and so does the measuring where the measurer
/// allows it (<see cref="IMeasurer.MeasuresConcurrently"/>). The candidates are timed as the measurer times candidates
/// (<see cref="IMeasurer.MeasureCandidate"/>: the emulator's on a representative part of a convolution's batch where its
/// images are alike, <see cref="RepresentativePart"/>), and the fastest is then measured in full, which is the time it reports.
/// </summary>
/// <remarks>
/// The ranking is a branch and bound: the families are taken in the order of the model's lower bound of
/// their estimates (<see cref="ICostModel.LowerBound"/>), best first, and once a family's bound exceeds the
/// worst of the <see cref="Measured"/> best distinct estimates made so far by all the cores together, it and every
/// family after it are skipped unbuilt; a family reached whose tighter bound (<see cref="ICostModel.TightLowerBound"/>,
/// dearer, so asked only of the families reached) exceeds it is skipped alone. A skipped plan's estimate exceeds that of as many distinct estimates as are
/// kept, so it could be none of them nor their twin: the candidates, and so the result, are those of ranking
/// every point, whatever the number of cores. Only the count of plans ranked depends on the bounds and the
/// cores' pace.
/// </remarks>
/// <param name="model">The cost model that ranks the space.</param>
/// <param name="measured">How many of the best distinct estimates to measure a candidate of: at least 1.</param>
public sealed class ModelGuidedSearch(ICostModel model, int measured = ModelGuidedSearch.DefaultMeasured) : ISearchStrategy
{
    /// <summary>How many candidates are measured unless told otherwise.</summary>
    public const int DefaultMeasured = 8;

    private static readonly Comparer<Ranked> ByEstimate = Comparer<Ranked>.Create((x, y) => x.Seconds.CompareTo(y.Seconds));

    private readonly ICostModel _model = model ?? throw new ArgumentNullException(nameof(model));

    /// <summary>How many of the best-ranked candidates are measured.</summary>
    public int Measured { get; } = measured >= 1 ? measured : throw new ArgumentOutOfRangeException(nameof(measured), measured, $"measured = {measured}: a model-guided search measures at least one candidate.");

    /// <inheritdoc/>
    public string Name => $"model-guided ({_model.Name}, best {Measured} measured)";

    /// <inheritdoc/>
    public SearchResult Search(SearchContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var keep = Math.Min(Measured, context.Trials);
        var parts = Environment.ProcessorCount;
        var options = new ParallelOptions { MaxDegreeOfParallelism = parts, CancellationToken = context.Cancellation };
        var families = context.Space.EnumerateFamilies(parts).ToList();
        var bounds = new double[families.Count];
        Parallel.For(0, families.Count, options, i => bounds[i] = families[i].HasProbe ? _model.LowerBound(families[i], context.Objective) : 0);
        var order = Enumerable.Range(0, families.Count).OrderBy(i => bounds[i]).ToArray();

        var best = new SortedSet<Ranked>[parts];
        var counts = new long[parts];
        var ranking = new Ranking(keep);
        Parallel.For(0, parts, options, part =>
        {
            (best[part], counts[part]) = Rank(ranking, families, bounds, order, context.Objective, context.Cancellation);
        });

        Measurement? fastest = null;
        double? predicted = null;
        var count = 0;
        var candidates = best.SelectMany(b => b).GroupBy(r => r.Seconds).Select(g => g.Aggregate(First)).Order(ByEstimate).Take(keep).ToList();

        // As many at once as the host has cores, where the measurer allows it; the budgets are checked before each wave. Without a
        // time budget the trial budget is known up front, so every candidate goes in one wave, the cores taking the next as each
        // finishes rather than waiting for the slowest of each wave.
        var wave = !context.Measurer.MeasuresConcurrently ? 1 : context.TimeBudget is null ? candidates.Count : parts;
        while (count < candidates.Count && context.CanMeasure(count))
        {
            var next = candidates.Skip(count).Take(wave).TakeWhile((_, i) => context.CanMeasure(count + i)).ToList();
            var measurements = context.Measure([.. next.Select(c => c.Schedule)], count, fastest, parts, candidates: true);
            for (var i = 0; i < next.Count; i++, count++)
            {
                if (fastest is null || measurements[i].Seconds < fastest.Seconds)
                {
                    (fastest, predicted) = (measurements[i], next[i].Seconds);
                }
            }
        }

        if (fastest is null && context.Space is ScheduleSpace { } union && union.MemoryErrorOfEmptySearch() is { } memory)
        {
            throw memory;
        }

        // A candidate timed on a representative part of its batch is compared as such; the winner's time is its full measurement.
        var winner = context.Confirm(fastest ?? throw new InvalidOperationException($"The schedule space of {context.Space.Operator} is empty."));
        return new SearchResult(winner, counts.Sum(), count, predicted);
    }

    /// <summary>
    /// The plans of the best distinct estimates, as many as <paramref name="ranking"/> keeps, one each, of the families
    /// this thread takes from <paramref name="order"/>, and how many plans it ranked.
    /// </summary>
    private (SortedSet<Ranked> Best, long Ranked) Rank(Ranking ranking, List<PlanFamily> families, double[] bounds, int[] order, TuningObjective objective, CancellationToken cancellation)
    {
        var keep = ranking.Keep;
        var best = new SortedSet<Ranked>(ByEstimate);
        long ranked = 0;
        while (ranking.Next() is var next && next < order.Length)
        {
            // The families come in the order of their bounds, so once one is beaten, so is every one after it; a family
            // reached is skipped alone when its tighter bound is beaten.
            if (bounds[order[next]] > ranking.Threshold)
            {
                ranking.Stop();
                break;
            }

            var family = families[order[next]];
            if (family.HasProbe && _model.TightLowerBound(family, objective) > ranking.Threshold)
            {
                continue;
            }

            foreach (var plan in family.Plans(cancellation))
            {
                if ((ranked++ & 255) == 0)
                {
                    cancellation.ThrowIfCancellationRequested();
                }

                var candidate = new Ranked(_model.Estimate(plan, objective), plan.Schedule);
                ranking.Offer(candidate.Seconds);
                if (best.TryGetValue(candidate, out var twin))
                {
                    if (ReferenceEquals(First(twin, candidate).Schedule, candidate.Schedule))
                    {
                        best.Remove(twin);
                        best.Add(candidate);
                    }
                }
                else if (best.Count < keep || candidate.Seconds < best.Max.Seconds)
                {
                    best.Add(candidate);
                    if (best.Count > keep)
                    {
                        best.Remove(best.Max);
                    }
                }
            }
        }

        return (best, ranked);
    }

    /// <summary>Of two candidates estimated alike, the one measured for both: the first schedule in JSON order.</summary>
    private static Ranked First(Ranked x, Ranked y) => string.CompareOrdinal(x.Schedule.ToJson(), y.Schedule.ToJson()) <= 0 ? x : y;

    private readonly record struct Ranked(double Seconds, Schedule Schedule);
}
