using System.Collections.Immutable;
using Swatop.Core.Layouts;
using Swatop.Core.Scheduling;

namespace Swatop.Core.Algorithms.Direct;

/// <summary>
/// The direct convolution's schedules of one operator on one target: every output row tile from 1 to the
/// output height, every divisor of the groups as the groups of a task, the core-group counts that leave
/// each group an image, single or double buffers, the tensors in the shared memory in place or in each core group's
/// own memory (<see cref="DirectSchedule.GroupMemory"/>); each kept when its buffers fit the target's LDM budget
/// (<see cref="DirectPlan.Create"/>) and its placements meet the space's constraints. Empty for an operator
/// the algorithm does not apply to.
/// </summary>
public sealed class DirectSpace : ListedScheduleSpace<DirectSchedule, DirectPlan>
{
    /// <summary>The space of <paramref name="spec"/> on a target with <paramref name="limits"/>, the points kept by <paramref name="constraints"/>.</summary>
    public DirectSpace(OperatorSpec spec, TargetLimits limits, PlacementConstraints constraints)
        : base(spec, limits, constraints)
    {
    }

    /// <inheritdoc/>
    protected override string AlgorithmDescription => "the direct convolution";

    /// <inheritdoc/>
    protected override DirectSchedule Own(Schedule schedule) => DirectAlgorithm.Own(schedule);

    /// <inheritdoc/>
    protected override DirectPlan Plan(DirectSchedule schedule) => DirectPlan.Create(Operator, schedule, Limits);

    /// <summary>
    /// A reasonable schedule without tuning: the tensors in place (no layout step), the most core groups, one group a
    /// task, double buffers where every CPE gets a task, and the tallest row tile that leaves each CPE at least two
    /// tasks (the shortest when none does).
    /// </summary>
    protected override Schedule Preferred(ImmutableArray<DirectPlan> plans) =>
        plans.Where(p => p.Schedule.TileGroups == 1).DefaultIfEmpty(plans[0])
            .OrderBy(p => p.Schedule.GroupMemory).ThenByDescending(p => p.Schedule.CoreGroups).ThenByDescending(p => p.Schedule.DoubleBuffer)
            .ThenByDescending(p => p.Tasks >= 2 * DirectPlan.Cpes).ThenByDescending(p => p.Tasks >= 2 * DirectPlan.Cpes ? p.Schedule.TileRows : -p.Schedule.TileRows)
            .First().Schedule;

    /// <inheritdoc/>
    protected override int Differences(DirectSchedule a, DirectSchedule b) =>
        (a.TileRows != b.TileRows ? 1 : 0) + (a.TileGroups != b.TileGroups ? 1 : 0) + (a.DoubleBuffer != b.DoubleBuffer ? 1 : 0) + (a.CoreGroups != b.CoreGroups ? 1 : 0)
        + (a.GroupMemory != b.GroupMemory ? 1 : 0);

    /// <inheritdoc/>
    protected override IEnumerable<DirectSchedule> Candidates()
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
                        foreach (var groupMemory in new[] { false, true })
                        {
                            yield return new DirectSchedule
                            {
                                TileRows = rows, TileGroups = tileGroups, DoubleBuffer = doubled, GroupMemory = groupMemory, CoreGroups = groups, SplitAxis = groups == 1 ? null : "n",
                            };
                        }
                    }
                }
            }
        }
    }
}
