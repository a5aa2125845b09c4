using System.Collections.Immutable;
using Swatop.Core.Ir;
using Swatop.Core.Layouts;
using Swatop.Core.Lowering;
using Swatop.Core.Scheduling;
using Swatop.Primitives;

namespace Swatop.Core.LayoutSteps;

/// <summary>
/// Lowers the column step, the pack of an NCHW tensor into its column matrix (a destination layout with a
/// <see cref="TensorLayout.Window"/>), to the loop IR. A task is one input channel <c>c</c> of one image
/// <c>n</c>, one tap row <c>kh</c> and <c>R</c> consecutive output rows from <c>oh</c> (<see cref="RowsPerTask"/>);
/// tasks are dealt to the 64 CPEs in turn. A CPE gets each input row <c>h = (oh + r) * sh + kh * dh - padTop</c>
/// that the task reads, once, as one contiguous run into its span of LDM that stands for the input columns
/// <c>[-padLeft, -padLeft + span)</c> (zeros where they fall outside the row, and a whole span of zeros for a
/// row of padding), and for each tap column <c>kw</c> puts the task's <c>R</c> output rows of the column matrix,
/// which lie one after the other there, in one block: row <c>r</c>'s elements are <c>span_r[ow * sw + kw * dw]</c>.
/// With one row a task and a stride of one, the span's run from <c>kw * dw</c> is put as it is; otherwise each
/// row's elements are gathered into the tap column's run of LDM by a <c>Transpose</c> (of the span seen as a
/// <c>sw x Ow</c> column-major block, whose first row is wanted; each row's transpose is written <c>Ow</c> after
/// the previous row's, over its unused rows). A task all of whose input rows are padding puts nothing: the
/// destination is zero from allocation, as every layout step's padding is. Every put of a task is waited for
/// before the next task's gets. Putting <c>R</c> rows a block instead of one divides the puts' requests and
/// blocks, which the memory controller serves at a cost each, by <c>R</c>.
/// </summary>
public static class ColumnStepLowering
{
    private const string SpanBuffer = "span";
    private const string TurnedBuffer = "turned";
    private const string GetReply = "get_reply";
    private const string PutReply = "put_reply";
    private const int Cpes = MeshGemmRules.MeshSize * MeshGemmRules.MeshSize;

    /// <summary>Elements of LDM a CPE takes for the column step of <paramref name="window"/> with one output row a task: the span, and with a stride the transposed rows.</summary>
    public static long LdmElements(ColumnWindow window) => LdmElements(window, 1);

    /// <summary>
    /// Elements of LDM a CPE takes for the column step of <paramref name="window"/> with <paramref name="rowsPerTask"/>
    /// output rows a task: a span a row and, unless one row of stride one is put from its span as it is, each tap
    /// column's gathered rows.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rowsPerTask"/> is below 1.</exception>
    public static long LdmElements(ColumnWindow window, int rowsPerTask)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowsPerTask, 1);
        return (rowsPerTask * SpanElements(window)) + (Gathers(window, rowsPerTask) ? window.KernelWidth * GatheredElements(window, rowsPerTask) : 0);
    }

    /// <summary>
    /// The output rows a task of <paramref name="step"/> puts in one block: the most that divide the output rows (and,
    /// when the core groups split those rows, each group's share), that lie one after the other in the destination
    /// (its output rows and columns neither blocked nor apart), and whose buffers fit <paramref name="ldmBudgetBytes"/>;
    /// 1 when no more do.
    /// </summary>
    public static int RowsPerTask(LayoutStep step, long ldmBudgetBytes)
    {
        ArgumentNullException.ThrowIfNull(step);
        var destination = step.Destination;
        var window = destination.Window ?? throw new ArgumentException($"The step '{step}' does not lay out a column matrix.", nameof(step));
        var rows = window.OutHeight;
        var perGroup = step.Share is SplitDistribution { Dimension: 2 } split ? split.PositionsPerGroup : rows;
        var consecutive = !destination.IsBlocked(2) && !destination.IsBlocked(3) && destination.Strides[3] == 1 && destination.Strides[2] == window.OutWidth;
        var best = 1;
        for (var r = 2; consecutive && r <= rows; r++)
        {
            if (rows % r == 0 && perGroup % r == 0 && LdmElements(window, r) * step.ElementBytes <= ldmBudgetBytes)
            {
                best = r;
            }
        }

        return best;
    }

    /// <summary>Whether the rows of a task are gathered into a run of LDM a tap column before their put (all but one row of stride one).</summary>
    private static bool Gathers(ColumnWindow window, int rowsPerTask) => window.StrideWidth > 1 || rowsPerTask > 1;

    /// <summary>Elements of a tap column's gathered rows: each row's transpose written an output row after the previous one's.</summary>
    private static long GatheredElements(ColumnWindow window, int rowsPerTask) =>
        ((long)(rowsPerTask - 1) * window.OutWidth) + ((long)Math.Max(1, window.StrideWidth) * window.OutWidth);

    /// <summary>Why <paramref name="step"/> is not a column step this lowering can write, as a sentence; <see langword="null"/> when it is.</summary>
    public static string? WhyNot(LayoutStep step) => Problem(step, describe: true);

    /// <summary>Whether this lowering can write <paramref name="step"/>: <see cref="WhyNot"/> is null, without writing out why not.</summary>
    internal static bool Applies(LayoutStep step) => Problem(step, describe: false) is null;

    /// <summary>Why this lowering cannot write <paramref name="step"/> (the reason spelled out only when <paramref name="describe"/>), or null.</summary>
    private static string? Problem(LayoutStep step, bool describe)
    {
        ArgumentNullException.ThrowIfNull(step);
        var destination = step.Destination;
        if (destination.Window is null || step.Kind != LayoutStepKind.Pack || !step.Source.IsIdentity || step.Tensor.Rank != 4)
        {
            return describe ? $"the column step packs a four-dimensional tensor from the framework's layout into a column matrix, and '{step}' does not." : string.Empty;
        }

        if ((destination.IsBlocked(3) || destination.Strides[3] != 1) && destination.Window.OutWidth > 1)
        {
            return describe ? $"the column matrix's last dimension (output columns) must be contiguous and not blocked, and {destination} does not keep it so." : string.Empty;
        }

        if (step.Share is SplitDistribution split && (split.Dimension is not (0 or 2) || split.Stride != 1 || split.Extent != ColumnShape(step)[split.Dimension]))
        {
            return describe ? $"the column step splits the images or the output rows over the core groups, one position a place, and the share is {split}." : string.Empty;
        }

        return null;
    }

    /// <summary>Lowers <paramref name="step"/> for a target with <paramref name="limits"/>.</summary>
    /// <exception cref="NotSupportedException">The step is not a column step this lowering can write (<see cref="WhyNot"/>), or its buffers exceed the LDM budget.</exception>
    public static LoopKernel Lower(LayoutStep step, TargetLimits limits)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(limits);
        if (WhyNot(step) is { } why)
        {
            throw new NotSupportedException($"Layout step '{step.Name}' cannot be lowered: {why}");
        }

        var window = step.Destination.Window!;
        var rowsPerTask = RowsPerTask(step, limits.LdmBudgetBytes);
        var bytes = LdmElements(window, rowsPerTask) * step.ElementBytes;
        if (bytes > limits.LdmBudgetBytes)
        {
            throw new NotSupportedException($"Layout step '{step.Name}' needs {bytes} bytes of LDM a CPE for an output row of {window.OutWidth} columns; the budget is {limits.LdmBudgetBytes}.");
        }

        var buffers = ImmutableArray.CreateBuilder<LdmBuffer>();
        buffers.Add(new LdmBuffer(SpanBuffer, rowsPerTask * SpanElements(window)));
        if (Gathers(window, rowsPerTask))
        {
            buffers.Add(new LdmBuffer(TurnedBuffer, window.KernelWidth * GatheredElements(window, rowsPerTask)));
        }

        var tensors = ImmutableArray.Create(
            new KernelTensor(LayoutStepLowering.SourceTensor, step.Source.Elements, IsOutput: false),
            new KernelTensor(LayoutStepLowering.DestinationTensor, step.Destination.Elements, IsOutput: true));
        return new LoopKernel(KernelLowering.Identifier(step.Name), step.ElementType, tensors, buffers.ToImmutable(), [GetReply, PutReply], Body(step, window, rowsPerTask));
    }

    /// <summary>The span of input columns a task gets: every column one of its output rows reads.</summary>
    private static long SpanElements(ColumnWindow window) =>
        ((long)(window.StrideWidth > 1 ? window.StrideWidth : 1) * window.OutWidth) + ((long)(window.KernelWidth - 1) * window.DilationWidth);

    private static int[] ColumnShape(LayoutStep step) => step.Destination.Window!.ColumnShape(step.Tensor.Shape);

    private static Stmt Body(LayoutStep step, ColumnWindow window, int rowsPerTask)
    {
        var shape = step.Tensor.Shape;
        var (channels, height, width) = (shape[1], shape[2], shape[3]);
        var bindings = new List<(string Name, Expr Value)>();

        // The share's images and output rows.
        Expr firstImage = 0, images = shape[0], firstRow = 0, rows = window.OutHeight;
        if (step.Share is SplitDistribution split)
        {
            var first = Let(bindings, "first", Var.Group * split.PositionsPerGroup);
            var count = Let(bindings, "count", Expr.Max(0, Expr.Min((Var.Group + 1) * split.PositionsPerGroup, split.Extent) - first));
            if (split.Dimension == 0)
            {
                (firstImage, images) = (first, count);
            }
            else
            {
                (firstRow, rows) = (first, count);
            }
        }

        // The share's rows divide into whole tasks (RowsPerTask divides every group's share).
        var rowTasks = rowsPerTask == 1 ? rows : rows / rowsPerTask;
        var total = Let(bindings, "total", images * ((long)channels * window.KernelHeight) * rowTasks);
        var cpe = Let(bindings, "cpe", (Var.Row * MeshGemmRules.MeshSize) + Var.Column);

        // Which task: its output rows fastest, then its tap row, its channel, its image.
        var inner = new List<(string Name, Expr Value)>();
        Expr rest = new Var("task");
        var oh = Let(inner, "oh", firstRow + (rowsPerTask == 1 ? rest % rowTasks : rest % rowTasks * rowsPerTask));
        rest = Let(inner, "rest0", rest / rowTasks);
        var kh = Let(inner, "kh", rest % window.KernelHeight);
        rest = Let(inner, "rest1", rest / window.KernelHeight);
        var c = Let(inner, "c", rest % channels);
        var n = Let(inner, "n", firstImage + (rest / channels));
        var h = Let(inner, "h", (oh * window.StrideHeight) + (kh * window.DilationHeight) - window.PadTop);
        Expr Row(int r) => r == 0 ? h : h + ((long)r * window.StrideHeight);
        static Expr Inside(Expr row, long height) => Expr.And(Expr.LessOrEqual(0, row), Expr.Less(row, height));

        var span = SpanElements(window);
        long start = -window.PadLeft;
        var lo = Math.Max(0, start);
        var hi = Math.Min(width, start + span);
        var statements = new List<Stmt>();
        if (start < 0 || start + span > width || (rowsPerTask > 1 && RowsOutside(window, height)))
        {
            statements.Add(new Fill(new LdmRef(SpanBuffer, 0, rowsPerTask * span), 0));
        }

        statements.Add(new ResetReply(GetReply));
        if (hi > lo)
        {
            for (var r = 0; r < rowsPerTask; r++)
            {
                var row = ((((n * channels) + c) * height) + Row(r)) * width;
                Stmt get = new DmaGet(new LdmRef(SpanBuffer, (r * span) + lo - start, hi - lo), LayoutStepLowering.SourceTensor, row + lo, 0, 0, GetReply);
                statements.Add(rowsPerTask == 1 ? get : new Conditional(Inside(Row(r), height), get));
            }
        }

        statements.Add(new DmaWait(GetReply));
        statements.Add(new ResetReply(PutReply));
        var destination = step.Destination;
        var gathered = GatheredElements(window, rowsPerTask);
        var taskRun = (long)rowsPerTask * window.OutWidth;
        for (var kw = 0; kw < window.KernelWidth; kw++)
        {
            var k = (((c * window.KernelHeight) + kh) * window.KernelWidth) + kw;
            var to = Place(destination, 0, n) + Place(destination, 1, k) + Place(destination, 2, oh) + Place(destination, 3, 0);
            LdmRef source;
            if (Gathers(window, rowsPerTask))
            {
                var block = (long)Math.Max(1, window.StrideWidth) * window.OutWidth;
                for (var r = 0; r < rowsPerTask; r++)
                {
                    var into = (kw * gathered) + ((long)r * window.OutWidth);
                    statements.Add(new Transpose(
                        new LdmRef(TurnedBuffer, into, block), new LdmRef(SpanBuffer, (r * span) + ((long)kw * window.DilationWidth), block), Math.Max(1, window.StrideWidth), window.OutWidth));
                }

                source = new LdmRef(TurnedBuffer, kw * gathered, taskRun);
            }
            else
            {
                source = new LdmRef(SpanBuffer, (long)kw * window.DilationWidth, window.OutWidth);
            }

            statements.Add(new DmaPut(source, LayoutStepLowering.DestinationTensor, to, 0, 0, PutReply));
        }

        statements.Add(new DmaWait(PutReply));

        // Rows grow with r: some row lies in the tensor when the last is not above it and the first not below it.
        var inside = new Conditional(Expr.And(Expr.LessOrEqual(0, Row(rowsPerTask - 1)), Expr.Less(h, height)), Block.Of(statements));
        var turn = new Var("turn");
        var perTurn = new Let("task", (turn * Cpes) + cpe, new Conditional(Expr.Less(new Var("task"), total), Wrap(inner, inside)));
        return Wrap(bindings, new ForLoop(turn.Name, (total + (Cpes - 1)) / Cpes, perTurn));
    }

    /// <summary>Whether some output row of <paramref name="window"/> reads an input row of padding for some tap row.</summary>
    public static bool RowsOutside(ColumnWindow window, int height)
    {
        ArgumentNullException.ThrowIfNull(window);
        var first = -window.PadTop;
        var last = ((long)(window.OutHeight - 1) * window.StrideHeight) + ((long)(window.KernelHeight - 1) * window.DilationHeight) - window.PadTop;
        return first < 0 || last >= height;
    }

    /// <summary>What column-matrix index <paramref name="index"/> of dimension <paramref name="dimension"/> adds to an element's offset in <paramref name="layout"/> (<see cref="LayoutRules.Place"/>).</summary>
    private static Expr Place(TensorLayout layout, int dimension, Expr index)
    {
        var position = index + layout.Origins[dimension];
        return layout.IsBlocked(dimension)
            ? (position / layout.Blocks[dimension] * layout.OuterStrides[dimension]) + (position % layout.Blocks[dimension] * layout.Strides[dimension])
            : position * layout.Strides[dimension];
    }

    private static Var Let(List<(string Name, Expr Value)> bindings, string name, Expr value)
    {
        bindings.Add((name, value));
        return new Var(name);
    }

    private static Stmt Wrap(List<(string Name, Expr Value)> bindings, Stmt body)
    {
        for (var i = bindings.Count - 1; i >= 0; i--)
        {
            body = new Let(bindings[i].Name, bindings[i].Value, body);
        }

        return body;
    }
}
