using System.Diagnostics.CodeAnalysis;

namespace Swatop.Core.Scheduling;

/// <summary>
/// A space of schedules for one operator on one target: what search strategies walk. An algorithm
/// supplies the space of its own schedules; <see cref="ScheduleSpace"/> is their union.
/// </summary>
[SuppressMessage("Naming", "CA1716", Justification = "Operator and Default are the space's long-standing names, kept from the class it generalizes.")]
public interface IScheduleSpace
{
    /// <summary>The operator.</summary>
    OperatorSpec Operator { get; }

    /// <summary>The target's limits.</summary>
    TargetLimits Limits { get; }

    /// <summary>Checks a schedule against the operator and target.</summary>
    /// <exception cref="ScheduleException">A decision breaks a rule; the message names it.</exception>
    SchedulePlan Validate(Schedule schedule);

    /// <summary>Every point, lazily, in a deterministic order.</summary>
    IEnumerable<Schedule> Enumerate();

    /// <summary>The plans of <see cref="Enumerate"/>'s schedules, in the same order: what a cost model reads.</summary>
    IEnumerable<SchedulePlan> EnumeratePlans();

    /// <summary>
    /// Part <paramref name="part"/> of <paramref name="parts"/> of <see cref="EnumeratePlans()"/>, in the same
    /// order. The parts together hold every point once, so several threads can rank a space between them.
    /// </summary>
    /// <param name="part">Which part, from 0.</param>
    /// <param name="parts">How many parts.</param>
    /// <param name="cancellation">Checked often enough that a consumer is stopped soon even where no point comes for a while.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="parts"/> is below 1, or <paramref name="part"/> is not in [0, parts).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was cancelled.</exception>
    IEnumerable<SchedulePlan> EnumeratePlans(int part, int parts, CancellationToken cancellation = default);

    /// <summary>
    /// The space's points in families a cost model may bound before their plans are built (<see cref="PlanFamily"/>):
    /// together every point of <see cref="EnumeratePlans()"/> once. By default <paramref name="parts"/> unbounded
    /// families, the parts of <see cref="EnumeratePlans(int, int, CancellationToken)"/>, so that as many threads can rank them.
    /// </summary>
    /// <param name="parts">How many threads will rank the families: at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="parts"/> is below 1.</exception>
    IEnumerable<PlanFamily> EnumerateFamilies(int parts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        return Enumerable.Range(0, parts).Select(part => PlanFamily.Unbounded(cancellation => EnumeratePlans(part, parts, cancellation)));
    }

    /// <summary>A reasonable schedule without tuning.</summary>
    /// <exception cref="InvalidOperationException">The space is empty.</exception>
    Schedule Default();

    /// <summary>The schedule as the space writes its points: a valid schedule's canonical form is the point <see cref="Enumerate"/> yields for it.</summary>
    Schedule Canonical(Schedule schedule);

    /// <summary>A point drawn at random.</summary>
    /// <exception cref="InvalidOperationException">No point was found.</exception>
    Schedule Sample(Random random);

    /// <summary>A point that differs from <paramref name="schedule"/> in one decision drawn at random: the step of a local search.</summary>
    /// <exception cref="InvalidOperationException">The space is empty.</exception>
    Schedule Neighbor(Schedule schedule, Random random);
}
