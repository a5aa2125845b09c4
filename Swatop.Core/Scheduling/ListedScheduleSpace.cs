using System.Collections.Immutable;
using Swatop.Core.Layouts;

namespace Swatop.Core.Scheduling;

/// <summary>
/// A space small enough to list: every combination of an algorithm's decisions (<see cref="Candidates"/>) is planned
/// once, and the points are those whose plans are valid and meet the space's constraints. The direct convolution's
/// and Winograd's spaces are such lists; an algorithm supplies its candidates, its plan, its default and how far two
/// of its schedules lie apart.
/// </summary>
/// <typeparam name="TSchedule">The algorithm's schedule.</typeparam>
/// <typeparam name="TPlan">The algorithm's plan.</typeparam>
public abstract class ListedScheduleSpace<TSchedule, TPlan> : IScheduleSpace
    where TSchedule : Schedule
    where TPlan : SchedulePlan
{
    private readonly Lazy<ImmutableArray<TPlan>> _plans;

    /// <summary>The space of <paramref name="spec"/> on a target with <paramref name="limits"/>, the points kept by <paramref name="constraints"/>.</summary>
    protected ListedScheduleSpace(OperatorSpec spec, TargetLimits limits, PlacementConstraints constraints)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(constraints);
        Operator = spec;
        Limits = limits;
        Constraints = constraints;
        _plans = new Lazy<ImmutableArray<TPlan>>(() => [.. Candidates().Select(TryPlan).OfType<TPlan>()]);
    }

    /// <inheritdoc/>
    public OperatorSpec Operator { get; }

    /// <inheritdoc/>
    public TargetLimits Limits { get; }

    /// <summary>The placements the space's points must give the operator's tensors.</summary>
    public PlacementConstraints Constraints { get; }

    /// <summary>The algorithm as a message names it ("the direct convolution").</summary>
    protected abstract string AlgorithmDescription { get; }

    /// <inheritdoc/>
    public SchedulePlan Validate(Schedule schedule)
    {
        var plan = Plan(Own(schedule));
        foreach (var placement in plan.Placements)
        {
            if (Constraints.Violation(placement.Tensor.Name, placement) is { } violation)
            {
                throw new ScheduleException(ScheduleDiagnostics.PlacementMismatch, placement.Tensor.Name, violation);
            }
        }

        return plan;
    }

    /// <inheritdoc/>
    public IEnumerable<Schedule> Enumerate() => _plans.Value.Select(plan => plan.Schedule);

    /// <inheritdoc/>
    public IEnumerable<SchedulePlan> EnumeratePlans() => _plans.Value;

    /// <inheritdoc/>
    public IEnumerable<SchedulePlan> EnumeratePlans(int part, int parts, CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(part);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(part, parts);
        cancellation.ThrowIfCancellationRequested();
        return _plans.Value.Where((_, index) => index % parts == part);
    }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">The space is empty.</exception>
    public Schedule Default()
    {
        var plans = _plans.Value;
        return plans.IsEmpty
            ? throw new InvalidOperationException($"The space of {AlgorithmDescription} for {Operator} is empty on this target.")
            : Preferred(plans);
    }

    /// <inheritdoc/>
    public Schedule Canonical(Schedule schedule) => Own(schedule);

    /// <inheritdoc/>
    public Schedule Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var plans = _plans.Value;
        return plans.IsEmpty
            ? throw new InvalidOperationException($"No valid schedule of {AlgorithmDescription} for {Operator} exists on this target.")
            : plans[random.Next(plans.Length)].Schedule;
    }

    /// <inheritdoc/>
    public Schedule Neighbor(Schedule schedule, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var own = Own(schedule);
        var neighbors = _plans.Value.Select(p => (TSchedule)p.Schedule).Where(s => Differences(own, s) == 1).ToList();
        return neighbors.Count > 0 ? neighbors[random.Next(neighbors.Count)] : Sample(random);
    }

    /// <summary><paramref name="schedule"/> as the algorithm's own schedule.</summary>
    /// <exception cref="ScheduleException">It is another algorithm's (<see cref="ScheduleDiagnostics.NotApplicable"/>).</exception>
    protected abstract TSchedule Own(Schedule schedule);

    /// <summary>The plan of <paramref name="schedule"/> for the space's operator and limits.</summary>
    /// <exception cref="ScheduleException">A decision breaks a rule of the algorithm.</exception>
    protected abstract TPlan Plan(TSchedule schedule);

    /// <summary>Every combination of decisions, valid or not, in the space's order.</summary>
    protected abstract IEnumerable<TSchedule> Candidates();

    /// <summary>A reasonable schedule without tuning, among the valid <paramref name="plans"/> (never empty).</summary>
    protected abstract Schedule Preferred(ImmutableArray<TPlan> plans);

    /// <summary>How many of the decisions of <paramref name="a"/> and <paramref name="b"/> differ; a neighbour differs in one.</summary>
    protected abstract int Differences(TSchedule a, TSchedule b);

    /// <summary>The plan of <paramref name="schedule"/> when it is valid and meets the constraints; <see langword="null"/> otherwise.</summary>
    private TPlan? TryPlan(TSchedule schedule)
    {
        try
        {
            return (TPlan)Validate(schedule);
        }
        catch (ScheduleException)
        {
            return null;
        }
    }
}
