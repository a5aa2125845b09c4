using System.Collections.Immutable;
using Swatop.Core.Layouts;
using Swatop.Core.Scheduling;

namespace Swatop.Core.Algorithms.Direct;

/// <summary>
/// The direct convolution's schedules of one operator on one target: every output row tile from 1 to the
/// output height, every divisor of the groups as the groups of a task, the core-group counts that leave
/// each group an image, single or double buffers; each kept when its buffers fit the target's LDM budget
/// (<see cref="DirectPlan.Create"/>) and its placements meet the space's constraints. Empty for an operator
/// the algorithm does not apply to.
/// </summary>
public sealed class DirectSpace : IScheduleSpace
{
    private readonly Lazy<ImmutableArray<DirectPlan>> _plans;

    /// <summary>The space of <paramref name="spec"/> on a target with <paramref name="limits"/>, the points kept by <paramref name="constraints"/>.</summary>
    public DirectSpace(OperatorSpec spec, TargetLimits limits, PlacementConstraints constraints)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(constraints);
        Operator = spec;
        Limits = limits;
        Constraints = constraints;
        _plans = new Lazy<ImmutableArray<DirectPlan>>(() => [.. Candidates().Select(TryPlan).OfType<DirectPlan>()]);
    }

    /// <inheritdoc/>
    public OperatorSpec Operator { get; }

    /// <inheritdoc/>
    public TargetLimits Limits { get; }

    /// <summary>The placements the space's points must give the operator's tensors.</summary>
    public PlacementConstraints Constraints { get; }

    /// <inheritdoc/>
    public SchedulePlan Validate(Schedule schedule)
    {
        var plan = DirectPlan.Create(Operator, DirectAlgorithm.Own(schedule), Limits);
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

    /// <summary>
    /// A reasonable schedule without tuning: the most core groups, one group a task, double buffers where every
    /// CPE gets a task, and the tallest row tile that leaves each CPE at least two tasks (the shortest when none does).
    /// </summary>
    /// <exception cref="InvalidOperationException">The space is empty.</exception>
    public Schedule Default()
    {
        var plans = _plans.Value;
        if (plans.IsEmpty)
        {
            throw new InvalidOperationException($"The direct convolution's space of {Operator} is empty on this target.");
        }

        var preferred = plans.Where(p => p.Schedule.TileGroups == 1).DefaultIfEmpty(plans[0])
            .OrderByDescending(p => p.Schedule.CoreGroups).ThenByDescending(p => p.Schedule.DoubleBuffer)
            .ThenByDescending(p => p.Tasks >= 2 * DirectPlan.Cpes).ThenByDescending(p => p.Tasks >= 2 * DirectPlan.Cpes ? p.Schedule.TileRows : -p.Schedule.TileRows);
        return preferred.First().Schedule;
    }

    /// <inheritdoc/>
    public Schedule Canonical(Schedule schedule) => DirectAlgorithm.Own(schedule);

    /// <inheritdoc/>
    public Schedule Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var plans = _plans.Value;
        return plans.IsEmpty ? throw new InvalidOperationException($"No valid direct schedule of {Operator} exists on this target.") : plans[random.Next(plans.Length)].Schedule;
    }

    /// <inheritdoc/>
    public Schedule Neighbor(Schedule schedule, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var own = DirectAlgorithm.Own(schedule);
        var neighbors = _plans.Value.Select(p => p.Schedule).Where(s => Differences(own, s) == 1).ToList();
        return neighbors.Count > 0 ? neighbors[random.Next(neighbors.Count)] : Sample(random);
    }

    /// <summary>How many of the decisions of <paramref name="a"/> and <paramref name="b"/> differ (the core groups and their split axis count once).</summary>
    private static int Differences(DirectSchedule a, DirectSchedule b) =>
        (a.TileRows != b.TileRows ? 1 : 0) + (a.TileGroups != b.TileGroups ? 1 : 0) + (a.DoubleBuffer != b.DoubleBuffer ? 1 : 0) + (a.CoreGroups != b.CoreGroups ? 1 : 0);

    /// <summary>Every combination of decisions, valid or not, in the space's order.</summary>
    private IEnumerable<DirectSchedule> Candidates()
    {
        if (DirectAlgorithm.Convolution(Operator) is not { } conv)
        {
            yield break;
        }

        for (var groups = 1; groups <= Math.Min(Limits.CoreGroups, conv.Batch); groups++)
        {
            for (var tileGroups = 1; tileGroups <= conv.Groups; tileGroups++)
            {
                if (conv.Groups % tileGroups != 0)
                {
                    continue;
                }

                for (var rows = 1; rows <= conv.OutHeight; rows++)
                {
                    foreach (var doubled in new[] { false, true })
                    {
                        yield return new DirectSchedule { TileRows = rows, TileGroups = tileGroups, DoubleBuffer = doubled, CoreGroups = groups, SplitAxis = groups == 1 ? null : "n" };
                    }
                }
            }
        }
    }

    /// <summary>The plan of <paramref name="schedule"/> when it is valid and meets the constraints; <see langword="null"/> otherwise.</summary>
    private DirectPlan? TryPlan(DirectSchedule schedule)
    {
        try
        {
            return (DirectPlan)Validate(schedule);
        }
        catch (ScheduleException)
        {
            return null;
        }
    }
}
