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
/// <c>n</c>, one tap row <c>kh</c> and one output row <c>oh</c>; tasks are dealt to the 64 CPEs in turn. A CPE
/// gets the input row <c>h = oh * sh + kh * dh - padTop</c> that the task reads, once, as one contiguous run
/// into a span of LDM that stands for the input columns <c>[-padLeft, -padLeft + span)</c> (zeros where they
/// fall outside the row), and for each tap column <c>kw</c> puts the output row of the column matrix, its
/// elements <c>span[ow * sw + kw * dw]</c>: with a stride of one the span's run from <c>kw * dw</c> as it is,
/// with a larger stride the first row of the span's run seen as a <c>sw x Ow</c> column-major block and
/// transposed. A task whose input row is padding puts nothing: the destination is zero from allocation, as
/// every layout step's padding is. Every put of a task is waited for before the next task's get.
/// </summary>
public static class ColumnStepLowering
{
    private const string SpanBuffer = "span";
    private const string TurnedBuffer = "turned";
    private const string GetReply = "get_reply";
    private const string PutReply = "put_reply";
    private const int Cpes = MeshGemmRules.MeshSize * MeshGemmRules.MeshSize;

    /// <summary>Elements of LDM a CPE takes for the column step of <paramref name="window"/>: the span, and with a stride the transposed rows.</summary>
    public static long LdmElements(ColumnWindow window)
    {
        ArgumentNullException.ThrowIfNull(window);
        return SpanElements(window) + (window.StrideWidth > 1 ? (long)window.KernelWidth * window.StrideWidth * window.OutWidth : 0);
    }

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
        var bytes = LdmElements(window) * step.ElementBytes;
        if (bytes > limits.LdmBudgetBytes)
        {
            throw new NotSupportedException($"Layout step '{step.Name}' needs {bytes} bytes of LDM a CPE for an output row of {window.OutWidth} columns; the budget is {limits.LdmBudgetBytes}.");
        }

        var buffers = ImmutableArray.CreateBuilder<LdmBuffer>();
        buffers.Add(new LdmBuffer(SpanBuffer, SpanElements(window)));
        if (window.StrideWidth > 1)
        {
            buffers.Add(new LdmBuffer(TurnedBuffer, (long)window.KernelWidth * window.StrideWidth * window.OutWidth));
        }

        var tensors = ImmutableArray.Create(
            new KernelTensor(LayoutStepLowering.SourceTensor, step.Source.Elements, IsOutput: false),
            new KernelTensor(LayoutStepLowering.DestinationTensor, step.Destination.Elements, IsOutput: true));
        return new LoopKernel(KernelLowering.Identifier(step.Name), step.ElementType, tensors, buffers.ToImmutable(), [GetReply, PutReply], Body(step, window));
    }

    /// <summary>The span of input columns a task gets: every column one of its output rows reads.</summary>
    private static long SpanElements(ColumnWindow window) =>
        ((long)(window.StrideWidth > 1 ? window.StrideWidth : 1) * window.OutWidth) + ((long)(window.KernelWidth - 1) * window.DilationWidth);

    private static int[] ColumnShape(LayoutStep step) => step.Destination.Window!.ColumnShape(step.Tensor.Shape);

    private static Stmt Body(LayoutStep step, ColumnWindow window)
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

        var total = Let(bindings, "total", images * ((long)channels * window.KernelHeight) * rows);
        var cpe = Let(bindings, "cpe", (Var.Row * MeshGemmRules.MeshSize) + Var.Column);

        // Which task: its output row fastest, then its tap row, its channel, its image.
        var inner = new List<(string Name, Expr Value)>();
        Expr rest = new Var("task");
        var oh = Let(inner, "oh", firstRow + (rest % rows));
        rest = Let(inner, "rest0", rest / rows);
        var kh = Let(inner, "kh", rest % window.KernelHeight);
        rest = Let(inner, "rest1", rest / window.KernelHeight);
        var c = Let(inner, "c", rest % channels);
        var n = Let(inner, "n", firstImage + (rest / channels));
        var h = Let(inner, "h", (oh * window.StrideHeight) + (kh * window.DilationHeight) - window.PadTop);

        var span = SpanElements(window);
        long start = -window.PadLeft;
        var lo = Math.Max(0, start);
        var hi = Math.Min(width, start + span);
        var statements = new List<Stmt>();
        if (start < 0 || start + span > width)
        {
            statements.Add(new Fill(new LdmRef(SpanBuffer, 0, span), 0));
        }

        statements.Add(new ResetReply(GetReply));
        if (hi > lo)
        {
            var row = ((((n * channels) + c) * height) + h) * width;
            statements.Add(new DmaGet(new LdmRef(SpanBuffer, lo - start, hi - lo), LayoutStepLowering.SourceTensor, row + lo, 0, 0, GetReply));
        }

        statements.Add(new DmaWait(GetReply));
        statements.Add(new ResetReply(PutReply));
        var destination = step.Destination;
        for (var kw = 0; kw < window.KernelWidth; kw++)
        {
            var k = (((c * window.KernelHeight) + kh) * window.KernelWidth) + kw;
            var to = Place(destination, 0, n) + Place(destination, 1, k) + Place(destination, 2, oh) + Place(destination, 3, 0);
            LdmRef source;
            if (window.StrideWidth > 1)
            {
                var block = (long)window.StrideWidth * window.OutWidth;
                statements.Add(new Transpose(new LdmRef(TurnedBuffer, kw * block, block), new LdmRef(SpanBuffer, (long)kw * window.DilationWidth, block), window.StrideWidth, window.OutWidth));
                source = new LdmRef(TurnedBuffer, kw * block, window.OutWidth);
            }
            else
            {
                source = new LdmRef(SpanBuffer, (long)kw * window.DilationWidth, window.OutWidth);
            }

            statements.Add(new DmaPut(source, LayoutStepLowering.DestinationTensor, to, 0, 0, PutReply));
        }

        statements.Add(new DmaWait(PutReply));
        var inside = new Conditional(Expr.And(Expr.LessOrEqual(0, h), Expr.Less(h, height)), Block.Of(statements));
        var turn = new Var("turn");
        var perTurn = new Let("task", (turn * Cpes) + cpe, new Conditional(Expr.Less(new Var("task"), total), Wrap(inner, inside)));
        return Wrap(bindings, new ForLoop(turn.Name, (total + (Cpes - 1)) / Cpes, perTurn));
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
