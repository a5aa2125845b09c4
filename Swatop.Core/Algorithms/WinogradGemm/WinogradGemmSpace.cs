using System.Collections.Immutable;
using Swatop.Core.Layouts;
using Swatop.Core.Scheduling;
using Swatop.Primitives;

namespace Swatop.Core.Algorithms.WinogradGemm;

/// <summary>
/// The composite Winograd's schedules of one operator on one target: the output tiles asked for (<see cref="DefaultTiles"/>,
/// 2 and 4, unless others are; 6, F(6 x 6, 3 x 3), only for a double operator), every segment width
/// from 1 to a row's tiles with the segment counts that make a CPE's M extent a multiple of 16 up to
/// <see cref="MaxBlockTiles"/>, every multiple of 32 dividing a group's output channels as the output block, every multiple
/// of 8 dividing its input channels as a call's K, the multiples of 8 up to <see cref="MaxInBlock"/> dividing that K as the
/// transforms' input block, and the core-group counts that leave each group an image, with V laid out by input block and
/// M by position (<see cref="WinogradGemmSchedule.TilesByInputBlock"/>, <see cref="WinogradGemmSchedule.SumsByPosition"/>:
/// the same bytes and LDM, each put block traded for at most one get block, which costs the controller less, so the
/// other layouts are never faster and are left out to keep the space small), the C blocks' puts overlapped with the
/// next output blocks' mesh GEMM calls or not (<see cref="WinogradGemmSchedule.OverlapSumPuts"/>); each kept when its buffers fit the
/// target's LDM budget (<see cref="WinogradGemmPlan.Create"/>) and its placements meet the space's constraints. Empty for
/// an operator the algorithm does not apply to.
/// </summary>
public sealed class WinogradGemmSpace : ListedScheduleSpace<WinogradGemmSchedule, WinogradGemmPlan>
{
    /// <summary>The most tiles a CPE's blocks hold (the mesh GEMM's M / 8) among the listed schedules.</summary>
    public const int MaxBlockTiles = 64;

    /// <summary>The most input channels a transform block holds among the listed schedules: larger blocks only take LDM from the products' blocks.</summary>
    public const int MaxInBlock = 32;

    private readonly ImmutableArray<int> _tiles;

    /// <summary>
    /// The space of <paramref name="spec"/> on a target with <paramref name="limits"/>, the points kept by
    /// <paramref name="constraints"/>, over the output tiles <paramref name="tiles"/> (<see cref="DefaultTiles"/> when
    /// null; 6 is listed for double operators only).
    /// </summary>
    /// <exception cref="ArgumentException">A tile is not 2, 4 or 6.</exception>
    public WinogradGemmSpace(OperatorSpec spec, TargetLimits limits, PlacementConstraints constraints, IReadOnlyList<int>? tiles = null)
        : base(spec, limits, constraints)
    {
        if (tiles?.Where(t => t is not (2 or 4 or 6)).Select(t => (int?)t).FirstOrDefault() is { } bad)
        {
            throw new ArgumentException($"tiles contains {bad}: the composite Winograd's output tiles are 2, 4 and 6.", nameof(tiles));
        }

        _tiles = [.. tiles ?? DefaultTiles];
    }

    /// <summary>
    /// The output tiles the space lists unless asked for others: 2 and 4. F(6 x 6, 3 x 3) is built and can be forced or
    /// asked for, but is not listed by default: on the stride-1 3 x 3 layers of ResNet-50 and VGG-16 its tuned kernels are
    /// slower than F(4 x 4)'s or do not fit the LDM (<c>docs/winograd.md</c>, "F(6 x 6, 3 x 3) in double").
    /// </summary>
    public static ImmutableArray<int> DefaultTiles { get; } = [2, 4];

    /// <inheritdoc/>
    protected override string AlgorithmDescription => "the composite Winograd algorithm";

    /// <inheritdoc/>
    protected override WinogradGemmSchedule Own(Schedule schedule) => WinogradGemmAlgorithm.Own(schedule);

    /// <inheritdoc/>
    protected override WinogradGemmPlan Plan(WinogradGemmSchedule schedule) => WinogradGemmPlan.Create(Operator, schedule, Limits);

    /// <summary>
    /// A reasonable schedule without tuning: the most core groups, then the fewest tiles computed (segments and spare tiles
    /// included), then the largest K a call, then the most output channels a block, then the larger output tile, then the
    /// largest input block of the transforms.
    /// </summary>
    protected override Schedule Preferred(ImmutableArray<WinogradGemmPlan> plans) =>
        plans.OrderByDescending(p => p.Schedule.CoreGroups).ThenBy(p => p.Chunks * p.Schedule.TileChunk * p.M * p.M)
            .ThenByDescending(p => p.Schedule.GemmIn).ThenByDescending(p => p.Schedule.OutBlock).ThenByDescending(p => p.Schedule.OutputTile)
            .ThenByDescending(p => p.Schedule.InBlock).First().Schedule;

    /// <inheritdoc/>
    protected override int Differences(WinogradGemmSchedule a, WinogradGemmSchedule b) =>
        (a.OutputTile != b.OutputTile ? 1 : 0) + (a.TileColumns != b.TileColumns ? 1 : 0) + (a.Segments != b.Segments ? 1 : 0) + (a.OutBlock != b.OutBlock ? 1 : 0)
        + (a.InBlock != b.InBlock ? 1 : 0) + (a.GemmIn != b.GemmIn ? 1 : 0) + (a.CoreGroups != b.CoreGroups ? 1 : 0)
        + (a.TilesByInputBlock != b.TilesByInputBlock ? 1 : 0) + (a.SumsByPosition != b.SumsByPosition ? 1 : 0) + (a.OverlapSumPuts != b.OverlapSumPuts ? 1 : 0);

    /// <inheritdoc/>
    protected override IEnumerable<WinogradGemmSchedule> Candidates()
    {
        if (WinogradGemmAlgorithm.Convolution(Operator) is not { } conv)
        {
            yield break;
        }

        var outBlocks = Multiples(conv.OutChannelsPerGroup, MeshGemmRules.NQuantum);
        var gemmIns = Multiples(conv.InChannelsPerGroup, MeshGemmRules.KQuantum);
        for (var groups = 1; groups <= Math.Min(Limits.CoreGroups, conv.Batch); groups++)
        {
            foreach (var tile in _tiles.Where(t => t != 6 || Operator.ElementType == ElementType.Float64))
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
                            foreach (var gemmIn in gemmIns)
                            {
                                foreach (var inBlock in Multiples(gemmIn, MeshGemmRules.KQuantum).Where(b => b <= MaxInBlock))
                                {
                                    foreach (var overlap in new[] { false, true })
                                    {
                                        yield return new WinogradGemmSchedule
                                        {
                                            OutputTile = tile, TileColumns = columns, Segments = segments, OutBlock = outBlock, InBlock = inBlock, GemmIn = gemmIn,
                                            TilesByInputBlock = true, SumsByPosition = true, OverlapSumPuts = overlap, CoreGroups = groups, SplitAxis = groups == 1 ? null : "n",
                                        };
                                    }
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
