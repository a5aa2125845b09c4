using Swatop.Core.Scheduling;

namespace Swatop.Core.Tuning;

/// <summary>
/// The black-box baseline that measures points drawn at random from the space until the trial
/// or time budget is spent; a point drawn twice is measured once, and 100 repeats in a row end the search
/// (the space is then all but exhausted).
/// </summary>
public sealed class RandomSearch : ISearchStrategy
{
    /// <inheritdoc/>
    public string Name => "random";

    /// <inheritdoc/>
    public SearchResult Search(SearchContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var seen = new HashSet<Schedule>();
        Measurement? best = null;
        for (var repeats = 0; context.CanMeasure(seen.Count) && repeats < 100;)
        {
            var schedule = context.Space.Sample(context.Random);
            if (!seen.Add(schedule))
            {
                repeats++;
                continue;
            }

            repeats = 0;
            var measurement = context.Measure(schedule, seen.Count - 1, best);
            best = best is null || measurement.Seconds < best.Seconds ? measurement : best;
        }

        return new SearchResult(best!, 0, seen.Count);
    }
}
