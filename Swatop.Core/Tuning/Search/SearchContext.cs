using Swatop.Core.Scheduling;

namespace Swatop.Core.Tuning;

/// <summary>What a search works with: the space, how to measure, its budget, its randomness and who listens.</summary>
/// <param name="Space">The schedule space.</param>
/// <param name="Measurer">Times a candidate.</param>
/// <param name="Trials">The most candidates the search may measure.</param>
/// <param name="Random">The search's only source of randomness, so a seed fixes its course.</param>
/// <param name="Progress">Told after each measurement; may be null.</param>
/// <param name="Cancellation">Stops the search between measurements.</param>
/// <exception cref="ArgumentOutOfRangeException"><paramref name="Trials"/> is below 1.</exception>
public sealed record SearchContext(IScheduleSpace Space, IMeasurer Measurer, int Trials, Random Random, IProgress<TuningProgress>? Progress, CancellationToken Cancellation)
{
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

    /// <summary>What the search minimizes; a cost model ranks by it.</summary>
    public TuningObjective Objective { get; init; }

    /// <summary>How long the search may measure: after it, no new measurement starts (the first always runs). Null: no limit.</summary>
    public TimeSpan? TimeBudget { get; init; }

    /// <summary>Whether a search that has measured <paramref name="measured"/> candidates may measure another: within the trial budget and, after the first, the time budget.</summary>
    public bool CanMeasure(int measured) => measured < Trials && (measured == 0 || TimeBudget is not { } budget || _clock.Elapsed < budget);

    /// <summary>The most candidates the search may measure: at least 1.</summary>
    public int Trials { get; } = Trials >= 1 ? Trials : throw new ArgumentOutOfRangeException(nameof(Trials), Trials, $"Trials = {Trials}: a search measures at least one candidate.");

    /// <summary>
    /// Measures candidates that come next in a search's order, at once where the measurer allows it,
    /// honouring the token; reports progress for each in that order.
    /// </summary>
    /// <param name="schedules">The candidates, in the search's order.</param>
    /// <param name="measured">How many the search measured before them.</param>
    /// <param name="best">The fastest measured before them, if any.</param>
    /// <param name="degree">How many are measured at once at most, where the measurer allows it: all of them by default.</param>
    /// <param name="candidates">
    /// Measure them as candidates (<see cref="IMeasurer.MeasureCandidate"/>: perhaps extrapolated from a representative part),
    /// for a search that measures its winner in full through <see cref="Confirm"/>; false: in full.
    /// </param>
    internal IReadOnlyList<Measurement> Measure(IReadOnlyList<Schedule> schedules, int measured, Measurement? best, int degree = int.MaxValue, bool candidates = false)
    {
        Measurement One(Schedule schedule) => candidates ? Measurer.MeasureCandidate(Space.Operator, schedule, Cancellation) : Measurer.Measure(Space.Operator, schedule, Cancellation);

        Cancellation.ThrowIfCancellationRequested();
        var measurements = new Measurement[schedules.Count];
        if (Measurer.MeasuresConcurrently && schedules.Count > 1)
        {
            try
            {
                Parallel.For(0, schedules.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Min(schedules.Count, Math.Max(1, degree)), CancellationToken = Cancellation },
                    i => measurements[i] = One(schedules[i]));
            }
            catch (AggregateException e)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
            }
        }
        else
        {
            for (var i = 0; i < schedules.Count; i++)
            {
                measurements[i] = One(schedules[i]);
            }
        }

        for (var i = 0; i < measurements.Length; i++)
        {
            best = best is null || measurements[i].Seconds < best.Seconds ? measurements[i] : best;
            Progress?.Report(new TuningProgress(measured + i + 1, Trials, best.Seconds));
        }

        return measurements;
    }

    /// <summary>
    /// A search's winner as its result reports it: <paramref name="winner"/> itself when it was measured in full, or else its
    /// full measurement (<see cref="IMeasurer.Measure"/>), so that a tuned time is never an extrapolation.
    /// </summary>
    /// <param name="winner">The fastest candidate measured.</param>
    internal Measurement Confirm(Measurement winner)
    {
        ArgumentNullException.ThrowIfNull(winner);
        if (winner.Part is null)
        {
            return winner;
        }

        Cancellation.ThrowIfCancellationRequested();
        return Measurer.Measure(Space.Operator, winner.Schedule, Cancellation);
    }

    /// <summary>Measures one candidate, honouring the token and reporting progress.</summary>
    internal Measurement Measure(Schedule schedule, int measured, Measurement? best) => Measure([schedule], measured, best)[0];
}
