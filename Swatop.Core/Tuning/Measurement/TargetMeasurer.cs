using Swatop.Core.Scheduling;
using Swatop.Core.Targets;

namespace Swatop.Core.Tuning;

/// <summary>
/// Measures on a target's own model of the machine: the candidate is lowered, optimized and
/// compiled, and <see cref="ICompiledKernel.Measure"/> runs it without computing its values (on the
/// SW26010 target, the emulator in timing-only mode). The time is what <paramref name="objective"/> names:
/// end to end by default (<see cref="KernelProfile.EndToEndSeconds"/>: the layout steps the schedule's
/// layouts call for and the kernel), or the kernel's alone. A search's candidate of a convolution whose core
/// groups walk alike images is timed on a representative part of its batch (<see cref="MeasureCandidate"/>)
/// unless <paramref name="representativeParts"/> is false.
/// </summary>
/// <param name="target">The target.</param>
/// <param name="objective">What the measurement's <see cref="Measurement.Seconds"/> holds.</param>
/// <param name="representativeParts">Whether <see cref="MeasureCandidate"/> may extrapolate from a representative part; true by default.</param>
public sealed class TargetMeasurer(ITarget target, TuningObjective objective = TuningObjective.EndToEnd, bool representativeParts = true) : IMeasurer
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

    /// <inheritdoc/>
    /// <remarks>
    /// Where <see cref="RepresentativePart.For"/> finds a part, the same schedule runs (timing only) on the operator at
    /// the part's two batches, and the kernel's time and the end-to-end time are each extrapolated to the whole batch
    /// (<see cref="RepresentativePart.Extrapolate"/>); where the core groups' shares differ, the last group's share is
    /// extrapolated too (from two more batches where its remainder differs, <see cref="RepresentativePart.ExtrapolateLast"/>)
    /// and the slower of the two is the time. Elsewhere, and with representative parts off, this is <see cref="Measure"/>.
    /// </remarks>
    public Measurement MeasureCandidate(OperatorSpec spec, Schedule schedule, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(schedule);
        if (!representativeParts || RepresentativePart.For(spec, schedule, _target.Limits) is not { } part)
        {
            return Measure(spec, schedule, cancellation);
        }

        KernelProfile Run(int batch)
        {
            cancellation.ThrowIfCancellationRequested();
            return RepresentativePart.OperatorAt(spec, batch).WithSchedule(schedule).Emit(_target).Measure(cancellation);
        }

        var small = Run(part.SmallBatch);
        var large = Run(part.LargeBatch);
        var kernel = part.Extrapolate(small.KernelSeconds, large.KernelSeconds);
        var endToEnd = part.Extrapolate(small.EndToEndSeconds, large.EndToEndSeconds);
        if (!part.SharesAlike)
        {
            // The groups work apart and no layout step runs (RepresentativePart.For): the kernel ends with its slowest group.
            var (lastSmall, lastLarge) = part.LastPartsShared ? (small, large) : (Run(part.LastSmallBatch), Run(part.LastLargeBatch));
            kernel = Math.Max(kernel, part.ExtrapolateLast(lastSmall.KernelSeconds, lastLarge.KernelSeconds));
            endToEnd = Math.Max(endToEnd, part.ExtrapolateLast(lastSmall.EndToEndSeconds, lastLarge.EndToEndSeconds));
        }

        var seconds = objective == TuningObjective.Kernel ? kernel : endToEnd;

        // The kernel's share of the peak goes as its floating-point operations over its time, and the operations as the images.
        var peak = kernel > 0 ? large.PeakPercent * part.WorkOverLarge * large.KernelSeconds / kernel : 0;
        return new Measurement(schedule, seconds, peak) { KernelSeconds = kernel, Part = part };
    }
}
