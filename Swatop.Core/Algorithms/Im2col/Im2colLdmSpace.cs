using System.Collections.Immutable;
using Swatop.Core.Layouts;
using Swatop.Core.Scheduling;
using Swatop.Primitives;

namespace Swatop.Core.Algorithms.Im2col;

/// <summary>
/// The schedules of explicit im2col with the column block in LDM of one convolution on one target: output rows a CPE
/// from 1 while its positions stay within <see cref="MaxBlockRows"/> (and a tile within the output's rows), tap blocks
/// that cut a group's taps into 1 to <see cref="MaxTapBlocks"/> near-equal parts (multiples of 8), output blocks that
/// cut its output channels into 1 to <see cref="MaxOutBlocks"/> (multiples of 32), tiles of one image or of 2, 4 or 8
/// images whose rows a tile covers (<see cref="Im2colLdmSchedule.ImagesPerTile"/>), puts waited for at once or overlapped (and, with several tap blocks,
/// spread over the next tile's tap blocks), the weights of several tap blocks gotten every tile or kept in LDM, taps gathered by
/// transposes or (stride 1 along the width) copied, a channel's rows in one get where taps read past the right edge
/// (<see cref="Im2colLdmSchedule.ChannelRowsPastEdge"/>), a group's rows run on across its images where an image's last
/// tile would pass its output (<see cref="Im2colLdmSchedule.RowsAcrossImages"/>), and the core-group counts that leave
/// each group an image; where the caller keeps its activations in the core groups' memories, each also with its tensors
/// there (<see cref="Im2colLdmSchedule.GroupMemory"/>); each kept when its buffers fit the target's LDM budget (<see cref="Im2colLdmPlan.Create"/>).
/// Empty for an operator the placement does not apply to (<see cref="Im2colLdmPlan.WhyNot"/>), and under placement
/// constraints, since the kernel reads and writes the framework's layouts only.
/// </summary>
public sealed class Im2colLdmSpace : ListedScheduleSpace<Im2colLdmSchedule, Im2colLdmPlan>
{
    /// <summary>The most output positions a CPE's block holds (the mesh GEMM's M / 8) among the listed schedules with more than one row a CPE.</summary>
    public const int MaxBlockRows = 256;

    /// <summary>The most tap blocks a listed schedule cuts a group's taps into.</summary>
    public const int MaxTapBlocks = 8;

    /// <summary>The most output blocks a listed schedule cuts a group's output channels into.</summary>
    public const int MaxOutBlocks = 4;

    /// <summary>The space of <paramref name="spec"/> on a target with <paramref name="limits"/>, the points kept by <paramref name="constraints"/>.</summary>
    public Im2colLdmSpace(OperatorSpec spec, TargetLimits limits, PlacementConstraints constraints)
        : base(spec, limits, constraints)
    {
    }

    /// <inheritdoc/>
    protected override string AlgorithmDescription => "explicit im2col with the column block in LDM";

    /// <inheritdoc/>
    protected override Im2colLdmSchedule Own(Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return schedule as Im2colLdmSchedule ?? throw new ScheduleException(ScheduleDiagnostics.NotApplicable, nameof(Schedule.Algorithm),
            $"The schedule {schedule} does not build the column block in LDM; this space's schedules are {Im2colLdmSchedule.Discriminator} ones.");
    }

    /// <inheritdoc/>
    protected override Im2colLdmPlan Plan(Im2colLdmSchedule schedule)
    {
        var plan = Im2colLdmPlan.Create(Operator, schedule, Limits);
        if (!Constraints.IsEmpty)
        {
            throw new ScheduleException(ScheduleDiagnostics.PlacementMismatch, "placement",
                $"An im2col kernel with the column block in LDM reads and writes the framework's layouts; it is not a candidate under the constraints {Constraints}.");
        }

        return plan;
    }

    /// <summary>A reasonable schedule without tuning: the most core groups, then the fewest tap blocks, then the fewest output blocks, then the fewest positions computed, then the fewest rows a CPE.</summary>
    protected override Schedule Preferred(ImmutableArray<Im2colLdmPlan> plans) =>
        plans.OrderByDescending(p => p.Schedule.CoreGroups).ThenBy(p => p.TapBlocks).ThenBy(p => p.OutBlocks)
            .ThenBy(p => (long)p.TilesPerGroup * p.BlockRows).ThenBy(p => p.Schedule.RowsPerCpe).ThenBy(p => p.Schedule.OverlapPuts).ThenBy(p => p.Schedule.SpreadPuts).ThenBy(p => p.Schedule.ResidentWeights).ThenBy(p => p.Schedule.CopyTaps).ThenBy(p => p.Schedule.ChannelRowsPastEdge).ThenBy(p => p.Schedule.RowsAcrossImages).ThenBy(p => p.Schedule.GroupMemory).First().Schedule;

    /// <inheritdoc/>
    protected override int Differences(Im2colLdmSchedule a, Im2colLdmSchedule b) =>
        (a.RowsPerCpe != b.RowsPerCpe ? 1 : 0) + (a.OutBlock != b.OutBlock ? 1 : 0) + (a.InBlock != b.InBlock ? 1 : 0) + (a.CoreGroups != b.CoreGroups ? 1 : 0)
        + (a.OverlapPuts != b.OverlapPuts ? 1 : 0) + (a.ImagesPerTile != b.ImagesPerTile ? 1 : 0) + (a.ResidentWeights != b.ResidentWeights ? 1 : 0) + (a.SpreadPuts != b.SpreadPuts ? 1 : 0)
        + (a.CopyTaps != b.CopyTaps ? 1 : 0) + (a.ChannelRowsPastEdge != b.ChannelRowsPastEdge ? 1 : 0) + (a.RowsAcrossImages != b.RowsAcrossImages ? 1 : 0)
        + (a.GroupMemory != b.GroupMemory ? 1 : 0);

    /// <inheritdoc/>
    protected override IEnumerable<Im2colLdmSchedule> Candidates()
    {
        if (Im2colLdmPlan.WhyNot(Operator) is not null || !Constraints.IsEmpty)
        {
            yield break;
        }

        var conv = (Conv2dAttributes)Operator.Attributes;
        var taps = conv.InChannelsPerGroup * conv.Kernel.Height * conv.Kernel.Width;
        var tapBlocks = Cuts(taps, MeshGemmRules.KQuantum, MaxTapBlocks);
        var outBlocks = Cuts(conv.OutChannelsPerGroup, MeshGemmRules.NQuantum, MaxOutBlocks);
        for (var groups = 1; groups <= Math.Min(Limits.CoreGroups, conv.Batch); groups++)
        {
            foreach (var (images, rows) in Tiles(conv, groups))
            {
                foreach (var outBlock in outBlocks)
                {
                    foreach (var inBlock in tapBlocks)
                    {
                        foreach (var overlap in new[] { false, true })
                        {
                            var point = new Im2colLdmSchedule
                            {
                                RowsPerCpe = rows, OutBlock = outBlock, InBlock = inBlock, OverlapPuts = overlap, ImagesPerTile = images, CoreGroups = groups, SplitAxis = groups == 1 ? null : "n",
                            };
                            foreach (var variant in Variants(point, (taps + inBlock - 1) / inBlock).SelectMany(v => Gets(conv, v)).SelectMany(v => Rows(conv, v)).SelectMany(Memories))
                            {
                                yield return variant;
                                if (Math.Max(1, conv.Stride.Width) == 1)
                                {
                                    yield return variant with { CopyTaps = true };
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// <paramref name="schedule"/> in place, and where the caller keeps its activations in the core groups' memories
    /// (<see cref="CallerMemory.CoreGroups"/>) and the schedule shares the batch over all of them as the caller does, with
    /// its tensors there too (<see cref="Im2colLdmSchedule.GroupMemory"/>), which then needs no step. On fewer groups the
    /// caller's shares would meet the kernel in the shared memory anyway, so that twin is not listed.
    /// </summary>
    private IEnumerable<Im2colLdmSchedule> Memories(Im2colLdmSchedule schedule) =>
        Limits.CallerMemory == CallerMemory.CoreGroups && schedule.CoreGroups == Limits.CoreGroups && schedule.CoreGroups > 1
            ? [schedule, schedule with { GroupMemory = true }] : [schedule];

    /// <summary>
    /// The tiles listed for <paramref name="groups"/> core groups, as (images a tile, rows a CPE): one image a tile with
    /// rows a CPE from 1 while its positions stay within <see cref="MaxBlockRows"/> and a tile within the output's rows; and
    /// 2, 4 or 8 images a tile where they divide every group's images, each with the rows a CPE that cover an image in one
    /// tile (1, or within <see cref="MaxBlockRows"/>), so that the weights are read once for that many images.
    /// </summary>
    private static IEnumerable<(int Images, int Rows)> Tiles(Conv2dAttributes conv, int groups)
    {
        var mesh = MeshGemmRules.MeshSize;
        var mostRows = (conv.OutHeight + mesh - 1) / mesh;
        for (var rows = 1; rows <= mostRows && (rows == 1 || (long)rows * conv.OutWidth <= MaxBlockRows); rows++)
        {
            yield return (1, rows);
        }

        var chunk = groups == 1 ? conv.Batch : (conv.Batch + groups - 1) / groups;
        var fewest = conv.Batch - ((groups - 1) * chunk);
        for (var images = 2; images <= mesh; images *= 2)
        {
            var rows = (conv.OutHeight + (mesh / images) - 1) / (mesh / images);
            if (chunk % images == 0 && fewest % images == 0 && (rows == 1 || (long)rows * conv.OutWidth <= MaxBlockRows))
            {
                yield return (images, rows);
            }
        }
    }

    /// <summary>
    /// <paramref name="point"/> and, with more than one tap block, the same with every tap block's weights in LDM and,
    /// with overlapped puts, with the puts spread over the next tile's tap blocks, each alone and both.
    /// </summary>
    private static IEnumerable<Im2colLdmSchedule> Variants(Im2colLdmSchedule point, int tapBlocks)
    {
        yield return point;
        if (tapBlocks == 1)
        {
            yield break;
        }

        yield return point with { ResidentWeights = true };
        if (point.OverlapPuts)
        {
            yield return point with { SpreadPuts = true };
            yield return point with { SpreadPuts = true, ResidentWeights = true };
        }
    }

    /// <summary>
    /// <paramref name="point"/> and, where a tap reads past the input's right edge but a channel's rows could come in one
    /// get (more than one tap row, covering the stride along the height), the same with
    /// <see cref="Im2colLdmSchedule.ChannelRowsPastEdge"/>.
    /// </summary>
    private static IEnumerable<Im2colLdmSchedule> Gets(Conv2dAttributes conv, Im2colLdmSchedule point)
    {
        yield return point;
        var sw = Math.Max(1, conv.Stride.Width);
        var pastEdge = ((conv.OutWidth - 1) * sw) + ((conv.Kernel.Width - 1) * conv.Dilation.Width) - conv.Padding.Left > conv.Width - 1;
        if (pastEdge && conv.Kernel.Height > 1 && Math.Max(1, conv.Stride.Height) <= ((conv.Kernel.Height - 1) * conv.Dilation.Height) + 1)
        {
            yield return point with { ChannelRowsPastEdge = true };
        }
    }

    /// <summary>
    /// <paramref name="point"/> and, with one image a tile whose rows do not divide the output's (so that an image's last
    /// tile would compute rows past it) and rows a CPE that do, the same with <see cref="Im2colLdmSchedule.RowsAcrossImages"/>.
    /// </summary>
    private static IEnumerable<Im2colLdmSchedule> Rows(Conv2dAttributes conv, Im2colLdmSchedule point)
    {
        yield return point;
        if (point.ImagesPerTile == 1 && conv.OutHeight % point.RowsPerCpe == 0 && conv.OutHeight % (MeshGemmRules.MeshSize * point.RowsPerCpe) != 0)
        {
            yield return point with { RowsAcrossImages = true };
        }
    }

    /// <summary>The blocks, multiples of <paramref name="quantum"/>, that cut <paramref name="extent"/> into 1 to <paramref name="most"/> near-equal parts, largest first.</summary>
    private static int[] Cuts(int extent, int quantum, int most) =>
        [.. Enumerable.Range(1, most).Select(parts => ((extent + parts - 1) / parts + quantum - 1) / quantum * quantum).Distinct()];
}
