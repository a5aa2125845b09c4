using System.Collections.Immutable;
using System.Globalization;
using Swatop.Core.Algorithms.Winograd;
using Swatop.Core.Algorithms.WinogradMesh;
using Swatop.Core.Layouts;
using Swatop.Core.Lowering;
using Swatop.Core.Scheduling;
using Swatop.Primitives;

namespace Swatop.Core.Algorithms.WinogradGemm;

/// <summary>
/// A composite Winograd schedule checked against its operator and target: the row segments of a chunk, the mesh GEMM's
/// shape, each CPE's blocks, its LDM buffers, its regions of the workspace tensors in its core group's memory
/// (<see cref="TensorU"/>, <see cref="TensorV"/>, <see cref="TensorM"/>), and how the core groups share the batch. The
/// operator's tensors stay in the framework's NCHW layout, read and written in place.
/// </summary>
/// <remarks>
/// CPE (i, j) transforms the tiles of mesh row i for the input channels <c>kb x InBlock + j x kt + c</c> (kt =
/// InBlock / 8) and the filters of the input channels <c>kb x InBlock + i x kt + c</c> (every kb at once) by the output
/// channels of mesh column j, and keeps both at local index <c>l = kb x kt + c</c> of its K8 = Ci / 8 channels. A mesh GEMM call over
/// local indices <c>[kg x gk, (kg + 1) x gk)</c> (gk = GemmIn / 8) then pairs each channel of A (CPE (i, j)'s V, column
/// slice j) with the same channel of B (CPE (i, j)'s U, row slice i): every CPE reads back only what it put. Its
/// regions (each tensor is 64 regions, CPE <c>8 i + j</c>'s at <c>(8 i + j) x</c> a region's elements):
/// U as [conv group][output block][position][output channel nt][local channel K8] for all the call's filters; V as
/// [position][local channel K8][tile mt] for one chunk, or [input block][position][channel kt][tile mt] with
/// <see cref="WinogradGemmSchedule.TilesByInputBlock"/>; M as [output block][output channel nt][position][tile mt] for one
/// chunk, or [position][output channel][tile mt] with <see cref="WinogradGemmSchedule.SumsByPosition"/>.
/// </remarks>
public sealed class WinogradGemmPlan : ImageSplitPlan, IRowSegmentGeometry
{
    /// <summary>The LDM buffer of the transforms' coefficients.</summary>
    public const string BufferCoefficients = "ldm_c";

    /// <summary>The LDM buffer of a mesh GEMM call's B block, double-buffered.</summary>
    public const string BufferFilters = "ldm_u";

    /// <summary>The LDM buffer of the transformed tiles (all positions of an input block; the input rows before the row transform), then a mesh GEMM call's A block.</summary>
    public const string BufferTiles = "ldm_v";

    /// <summary>The LDM buffer of an output channel's transformed filters, then a position's C blocks of every output block, then one output channel's sums of all positions.</summary>
    public const string BufferSums = "ldm_m";

    /// <summary>The LDM scratch buffer of the transforms.</summary>
    public const string BufferScratch = "ldm_x";

    /// <summary>The workspace tensor of the transformed filters U, in each core group's memory.</summary>
    public const string TensorU = "winograd_u";

    /// <summary>The workspace tensor of the transformed tiles V, in each core group's memory.</summary>
    public const string TensorV = "winograd_v";

    /// <summary>The workspace tensor of the products' sums M, in each core group's memory.</summary>
    public const string TensorM = "winograd_m";

    /// <summary>CPEs along a side of the mesh.</summary>
    public const int Mesh = MeshGemmRules.MeshSize;

    /// <summary>CPEs of a core group.</summary>
    public const int Cpes = Mesh * Mesh;

    private ImmutableArray<TensorPlacement> _placements;

    private WinogradGemmPlan(OperatorSpec spec, WinogradGemmSchedule schedule, TargetLimits limits, Conv2dAttributes conv) : base(spec, limits, conv, schedule.CoreGroups)
    {
        Schedule = schedule;
        Transforms = WinogradTransforms.For(schedule.OutputTile);
        WorkspaceElements = MeshGemmWorkspace.Elements(BlockTiles, BlockOut, BlockGemmIn, spec.ElementType);
        long Align(long elements) => (elements * ElementBytes + limits.LdmAlignmentBytes - 1) / limits.LdmAlignmentBytes * limits.LdmAlignmentBytes;
        LdmBytes = Align(CoefficientElements) + (2 * Align(FilterElements)) + Align(TileElements) + Align(SumElements) + Align(ScratchElements) + Align(WorkspaceElements);
    }

    /// <inheritdoc/>
    public override WinogradGemmSchedule Schedule { get; }

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

    /// <summary>Positions of a tile: alpha^2.</summary>
    public int Positions => Transforms.Positions;

    /// <summary>Rows of output tiles of an image.</summary>
    public int TileRows => (Conv.OutHeight + M - 1) / M;

    /// <summary>Output tiles along a row of the output.</summary>
    public int RowTiles => (Conv.OutWidth + M - 1) / M;

    /// <summary>Segments along a row of tiles.</summary>
    public int ColumnSegments => (RowTiles + Schedule.TileColumns - 1) / Schedule.TileColumns;

    /// <summary>Row segments of one image.</summary>
    public long SegmentsPerImage => (long)TileRows * ColumnSegments;

    /// <summary>Row segments of a chunk: 8 x <see cref="WinogradGemmSchedule.Segments"/>.</summary>
    public int ChunkSegments => Mesh * Schedule.Segments;

    /// <summary>Tiles a segment holds: its own and one more.</summary>
    public int TileStride => Schedule.TileColumns + 1;

    /// <summary>Columns of a segment's column-transformed input row: <see cref="TileStride"/> tiles of m.</summary>
    public int RowStride => TileStride * M;

    /// <summary>Input columns a segment gets at most: the columns its tiles read, at most the input's width.</summary>
    public int InputColumns => Math.Min(Conv.Width, RowStride);

    /// <summary>A CPE's M extent, its tiles: <see cref="WinogradGemmSchedule.Segments"/> x <see cref="TileStride"/>.</summary>
    public int BlockTiles => Schedule.Segments * TileStride;

    /// <summary>A CPE's input channels of a transform block: <see cref="WinogradGemmSchedule.InBlock"/> / 8.</summary>
    public int BlockIn => Schedule.InBlock / Mesh;

    /// <summary>A CPE's K extent of a mesh GEMM call: <see cref="WinogradGemmSchedule.GemmIn"/> / 8.</summary>
    public int BlockGemmIn => Schedule.GemmIn / Mesh;

    /// <summary>A CPE's N extent: the output block's channels over 8.</summary>
    public int BlockOut => Schedule.OutBlock / Mesh;

    /// <summary>A CPE's output channels: a group's output channels over 8.</summary>
    public int LocalOut => Conv.OutChannelsPerGroup / Mesh;

    /// <summary>A CPE's local input channels: a group's input channels over 8.</summary>
    public int LocalIn => Conv.InChannelsPerGroup / Mesh;

    /// <summary>Blocks of output channels of a group.</summary>
    public int OutBlocks => Conv.OutChannelsPerGroup / Schedule.OutBlock;

    /// <summary>Transform blocks of input channels of a group.</summary>
    public int InBlocks => Conv.InChannelsPerGroup / Schedule.InBlock;

    /// <summary>Mesh GEMM calls a position and output block: a group's input channels over <see cref="WinogradGemmSchedule.GemmIn"/>.</summary>
    public int GemmBlocks => Conv.InChannelsPerGroup / Schedule.GemmIn;

    /// <summary>Chunks of the core group that gets the most images.</summary>
    public long Chunks => ((ImagesPerGroup * SegmentsPerImage) + ChunkSegments - 1) / ChunkSegments;

    /// <summary>Elements of the coefficients' buffer, and as many more as the padding's rows above the image, so that a tile row's first valid row provably reads inside it.</summary>
    public long CoefficientElements => Transforms.CoefficientCount + Conv.Padding.Top;

    /// <summary>Elements of a call's B block (one copy of two).</summary>
    public long FilterElements => (long)BlockGemmIn * BlockOut;

    /// <summary>Elements of the tiles' buffer: alpha^2 blocks of <see cref="BlockTiles"/> x <see cref="BlockIn"/>, or a call's A block, whichever is more.</summary>
    public long TileElements => Math.Max((long)Positions * BlockTiles * BlockIn, (long)BlockTiles * BlockGemmIn);

    /// <summary>Elements of the sums' buffer: an output channel's alpha^2 rows of <see cref="LocalIn"/> transformed filters, a position's C blocks of all <see cref="LocalOut"/> output channels, or one output channel's alpha^2 x <see cref="BlockTiles"/> sums, whichever is most.</summary>
    public long SumElements => Math.Max((long)Positions * LocalIn, Math.Max((long)BlockTiles * LocalOut, (long)Positions * BlockTiles));

    /// <summary>Elements of one output channel's filters as gotten: <see cref="LocalIn"/> x 9.</summary>
    public long RawFilterElements => LocalIn * 9L;

    /// <summary>Elements of the filters' half transform: alpha x 3 x <see cref="LocalIn"/>.</summary>
    public long HalfFilterElements => Alpha * 3L * LocalIn;

    /// <summary>Elements of one segment's rows of one channel: alpha x <see cref="InputColumns"/> at most.</summary>
    public long InputSlot => (long)Alpha * InputColumns;

    /// <summary>Elements of a CPE's input rows: segments x channels slots, in the tiles' buffer, which the row transform fills only after the column transform has read them.</summary>
    public long InputElements => Schedule.Segments * BlockIn * InputSlot;

    /// <summary>Elements of the column transform: alpha x channels x segments x <see cref="RowStride"/>, alpha more that the last row's extra tile reads, and the padding's columns left of the image.</summary>
    public long ColumnElements => ((long)Alpha * BlockIn * Schedule.Segments * RowStride) + Alpha + Conv.Padding.Left;

    /// <summary>Elements of the output transform's first stage for one output channel: m x alpha x <see cref="BlockTiles"/>.</summary>
    public long HalfOutputElements => (long)M * Alpha * BlockTiles;

    /// <summary>Elements of the output transform for one output channel: m x m x <see cref="BlockTiles"/>.</summary>
    public long OutputTileElements => (long)M * M * BlockTiles;

    /// <summary>Elements of one output channel's rows: m x segments x <see cref="RowStride"/>.</summary>
    public long OutputRowElements => (long)M * Schedule.Segments * RowStride;

    /// <summary>Output columns a segment spans: <see cref="WinogradGemmSchedule.TileColumns"/> tiles of m.</summary>
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

    /// <summary>Where the packed output rows start in the scratch buffer: after the output transform's stages and rows.</summary>
    public long PutOffset => HalfOutputElements + OutputTileElements + OutputRowElements;

    /// <summary>Elements of the scratch buffer: the most any transform keeps in it.</summary>
    public long ScratchElements => Math.Max(RawFilterElements + HalfFilterElements, Math.Max(ColumnElements, PutOffset + PutElements));

    /// <summary>Elements of the mesh GEMM's workspace (<see cref="MeshGemmWorkspace"/>).</summary>
    public long WorkspaceElements { get; }

    /// <summary>Elements of a CPE's region of U: conv groups x output blocks x alpha^2 x nt x K8.</summary>
    public long RegionU => (long)Conv.Groups * OutBlocks * Positions * BlockOut * LocalIn;

    /// <summary>Elements of a CPE's region of V: alpha^2 x K8 x mt.</summary>
    public long RegionV => (long)Positions * LocalIn * BlockTiles;

    /// <summary>Elements of a CPE's region of M: its output channels (output block, then nt) x alpha^2 x mt.</summary>
    public long RegionM => (long)OutBlocks * BlockOut * Positions * BlockTiles;

    /// <summary>Bytes of the workspace tensors in a core group's memory: U, V and M of its 64 CPEs.</summary>
    public long WorkspaceBytes => Cpes * (RegionU + RegionV + RegionM) * ElementBytes;

    /// <inheritdoc/>
    public override ImmutableArray<(string Name, long Elements)> Workspaces => [(TensorU, Cpes * RegionU), (TensorV, Cpes * RegionV), (TensorM, Cpes * RegionM)];

    /// <inheritdoc/>
    public override ImmutableArray<TensorPlacement> Placements => _placements.IsDefault
        ? _placements = [.. Operator.Expression.Inputs.Select(i => i.Tensor).Append(Operator.Expression.Output.Tensor).Select(t => new TensorPlacement(TensorLayout.RowMajor(t), DistributionOf(t)))]
        : _placements;

    /// <inheritdoc/>
    public override TResult Accept<TResult>(ISchedulePlanVisitor<TResult> visitor)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        return visitor.VisitWinogradGemm(this);
    }

    /// <summary>Checks <paramref name="schedule"/> against <paramref name="spec"/> and <paramref name="limits"/>.</summary>
    /// <exception cref="ScheduleException">The algorithm does not apply to the operator, or a decision breaks a rule; the message names it.</exception>
    public static WinogradGemmPlan Create(OperatorSpec spec, WinogradGemmSchedule schedule, TargetLimits limits)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(limits);
        var conv = WinogradGemmAlgorithm.Convolution(spec) ?? throw new ScheduleException(ScheduleDiagnostics.NotApplicable, nameof(Schedule.Algorithm),
            $"Algorithm '{WinogradGemmSchedule.AlgorithmName}' does not apply to {spec}: {WinogradGemmAlgorithm.WhyNot(spec)}");
        var ic = CultureInfo.InvariantCulture;
        if (schedule.OutputTile == 6 && spec.ElementType != ElementType.Float64)
        {
            throw new ScheduleException(ScheduleDiagnostics.IllegalTile, nameof(WinogradGemmSchedule.OutputTile),
                string.Create(ic, $"OutputTile = 6 needs double elements, and this operator's are {spec.ElementType}: F(6 x 6, 3 x 3) is built in double only, since its rounding bound in float reaches about 2 % of an output's magnitudes on 512 input channels (docs/winograd.md, \"Rounding\")."));
        }

        RowSegmentRules.Check(conv, schedule.OutputTile, schedule.TileColumns, schedule.Segments, schedule.OutBlock, allowsSix: true);

        if (schedule.GemmIn < MeshGemmRules.KQuantum || schedule.GemmIn % MeshGemmRules.KQuantum != 0 || conv.InChannelsPerGroup % schedule.GemmIn != 0)
        {
            throw new ScheduleException(ScheduleDiagnostics.IllegalTile, nameof(WinogradGemmSchedule.GemmIn),
                string.Create(ic, $"GemmIn = {schedule.GemmIn} is the mesh GEMM's K: it must be a positive multiple of {MeshGemmRules.KQuantum} that divides the {conv.InChannelsPerGroup} input channels of a group."));
        }

        if (schedule.InBlock < MeshGemmRules.KQuantum || schedule.InBlock % MeshGemmRules.KQuantum != 0 || schedule.GemmIn % schedule.InBlock != 0)
        {
            throw new ScheduleException(ScheduleDiagnostics.IllegalTile, nameof(WinogradGemmSchedule.InBlock),
                string.Create(ic, $"InBlock = {schedule.InBlock} is the input channels a transform takes at a time: it must be a positive multiple of {MeshGemmRules.KQuantum} that divides GemmIn = {schedule.GemmIn}."));
        }

        BatchShareRules.Check(schedule, conv.Batch, limits, "the composite Winograd's");

        var plan = new WinogradGemmPlan(spec, schedule, limits, conv);
        if (plan.LdmBytes > limits.LdmBudgetBytes)
        {
            throw new ScheduleException(ScheduleDiagnostics.LdmOverflow, nameof(WinogradGemmSchedule.TileColumns),
                string.Create(ic, $"OutputTile = {schedule.OutputTile}, TileColumns = {schedule.TileColumns}, Segments = {schedule.Segments}, OutBlock = {schedule.OutBlock}, InBlock = {schedule.InBlock}, GemmIn = {schedule.GemmIn}: the buffers need {plan.LdmBytes} bytes of LDM a CPE (coefficients {plan.CoefficientElements}, twice the filters' block {plan.FilterElements}, tiles {plan.TileElements}, sums {plan.SumElements}, scratch {plan.ScratchElements}, the mesh GEMM's workspace {plan.WorkspaceElements} elements of {plan.ElementBytes} bytes) but the budget is {limits.LdmBudgetBytes} bytes."));
        }

        return plan;
    }

    /// <summary>Whether <paramref name="schedule"/>'s buffers fit <paramref name="limits"/>' LDM budget; the schedule's other rules are not checked (the space's candidates keep them).</summary>
    internal static bool Fits(OperatorSpec spec, WinogradGemmSchedule schedule, TargetLimits limits, Conv2dAttributes conv) =>
        new WinogradGemmPlan(spec, schedule, limits, conv).LdmBytes <= limits.LdmBudgetBytes;
}
