using Swatop.Core.Scheduling;

namespace Swatop.Core.Tuning;

/// <summary>Times one candidate: the emulator, or a real machine behind a command.</summary>
public interface IMeasurer
{
    /// <summary>What measures, for logs and results.</summary>
    string Name { get; }

    /// <summary>The time of <paramref name="spec"/> run with <paramref name="schedule"/>.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was cancelled.</exception>
    Measurement Measure(OperatorSpec spec, Schedule schedule, CancellationToken cancellation);
}
