using System.Collections.Immutable;
using Swatop.Core.Layouts;
using Swatop.Core.Scheduling;
using Swatop.Primitives;

namespace Swatop.Core.Algorithms.WinogradMesh;

/// <summary>
/// The fused Winograd's schedules of one operator on one target: both output tiles (2 and 4), every segment width
/// from 1 to a row's tiles with the segment counts that make a CPE's M extent a multiple of 16 up to
/// <see cref="MaxBlockTiles"/>, every multiple of 32 dividing a group's output channels and of 8 dividing its input
/// channels as the blocks, single and double buffers, row and block puts, and the core-group counts that leave each group an image; with double buffers and
/// block puts also one position's blocks at a time (<see cref="WinogradMeshSchedule.PerPosition"/>), only for blocks whose buffers do not fit the LDM with
/// all positions' (where both fit they do the same work, one position at a time only adding fills); each kept when its buffers fit
/// the target's LDM budget (<see cref="WinogradMeshPlan.Create"/>) and its placements meet the space's constraints.
/// Empty for an operator the algorithm does not apply to.
/// </summary>
public sealed class WinogradMeshSpace : ListedScheduleSpace<WinogradMeshSchedule, WinogradMeshPlan>
{
    /// <summary>The most tiles a CPE's blocks hold (the mesh GEMM's M / 8) among the listed schedules.</summary>
    public const int MaxBlockTiles = 64;

    /// <summary>The space of <paramref name="spec"/> on a target with <paramref name="limits"/>, the points kept by <paramref name="constraints"/>.</summary>
    public WinogradMeshSpace(OperatorSpec spec, TargetLimits limits, PlacementConstraints constraints)
        : base(spec, limits, constraints)
    {
    }

    /// <inheritdoc/>
    protected override string AlgorithmDescription => "the fused Winograd algorithm";

    /// <inheritdoc/>
    protected override WinogradMeshSchedule Own(Schedule schedule) => WinogradMeshAlgorithm.Own(schedule);

    /// <inheritdoc/>
    protected override WinogradMeshPlan Plan(WinogradMeshSchedule schedule) => WinogradMeshPlan.Create(Operator, schedule, Limits);

    /// <summary>
    /// A reasonable schedule without tuning: the most core groups, then the fewest tiles computed (segments and spare
    /// tiles included), then the most output channels a block (each input tile's transform serves them all), then the
    /// most input channels, then the larger output tile, then single buffers, row puts and all positions' blocks at once.
    /// </summary>
    protected override Schedule Preferred(ImmutableArray<WinogradMeshPlan> plans) =>
        plans.OrderByDescending(p => p.Schedule.CoreGroups).ThenBy(p => p.Chunks * p.Schedule.TileChunk * p.M * p.M)
            .ThenByDescending(p => p.Schedule.OutBlock).ThenByDescending(p => p.Schedule.InBlock).ThenByDescending(p => p.Schedule.OutputTile)
            .ThenBy(p => p.Schedule.DoubleBuffer).ThenBy(p => p.Schedule.BlockPuts).ThenBy(p => p.Schedule.PerPosition).First().Schedule;

    /// <inheritdoc/>
    protected override int Differences(WinogradMeshSchedule a, WinogradMeshSchedule b) =>
        (a.OutputTile != b.OutputTile ? 1 : 0) + (a.TileColumns != b.TileColumns ? 1 : 0) + (a.Segments != b.Segments ? 1 : 0) + (a.OutBlock != b.OutBlock ? 1 : 0)
        + (a.InBlock != b.InBlock ? 1 : 0) + (a.DoubleBuffer != b.DoubleBuffer ? 1 : 0) + (a.BlockPuts != b.BlockPuts ? 1 : 0) + (a.PerPosition != b.PerPosition ? 1 : 0) + (a.CoreGroups != b.CoreGroups ? 1 : 0);

    /// <inheritdoc/>
    protected override IEnumerable<WinogradMeshSchedule> Candidates()
    {
        if (WinogradMeshAlgorithm.Convolution(Operator) is not { } conv)
        {
            yield break;
        }

        var outBlocks = Multiples(conv.OutChannelsPerGroup, MeshGemmRules.NQuantum);
        var inBlocks = Multiples(conv.InChannelsPerGroup, MeshGemmRules.KQuantum);
        for (var groups = 1; groups <= Math.Min(Limits.CoreGroups, conv.Batch); groups++)
        {
            foreach (var tile in new[] { 2, 4 })
            {
                var rowTiles = (conv.OutWidth + tile - 1) / tile;
                for (var columns = 1; columns <= rowTiles; columns++)
                {
                    var stride = columns + 1;
                    var least = MeshGemmRules.PerCpeMQuantum / GreatestCommonDivisor(stride, MeshGemmRules.PerCpeMQuantum);
                    for (var segments = least; segments * stride <= MaxBlockTiles; segments *= 2)
                    {
                        foreach (var outBlock in outBlocks)
                        {
                            foreach (var inBlock in inBlocks)
                            {
                                WinogradMeshSchedule? both = null;
                                foreach (var (doubled, blockPuts) in new[] { (false, false), (true, false), (false, true), (true, true) })
                                {
                                    both = new WinogradMeshSchedule
                                    {
                                        OutputTile = tile, TileColumns = columns, Segments = segments, OutBlock = outBlock, InBlock = inBlock, DoubleBuffer = doubled,
                                        BlockPuts = blockPuts, CoreGroups = groups, SplitAxis = groups == 1 ? null : "n",
                                    };
                                    yield return both;
                                }

                                if (!WinogradMeshPlan.Fits(Operator, both!, Limits, conv))
                                {
                                    yield return both! with { PerPosition = true };
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static int[] Multiples(int value, int quantum) => [.. Enumerable.Range(1, value / quantum).Select(k => k * quantum).Where(d => value % d == 0)];

    private static int GreatestCommonDivisor(int a, int b) => b == 0 ? a : GreatestCommonDivisor(b, a % b);
}
