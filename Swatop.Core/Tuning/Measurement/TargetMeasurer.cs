using Swatop.Core.Scheduling;
using Swatop.Core.Targets;

namespace Swatop.Core.Tuning;

/// <summary>
/// Measures on a target's own model of the machine: the candidate is lowered, optimized and
/// compiled, and <see cref="ICompiledKernel.Measure"/> runs it without computing its values (on the
/// SW26010 target, the emulator in timing-only mode). The time is what <paramref name="objective"/> names:
/// end to end by default (<see cref="KernelProfile.EndToEndSeconds"/>: the layout steps the schedule's
/// layouts call for and the kernel), or the kernel's alone.
/// </summary>
/// <param name="target">The target.</param>
/// <param name="objective">What the measurement's <see cref="Measurement.Seconds"/> holds.</param>
public sealed class TargetMeasurer(ITarget target, TuningObjective objective = TuningObjective.EndToEnd) : IMeasurer
{
    private readonly ITarget _target = target ?? throw new ArgumentNullException(nameof(target));

    /// <inheritdoc/>
    public string Name => $"{_target.Name} (simulated)";

    /// <summary>Each measurement compiles and runs the candidate on an emulated chip of its own.</summary>
    public bool MeasuresConcurrently => true;

    /// <inheritdoc/>
    public Measurement Measure(OperatorSpec spec, Schedule schedule, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(schedule);
        cancellation.ThrowIfCancellationRequested();
        var profile = spec.WithSchedule(schedule).Emit(_target).Measure(cancellation);
        var seconds = objective == TuningObjective.Kernel ? profile.KernelSeconds : profile.EndToEndSeconds;
        return new Measurement(schedule, seconds, profile.PeakPercent) { KernelSeconds = profile.KernelSeconds };
    }
}
