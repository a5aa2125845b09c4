using System.Collections.Immutable;
using Swatop.Core.Ir;
using Swatop.Core.Lowering;

namespace Swatop.Core.Algorithms.Winograd;

/// <summary>
/// Lowers a Winograd plan to a loop kernel. Every CPE first fills the transforms' coefficients into LDM, then walks
/// its tasks (task <c>cpe + 64 t</c> of its core group's images x groups x output blocks x tile rows x tile columns).
/// For each input block of a task it gets the block's filters and transforms them (<c>U = G g G^T</c>, two stages
/// of the multiply-accumulate primitive), gets the input rows the task's tiles read that lie inside the image,
/// transforms their columns (<c>B^T d</c>, into rows padded with zeros) and then their rows (<c>(B^T d) B</c>,
/// one call a position over every tile of every channel, at a stride of m), and adds the element-wise products
/// of each position and output channel into the accumulators (the sum over the block's input channels is one
/// call). After the last block it transforms the accumulators back (<c>A^T M A</c>), interleaves each output row's
/// tiles with the transpose primitive and puts the rows that lie inside the output. Every tensor is the
/// framework's NCHW tensor, read and written in place; padding is never stored.
/// </summary>
internal static class WinogradLowering
{
    private const string ReplyFilters = "reply_k";
    private const string ReplyInput = "reply_in";
    private const string ReplyOutput = "reply_out";

    /// <summary>Lowers a checked plan.</summary>
    public static LoweredKernel Lower(WinogradPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var e = plan.Operator.Expression;
        var tensors = e.Inputs.Select(i => i.Tensor).Append(e.Output.Tensor).ToList();
        var kernel = new LoopKernel(
            Name: KernelLowering.Identifier(e.Name),
            ElementType: plan.Operator.ElementType,
            Tensors: [.. tensors.Select(t => new KernelTensor(t.Name, t.ElementLength, t == e.Output.Tensor))],
            Buffers:
            [
                new LdmBuffer(WinogradPlan.BufferCoefficients, plan.CoefficientElements),
                new LdmBuffer(WinogradPlan.BufferFilters, plan.FilterElements),
                new LdmBuffer(WinogradPlan.BufferAccumulators, plan.AccumulatorElements),
                new LdmBuffer(WinogradPlan.BufferWork, plan.WorkElements),
            ],
            Replies: [ReplyFilters, ReplyInput, ReplyOutput],
            Body: Block.Of(WinogradCoefficients.Fill(plan.Transforms, WinogradPlan.BufferCoefficients, plan.CoefficientElements), Tasks(plan)));
        return new LoweredKernel(plan, kernel, ImmutableDictionary.CreateRange(StringComparer.Ordinal,
            tensors.Select(t => KeyValuePair.Create(t.Name, TensorLayout.RowMajor(t)))));
    }

    private static ForLoop Tasks(WinogradPlan plan)
    {
        var c = plan.Conv;
        var s = plan.Schedule;
        int m = plan.M, alpha = plan.Alpha;
        long wr = plan.RowStride;

        var images = plan.GroupImages;
        Expr firstImage = s.CoreGroups == 1 ? 0 : Var.Group * plan.SplitChunk;
        var cpe = (Var.Row * 8) + Var.Column;
        var task = new Var("task");
        var n = new Var("n");
        var g = new Var("g");
        var cb = new Var("cb");
        var ty = new Var("ty");
        var tx = new Var("tx");
        var first = new Var("ih");
        var r0 = new Var("r0");
        var vr = new Var("vr");
        var c0 = new Var("iw");
        var v0 = new Var("v0");
        var vw = new Var("vw");
        var skip = new Var("skip");
        var lead = new Var("lead");
        var ow = new Var("ow");
        var oh = new Var("oh");

        var body = Block.Of(
            new Fill(Ref(WinogradPlan.BufferAccumulators, 0, plan.AccumulatorElements), 0.0),
            new ForLoop("kb", plan.InBlocks, InputBlock(plan, n, g, cb, new Var("kb"), skip, r0, vr, lead, v0, vw)),
            Output(plan, n, g, cb, ty, tx, ow, oh));
        body = new Let(oh.Name, Expr.Min(m, c.OutHeight - (ty * m)), body);
        body = new Let(ow.Name, Expr.Min((long)s.TileColumns * m, c.OutWidth - (tx * (s.TileColumns * m))), body);
        body = new Let(vw.Name, Expr.Clamp(Expr.Min(c.Width, c0 + wr) - v0, 0, plan.InputColumns), body);
        body = new Let(lead.Name, Expr.Max(0, c.Padding.Left - (tx * (s.TileColumns * m))), body);
        body = new Let(v0.Name, Expr.Max(0, c0), body);
        body = new Let(c0.Name, (tx * (s.TileColumns * m)) - c.Padding.Left, body);
        body = new Let(vr.Name, Expr.Clamp(Expr.Min(c.Height, first + alpha) - r0, 0, alpha), body);
        body = new Let(skip.Name, Expr.Max(0, c.Padding.Top - (ty * m)), body);
        body = new Let(r0.Name, Expr.Max(0, first), body);
        body = new Let(first.Name, (ty * m) - c.Padding.Top, body);
        body = new Let(tx.Name, task % plan.ColumnTasks, body);
        body = new Let(ty.Name, task / plan.ColumnTasks % plan.TileRows, body);
        body = new Let(cb.Name, task / ((long)plan.ColumnTasks * plan.TileRows) % plan.ChannelTasks, body);
        body = new Let(g.Name, task / ((long)plan.ColumnTasks * plan.TileRows * plan.ChannelTasks) % c.Groups, body);
        body = new Let(n.Name, firstImage + (task / plan.TasksPerImage), body);
        body = new Let(task.Name, cpe + (new Var("task_t") * WinogradPlan.Cpes), body);
        return new ForLoop("task_t", ((images * plan.TasksPerImage) - cpe + (WinogradPlan.Cpes - 1)) / WinogradPlan.Cpes, body);
    }

    /// <summary>One input block: its filters transformed, its input tiles transformed, their products added up.</summary>
    private static Stmt InputBlock(WinogradPlan plan, Expr n, Expr g, Expr cb, Expr kb, Expr skip, Expr r0, Expr vr, Expr lead, Expr v0, Expr vw)
    {
        var c = plan.Conv;
        var s = plan.Schedule;
        int m = plan.M, alpha = plan.Alpha;
        long kbl = s.InBlock, tw = plan.TileStride, wr = plan.RowStride, pairs = plan.Pairs, positions = plan.Transforms.Positions;
        const string W = WinogradPlan.BufferWork, C = WinogradPlan.BufferCoefficients, U = WinogradPlan.BufferFilters;
        long half = plan.RawFilterElements;
        long x = plan.InputElements, v = x + plan.ColumnElements;
        var ci0 = kb * s.InBlock;

        // The block's filters, pair (co, ci) at pair * 9, then G g into half[(a * 3 + kw) * pairs + pair], then (G g) G^T into u[(a * alpha + b) * pairs + pair].
        var filters = Block.Of(
            new ResetReply(ReplyFilters),
            new DmaGet(Ref(W, 0, plan.RawFilterElements), "weights", ((((g * c.OutChannelsPerGroup) + (cb * s.OutBlock)) * c.InChannelsPerGroup) + ci0) * 9,
                kbl * 9, ((long)c.InChannelsPerGroup - kbl) * 9, ReplyFilters),
            new DmaWait(ReplyFilters),
            new Fill(Ref(W, half, plan.HalfFilterElements), 0.0),
            Loop("a", alpha, a => Loop("kw", 3, kw => Mac(Ref(W, half + (((a * 3) + kw) * pairs), pairs), Ref(C, plan.Transforms.OffsetG + (a * 3), 3),
                Ref(W, kw, (pairs * 9) - 2), 9, 3))),
            new Fill(Ref(U, 0, plan.FilterElements), 0.0),
            Loop("a", alpha, a => Loop("b", alpha, b => Mac(Ref(U, ((a * alpha) + b) * pairs, pairs), Ref(C, plan.Transforms.OffsetG + (b * 3), 3),
                Ref(W, half + (a * 3 * pairs), 3 * pairs), 1, pairs))));

        // The input rows inside the image, channel ci's vr x vw at ci * vr * vw; B^T d into x[(a * kb + ci) * wr + column], zero where the tile reads padding.
        var input = Block.Of(
            new ResetReply(ReplyInput),
            new ForLoop("ci", kbl, new DmaGet(Ref(W, new Var("ci") * vr * vw, vr * vw), "input",
                ((((n * c.InChannels) + (g * c.InChannelsPerGroup) + ci0 + new Var("ci")) * c.Height) + r0) * c.Width + v0, vw, c.Width - vw, ReplyInput)),
            new DmaWait(ReplyInput),
            Loop("a", alpha, a => Loop("ci", kbl, ci => Mac(Ref(W, x + (((a * kbl) + ci) * wr) + lead, vw), Ref(C, WinogradTransforms.OffsetBT + (a * alpha) + skip, vr),
                Ref(W, ci * vr * vw, vr * vw), 1, vw))));

        // (B^T d) B into v[(a * alpha + b) * kb * tw + ci * tw + t]: tile t's columns start at t * m.
        var tiles = Block.Of(
            new Fill(Ref(W, v, plan.TileElements), 0.0),
            Loop("a", alpha, a => Loop("b", alpha, b => Mac(Ref(W, v + (((a * alpha) + b) * kbl * tw), kbl * tw), Ref(C, WinogradTransforms.OffsetBT + (b * alpha), alpha),
                Ref(W, x + (a * kbl * wr), (kbl * wr) - m + alpha), m, 1))));

        // The products: acc[(p * co + o) * tw + t] += u[(p * co + o) * kb + ci] * v[(p * kb + ci) * tw + t] over the block's ci.
        var products = Loop("pos", positions, p => Loop("o", s.OutBlock, o => Mac(Ref(WinogradPlan.BufferAccumulators, ((p * s.OutBlock) + o) * tw, tw),
            Ref(U, ((p * s.OutBlock) + o) * kbl, kbl), Ref(W, v + (p * kbl * tw), kbl * tw), 1, tw)));

        return Block.Of(filters, new Fill(Ref(W, x, plan.ColumnElements), 0.0),
            new Conditional(Expr.And(Expr.Less(0, vr), Expr.Less(0, vw)), input), tiles, products);
    }

    /// <summary>The output transform of a task's accumulators and the put of its rows that lie inside the output.</summary>
    private static Stmt Output(WinogradPlan plan, Expr n, Expr g, Expr cb, Expr ty, Expr tx, Expr ow, Expr oh)
    {
        var c = plan.Conv;
        var s = plan.Schedule;
        int m = plan.M, alpha = plan.Alpha;
        long tw = plan.TileStride, wr = plan.RowStride, block = s.OutBlock * tw;
        const string W = WinogradPlan.BufferWork, C = WinogradPlan.BufferCoefficients;
        long o = plan.HalfOutputElements, rows = o + plan.OutputTileElements;

        // A^T M into z[(r * alpha + b) * block + k], then (A^T M) A into o[(r * m + q) * block + k], k = co * tw + t.
        var z = Block.Of(
            new Fill(Ref(W, 0, plan.HalfOutputElements), 0.0),
            Loop("r", m, r => Loop("b", alpha, b => Mac(Ref(W, ((r * alpha) + b) * block, block), Ref(C, plan.Transforms.OffsetAT + (r * alpha), alpha),
                Ref(WinogradPlan.BufferAccumulators, b * block, ((alpha - 1) * alpha * block) + block), 1, alpha * block))));
        var y = Block.Of(
            new Fill(Ref(W, o, plan.OutputTileElements), 0.0),
            Loop("r", m, r => Loop("q", m, q => Mac(Ref(W, o + (((r * m) + q) * block), block), Ref(C, plan.Transforms.OffsetAT + (q * alpha), alpha),
                Ref(W, r * alpha * block, alpha * block), 1, block))));

        // Row r of the tiles: (co * tw + t, q) transposed to co * wr + t * m + q.
        var interleave = Loop("r", m, r => new Transpose(Ref(W, rows + (r * s.OutBlock * wr), s.OutBlock * wr), Ref(W, o + (r * m * block), m * block), block, m));
        var put = Block.Of(
            new ResetReply(ReplyOutput),
            new ForLoop("co", s.OutBlock, new ForLoop("r", oh, new DmaPut(Ref(W, rows + (((new Var("r") * s.OutBlock) + new Var("co")) * wr), ow), "output",
                ((((n * c.OutChannels) + (g * c.OutChannelsPerGroup) + (cb * s.OutBlock) + new Var("co")) * c.OutHeight) + (ty * m) + new Var("r")) * c.OutWidth + (tx * (s.TileColumns * m)),
                0, 0, ReplyOutput))),
            new DmaWait(ReplyOutput));
        return Block.Of(z, y, interleave, put);
    }

    private static LdmRef Ref(string buffer, Expr offset, Expr count) => new(buffer, offset, count);

    private static MultiplyAccumulate Mac(LdmRef target, LdmRef weights, LdmRef source, Expr stride, Expr dilation) => new(target, weights, source, stride, dilation);

    /// <summary>A loop of <paramref name="extent"/> iterations over <paramref name="body"/>, or the body at 0 when the extent is 1.</summary>
    private static Stmt Loop(string name, long extent, Func<Expr, Stmt> body) => extent == 1 ? body(0) : new ForLoop(name, extent, body(new Var(name)));
}
