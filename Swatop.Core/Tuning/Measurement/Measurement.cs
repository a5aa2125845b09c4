using Swatop.Core.Scheduling;

namespace Swatop.Core.Tuning;

/// <summary>A measured candidate.</summary>
/// <param name="Schedule">The schedule that ran.</param>
/// <param name="Seconds">The time tuning minimizes (<see cref="TuningObjective"/>): end to end by default.</param>
/// <param name="PeakPercent">Its kernel's share of the peak of the core groups it used, when the measurer knows it.</param>
public sealed record Measurement(Schedule Schedule, double Seconds, double? PeakPercent)
{
    /// <summary>The kernel's own time, when the measurer knows it apart from the layout steps.</summary>
    public double? KernelSeconds { get; init; }

    /// <summary>
    /// The part of the batch that ran, when the time is extrapolated from two runs of a representative part
    /// (<see cref="IMeasurer.MeasureCandidate"/>) rather than measured in full; null for a full measurement.
    /// </summary>
    public RepresentativePart? Part { get; init; }
}
