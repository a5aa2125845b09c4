using System.Collections.Immutable;
using Swatop.Core.Ir;
using Swatop.Core.Lowering;
using Swatop.Primitives;

namespace Swatop.Core.Algorithms.Direct;

/// <summary>
/// Lowers a direct convolution plan to a loop kernel. Each CPE walks its tasks (task <c>cpe + 64 t</c> of its
/// core group's images x group tiles x row tiles): it gets the task's input rows, the rows its windows
/// reach that lie inside the image, for all its input channels in one strided transfer, and its weights in
/// another; zeroes its output rows in LDM; for each output channel, input channel, output row and kernel row
/// whose input row lies inside the image, calls the multiply-accumulate primitive on the output row: once
/// over the columns whose whole window lies inside the row, with every tap, and once a tap over each
/// border's columns, whose windows reach the padding; then applies the epilogue (a bias and clamps) to the
/// output rows and puts them in one strided transfer. Every tensor is in NCHW order, the framework's read and
/// written in place or, under <see cref="DirectSchedule.GroupMemory"/>, a copy in each core group's own memory at the
/// same offsets (<see cref="Lowering.TensorLayout.RowMajorInCoreGroups"/>); padding is never stored.
/// </summary>
internal static class DirectLowering
{
    private const string ReplyInput = "reply_in";
    private const string ReplyWeights = "reply_k";
    private const string ReplyOutput = "reply_out";
    private const string ReplyBias = "reply_bias";

    /// <summary>Lowers a checked plan.</summary>
    public static LoweredKernel Lower(DirectPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var e = plan.Operator.Expression;
        var tensors = plan.KernelTensors.ToList();
        LdmBuffer[] buffers =
        [
            new LdmBuffer(DirectPlan.BufferInput, plan.InputElements, DoubleBuffer: plan.Schedule.DoubleBuffer),
            new LdmBuffer(DirectPlan.BufferWeights, plan.WeightElements, DoubleBuffer: plan.Schedule.DoubleBuffer),
            new LdmBuffer(DirectPlan.BufferOutput, plan.OutputElements),
        ];
        var kernel = new LoopKernel(
            Name: KernelLowering.Identifier(e.Name),
            ElementType: plan.Operator.ElementType,
            Tensors: [.. tensors.Select(t => new KernelTensor(t.Name, t.ElementLength, t == e.Output.Tensor))],
            Buffers: plan.HasBias ? [.. buffers, new LdmBuffer(DirectPlan.BufferBias, plan.BiasElements)] : [.. buffers],
            Replies: plan.HasBias ? [ReplyInput, ReplyWeights, ReplyOutput, ReplyBias] : [ReplyInput, ReplyWeights, ReplyOutput],
            Body: Body(plan));
        return new LoweredKernel(plan, kernel, ImmutableDictionary.CreateRange(StringComparer.Ordinal,
            plan.Placements.Select(p => KeyValuePair.Create(p.Tensor.Name, p.Layout))));
    }

    private static ForLoop Body(DirectPlan plan)
    {
        var c = plan.Conv;
        var s = plan.Schedule;
        var cig = c.InChannelsPerGroup;
        var cog = c.OutChannelsPerGroup;
        var taps = (long)c.Kernel.Height * c.Kernel.Width;

        // This core group's images, and its tasks.
        var images = plan.GroupImages;
        Expr firstImage = s.CoreGroups == 1 ? 0 : Var.Group * plan.SplitChunk;
        var perImage = (long)plan.GroupTiles * plan.RowTiles;
        var cpe = (Var.Row * 8) + Var.Column;
        var tasks = images * perImage;
        var task = new Var("task");
        var n = new Var("n");
        var gt = new Var("gt");
        var oh0 = new Var("oh0");
        var rows = new Var("rows");
        var first = new Var("ih0");
        var skip = new Var("skip");

        // The task's input rows: InputRows rows of the image from ih0, the first its windows reach, moved down
        // to fit at the image's bottom; a window row lies skip rows below the first row of its own output row's window.
        var inputGet = Block.Of(
            new ResetReply(ReplyInput),
            new DmaGet(new LdmRef(DirectPlan.BufferInput, 0, plan.InputElements), "input",
                ((((n * c.InChannels) + (gt * (s.TileGroups * cig))) * c.Height) + first) * c.Width, (long)plan.InputRows * c.Width, ((long)c.Height - plan.InputRows) * c.Width, ReplyInput),
            new DmaWait(ReplyInput));
        var weightsGet = Block.Of(
            new ResetReply(ReplyWeights),
            new DmaGet(new LdmRef(DirectPlan.BufferWeights, 0, plan.WeightElements), "weights", gt * plan.WeightElements, 0, 0, ReplyWeights),
            new DmaWait(ReplyWeights));
        var outputCount = (long)s.TileGroups * cog * rows * c.OutWidth;
        var put = Block.Of(
            new ResetReply(ReplyOutput),
            new DmaPut(new LdmRef(DirectPlan.BufferOutput, 0, outputCount), "output",
                ((((n * c.OutChannels) + (gt * (s.TileGroups * cog))) * c.OutHeight) + oh0) * c.OutWidth, rows * c.OutWidth, (c.OutHeight - rows) * c.OutWidth, ReplyOutput),
            new DmaWait(ReplyOutput));

        var compute = Loop("gl", s.TileGroups, gl => Loop("co", cog, co => Loop("ci", cig, ci => Loop("r", s.TileRows, rows, r => Loop("kh", c.Kernel.Height, kh =>
        {
            // The window row's place among the task's input rows: outside them, it lies in the padding.
            var local = new Var("li");
            var target = ((((gl * cog) + co) * rows) + r) * c.OutWidth;
            var source = ((((gl * cig) + ci) * plan.InputRows) + local) * c.Width;
            var weights = (((((gl * cog) + co) * cig) + ci) * taps) + (kh * c.Kernel.Width);
            return new Let(local.Name, (r * c.Stride.Height) + (kh * c.Dilation.Height) + skip,
                new Conditional(Expr.And(Expr.LessOrEqual(0, local), Expr.Less(local, plan.InputRows)), Block.Of(Row(plan, target, weights, source))));
        })))));

        var body = Block.Of(inputGet, weightsGet, new Fill(new LdmRef(DirectPlan.BufferOutput, 0, outputCount), 0.0), compute, Epilogue(plan, gt, outputCount), put);
        body = new Let(skip.Name, (oh0 * c.Stride.Height) - c.Padding.Top - first, body);
        body = new Let(first.Name, Expr.Clamp((oh0 * c.Stride.Height) - c.Padding.Top, 0, c.Height - plan.InputRows), body);
        body = new Let(rows.Name, Expr.Min(s.TileRows, c.OutHeight - oh0), body);
        body = new Let(oh0.Name, task % plan.RowTiles * s.TileRows, body);
        body = new Let(gt.Name, task / plan.RowTiles % plan.GroupTiles, body);
        body = new Let(n.Name, firstImage + (task / perImage), body);
        body = new Let(task.Name, cpe + (new Var("task_t") * DirectPlan.Cpes), body);
        return new ForLoop("task_t", (tasks - cpe + (DirectPlan.Cpes - 1)) / DirectPlan.Cpes, body);
    }

    /// <summary>
    /// The operator's epilogue on the task's output rows in LDM, before their put: the bias of the task's output
    /// channels, got in one transfer and added to each channel's rows (the rows are a column-major block with a
    /// column per channel), then each clamp. Nothing for the empty epilogue.
    /// </summary>
    private static Stmt Epilogue(DirectPlan plan, Expr gt, Expr outputCount)
    {
        var target = new LdmRef(DirectPlan.BufferOutput, 0, outputCount);
        var parts = new List<Stmt>();
        foreach (var step in plan.Operator.Epilogue.Steps)
        {
            switch (step)
            {
                case BiasStep:
                    var bias = new LdmRef(DirectPlan.BufferBias, 0, plan.BiasElements);
                    parts.Add(new ResetReply(ReplyBias));
                    parts.Add(new DmaGet(bias, BiasStep.Name, gt * plan.BiasElements, 0, 0, ReplyBias));
                    parts.Add(new DmaWait(ReplyBias));
                    parts.Add(new Elementwise(target, ElementwiseOp.Add, [ElementwiseOperand.PerColumn(bias)]));
                    break;
                case ClipStep clip:
                    parts.AddRange(ClipStatements.On(clip, target));
                    break;
            }
        }

        return Block.Of(parts);
    }

    /// <summary>
    /// The multiply-accumulates of one output row and kernel row (<see cref="DirectPlan.RowSegments"/>):
    /// <paramref name="target"/>, <paramref name="weights"/> and <paramref name="source"/> are the row's output,
    /// the kernel row's first weight and the input row's first element in LDM.
    /// </summary>
    private static IEnumerable<Stmt> Row(DirectPlan plan, Expr target, Expr weights, Expr source)
    {
        var c = plan.Conv;
        foreach (var segment in plan.RowSegments)
        {
            yield return Mac(plan, target + segment.First, segment.Count, weights + segment.Tap, segment.Taps,
                source + ((long)segment.First * c.Stride.Width) + ((long)segment.Tap * c.Dilation.Width) - c.Padding.Left);
        }
    }

    private static MultiplyAccumulate Mac(DirectPlan plan, Expr target, int count, Expr weights, int taps, Expr source)
    {
        var c = plan.Conv;
        var span = MultiplyAccumulateRules.SourceSpan(count, taps, c.Stride.Width, c.Dilation.Width);
        return new MultiplyAccumulate(new LdmRef(DirectPlan.BufferOutput, target, count), new LdmRef(DirectPlan.BufferWeights, weights, taps),
            new LdmRef(DirectPlan.BufferInput, source, span), c.Stride.Width, c.Dilation.Width);
    }

    /// <summary>A loop of <paramref name="extent"/> iterations over <paramref name="body"/>, or the body at 0 when the extent is 1.</summary>
    private static Stmt Loop(string name, long extent, Func<Expr, Stmt> body) => extent == 1 ? body(0) : new ForLoop(name, extent, body(new Var(name)));

    /// <summary>A loop whose trip count <paramref name="extent"/> is at most <paramref name="most"/>.</summary>
    private static Stmt Loop(string name, long most, Expr extent, Func<Expr, Stmt> body) => most == 1 ? body(0) : new ForLoop(name, extent, body(new Var(name)));

}
