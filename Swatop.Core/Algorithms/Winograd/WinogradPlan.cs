using System.Collections.Immutable;
using System.Globalization;
using Swatop.Core.Algorithms.Direct;
using Swatop.Core.Layouts;
using Swatop.Core.Lowering;
using Swatop.Core.Scheduling;
using Swatop.Primitives;

namespace Swatop.Core.Algorithms.Winograd;

/// <summary>
/// A Winograd schedule checked against its operator and target: the tiling of the output, a task's extents and
/// its LDM buffers, and how the core groups share the batch. Every tensor stays in the framework's NCHW layout,
/// read and written in place; the filters are transformed in LDM, a task's input channels at a time.
/// </summary>
/// <remarks>
/// A task's buffers: the transforms' coefficients (<see cref="BufferCoefficients"/>), the transformed filters of
/// an input block (<see cref="BufferFilters"/>, alpha^2 x co x ci), the accumulators of the element-wise products
/// (<see cref="BufferAccumulators"/>, alpha^2 x co x <see cref="TileStride"/>) and one scratch buffer
/// (<see cref="BufferWork"/>) the stages use in turn: the filters and their half transform, then the input rows,
/// their column transform (alpha x ci x <see cref="RowStride"/>) and the transformed tiles (alpha^2 x ci x
/// <see cref="TileStride"/>), and at the end the output transform's two stages and the output rows. A row of
/// tiles holds one more tile than the task computes, so that a row's stride is a multiple of m and one call
/// of the multiply-accumulate transforms every tile of every channel; that tile is never put.
/// </remarks>
public sealed class WinogradPlan : ImageSplitPlan
{
    /// <summary>The LDM buffer of the transforms' coefficients.</summary>
    public const string BufferCoefficients = "ldm_c";

    /// <summary>The LDM buffer of an input block's transformed filters.</summary>
    public const string BufferFilters = "ldm_u";

    /// <summary>The LDM buffer of the element-wise products' sums.</summary>
    public const string BufferAccumulators = "ldm_m";

    /// <summary>The LDM scratch buffer of the transforms.</summary>
    public const string BufferWork = "ldm_w";

    /// <summary>The CPEs of a core group, which take the tasks in turn.</summary>
    public const int Cpes = DirectPlan.Cpes;

    private ImmutableArray<TensorPlacement> _placements;

    private WinogradPlan(OperatorSpec spec, WinogradSchedule schedule, TargetLimits limits, Conv2dAttributes conv) : base(spec, limits, conv, schedule.CoreGroups)
    {
        Schedule = schedule;
        Transforms = WinogradTransforms.For(schedule.OutputTile);
        long Align(long bytes) => (bytes + limits.LdmAlignmentBytes - 1) / limits.LdmAlignmentBytes * limits.LdmAlignmentBytes;
        LdmBytes = Align(CoefficientElements * ElementBytes) + Align(FilterElements * ElementBytes) + Align(AccumulatorElements * ElementBytes) + Align(WorkElements * ElementBytes);
    }

    /// <inheritdoc/>
    public override WinogradSchedule Schedule { get; }

    /// <summary>The transforms of the schedule's tile.</summary>
    public WinogradTransforms Transforms { get; }

    /// <inheritdoc/>
    public override long LdmBytes { get; }

    /// <summary>The output tile's side m.</summary>
    public int M => Transforms.OutputTile;

    /// <summary>The input tile's side, m + 2.</summary>
    public int Alpha => Transforms.Alpha;

    /// <summary>Rows of output tiles of an image.</summary>
    public int TileRows => (Conv.OutHeight + M - 1) / M;

    /// <summary>Output tiles along a row of the output.</summary>
    public int RowTiles => (Conv.OutWidth + M - 1) / M;

    /// <summary>Tasks along a row of tiles.</summary>
    public int ColumnTasks => (RowTiles + Schedule.TileColumns - 1) / Schedule.TileColumns;

    /// <summary>Tiles a row of a task's transformed tiles holds: the task's and one more.</summary>
    public int TileStride => Schedule.TileColumns + 1;

    /// <summary>Columns of a row of a task's column-transformed input: <see cref="TileStride"/> tiles of m.</summary>
    public int RowStride => TileStride * M;

    /// <summary>Input columns a task gets at most: the columns its tiles read, at most the input's width.</summary>
    public int InputColumns => Math.Min(Conv.Width, RowStride);

    /// <summary>Tasks along the output channels of one image and group.</summary>
    public int ChannelTasks => Conv.OutChannelsPerGroup / Schedule.OutBlock;

    /// <summary>Input blocks a task walks.</summary>
    public int InBlocks => Conv.InChannelsPerGroup / Schedule.InBlock;

    /// <summary>Tasks of one image.</summary>
    public long TasksPerImage => (long)Conv.Groups * ChannelTasks * TileRows * ColumnTasks;

    /// <summary>Tasks of the core group that gets the most.</summary>
    public long Tasks => ImagesPerGroup * TasksPerImage;

    /// <summary>Filter pairs (output channel, input channel) of one input block: out block x in block.</summary>
    public long Pairs => (long)Schedule.OutBlock * Schedule.InBlock;

    /// <summary>Elements of the coefficients' buffer, and as many more as the padding's rows above the image, so that a tile row's first valid row provably reads inside it.</summary>
    public long CoefficientElements => Transforms.CoefficientCount + Conv.Padding.Top;

    /// <summary>Elements of the transformed filters' buffer: alpha^2 x out block x in block.</summary>
    public long FilterElements => Transforms.Positions * Pairs;

    /// <summary>Elements of the accumulators: alpha^2 x out block x <see cref="TileStride"/>.</summary>
    public long AccumulatorElements => (long)Transforms.Positions * Schedule.OutBlock * TileStride;

    /// <summary>Elements of the filters of an input block as gotten: pairs x 9.</summary>
    public long RawFilterElements => Pairs * 9;

    /// <summary>Elements of the filters' half transform: alpha x 3 x pairs.</summary>
    public long HalfFilterElements => Alpha * 3 * Pairs;

    /// <summary>Elements of an input block's rows: in block x alpha x <see cref="InputColumns"/> at most.</summary>
    public long InputElements => (long)Schedule.InBlock * Alpha * InputColumns;

    /// <summary>
    /// Elements of the column transform: alpha x in block x <see cref="RowStride"/>, alpha more that the last row's extra
    /// tile reads, and as many more as the padding's columns left of the image, so that the last row provably ends inside it.
    /// </summary>
    public long ColumnElements => ((long)Alpha * Schedule.InBlock * RowStride) + Alpha + Conv.Padding.Left;

    /// <summary>Elements of the transformed tiles: alpha^2 x in block x <see cref="TileStride"/>.</summary>
    public long TileElements => (long)Transforms.Positions * Schedule.InBlock * TileStride;

    /// <summary>Elements of the output transform's first stage: m x alpha x out block x <see cref="TileStride"/>.</summary>
    public long HalfOutputElements => (long)M * Alpha * Schedule.OutBlock * TileStride;

    /// <summary>Elements of the output transform: m x m x out block x <see cref="TileStride"/>.</summary>
    public long OutputTileElements => (long)M * M * Schedule.OutBlock * TileStride;

    /// <summary>Elements of the output rows: m x out block x <see cref="RowStride"/>.</summary>
    public long OutputRowElements => (long)M * Schedule.OutBlock * RowStride;

    /// <summary>Elements of the scratch buffer: the most any stage keeps in it.</summary>
    public long WorkElements => Math.Max(RawFilterElements + HalfFilterElements, Math.Max(InputElements + ColumnElements + TileElements, HalfOutputElements + OutputTileElements + OutputRowElements));

    /// <inheritdoc/>
    public override ImmutableArray<TensorPlacement> Placements => _placements.IsDefault
        ? _placements = [.. Operator.Expression.Inputs.Select(i => i.Tensor).Append(Operator.Expression.Output.Tensor).Select(t => new TensorPlacement(TensorLayout.RowMajor(t), DistributionOf(t)))]
        : _placements;

    /// <inheritdoc/>
    public override TResult Accept<TResult>(ISchedulePlanVisitor<TResult> visitor)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        return visitor.VisitWinograd(this);
    }

    /// <summary>Checks <paramref name="schedule"/> against <paramref name="spec"/> and <paramref name="limits"/>.</summary>
    /// <exception cref="ScheduleException">The algorithm does not apply to the operator, or a decision breaks a rule; the message names it.</exception>
    public static WinogradPlan Create(OperatorSpec spec, WinogradSchedule schedule, TargetLimits limits)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(limits);
        var conv = WinogradAlgorithm.Convolution(spec) ?? throw new ScheduleException(ScheduleDiagnostics.NotApplicable, nameof(Schedule.Algorithm),
            $"Algorithm '{WinogradSchedule.AlgorithmName}' does not apply to {spec}: {WinogradAlgorithm.WhyNot(spec)}");
        var ic = CultureInfo.InvariantCulture;
        if (schedule.OutputTile is not (2 or 4))
        {
            throw new ScheduleException(ScheduleDiagnostics.IllegalTile, nameof(WinogradSchedule.OutputTile),
                string.Create(ic, $"OutputTile = {schedule.OutputTile} must be 2 or 4: F(2 x 2, 3 x 3) or F(4 x 4, 3 x 3){(schedule.OutputTile == 6 ? "; F(6 x 6, 3 x 3) is built in the composite Winograd ('winograd-gemm') only" : "")}."));
        }

        var rowTiles = (conv.OutWidth + schedule.OutputTile - 1) / schedule.OutputTile;
        if (schedule.TileColumns < 1 || schedule.TileColumns > rowTiles)
        {
            throw new ScheduleException(ScheduleDiagnostics.IllegalTile, nameof(WinogradSchedule.TileColumns),
                string.Create(ic, $"TileColumns = {schedule.TileColumns} must be from 1 to the {rowTiles} tiles of {schedule.OutputTile} a row of {conv.OutWidth} output columns holds."));
        }

        if (schedule.OutBlock < 1 || conv.OutChannelsPerGroup % schedule.OutBlock != 0)
        {
            throw new ScheduleException(ScheduleDiagnostics.IllegalTile, nameof(WinogradSchedule.OutBlock),
                string.Create(ic, $"OutBlock = {schedule.OutBlock} must divide the {conv.OutChannelsPerGroup} output channels of a group."));
        }

        if (schedule.InBlock < 1 || conv.InChannelsPerGroup % schedule.InBlock != 0)
        {
            throw new ScheduleException(ScheduleDiagnostics.IllegalTile, nameof(WinogradSchedule.InBlock),
                string.Create(ic, $"InBlock = {schedule.InBlock} must divide the {conv.InChannelsPerGroup} input channels of a group."));
        }

        BatchShareRules.Check(schedule, conv.Batch, limits, "Winograd's");

        var plan = new WinogradPlan(spec, schedule, limits, conv);
        if (plan.LdmBytes > limits.LdmBudgetBytes)
        {
            throw new ScheduleException(ScheduleDiagnostics.LdmOverflow, nameof(WinogradSchedule.TileColumns),
                string.Create(ic, $"OutputTile = {schedule.OutputTile}, TileColumns = {schedule.TileColumns}, OutBlock = {schedule.OutBlock}, InBlock = {schedule.InBlock}: the buffers need {plan.LdmBytes} bytes of LDM a CPE (coefficients {plan.CoefficientElements}, filters {plan.FilterElements}, accumulators {plan.AccumulatorElements}, scratch {plan.WorkElements} elements of {plan.ElementBytes} bytes) but the budget is {limits.LdmBudgetBytes} bytes."));
        }

        return plan;
    }
}
