using Swatop.Core.Scheduling;

namespace Swatop.Core.Tuning;

/// <summary>
/// The default strategy: rank every point of the space with a cost model, measure the
/// <see cref="Measured"/> best-ranked ones (no more than the trial budget) and keep the fastest
/// measured. Ties in the ranking keep the space's enumeration order, so the search is deterministic.
/// </summary>
/// <param name="model">The cost model that ranks the space.</param>
/// <param name="measured">How many of the best-ranked candidates to measure: at least 1.</param>
public sealed class ModelGuidedSearch(ICostModel model, int measured = ModelGuidedSearch.DefaultMeasured) : ISearchStrategy
{
    /// <summary>How many candidates are measured unless told otherwise.</summary>
    public const int DefaultMeasured = 8;

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
        var best = new SortedSet<(double Seconds, long Order, Schedule Schedule)>(Comparer<(double Seconds, long Order, Schedule Schedule)>.Create(
            (x, y) => x.Seconds != y.Seconds ? x.Seconds.CompareTo(y.Seconds) : x.Order.CompareTo(y.Order)));
        long ranked = 0;
        foreach (var plan in context.Space.EnumeratePlans())
        {
            if ((ranked & 1023) == 0)
            {
                context.Cancellation.ThrowIfCancellationRequested();
            }

            best.Add((_model.Estimate(plan), ranked++, plan.Schedule));
            if (best.Count > keep)
            {
                best.Remove(best.Max);
            }
        }

        Measurement? fastest = null;
        double? predicted = null;
        var count = 0;
        foreach (var (estimate, _, schedule) in best)
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

        return new SearchResult(fastest ?? throw new InvalidOperationException($"The schedule space of {context.Space.Operator} is empty."), ranked, count, predicted);
    }
}
