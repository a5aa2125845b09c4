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
public sealed class WinogradSpace : ListedScheduleSpace<WinogradSchedule, WinogradPlan>
{
    /// <summary>The space of <paramref name="spec"/> on a target with <paramref name="limits"/>, the points kept by <paramref name="constraints"/>.</summary>
    public WinogradSpace(OperatorSpec spec, TargetLimits limits, PlacementConstraints constraints)
        : base(spec, limits, constraints)
    {
    }

    /// <inheritdoc/>
    protected override string AlgorithmDescription => "Winograd's algorithm";

    /// <inheritdoc/>
    protected override WinogradSchedule Own(Schedule schedule) => WinogradAlgorithm.Own(schedule);

    /// <inheritdoc/>
    protected override WinogradPlan Plan(WinogradSchedule schedule) => WinogradPlan.Create(Operator, schedule, Limits);

    /// <summary>
    /// A reasonable schedule without tuning: the most core groups, then the most output channels a task (each
    /// input tile's transform serves them all), then the most tiles a task, then the larger output tile.
    /// </summary>
    protected override Schedule Preferred(ImmutableArray<WinogradPlan> plans) =>
        plans.OrderByDescending(p => p.Schedule.CoreGroups).ThenByDescending(p => p.Tasks >= WinogradPlan.Cpes)
            .ThenByDescending(p => p.Schedule.OutBlock).ThenByDescending(p => p.Schedule.TileColumns).ThenByDescending(p => p.Schedule.InBlock)
            .ThenByDescending(p => p.Schedule.OutputTile).First().Schedule;

    /// <inheritdoc/>
    protected override int Differences(WinogradSchedule a, WinogradSchedule b) =>
        (a.OutputTile != b.OutputTile ? 1 : 0) + (a.TileColumns != b.TileColumns ? 1 : 0) + (a.OutBlock != b.OutBlock ? 1 : 0) + (a.InBlock != b.InBlock ? 1 : 0) + (a.CoreGroups != b.CoreGroups ? 1 : 0);

    /// <inheritdoc/>
    protected override IEnumerable<WinogradSchedule> Candidates()
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
}
