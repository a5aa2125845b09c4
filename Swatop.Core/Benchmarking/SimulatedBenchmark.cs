using Swatop.Core.Scheduling;
using Swatop.Core.Targets;

namespace Swatop.Core.Benchmarking;

/// <summary>
/// Kernels benchmarked by their simulated time, for a framework's unit tests and benchmark tables: the
/// target's time model is deterministic (the same operator, schedule and target give the same cycles on
/// any host, under any load), so a test may assert a kernel's simulated time, GFLOPS or share of peak, or
/// that one schedule beats another, without the flakiness of wall-clock timing.
/// </summary>
public static class SimulatedBenchmark
{
    /// <summary>
    /// The simulated profile of <paramref name="spec"/> under <paramref name="schedule"/> on
    /// <paramref name="target"/>: lowered, optimized, compiled and measured (timing only, no operands),
    /// end to end (layout steps and kernel) and of the kernel alone.
    /// </summary>
    /// <exception cref="ScheduleException">The schedule does not fit the operator or the target.</exception>
    public static KernelProfile Simulate(this OperatorSpec spec, Schedule schedule, ITarget target, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(target);
        return spec.WithSchedule(schedule).Emit(target).Measure(cancellation);
    }

    /// <summary>
    /// <paramref name="candidate"/> against <paramref name="baseline"/> for <paramref name="spec"/> on
    /// <paramref name="target"/>, each simulated as <see cref="Simulate"/> does.
    /// </summary>
    /// <exception cref="ScheduleException">A schedule does not fit the operator or the target.</exception>
    public static ScheduleComparison CompareSchedules(this OperatorSpec spec, ITarget target, Schedule baseline, Schedule candidate, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new ScheduleComparison(spec, baseline, spec.Simulate(baseline, target, cancellation), candidate, spec.Simulate(candidate, target, cancellation));
    }
}
