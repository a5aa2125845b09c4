using System.Collections.Immutable;
using System.Globalization;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Ir;
using Swatop.Core.Layouts;
using Swatop.Core.Lowering;
using Swatop.Core.Scheduling;
using Swatop.Primitives;

namespace Swatop.Core.Algorithms.Im2col;

/// <summary>
/// An explicit im2col schedule with the column block in LDM (<see cref="Im2colLdmSchedule"/>) checked against its
/// convolution and target: the tiles of output rows (of one image, or of several a run of mesh rows each), the blocks of taps and output channels, each CPE's blocks and
/// LDM buffers, and how the core groups share the batch. Every tensor stays in the framework's NCHW layout, read and
/// written in place: there is no layout step.
/// </summary>
/// <remarks>
/// CPE (i, j) holds, column-major as the mesh GEMM wants them, A (<see cref="BufferColumns"/>: the
/// <see cref="BlockRows"/> output positions of mesh row i, its rows of the tile one after the other, by the
/// <see cref="BlockTaps"/> taps of tap block j, and <see cref="TransposeTail"/> more elements that the last tap's
/// stride-<c>sw</c> transpose writes past them), B (<see cref="BufferWeights"/>: the taps of block i by the output
/// channels of block j) and C (<see cref="BufferAccumulators"/>: positions of row i by output channels of block j).
/// <see cref="BufferSpans"/> holds the input rows its taps read, a span of <see cref="SpanElements"/> columns
/// (the input columns from minus the left padding, zeros outside the image) for each of at most
/// <see cref="PairsPerCpe"/> (channel, tap row) pairs and each of its output rows.
/// </remarks>
public sealed class Im2colLdmPlan : ImageSplitPlan
{
    /// <summary>The LDM buffer of the CPE's column block: the mesh GEMM's A block.</summary>
    public const string BufferColumns = "ldm_a";

    /// <summary>The LDM buffer of the CPE's weights: the mesh GEMM's B block.</summary>
    public const string BufferWeights = "ldm_b";

    /// <summary>The LDM buffer of the CPE's accumulators: the mesh GEMM's C block.</summary>
    public const string BufferAccumulators = "ldm_c";

    /// <summary>The LDM buffer of the input rows the CPE's taps read.</summary>
    public const string BufferSpans = "ldm_in";

    /// <summary>The LDM buffer of the bias of the CPE's output channels, when the epilogue adds one.</summary>
    public const string BufferBias = "ldm_bias";

    /// <summary>The LDM buffer of the one value 1 that copies a tap's columns with the multiply-accumulate primitive (<see cref="Im2colLdmSchedule.CopyTaps"/> only).</summary>
    public const string BufferOne = "ldm_one";

    /// <summary>CPEs along a side of the mesh.</summary>
    public const int Mesh = MeshGemmRules.MeshSize;

    private ImmutableArray<TensorPlacement> _placements;

    private Im2colLdmPlan(OperatorSpec spec, Im2colLdmSchedule schedule, TargetLimits limits, Conv2dAttributes conv) : base(spec, limits, conv, schedule.CoreGroups)
    {
        Schedule = schedule;
        WorkspaceElements = MeshGemmWorkspace.Elements(BlockRows, BlockOut, BlockTaps, spec.ElementType);
        HasBias = spec.Epilogue.Steps.Any(step => step is BiasStep);
        long Align(long elements) => (elements * ElementBytes + limits.LdmAlignmentBytes - 1) / limits.LdmAlignmentBytes * limits.LdmAlignmentBytes;
        LdmBytes = Align(ColumnElements) + Align(WeightBufferElements) + Align(AccumulatorBufferElements) + Align(SpanBufferElements) + Align(WorkspaceElements)
            + (HasBias ? Align(BiasElements) : 0) + (schedule.CopyTaps ? Align(1) : 0);
    }

    /// <inheritdoc/>
    public override Im2colLdmSchedule Schedule { get; }

    /// <inheritdoc/>
    public override long LdmBytes { get; }

    /// <summary>Taps of a group: its input channels x Kh x Kw, the column matrix's rows, in the filter's order.</summary>
    public int Taps => Conv.InChannelsPerGroup * Conv.Kernel.Height * Conv.Kernel.Width;

    /// <summary>Mesh rows that take one image's rows in a tile: 8 / <see cref="Im2colLdmSchedule.ImagesPerTile"/>.</summary>
    public int MeshRowsPerImage => Mesh / Schedule.ImagesPerTile;

    /// <summary>Output rows of an image in a tile: <see cref="MeshRowsPerImage"/> x <see cref="Im2colLdmSchedule.RowsPerCpe"/>.</summary>
    public int TileRows => MeshRowsPerImage * Schedule.RowsPerCpe;

    /// <summary>Tiles of one image (with <see cref="Im2colLdmSchedule.RowsAcrossImages"/>, the tiles an image's rows reach, some shared with its neighbours).</summary>
    public int TilesPerImage => (Conv.OutHeight + TileRows - 1) / TileRows;

    /// <summary>Output rows a core group's tiles take: its images' rows, one after the other with <see cref="Im2colLdmSchedule.RowsAcrossImages"/>, else an image's tiles' rows (past its output's last) an image.</summary>
    public long RowsTakenPerGroup => Schedule.RowsAcrossImages ? TilesPerGroup * TileRows : ImagesPerGroup / Schedule.ImagesPerTile * TilesPerImage * TileRows;

    /// <summary>A CPE's M extent: its output rows' columns rounded up to the mesh's per-CPE quantum (16).</summary>
    public int BlockRows => RoundUp(Schedule.RowsPerCpe * Conv.OutWidth, MeshGemmRules.PerCpeMQuantum);

    /// <summary>A CPE's K extent: the tap block over 8.</summary>
    public int BlockTaps => Schedule.InBlock / Mesh;

    /// <summary>A CPE's N extent: the output block over 8.</summary>
    public int BlockOut => Schedule.OutBlock / Mesh;

    /// <summary>Blocks of taps of a group (the last may hold fewer).</summary>
    public int TapBlocks => (Taps + Schedule.InBlock - 1) / Schedule.InBlock;

    /// <summary>Blocks of output channels of a group (the last may hold fewer).</summary>
    public int OutBlocks => (Conv.OutChannelsPerGroup + Schedule.OutBlock - 1) / Schedule.OutBlock;

    /// <summary>
    /// Whether each tap block's input rows are gotten during the tap block before (with overlapped puts): right after its
    /// gathers, ahead of its mesh GEMM and, for a tile's first tap block, of the tile before's puts.
    /// </summary>
    public bool Prefetches => Schedule.OverlapPuts;

    /// <summary>
    /// Whether each tap block's weights are also gotten during the tap block before, into the other half of a doubled
    /// weights buffer (<see cref="Prefetches"/> with more than one tap block; one get a CPE, a strided run of its channels).
    /// </summary>
    public bool PipelinesWeights => Prefetches && !WeightsHoisted;

    /// <summary>Whether the weights are gotten once a group and output block, before the tiles: one tap block holds every tap, or every tap block's weights stay in LDM (<see cref="Im2colLdmSchedule.ResidentWeights"/>).</summary>
    public bool WeightsHoisted => TapBlocks == 1 || Schedule.ResidentWeights;

    /// <summary>Whether each tap block's input rows are gotten during the tap block before it, within a tile too (<see cref="Prefetches"/> with more than one tap block).</summary>
    public bool PipelinesTaps => Prefetches && TapBlocks > 1;

    /// <summary>Input columns a span stands for: every column a row of output columns reads, from minus the left padding.</summary>
    public int SpanElements => (Math.Max(1, Conv.Stride.Width) * Conv.OutWidth) + ((Conv.Kernel.Width - 1) * Conv.Dilation.Width);

    /// <summary>(Channel, tap row) pairs a CPE's taps of one block reach at most: each pair is Kw consecutive taps.</summary>
    public int PairsPerCpe => ((BlockTaps - 1 + Conv.Kernel.Width - 1) / Conv.Kernel.Width) + 1;

    /// <summary>Elements the last row's stride-<c>sw</c> transpose of the last tap writes past the A block: (sw - 1) x Ow.</summary>
    public long TransposeTail => (long)(Math.Max(1, Conv.Stride.Width) - 1) * Conv.OutWidth;

    /// <summary>Elements of the column block: <see cref="BlockRows"/> x <see cref="BlockTaps"/> and the <see cref="TransposeTail"/>.</summary>
    public long ColumnElements => ((long)BlockRows * BlockTaps) + TransposeTail;

    /// <summary>Elements of the weights' block: <see cref="BlockTaps"/> x <see cref="BlockOut"/>.</summary>
    public long WeightElements => (long)BlockTaps * BlockOut;

    /// <summary>Elements of the weights' buffer: one B block, two with <see cref="PipelinesWeights"/>, or one a tap block with <see cref="Im2colLdmSchedule.ResidentWeights"/>.</summary>
    public long WeightBufferElements => WeightElements * (Schedule.ResidentWeights ? TapBlocks : PipelinesWeights ? 2 : 1);

    /// <summary>Elements of the accumulators: <see cref="BlockRows"/> x <see cref="BlockOut"/>.</summary>
    public long AccumulatorElements => (long)BlockRows * BlockOut;

    /// <summary>Elements of the accumulators' buffer: one C block, or two with <see cref="Im2colLdmSchedule.OverlapPuts"/>.</summary>
    public long AccumulatorBufferElements => AccumulatorElements * (Schedule.OverlapPuts ? 2 : 1);

    /// <summary>Elements of the spans: <see cref="PairsPerCpe"/> x rows a CPE x <see cref="SpanElements"/>; with
    /// <see cref="ChannelRowGets"/>, <see cref="SlotLead"/> + <see cref="ChannelsPerCpe"/> x <see cref="SlotRows"/> x the
    /// input's width + <see cref="SlotTail"/>.</summary>
    public long SpanBufferElements => ChannelRowGets
        ? SlotLead + ((long)ChannelsPerCpe * SlotRows * Conv.Width) + SlotTail
        : (long)PairsPerCpe * Schedule.RowsPerCpe * SpanElements;

    /// <summary>
    /// Whether a CPE gets, for each input channel its taps of a block reach, the input rows all its output rows read as one
    /// run of whole rows (one get a channel: a 3 x 3 stride-2 layer's 2 x rows + 1 rows, instead of one get a (channel,
    /// tap row) pair and output row), and gathers each tap from those rows where they lie: the tap rows cover the stride
    /// (<c>sh &lt;= (Kh - 1) x dh + 1</c>, so the run holds no row it does not read), more than one tap row, and no tap reads
    /// a column past the input's right edge; a column left of it (the left padding) is read from the row before and
    /// zeroed in A after the gather. Not with <see cref="StridedRowGets"/>. Where a tap does read past the right edge, with
    /// <see cref="Im2colLdmSchedule.ChannelRowsPastEdge"/>: the columns that read past it (the next row's first in LDM)
    /// are zeroed in A after the gather too, or left out of a copied tap's run.
    /// </summary>
    public bool ChannelRowGets => ChannelRowsApply && (!ReadsPastRightEdge || Schedule.ChannelRowsPastEdge);

    /// <summary>Whether a channel's rows could come in one get: not <see cref="StridedRowGets"/>, more than one tap row, and the tap rows cover the stride along the height.</summary>
    private bool ChannelRowsApply => !StridedRowGets && Conv.Kernel.Height > 1 && Math.Max(1, Conv.Stride.Height) <= ((Conv.Kernel.Height - 1) * Conv.Dilation.Height) + 1;

    /// <summary>Whether a tap reads a column past the input's right edge (the right padding).</summary>
    public bool ReadsPastRightEdge =>
        ((Conv.OutWidth - 1) * Math.Max(1, Conv.Stride.Width)) + ((Conv.Kernel.Width - 1) * Conv.Dilation.Width) - Conv.Padding.Left > Conv.Width - 1;

    /// <summary>Input rows a CPE's output rows read for one channel (<see cref="ChannelRowGets"/>): (rows - 1) x <c>sh</c> + (Kh - 1) x <c>dh</c> + 1.</summary>
    public int SlotRows => ((Schedule.RowsPerCpe - 1) * Math.Max(1, Conv.Stride.Height)) + ((Conv.Kernel.Height - 1) * Conv.Dilation.Height) + 1;

    /// <summary>Input channels a CPE's taps of one block reach at most (<see cref="ChannelRowGets"/>): each is Kh x Kw consecutive taps.</summary>
    public int ChannelsPerCpe => ((BlockTaps - 1 + (Conv.Kernel.Height * Conv.Kernel.Width) - 1) / (Conv.Kernel.Height * Conv.Kernel.Width)) + 1;

    /// <summary>Elements before the first channel's rows (<see cref="ChannelRowGets"/>): the left padding, which a gather of the first row reads.</summary>
    public int SlotLead => Conv.Padding.Left;

    /// <summary>Elements after the last channel's rows (<see cref="ChannelRowGets"/>): what a last row's stride-<c>sw</c> transpose reads past it.</summary>
    public int SlotTail => Math.Max(0, ((Conv.Kernel.Width - 1) * Conv.Dilation.Width) - Conv.Padding.Left + (Math.Max(1, Conv.Stride.Width) * Conv.OutWidth) - Conv.Width);

    /// <summary>Output columns of tap column <paramref name="kx"/> that read the left padding (<see cref="ChannelRowGets"/>), zeroed in A after its gather.</summary>
    public int LeftPaddingColumns(int kx)
    {
        var sw = Math.Max(1, Conv.Stride.Width);
        var before = Conv.Padding.Left - (kx * Conv.Dilation.Width);
        return before <= 0 ? 0 : Math.Min(Conv.OutWidth, (before + sw - 1) / sw);
    }

    /// <summary>Output columns of tap column <paramref name="kx"/> that read past the input's right edge (<see cref="ChannelRowGets"/>), zeroed in A after its gather or left out of its copy.</summary>
    public int RightPaddingColumns(int kx)
    {
        var sw = Math.Max(1, Conv.Stride.Width);
        // Output column ow reads input column ow x sw + kx x dw - left; the first past the edge is the least ow with that >= W.
        var reach = Conv.Width + Conv.Padding.Left - (kx * Conv.Dilation.Width);
        var inside = reach <= 0 ? 0 : (reach + sw - 1) / sw;
        return Math.Max(0, Conv.OutWidth - inside);
    }

    /// <summary>Elements of the mesh GEMM's workspace (<see cref="MeshGemmWorkspace"/>).</summary>
    public long WorkspaceElements { get; }

    /// <summary>Whether the epilogue adds a bias, whose values for its output channels a CPE gets once a group and output block.</summary>
    public bool HasBias { get; }

    /// <summary>Elements of the bias buffer: the CPE's <see cref="BlockOut"/> output channels, one value each.</summary>
    public long BiasElements => BlockOut;

    /// <summary>The tensors of the kernel in its order: the convolution's inputs, the epilogue's (the bias), then the output.</summary>
    public IEnumerable<TensorDeclaration> KernelTensors =>
        Operator.Expression.Inputs.Select(i => i.Tensor).Concat(Operator.EpilogueInputs.Select(a => a.Tensor)).Append(Operator.Expression.Output.Tensor);

    /// <summary>
    /// Tiles of the core group that gets the most images: its images over <see cref="Im2colLdmSchedule.ImagesPerTile"/>, by
    /// <see cref="TilesPerImage"/>; with <see cref="Im2colLdmSchedule.RowsAcrossImages"/>, its images' output rows over a
    /// tile's, rounded up.
    /// </summary>
    public long TilesPerGroup => Schedule.RowsAcrossImages
        ? ((ImagesPerGroup * Conv.OutHeight) + TileRows - 1) / TileRows
        : ImagesPerGroup / Schedule.ImagesPerTile * TilesPerImage;

    /// <summary>
    /// Whether a CPE gets the input rows of a (channel, tap row) pair in one strided get (a block a row, <c>sh</c> input
    /// rows apart) instead of one get a row: more than one row a CPE, spans with no padding columns (the span is the run
    /// gotten), no padding row above and every row of the output's reading inside the image, and output rows a multiple of
    /// <see cref="Im2colLdmSchedule.RowsPerCpe"/>, so that a CPE's rows all lie in the output or all past it (then its
    /// spans are zeroed). The case of a 1 x 1 stride-2 layer with no padding.
    /// </summary>
    public bool StridedRowGets
    {
        get
        {
            var (start, lo, hi) = SpanColumns;
            return Schedule.RowsPerCpe > 1 && lo == start && hi - lo == SpanElements && Conv.Padding.Top == 0
                && ((Conv.OutHeight - 1) * Math.Max(1, Conv.Stride.Height)) + ((Conv.Kernel.Height - 1) * Conv.Dilation.Height) < Conv.Height
                && Conv.OutHeight % Schedule.RowsPerCpe == 0;
        }
    }

    /// <summary>The first input column a span holds at its element <c>lo - start</c>: the span starts at column <c>-PadLeft</c>, and its gotten run is the part inside the row.</summary>
    public (int Start, int Lo, int Hi) SpanColumns
    {
        get
        {
            var start = -Conv.Padding.Left;
            return (start, Math.Max(0, start), Math.Min(Conv.Width, start + SpanElements));
        }
    }

    /// <inheritdoc/>
    public override ImmutableArray<TensorPlacement> Placements => _placements.IsDefault
        ? _placements = [.. KernelTensors.Select(t => new TensorPlacement(
            Schedule.GroupMemory ? TensorLayout.RowMajorInCoreGroups(t) : t == Operator.Expression.Output.Tensor ? OutputLayout : TensorLayout.RowMajor(t), DistributionOf(t)))]
        : _placements;

    /// <summary>
    /// The output's layout: the framework's NCHW tensor, widened by <see cref="Im2colLdmSchedule.OutputMargins"/> when the
    /// schedule has them (a slice of a larger tensor: the output's element (n, c, h, w) at position
    /// (n + before0, c + before1, h + before2, w) of the widened tensor).
    /// </summary>
    public TensorLayout OutputLayout => Schedule.OutputMargins is { } margins
        ? margins.Widen(TensorLayout.RowMajor(Operator.Expression.Output.Tensor))
        : TensorLayout.RowMajor(Operator.Expression.Output.Tensor);

    /// <summary>
    /// The element of the output's layout (<see cref="OutputLayout"/>) where output channel <paramref name="channel"/>'s
    /// row <paramref name="row"/> of image <paramref name="image"/> starts: <c>(((n + b0) x C' + b1 + c) x H' + b2 + h) x Ow</c>,
    /// C' and H' the widened channels and rows, b the margins before.
    /// </summary>
    internal Expr OutputRowStart(Expr image, Expr channel, Expr row)
    {
        var layout = OutputLayout;
        return ((((image + layout.Origins[0]) * layout.Lengths[1]) + layout.Origins[1] + channel) * layout.Lengths[2] + layout.Origins[2] + row) * layout.Lengths[3];
    }

    /// <inheritdoc/>
    public override TResult Accept<TResult>(ISchedulePlanVisitor<TResult> visitor)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        return visitor.VisitIm2colLdm(this);
    }

    /// <summary>Why the column block in LDM does not apply to <paramref name="spec"/>, as a sentence; <see langword="null"/> when it does.</summary>
    public static string? WhyNot(OperatorSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (Im2colAlgorithm.WhyNotConvolution(spec) is { } why)
        {
            return why;
        }

        return spec.Epilogue.Steps.Any(step => step is ResidualAddStep)
            ? $"the column block in LDM applies a bias and clamps in its epilogue but no residual add ({ResidualAddStep.Name}) yet, and the operator's epilogue is {spec.Epilogue}."
            : null;
    }

    /// <summary>Checks <paramref name="schedule"/> against <paramref name="spec"/> and <paramref name="limits"/>.</summary>
    /// <exception cref="ScheduleException">The placement does not apply to the operator, or a decision breaks a rule; the message names it.</exception>
    public static Im2colLdmPlan Create(OperatorSpec spec, Im2colLdmSchedule schedule, TargetLimits limits)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(limits);
        if (WhyNot(spec) is { } why)
        {
            throw new ScheduleException(ScheduleDiagnostics.NotApplicable, nameof(Schedule.Algorithm),
                $"Explicit im2col with the column block in LDM ({Im2colLdmSchedule.Discriminator}) does not apply to {spec}: {why}");
        }

        var conv = (Conv2dAttributes)spec.Attributes;
        var ic = CultureInfo.InvariantCulture;
        if (schedule.RowsPerCpe < 1 || schedule.RowsPerCpe > conv.OutHeight)
        {
            throw new ScheduleException(ScheduleDiagnostics.IllegalTile, nameof(Im2colLdmSchedule.RowsPerCpe),
                string.Create(ic, $"RowsPerCpe = {schedule.RowsPerCpe} must be from 1 to the {conv.OutHeight} output rows."));
        }

        var taps = conv.InChannelsPerGroup * conv.Kernel.Height * conv.Kernel.Width;
        if (schedule.InBlock < MeshGemmRules.KQuantum || schedule.InBlock % MeshGemmRules.KQuantum != 0 || schedule.InBlock > RoundUp(taps, MeshGemmRules.KQuantum))
        {
            throw new ScheduleException(ScheduleDiagnostics.IllegalTile, nameof(Im2colLdmSchedule.InBlock),
                string.Create(ic, $"InBlock = {schedule.InBlock} is the mesh GEMM's K: it must be a positive multiple of {MeshGemmRules.KQuantum} and at most the {taps} taps of a group rounded up to {RoundUp(taps, MeshGemmRules.KQuantum)}."));
        }

        if (schedule.OutBlock < MeshGemmRules.NQuantum || schedule.OutBlock % MeshGemmRules.NQuantum != 0 || schedule.OutBlock > RoundUp(conv.OutChannelsPerGroup, MeshGemmRules.NQuantum))
        {
            throw new ScheduleException(ScheduleDiagnostics.IllegalTile, nameof(Im2colLdmSchedule.OutBlock),
                string.Create(ic, $"OutBlock = {schedule.OutBlock} is the mesh GEMM's N: it must be a positive multiple of {MeshGemmRules.NQuantum} and at most the {conv.OutChannelsPerGroup} output channels of a group rounded up to {RoundUp(conv.OutChannelsPerGroup, MeshGemmRules.NQuantum)}."));
        }

        BatchShareRules.Check(schedule, conv.Batch, limits, "the column block in LDM's");
        if (schedule.GroupMemory && schedule.OutputMargins is not null)
        {
            throw new ScheduleException(ScheduleDiagnostics.IllegalMargins, nameof(Im2colLdmSchedule.GroupMemory),
                $"GroupMemory keeps the output as each core group's share of its own tensor; it cannot write a slice of a larger one (OutputMargins = {schedule.OutputMargins}).");
        }

        if (schedule.ImagesPerTile is not (1 or 2 or 4 or 8))
        {
            throw new ScheduleException(ScheduleDiagnostics.IllegalTile, nameof(Im2colLdmSchedule.ImagesPerTile),
                string.Create(ic, $"ImagesPerTile = {schedule.ImagesPerTile} must be 1, 2, 4 or 8: the mesh's 8 rows are cut into that many runs, one an image."));
        }

        var chunk = schedule.CoreGroups == 1 ? conv.Batch : (conv.Batch + schedule.CoreGroups - 1) / schedule.CoreGroups;
        var fewest = conv.Batch - ((schedule.CoreGroups - 1) * chunk);
        if (chunk % schedule.ImagesPerTile != 0 || fewest % schedule.ImagesPerTile != 0)
        {
            throw new ScheduleException(ScheduleDiagnostics.IllegalTile, nameof(Im2colLdmSchedule.ImagesPerTile),
                string.Create(ic, $"ImagesPerTile = {schedule.ImagesPerTile} must divide every core group's images, and the batch of {conv.Batch} over CoreGroups = {schedule.CoreGroups} gives groups of {chunk} and {fewest}."));
        }

        if (schedule.CopyTaps && Math.Max(1, conv.Stride.Width) != 1)
        {
            throw new ScheduleException(ScheduleDiagnostics.IllegalTile, nameof(Im2colLdmSchedule.CopyTaps),
                string.Create(ic, $"CopyTaps = true copies a tap's output columns as one run of its span, which needs a stride of 1 along the width, and the convolution's is {conv.Stride.Width}."));
        }

        if (schedule.SpreadPuts && !schedule.OverlapPuts)
        {
            throw new ScheduleException(ScheduleDiagnostics.IllegalTile, nameof(Im2colLdmSchedule.SpreadPuts),
                "SpreadPuts = true needs OverlapPuts = true: a tile's puts are spread over the next tile's tap blocks only when they read the other copy of the accumulators.");
        }

        if (schedule.RowsAcrossImages && (schedule.ImagesPerTile != 1 || conv.OutHeight % schedule.RowsPerCpe != 0))
        {
            throw new ScheduleException(ScheduleDiagnostics.IllegalTile, nameof(Im2colLdmSchedule.RowsAcrossImages),
                string.Create(ic, $"RowsAcrossImages = true runs a group's output rows on from one image into the next, which needs one image a tile (ImagesPerTile = {schedule.ImagesPerTile}) and RowsPerCpe = {schedule.RowsPerCpe} dividing the {conv.OutHeight} output rows, so that a CPE's rows lie in one image."));
        }

        var plan = new Im2colLdmPlan(spec, schedule, limits, conv);
        if (schedule.ChannelRowsPastEdge && !(plan.ChannelRowsApply && plan.ReadsPastRightEdge))
        {
            throw new ScheduleException(ScheduleDiagnostics.IllegalTile, nameof(Im2colLdmSchedule.ChannelRowsPastEdge),
                string.Create(ic, $"ChannelRowsPastEdge = true gets a channel's input rows in one get where a tap reads past the input's right edge; it needs more than one tap row covering the stride of {conv.Stride.Height} along the height, no strided gets of a pair's rows, and a tap that reads past the right edge, and this convolution ({conv.Kernel.Height} x {conv.Kernel.Width}, {conv.Width} columns, {conv.OutWidth} output columns) {(plan.ReadsPastRightEdge ? "gets its rows otherwise" : "reads no column past it")}."));
        }

        if (schedule.OutputMargins is { } margins)
        {
            var output = spec.Expression.Output.Tensor;
            if (margins.Violation(output, TensorLayout.RowMajor(output), plan.DistributionOf(output)) is { } illegal)
            {
                throw illegal;
            }

            if (margins.Before[3] != 0 || margins.After[3] != 0)
            {
                throw new ScheduleException(ScheduleDiagnostics.IllegalMargins, nameof(Im2colLdmSchedule.OutputMargins),
                    string.Create(ic, $"OutputMargins = {margins} widens the output's width, but the column block puts a channel's output rows as one run of {schedule.RowsPerCpe} x {conv.OutWidth} elements, which a margin along the width would cut into rows: only the batch, the channels and the rows take margins."));
            }
        }

        if (plan.LdmBytes > limits.LdmBudgetBytes)
        {
            throw new ScheduleException(ScheduleDiagnostics.LdmOverflow, nameof(Im2colLdmSchedule.RowsPerCpe),
                string.Create(ic, $"RowsPerCpe = {schedule.RowsPerCpe}, OutBlock = {schedule.OutBlock}, InBlock = {schedule.InBlock}, OverlapPuts = {schedule.OverlapPuts}, ImagesPerTile = {schedule.ImagesPerTile}, ResidentWeights = {schedule.ResidentWeights}: the buffers need {plan.LdmBytes} bytes of LDM a CPE (column block {plan.ColumnElements}, weights {plan.WeightBufferElements}, accumulators {plan.AccumulatorBufferElements}, input rows {plan.SpanBufferElements}, the mesh GEMM's workspace {plan.WorkspaceElements}{(plan.HasBias ? ", bias " + plan.BiasElements.ToString(ic) : "")} elements of {plan.ElementBytes} bytes) but the budget is {limits.LdmBudgetBytes} bytes."));
        }

        return plan;
    }

    private static int RoundUp(int value, int quantum) => (value + quantum - 1) / quantum * quantum;
}
