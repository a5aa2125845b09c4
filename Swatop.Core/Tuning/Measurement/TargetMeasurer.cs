using Swatop.Core.Scheduling;
using Swatop.Core.Targets;

namespace Swatop.Core.Tuning;

/// <summary>
/// Measures on a target's own model of the machine: the candidate is lowered, optimized and
/// compiled, and <see cref="ICompiledKernel.Measure"/> runs it without computing its values (on the
/// SW26010 target, the emulator in timing-only mode). The time is the kernel's
/// (<see cref="KernelProfile.KernelSeconds"/>): the host's layout steps around it are not the schedule's work.
/// </summary>
/// <param name="target">The target.</param>
public sealed class TargetMeasurer(ITarget target) : IMeasurer
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
        return new Measurement(schedule, profile.KernelSeconds, profile.PeakPercent);
    }
}
