using System.Collections.Immutable;
using Swatop.Core.Layouts;
using Swatop.Core.Scheduling;

namespace Swatop.Core.Algorithms.Winograd;

/// <summary>
/// Winograd's schedules of one operator on one target: both output tiles (2 and 4), tile columns a task from the
/// distinct ways of cutting a row of tiles into equal tasks, every divisor of a group's output channels and of
/// its input channels as the blocks, and the core-group counts that leave each group an image; each kept when
/// its buffers fit the target's LDM budget (<see cref="WinogradPlan.Create"/>) and its placements meet the
/// space's constraints. Empty for an operator the algorithm does not apply to.
/// </summary>
public sealed class WinogradSpace : IScheduleSpace
{
    private readonly Lazy<ImmutableArray<WinogradPlan>> _plans;

    /// <summary>The space of <paramref name="spec"/> on a target with <paramref name="limits"/>, the points kept by <paramref name="constraints"/>.</summary>
    public WinogradSpace(OperatorSpec spec, TargetLimits limits, PlacementConstraints constraints)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(constraints);
        Operator = spec;
        Limits = limits;
        Constraints = constraints;
        _plans = new Lazy<ImmutableArray<WinogradPlan>>(() => [.. Candidates().Select(TryPlan).OfType<WinogradPlan>()]);
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
        var plan = WinogradPlan.Create(Operator, WinogradAlgorithm.Own(schedule), Limits);
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
    /// A reasonable schedule without tuning: the most core groups, then the most output channels a task (each
    /// input tile's transform serves them all), then the most tiles a task, then the larger output tile.
    /// </summary>
    /// <exception cref="InvalidOperationException">The space is empty.</exception>
    public Schedule Default()
    {
        var plans = _plans.Value;
        if (plans.IsEmpty)
        {
            throw new InvalidOperationException($"Winograd's space of {Operator} is empty on this target.");
        }

        return plans.OrderByDescending(p => p.Schedule.CoreGroups).ThenByDescending(p => p.Tasks >= WinogradPlan.Cpes)
            .ThenByDescending(p => p.Schedule.OutBlock).ThenByDescending(p => p.Schedule.TileColumns).ThenByDescending(p => p.Schedule.InBlock)
            .ThenByDescending(p => p.Schedule.OutputTile).First().Schedule;
    }

    /// <inheritdoc/>
    public Schedule Canonical(Schedule schedule) => WinogradAlgorithm.Own(schedule);

    /// <inheritdoc/>
    public Schedule Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var plans = _plans.Value;
        return plans.IsEmpty ? throw new InvalidOperationException($"No valid Winograd schedule of {Operator} exists on this target.") : plans[random.Next(plans.Length)].Schedule;
    }

    /// <inheritdoc/>
    public Schedule Neighbor(Schedule schedule, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var own = WinogradAlgorithm.Own(schedule);
        var neighbors = _plans.Value.Select(p => p.Schedule).Where(s => Differences(own, s) == 1).ToList();
        return neighbors.Count > 0 ? neighbors[random.Next(neighbors.Count)] : Sample(random);
    }

    /// <summary>How many of the decisions of <paramref name="a"/> and <paramref name="b"/> differ (the core groups and their split axis count once).</summary>
    private static int Differences(WinogradSchedule a, WinogradSchedule b) =>
        (a.OutputTile != b.OutputTile ? 1 : 0) + (a.TileColumns != b.TileColumns ? 1 : 0) + (a.OutBlock != b.OutBlock ? 1 : 0) + (a.InBlock != b.InBlock ? 1 : 0) + (a.CoreGroups != b.CoreGroups ? 1 : 0);

    /// <summary>Every combination of decisions, valid or not, in the space's order.</summary>
    private IEnumerable<WinogradSchedule> Candidates()
    {
        if (WinogradAlgorithm.Convolution(Operator) is not { } conv)
        {
            yield break;
        }

        var outBlocks = Divisors(conv.OutChannelsPerGroup);
        var inBlocks = Divisors(conv.InChannelsPerGroup);
        for (var groups = 1; groups <= Math.Min(Limits.CoreGroups, conv.Batch); groups++)
        {
            foreach (var tile in new[] { 2, 4 })
            {
                var rowTiles = (conv.OutWidth + tile - 1) / tile;

                // Tasks of equal tiles along a row: ceil(rowTiles / k) for every k, each width once.
                var widths = Enumerable.Range(1, rowTiles).Select(k => (rowTiles + k - 1) / k).Distinct();
                foreach (var columns in widths)
                {
                    foreach (var outBlock in outBlocks)
                    {
                        foreach (var inBlock in inBlocks)
                        {
                            yield return new WinogradSchedule
                            {
                                OutputTile = tile, TileColumns = columns, OutBlock = outBlock, InBlock = inBlock, CoreGroups = groups, SplitAxis = groups == 1 ? null : "n",
                            };
                        }
                    }
                }
            }
        }
    }

    private static int[] Divisors(int value) => [.. Enumerable.Range(1, value).Where(d => value % d == 0)];

    /// <summary>The plan of <paramref name="schedule"/> when it is valid and meets the constraints; <see langword="null"/> otherwise.</summary>
    private WinogradPlan? TryPlan(WinogradSchedule schedule)
    {
        try
        {
            return (WinogradPlan)Validate(schedule);
        }
        catch (ScheduleException)
        {
            return null;
        }
    }
}
