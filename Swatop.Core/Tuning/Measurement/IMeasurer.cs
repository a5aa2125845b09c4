using Swatop.Core.Scheduling;

namespace Swatop.Core.Tuning;

/// <summary>Times one candidate: the emulator, or a real machine behind a command.</summary>
public interface IMeasurer
{
    /// <summary>What measures, for logs and results.</summary>
    string Name { get; }

    /// <summary>
    /// Whether several candidates may be measured at once, each on a host thread of its own: true for a
    /// measurer whose measurements share nothing (the emulator); false, the default, for one that times
    /// candidates on a machine they would share.
    /// </summary>
    bool MeasuresConcurrently => false;

    /// <summary>The time of <paramref name="spec"/> run with <paramref name="schedule"/>.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was cancelled.</exception>
    Measurement Measure(OperatorSpec spec, Schedule schedule, CancellationToken cancellation);

    /// <summary>
    /// The time of <paramref name="spec"/> run with <paramref name="schedule"/> as a search compares its candidates: by
    /// default the full <see cref="Measure"/>; a measurer may instead extrapolate it from a representative part of the
    /// work (<see cref="Measurement.Part"/> then says which), and a search that does so measures its winner in full
    /// (<see cref="SearchContext.Confirm"/>).
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was cancelled.</exception>
    Measurement MeasureCandidate(OperatorSpec spec, Schedule schedule, CancellationToken cancellation) => Measure(spec, schedule, cancellation);
}
