using Swatop.Core.Scheduling;

namespace Swatop.Core.Tuning;

/// <summary>
/// The black-box baseline that walks the space from a random point by one-decision steps
/// (<see cref="ScheduleSpace.Neighbor"/>), always taking a faster neighbour and a slower one with
/// probability <c>exp(-(slowdown) / temperature)</c>, the slowdown relative to the current time and
/// the temperature falling geometrically from <see cref="InitialTemperature"/> to a hundredth of it
/// over the trial budget. Every measured point counts against the budget; points met again are
/// not measured again.
/// </summary>
public sealed class SimulatedAnnealing : ISearchStrategy
{
    /// <summary>The starting temperature: a 10% slowdown is first taken with probability 1/e.</summary>
    public const double InitialTemperature = 0.1;

    /// <inheritdoc/>
    public string Name => "annealing";

    /// <inheritdoc/>
    public SearchResult Search(SearchContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var known = new Dictionary<Schedule, Measurement>();
        Measurement? best = null;
        Measurement Visit(Schedule schedule)
        {
            if (!known.TryGetValue(schedule, out var measurement))
            {
                measurement = context.Measure(schedule, known.Count, best);
                known.Add(schedule, measurement);
                best = best is null || measurement.Seconds < best.Seconds ? measurement : best;
            }

            return measurement;
        }

        var current = Visit(context.Space.Sample(context.Random));
        var cooling = Math.Pow(0.01, 1.0 / Math.Max(1, context.Trials - 1));
        var temperature = InitialTemperature;
        for (var steps = 0; context.CanMeasure(known.Count) && steps < 100L * context.Trials; steps++)
        {
            var next = Visit(context.Space.Neighbor(current.Schedule, context.Random));
            var slowdown = (next.Seconds - current.Seconds) / current.Seconds;
            if (slowdown <= 0 || context.Random.NextDouble() < Math.Exp(-slowdown / temperature))
            {
                current = next;
            }

            temperature *= cooling;
        }

        return new SearchResult(best!, 0, known.Count);
    }
}
