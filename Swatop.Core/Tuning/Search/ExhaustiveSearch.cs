namespace Swatop.Core.Tuning;

/// <summary>The black-box baseline that measures every point of the space in its enumeration order, up to the trial and time budgets.</summary>
public sealed class ExhaustiveSearch : ISearchStrategy
{
    /// <inheritdoc/>
    public string Name => "exhaustive";

    /// <inheritdoc/>
    public SearchResult Search(SearchContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Measurement? best = null;
        var measured = 0;
        foreach (var schedule in context.Space.Enumerate())
        {
            if (!context.CanMeasure(measured))
            {
                break;
            }

            var measurement = context.Measure(schedule, measured++, best);
            best = best is null || measurement.Seconds < best.Seconds ? measurement : best;
        }

        return new SearchResult(best ?? throw new InvalidOperationException($"The schedule space of {context.Space.Operator} is empty."), 0, measured);
    }
}
