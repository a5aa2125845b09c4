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
}
