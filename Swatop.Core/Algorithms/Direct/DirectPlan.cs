using System.Collections.Immutable;
using System.Globalization;
using Swatop.Core.Layouts;
using Swatop.Core.Lowering;
using Swatop.Core.Scheduling;
using Swatop.Primitives;

namespace Swatop.Core.Algorithms.Direct;

/// <summary>
/// A direct convolution schedule checked against its operator and target: the convolution's geometry, a
/// task's extents, its LDM buffers and how the core groups share the batch. Every tensor is kept in NCHW order:
/// the framework's, read and written in place in the shared memory, or, under
/// <see cref="DirectSchedule.GroupMemory"/>, in each core group's own memory (<see cref="TensorLayout.RowMajorInCoreGroups"/>).
/// </summary>
public sealed class DirectPlan : ImageSplitPlan
{
    /// <summary>The LDM buffer of a task's input rows.</summary>
    public const string BufferInput = "ldm_in";

    /// <summary>The LDM buffer of a task's weights.</summary>
    public const string BufferWeights = "ldm_k";

    /// <summary>The LDM buffer of a task's output rows.</summary>
    public const string BufferOutput = "ldm_out";

    /// <summary>The LDM buffer of a task's output channels' biases, when the epilogue has a bias.</summary>
    public const string BufferBias = "ldm_bias";

    /// <summary>The CPEs of a core group, which take the tasks in turn.</summary>
    public const int Cpes = 64;

    private ImmutableArray<TensorPlacement> _placements;
    private ImmutableArray<RowSegment> _segments;

    private DirectPlan(OperatorSpec spec, DirectSchedule schedule, TargetLimits limits, Conv2dAttributes conv) : base(spec, limits, conv, schedule.CoreGroups)
    {
        Schedule = schedule;
        InputRows = Math.Min(conv.Height, ((schedule.TileRows - 1) * conv.Stride.Height) + ((conv.Kernel.Height - 1) * conv.Dilation.Height) + 1);
        long Align(long bytes) => (bytes + limits.LdmAlignmentBytes - 1) / limits.LdmAlignmentBytes * limits.LdmAlignmentBytes;
        var copies = schedule.DoubleBuffer ? 2 : 1;
        HasBias = spec.Epilogue.Steps.Any(step => step is BiasStep);
        LdmBytes = Align(InputElements * ElementBytes * copies) + Align(WeightElements * ElementBytes * copies) + Align(OutputElements * ElementBytes)
            + (HasBias ? Align(BiasElements * ElementBytes) : 0);
    }

    /// <inheritdoc/>
    public override DirectSchedule Schedule { get; }

    /// <inheritdoc/>
    public override long LdmBytes { get; }

    /// <summary>
    /// Input rows a task gets: the rows its output rows' windows span, at most the input's height. A task gets
    /// them from the first row its windows reach inside the image, moved up at the image's bottom, so that
    /// every get moves as many rows.
    /// </summary>
    public int InputRows { get; }

    /// <summary>Tasks along the output rows of one image and channel group tile.</summary>
    public int RowTiles => (Conv.OutHeight + Schedule.TileRows - 1) / Schedule.TileRows;

    /// <summary>Tasks along the channel groups.</summary>
    public int GroupTiles => Conv.Groups / Schedule.TileGroups;

    /// <summary>Tasks of the core group that gets the most.</summary>
    public long Tasks => ImagesPerGroup * GroupTiles * RowTiles;

    /// <summary>Elements of the input buffer (one copy): the task's input channels by <see cref="InputRows"/> rows of the input's width.</summary>
    public long InputElements => (long)Schedule.TileGroups * Conv.InChannelsPerGroup * InputRows * Conv.Width;

    /// <summary>Elements of the weights buffer (one copy): the task's output channels' filters.</summary>
    public long WeightElements => (long)Schedule.TileGroups * Conv.OutChannelsPerGroup * Conv.InChannelsPerGroup * Conv.Kernel.Height * Conv.Kernel.Width;

    /// <summary>Elements of the output buffer: the task's output channels by its output rows.</summary>
    public long OutputElements => (long)Schedule.TileGroups * Conv.OutChannelsPerGroup * Schedule.TileRows * Conv.OutWidth;

    /// <summary>Whether the epilogue adds a bias, which a task gets for its output channels.</summary>
    public bool HasBias { get; }

    /// <summary>Elements of the bias buffer: the task's output channels, one value each.</summary>
    public long BiasElements => (long)Schedule.TileGroups * Conv.OutChannelsPerGroup;

    /// <summary>
    /// The tensors of the kernel in its order: the convolution's inputs, the epilogue's (the bias), then the output.
    /// </summary>
    public IEnumerable<TensorDeclaration> KernelTensors =>
        Operator.Expression.Inputs.Select(i => i.Tensor).Concat(Operator.EpilogueInputs.Select(a => a.Tensor)).Append(Operator.Expression.Output.Tensor);

    /// <summary>
    /// The multiply-accumulate calls of one output row and kernel row: the columns whose window lies inside
    /// the input row take every tap in one call; each tap then takes the columns on either side where it alone
    /// reaches inside the row. Padding is never read.
    /// </summary>
    public ImmutableArray<RowSegment> RowSegments => _segments.IsDefault ? _segments = Segments(Conv) : _segments;

    /// <summary>
    /// The (output row, kernel row) pairs of one image and channel whose input row lies inside the image:
    /// the rows of multiply-accumulates a channel pair computes.
    /// </summary>
    public long ValidRowPairs
    {
        get
        {
            var pairs = 0L;
            for (var oh = 0; oh < Conv.OutHeight; oh++)
            {
                for (var kh = 0; kh < Conv.Kernel.Height; kh++)
                {
                    var ih = (oh * Conv.Stride.Height) + (kh * Conv.Dilation.Height) - Conv.Padding.Top;
                    pairs += ih >= 0 && ih < Conv.Height ? 1 : 0;
                }
            }

            return pairs;
        }
    }

    /// <inheritdoc/>
    public override ImmutableArray<TensorPlacement> Placements => _placements.IsDefault
        ? _placements = [.. KernelTensors.Select(t => new TensorPlacement(Schedule.GroupMemory ? TensorLayout.RowMajorInCoreGroups(t) : TensorLayout.RowMajor(t), DistributionOf(t)))]
        : _placements;

    /// <inheritdoc/>
    public override TResult Accept<TResult>(ISchedulePlanVisitor<TResult> visitor)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        return visitor.VisitDirect(this);
    }

    private static ImmutableArray<RowSegment> Segments(Conv2dAttributes c)
    {
        int stride = c.Stride.Width, dilation = c.Dilation.Width, pad = c.Padding.Left, taps = c.Kernel.Width;

        // The output columns whose tap kw reads inside the row: [lo, hi).
        (int Lo, int Hi) Valid(int kw)
        {
            var lo = Math.Max(0, CeilDiv(pad - (kw * dilation), stride));
            var hi = Math.Min(c.OutWidth, FloorDiv(c.Width - 1 - (kw * dilation) + pad, stride) + 1);
            return (lo, Math.Max(lo, hi));
        }

        var ranges = Enumerable.Range(0, taps).Select(Valid).ToArray();
        var (a, b) = (ranges.Max(r => r.Lo), ranges.Min(r => r.Hi));
        var segments = ImmutableArray.CreateBuilder<RowSegment>();
        if (a < b)
        {
            segments.Add(new RowSegment(a, b - a, 0, taps));
        }

        for (var kw = 0; kw < taps; kw++)
        {
            var (lo, hi) = ranges[kw];
            var pieces = a < b ? new[] { (lo, Math.Min(hi, a)), (Math.Max(lo, b), hi) } : [(lo, hi)];
            foreach (var (from, to) in pieces)
            {
                if (from < to)
                {
                    segments.Add(new RowSegment(from, to - from, kw, 1));
                }
            }
        }

        return segments.ToImmutable();
    }

    private static int CeilDiv(int a, int b) => a >= 0 ? (a + b - 1) / b : -(-a / b);

    private static int FloorDiv(int a, int b) => a >= 0 ? a / b : -((-a + b - 1) / b);

    /// <summary>Checks <paramref name="schedule"/> against <paramref name="spec"/> and <paramref name="limits"/>.</summary>
    /// <exception cref="ScheduleException">The algorithm does not apply to the operator, or a decision breaks a rule; the message names it.</exception>
    public static DirectPlan Create(OperatorSpec spec, DirectSchedule schedule, TargetLimits limits)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(limits);
        var conv = DirectAlgorithm.Convolution(spec) ?? throw new ScheduleException(ScheduleDiagnostics.NotApplicable, nameof(Schedule.Algorithm),
            $"Algorithm '{DirectSchedule.AlgorithmName}' does not apply to {spec}: {DirectAlgorithm.WhyNot(spec)}");
        var ic = CultureInfo.InvariantCulture;
        if (schedule.TileRows < 1 || schedule.TileRows > conv.OutHeight)
        {
            throw new ScheduleException(ScheduleDiagnostics.IllegalTile, nameof(DirectSchedule.TileRows),
                string.Create(ic, $"TileRows = {schedule.TileRows} must be from 1 to the output height {conv.OutHeight}."));
        }

        if (schedule.TileGroups < 1 || conv.Groups % schedule.TileGroups != 0)
        {
            throw new ScheduleException(ScheduleDiagnostics.IllegalTile, nameof(DirectSchedule.TileGroups),
                string.Create(ic, $"TileGroups = {schedule.TileGroups} must divide the operator's {conv.Groups} groups."));
        }

        BatchShareRules.Check(schedule, conv.Batch, limits, "the direct convolution's");

        var plan = new DirectPlan(spec, schedule, limits, conv);
        if (schedule.DoubleBuffer && plan.FewestImagesPerGroup * plan.GroupTiles * plan.RowTiles < Cpes)
        {
            throw new ScheduleException(ScheduleDiagnostics.IllegalOperands, nameof(DirectSchedule.DoubleBuffer),
                string.Create(ic, $"DoubleBuffer = true needs every CPE to run a task, but a core group has {plan.FewestImagesPerGroup * plan.GroupTiles * plan.RowTiles} tasks for its {Cpes} CPEs."));
        }

        if (plan.LdmBytes > limits.LdmBudgetBytes)
        {
            throw new ScheduleException(ScheduleDiagnostics.LdmOverflow, nameof(DirectSchedule.TileRows),
                string.Create(ic, $"TileRows = {schedule.TileRows}, TileGroups = {schedule.TileGroups}, DoubleBuffer = {schedule.DoubleBuffer}: the buffers need {plan.LdmBytes} bytes of LDM a CPE (input {plan.InputElements}, weights {plan.WeightElements}, output {plan.OutputElements}{(plan.HasBias ? ", bias " + plan.BiasElements.ToString(ic) : "")} elements of {plan.ElementBytes} bytes) but the budget is {limits.LdmBudgetBytes} bytes."));
        }

        return plan;
    }
}
