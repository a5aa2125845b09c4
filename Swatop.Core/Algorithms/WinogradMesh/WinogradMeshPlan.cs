using System.Collections.Immutable;
using System.Globalization;
using Swatop.Core.Algorithms.Winograd;
using Swatop.Core.Layouts;
using Swatop.Core.Lowering;
using Swatop.Core.Scheduling;
using Swatop.Primitives;

namespace Swatop.Core.Algorithms.WinogradMesh;

/// <summary>
/// A fused Winograd schedule checked against its operator and target: the row segments of a chunk, the mesh GEMM's
/// shape, each CPE's blocks and its LDM buffers, and how the core groups share the batch. Every tensor stays in the
/// framework's NCHW layout, read and written in place.
/// </summary>
/// <remarks>
/// CPE (i, j) holds, column-major as the mesh GEMM wants them, alpha^2 blocks of A (<see cref="BufferTiles"/>: its
/// <see cref="BlockTiles"/> tiles of mesh row i by the <see cref="BlockIn"/> input channels of block j), of B
/// (<see cref="BufferFilters"/>: the block's input channels of block i by its output channels of block j) and of C
/// (<see cref="BufferAccumulators"/>: the tiles of row i by the output channels of block j), so every transform
/// stays on its CPE. A CPE's tiles are its row's <see cref="WinogradMeshSchedule.Segments"/> segments of
/// <see cref="TileStride"/> tiles: a segment's tiles and one spare, so that the row transform of every tile of every
/// channel is one call at a stride of m (the spare tile is never put). One scratch buffer (<see cref="BufferScratch"/>)
/// serves the filters' transform, the input's column transform, and the output transform of one
/// output channel at a time; <see cref="KernelLowering.BufferWork"/> is the mesh GEMM's workspace.
/// </remarks>
public sealed class WinogradMeshPlan : ImageSplitPlan, IRowSegmentGeometry
{
    /// <summary>The LDM buffer of the transforms' coefficients.</summary>
    public const string BufferCoefficients = "ldm_c";

    /// <summary>The LDM buffer of the transformed filters: the mesh GEMM's B blocks.</summary>
    public const string BufferFilters = "ldm_u";

    /// <summary>The LDM buffer of the transformed input tiles: the mesh GEMM's A blocks.</summary>
    public const string BufferTiles = "ldm_v";

    /// <summary>The LDM buffer of the element-wise products' sums: the mesh GEMM's C blocks.</summary>
    public const string BufferAccumulators = "ldm_m";

    /// <summary>The LDM scratch buffer of the transforms.</summary>
    public const string BufferScratch = "ldm_x";

    /// <summary>The LDM buffer of a block's input rows as gotten, double-buffered (<see cref="WinogradMeshSchedule.DoubleBuffer"/>), or single with <see cref="WinogradMeshSchedule.PerPosition"/> alone.</summary>
    public const string BufferInput = "ldm_in";

    /// <summary>The LDM buffer of a block's filters as gotten, double-buffered (<see cref="WinogradMeshSchedule.DoubleBuffer"/> only).</summary>
    public const string BufferRawFilters = "ldm_g";

    /// <summary>The LDM buffer of a channel's output rows packed for its puts, two copies (<see cref="WinogradMeshSchedule.BlockPuts"/> only).</summary>
    public const string BufferPut = "ldm_y";

    /// <summary>CPEs along a side of the mesh.</summary>
    public const int Mesh = MeshGemmRules.MeshSize;

    private ImmutableArray<TensorPlacement> _placements;

    private WinogradMeshPlan(OperatorSpec spec, WinogradMeshSchedule schedule, TargetLimits limits, Conv2dAttributes conv) : base(spec, limits, conv, schedule.CoreGroups)
    {
        Schedule = schedule;
        Transforms = WinogradTransforms.For(schedule.OutputTile);
        WorkspaceElements = MeshGemmWorkspace.Elements(BlockTiles, BlockOut, BlockIn, spec.ElementType);
        long Align(long elements) => (elements * ElementBytes + limits.LdmAlignmentBytes - 1) / limits.LdmAlignmentBytes * limits.LdmAlignmentBytes;
        LdmBytes = Align(CoefficientElements) + Align(FilterElements) + Align(TileElements) + Align(AccumulatorElements) + Align(ScratchElements) + Align(WorkspaceElements)
            + (schedule.DoubleBuffer ? 2 * (Align(InputElements) + Align(RawFilterElements)) : schedule.PerPosition ? Align(InputElements) : 0) + (schedule.BlockPuts ? 2 * Align(PutElements) : 0);
    }

    /// <inheritdoc/>
    public override WinogradMeshSchedule Schedule { get; }

    /// <summary>The transforms of the schedule's tile.</summary>
    public WinogradTransforms Transforms { get; }

    /// <inheritdoc/>
    public override long LdmBytes { get; }

    /// <inheritdoc/>
    int IRowSegmentGeometry.TileColumns => Schedule.TileColumns;

    /// <inheritdoc/>
    int IRowSegmentGeometry.SegmentsPerMeshRow => Schedule.Segments;

    /// <summary>The output tile's side m.</summary>
    public int M => Transforms.OutputTile;

    /// <summary>The input tile's side, m + 2.</summary>
    public int Alpha => Transforms.Alpha;

    /// <summary>Rows of output tiles of an image.</summary>
    public int TileRows => (Conv.OutHeight + M - 1) / M;

    /// <summary>Output tiles along a row of the output.</summary>
    public int RowTiles => (Conv.OutWidth + M - 1) / M;

    /// <summary>Segments along a row of tiles.</summary>
    public int ColumnSegments => (RowTiles + Schedule.TileColumns - 1) / Schedule.TileColumns;

    /// <summary>Row segments of one image.</summary>
    public long SegmentsPerImage => (long)TileRows * ColumnSegments;

    /// <summary>Row segments of a chunk: 8 x <see cref="WinogradMeshSchedule.Segments"/>.</summary>
    public int ChunkSegments => Mesh * Schedule.Segments;

    /// <summary>Tiles a segment holds in LDM: its own and one more.</summary>
    public int TileStride => Schedule.TileColumns + 1;

    /// <summary>Columns of a segment's column-transformed input row: <see cref="TileStride"/> tiles of m.</summary>
    public int RowStride => TileStride * M;

    /// <summary>Input columns a segment gets at most: the columns its tiles read, at most the input's width.</summary>
    public int InputColumns => Math.Min(Conv.Width, RowStride);

    /// <summary>A CPE's M extent, its tiles: <see cref="WinogradMeshSchedule.Segments"/> x <see cref="TileStride"/>.</summary>
    public int BlockTiles => Schedule.Segments * TileStride;

    /// <summary>A CPE's K extent: the input block's channels over 8.</summary>
    public int BlockIn => Schedule.InBlock / Mesh;

    /// <summary>A CPE's N extent: the output block's channels over 8.</summary>
    public int BlockOut => Schedule.OutBlock / Mesh;

    /// <summary>Blocks of output channels of a group.</summary>
    public int OutBlocks => Conv.OutChannelsPerGroup / Schedule.OutBlock;

    /// <summary>Blocks of input channels of a group.</summary>
    public int InBlocks => Conv.InChannelsPerGroup / Schedule.InBlock;

    /// <summary>Chunks of the core group that gets the most images.</summary>
    public long Chunks => ((ImagesPerGroup * SegmentsPerImage) + ChunkSegments - 1) / ChunkSegments;

    /// <summary>Filter pairs of a CPE's B block: <see cref="BlockIn"/> x <see cref="BlockOut"/>.</summary>
    public long Pairs => (long)BlockIn * BlockOut;

    /// <summary>Elements of the coefficients' buffer, and as many more as the padding's rows above the image, so that a tile row's first valid row provably reads inside it.</summary>
    public long CoefficientElements => Transforms.CoefficientCount + Conv.Padding.Top;

    /// <summary>Positions whose A and B blocks lie in LDM at once: alpha^2, or one (<see cref="WinogradMeshSchedule.PerPosition"/>).</summary>
    public int HeldPositions => Schedule.PerPosition ? 1 : Transforms.Positions;

    /// <summary>Elements of the transformed filters: <see cref="HeldPositions"/> B blocks of <see cref="Pairs"/>.</summary>
    public long FilterElements => HeldPositions * Pairs;

    /// <summary>Elements of the transformed tiles: <see cref="HeldPositions"/> A blocks of <see cref="BlockTiles"/> x <see cref="BlockIn"/>.</summary>
    public long TileElements => (long)HeldPositions * BlockTiles * BlockIn;

    /// <summary>Elements of the accumulators: alpha^2 C blocks of <see cref="BlockTiles"/> x <see cref="BlockOut"/>.</summary>
    public long AccumulatorElements => (long)Transforms.Positions * BlockTiles * BlockOut;

    /// <summary>Elements of a CPE's filters as gotten: pairs x 9.</summary>
    public long RawFilterElements => Pairs * 9;

    /// <summary>Elements of the filters' half transform: alpha x 3 x pairs, or 3 x pairs (one row of positions) with <see cref="WinogradMeshSchedule.PerPosition"/>.</summary>
    public long HalfFilterElements => (Schedule.PerPosition ? 1 : Alpha) * 3 * Pairs;

    /// <summary>Elements of one segment's rows of one channel: alpha x <see cref="InputColumns"/> at most.</summary>
    public long InputSlot => (long)Alpha * InputColumns;

    /// <summary>Elements of a CPE's input rows: segments x channels slots, in the tiles' buffer (at most alpha x m of its alpha^2 x tiles x channels), which the row transform fills only after the column transform has read them.</summary>
    public long InputElements => Schedule.Segments * BlockIn * InputSlot;

    /// <summary>
    /// Elements of the column transform: alpha x channels x segments x <see cref="RowStride"/>, alpha more that the last
    /// row's extra tile reads, and as many more as the padding's columns left of the image, so that the last row provably ends inside it.
    /// </summary>
    public long ColumnElements => ((long)Alpha * BlockIn * Schedule.Segments * RowStride) + Alpha + Conv.Padding.Left;

    /// <summary>Elements of the output transform's first stage for one output channel: m x alpha x <see cref="BlockTiles"/>.</summary>
    public long HalfOutputElements => (long)M * Alpha * BlockTiles;

    /// <summary>Elements of the output transform for one output channel: m x m x <see cref="BlockTiles"/>.</summary>
    public long OutputTileElements => (long)M * M * BlockTiles;

    /// <summary>Elements of one output channel's rows: m x segments x <see cref="RowStride"/>.</summary>
    public long OutputRowElements => (long)M * Schedule.Segments * RowStride;

    /// <summary>
    /// Elements of the scratch buffer: the most any stage keeps in it (the filters as gotten only when they are not
    /// double-buffered apart; with <see cref="WinogradMeshSchedule.PerPosition"/> the filters, their half transform and the
    /// column transform at once, since each position's blocks are made from them in turn).
    /// </summary>
    public long ScratchElements => Schedule.PerPosition
        ? Math.Max(ColumnOffset + ColumnElements, HalfOutputElements + OutputTileElements + OutputRowElements)
        : Math.Max(HalfFilterOffset + HalfFilterElements, Math.Max(ColumnElements, HalfOutputElements + OutputTileElements + OutputRowElements));

    /// <summary>Where the column transform starts in the scratch buffer: at its start, or after the filters' half transform with <see cref="WinogradMeshSchedule.PerPosition"/>.</summary>
    public long ColumnOffset => Schedule.PerPosition ? HalfFilterOffset + HalfFilterElements : 0;

    /// <summary>Output columns a segment spans: <see cref="WinogradMeshSchedule.TileColumns"/> tiles of m.</summary>
    public int SegmentSpan => Schedule.TileColumns * M;

    /// <summary>Whether a segment spans the output's width, so that its output rows of a channel lie adjacent in memory.</summary>
    public bool SegmentsSpanRows => ColumnSegments == 1;

    /// <summary>
    /// Whether a segment reads whole input rows, so that a channel's rows of it lie adjacent in memory and are gotten as one
    /// block: a segment spans the output's width and its columns, less the padding's on the left, reach the input's last.
    /// </summary>
    public bool InputRowsAdjacent => ColumnSegments == 1 && RowStride - Conv.Padding.Left >= Conv.Width;

    /// <summary>Elements of a channel's output rows packed for the puts: m rows of <see cref="SegmentSpan"/> a segment.</summary>
    public long PutElements => (long)Schedule.Segments * M * SegmentSpan;

    /// <summary>Where the filters as gotten lie: the scratch buffer's start, or their own double buffer.</summary>
    public string RawFilterBuffer => Schedule.DoubleBuffer ? BufferRawFilters : BufferScratch;

    /// <summary>Where the input rows as gotten lie: the tiles' buffer (free until the row transform), or their own buffer (double-buffered, or one position's tiles' buffer too small for them).</summary>
    public string InputBuffer => Schedule.DoubleBuffer || Schedule.PerPosition ? BufferInput : BufferTiles;

    /// <summary>Where the filters' half transform starts in the scratch buffer: after the filters as gotten when they lie there.</summary>
    public long HalfFilterOffset => Schedule.DoubleBuffer ? 0 : RawFilterElements;

    /// <summary>Elements of the mesh GEMM's workspace (<see cref="MeshGemmWorkspace"/>).</summary>
    public long WorkspaceElements { get; }

    /// <inheritdoc/>
    public override ImmutableArray<TensorPlacement> Placements => _placements.IsDefault
        ? _placements = [.. Operator.Expression.Inputs.Select(i => i.Tensor).Append(Operator.Expression.Output.Tensor).Select(t => new TensorPlacement(TensorLayout.RowMajor(t), DistributionOf(t)))]
        : _placements;

    /// <inheritdoc/>
    public override TResult Accept<TResult>(ISchedulePlanVisitor<TResult> visitor)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        return visitor.VisitWinogradMesh(this);
    }

    /// <summary>Checks <paramref name="schedule"/> against <paramref name="spec"/> and <paramref name="limits"/>.</summary>
    /// <exception cref="ScheduleException">The algorithm does not apply to the operator, or a decision breaks a rule; the message names it.</exception>
    public static WinogradMeshPlan Create(OperatorSpec spec, WinogradMeshSchedule schedule, TargetLimits limits)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(limits);
        var conv = WinogradMeshAlgorithm.Convolution(spec) ?? throw new ScheduleException(ScheduleDiagnostics.NotApplicable, nameof(Schedule.Algorithm),
            $"Algorithm '{WinogradMeshSchedule.AlgorithmName}' does not apply to {spec}: {WinogradMeshAlgorithm.WhyNot(spec)}");
        var ic = CultureInfo.InvariantCulture;
        RowSegmentRules.Check(conv, schedule.OutputTile, schedule.TileColumns, schedule.Segments, schedule.OutBlock);

        if (schedule.InBlock < MeshGemmRules.KQuantum || schedule.InBlock % MeshGemmRules.KQuantum != 0 || conv.InChannelsPerGroup % schedule.InBlock != 0)
        {
            throw new ScheduleException(ScheduleDiagnostics.IllegalTile, nameof(WinogradMeshSchedule.InBlock),
                string.Create(ic, $"InBlock = {schedule.InBlock} is the mesh GEMM's K: it must be a positive multiple of {MeshGemmRules.KQuantum} that divides the {conv.InChannelsPerGroup} input channels of a group."));
        }

        BatchShareRules.Check(schedule, conv.Batch, limits, "the fused Winograd's");

        var plan = new WinogradMeshPlan(spec, schedule, limits, conv);
        if (plan.LdmBytes > limits.LdmBudgetBytes)
        {
            throw new ScheduleException(ScheduleDiagnostics.LdmOverflow, nameof(WinogradMeshSchedule.TileColumns),
                string.Create(ic, $"OutputTile = {schedule.OutputTile}, TileColumns = {schedule.TileColumns}, Segments = {schedule.Segments}, OutBlock = {schedule.OutBlock}, InBlock = {schedule.InBlock}, DoubleBuffer = {schedule.DoubleBuffer}, BlockPuts = {schedule.BlockPuts}, PerPosition = {schedule.PerPosition}: the buffers need {plan.LdmBytes} bytes of LDM a CPE (coefficients {plan.CoefficientElements}, filters {plan.FilterElements}, tiles {plan.TileElements}, accumulators {plan.AccumulatorElements}, scratch {plan.ScratchElements}, the mesh GEMM's workspace {plan.WorkspaceElements}{(schedule.DoubleBuffer ? $", twice the input rows {plan.InputElements} and the filters {plan.RawFilterElements}" : schedule.PerPosition ? $", the input rows {plan.InputElements}" : "")}{(schedule.BlockPuts ? $", twice the packed output rows {plan.PutElements}" : "")} elements of {plan.ElementBytes} bytes) but the budget is {limits.LdmBudgetBytes} bytes."));
        }

        return plan;
    }

    /// <summary>Whether <paramref name="schedule"/>'s buffers fit <paramref name="limits"/>' LDM budget; the schedule's other rules are not checked (the space's candidates keep them).</summary>
    internal static bool Fits(OperatorSpec spec, WinogradMeshSchedule schedule, TargetLimits limits, Conv2dAttributes conv) =>
        new WinogradMeshPlan(spec, schedule, limits, conv).LdmBytes <= limits.LdmBudgetBytes;
}
