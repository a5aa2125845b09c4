using Swatop.Core.Scheduling;

namespace Swatop.Core.Tuning;

/// <summary>
/// The default strategy: rank every point of the space with a cost model, measure the
/// <see cref="Measured"/> best-ranked ones (no more than the trial budget) and keep the fastest
/// measured. The ranking runs on every host core, each taking a part of the space
/// (<see cref="ScheduleSpace.EnumeratePlans(int, int, CancellationToken)"/>); equal estimates rank by the schedules'
/// JSON text, so the search is deterministic whatever the number of cores.
/// </summary>
/// <param name="model">The cost model that ranks the space.</param>
/// <param name="measured">How many of the best-ranked candidates to measure: at least 1.</param>
public sealed class ModelGuidedSearch(ICostModel model, int measured = ModelGuidedSearch.DefaultMeasured) : ISearchStrategy
{
    /// <summary>How many candidates are measured unless told otherwise.</summary>
    public const int DefaultMeasured = 8;

    private static readonly Comparer<Ranked> ByEstimate = Comparer<Ranked>.Create((x, y) =>
        x.Seconds != y.Seconds ? x.Seconds.CompareTo(y.Seconds) : string.CompareOrdinal(x.Schedule.ToJson(), y.Schedule.ToJson()));

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
        var best = new SortedSet<Ranked>[parts];
        var counts = new long[parts];
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts, CancellationToken = context.Cancellation }, part =>
        {
            (best[part], counts[part]) = Rank(context.Space.EnumeratePlans(part, parts, context.Cancellation), keep, context.Cancellation);
        });

        Measurement? fastest = null;
        double? predicted = null;
        var count = 0;
        foreach (var (estimate, schedule) in best.SelectMany(b => b).Order(ByEstimate).Take(keep))
        {
            if (!context.CanMeasure(count))
            {
                break;
            }

            var measurement = context.Measure(schedule, count++, fastest);
            if (fastest is null || measurement.Seconds < fastest.Seconds)
            {
                (fastest, predicted) = (measurement, estimate);
            }
        }

        return new SearchResult(fastest ?? throw new InvalidOperationException($"The schedule space of {context.Space.Operator} is empty."), counts.Sum(), count, predicted);
    }

    /// <summary>The <paramref name="keep"/> plans the model ranks best, and how many it ranked.</summary>
    private (SortedSet<Ranked> Best, long Ranked) Rank(IEnumerable<LoopPlan> plans, int keep, CancellationToken cancellation)
    {
        var best = new SortedSet<Ranked>(ByEstimate);
        long ranked = 0;
        foreach (var plan in plans)
        {
            if ((ranked++ & 255) == 0)
            {
                cancellation.ThrowIfCancellationRequested();
            }

            var estimate = _model.Estimate(plan);
            if (best.Count < keep || estimate <= best.Max.Seconds)
            {
                best.Add(new Ranked(estimate, plan.Schedule));
                if (best.Count > keep)
                {
                    best.Remove(best.Max);
                }
            }
        }

        return (best, ranked);
    }

    private readonly record struct Ranked(double Seconds, Schedule Schedule);
}
