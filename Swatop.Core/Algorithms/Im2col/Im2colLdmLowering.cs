using System.Collections.Immutable;
using Swatop.Core.Ir;
using Swatop.Core.Lowering;
using Swatop.Primitives;

namespace Swatop.Core.Algorithms.Im2col;

/// <summary>
/// Lowers an explicit im2col plan with the column block in LDM to a loop kernel. Every CPE zeroes its column block
/// and, where the padding reaches past the input's columns, its spans once. Per group and block of output channels
/// (the weights' block gotten here when one tap block holds every tap), each core group walks its images' tiles of
/// output rows; per tile every CPE zeroes its accumulators and, per tap block, gets its weights' block (unless gotten
/// before), gets each input row its taps read (one get a (channel, tap row) pair and output row, its span zeroed for
/// a row of padding, or one strided get a pair for all the CPE's rows, <see cref="Im2colLdmPlan.StridedRowGets"/>), gathers each tap's output columns from the span into its column of A (a transpose of the span
/// seen as sw x Ow, whose first row is the tap's; taps in order, so each transpose's spare rows are overwritten by
/// the next), and calls the mesh GEMM; then it applies the operator's epilogue to its accumulators (the bias of its
/// output channels, gotten once a group and output block, added per channel; each clamp in place) and puts its output
/// rows, one put an output channel. Every tensor is the framework's NCHW tensor, read and written in place; the output may
/// be a slice of a larger one (<see cref="Im2colLdmSchedule.OutputMargins"/>), the puts' addresses moved into it.
/// </summary>
internal static partial class Im2colLdmLowering
{
    private const string ReplyWeights = "reply_b";
    private const string ReplyInput = "reply_in";
    private const string ReplyOutput = "reply_out";
    private const string ReplyBias = "reply_bias";
    private const string A = Im2colLdmPlan.BufferColumns;
    private const string B = Im2colLdmPlan.BufferWeights;
    private const string C = Im2colLdmPlan.BufferAccumulators;
    private const string Spans = Im2colLdmPlan.BufferSpans;

    /// <summary>Lowers a checked plan.</summary>
    public static LoweredKernel Lower(Im2colLdmPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var e = plan.Operator.Expression;
        var tensors = plan.KernelTensors.ToList();
        var (start, lo, hi) = plan.SpanColumns;
        var edges = start < 0 || start + plan.SpanElements > plan.Conv.Width || hi <= lo || plan.ChannelRowGets;
        LdmBuffer[] buffers =
        [
            new LdmBuffer(A, plan.ColumnElements),
            new LdmBuffer(B, plan.WeightBufferElements),
            new LdmBuffer(C, plan.AccumulatorBufferElements),
            new LdmBuffer(Spans, plan.SpanBufferElements),
            new LdmBuffer(KernelLowering.BufferWork, plan.WorkspaceElements),
        ];
        var kernel = new LoopKernel(
            Name: KernelLowering.Identifier(e.Name),
            ElementType: plan.Operator.ElementType,
            Tensors: [.. tensors.Select(t => new KernelTensor(t.Name, t == e.Output.Tensor ? plan.OutputLayout.Elements : t.ElementLength, t == e.Output.Tensor))],
            Buffers: [.. buffers, .. plan.HasBias ? new[] { new LdmBuffer(Im2colLdmPlan.BufferBias, plan.BiasElements) } : [], .. plan.Schedule.CopyTaps ? new[] { new LdmBuffer(Im2colLdmPlan.BufferOne, 1) } : []],
            Replies: plan.HasBias ? [ReplyWeights, ReplyInput, ReplyOutput, ReplyBias] : [ReplyWeights, ReplyInput, ReplyOutput],
            Body: Block.Of(
                new Fill(new LdmRef(A, 0, plan.ColumnElements), 0.0),
                plan.Schedule.CopyTaps ? new Fill(new LdmRef(Im2colLdmPlan.BufferOne, 0, 1), 1.0) : Block.Of(),
                edges ? new Fill(new LdmRef(Spans, 0, plan.SpanBufferElements), 0.0) : Block.Of(),
                new ResetReply(ReplyOutput),
                Groups(plan, e.Output.Tensor.Name)));
        return new LoweredKernel(plan, kernel, ImmutableDictionary.CreateRange(StringComparer.Ordinal,
            tensors.Zip(plan.Placements, (t, placement) => KeyValuePair.Create(t.Name, placement.Layout))));
    }

    private static ForLoop Groups(Im2colLdmPlan plan, string output)
    {
        var c = plan.Conv;
        var s = plan.Schedule;
        var images = plan.GroupImages;
        Expr firstImage = s.CoreGroups == 1 ? 0 : Var.Group * plan.SplitChunk;
        var g = new Var("g");
        var nb = new Var("nb");
        var tile = new Var("tile");
        var n = new Var("n");
        var tr = new Var("tr");
        var oh0 = new Var("oh0");
        var kb = new Var("kb");
        // With overlapped puts, tile t computes into copy t % 2 of the accumulators while tile t - 1's puts read the other;
        // with one tap block, tile t + 1's input rows are also gotten as soon as tile t has gathered its own, ahead of tile
        // t's puts in the controller's queue (tile 0's before the tiles).
        Expr half = s.OverlapPuts ? tile % 2 * plan.AccumulatorElements : 0;
        // With several images a tile, mesh row i takes image i / (8 / images a tile) of the tile, from output row
        // (i % (8 / images a tile)) x rows a CPE of its tile of that image.
        var perTile = s.ImagesPerTile;
        Expr tiles = s.RowsAcrossImages ? ((images * c.OutHeight) + (plan.TileRows - 1)) / plan.TileRows
            : perTile == 1 ? images * plan.TilesPerImage : images / perTile * plan.TilesPerImage;
        Expr meshRow = perTile == 1 ? Var.Row : Var.Row % plan.MeshRowsPerImage;
        // With rows across images, mesh row i takes the group's rows from t x tile rows + i x rows a CPE, numbered over its
        // images one after the other; a mesh row past the group's last image's rows takes that image's rows past its output
        // (nothing put), as a tile past an image's rows does.
        Expr GroupRow(Expr t) => (t * plan.TileRows) + (Var.Row * s.RowsPerCpe);
        Expr ImageOf(Expr t) => Expr.Min(GroupRow(t) / c.OutHeight, images - 1);
        Expr Image(Expr t) => s.RowsAcrossImages ? firstImage + ImageOf(t)
            : perTile == 1 ? firstImage + (t / plan.TilesPerImage) : firstImage + (t / plan.TilesPerImage * perTile) + (Var.Row / plan.MeshRowsPerImage);
        Expr OutputRow(Expr t) => s.RowsAcrossImages ? GroupRow(t) - (ImageOf(t) * c.OutHeight) : (t % plan.TilesPerImage * plan.TileRows) + (meshRow * s.RowsPerCpe);
        var next = plan.Prefetches ? (Condition: Expr.Less(tile + 1, tiles), N: Image(tile + 1), Oh0: OutputRow(tile + 1)) : ((Expr Condition, Expr N, Expr Oh0)?)null;
        var tileBody = Block.Of(
            new Fill(new LdmRef(C, half, plan.AccumulatorElements), 0.0),
            Loop(kb.Name, plan.TapBlocks, k => plan.PipelinesTaps
                ? (Stmt)PipelinedTapBlock(plan, n, g, nb, oh0, k, (tile * plan.TapBlocks) + k, half, next!.Value, SpreadPart(plan, output, g, nb, tile, k, Image, OutputRow))
                : Block.Of(plan.WeightsHoisted ? Block.Of() : Weights(plan, g, nb, k), TapBlock(plan, n, g, oh0, k, half, next, SpreadPart(plan, output, g, nb, tile, k, Image, OutputRow)))),
            Epilogue(plan, half),
            s.SpreadPuts ? Block.Of(new DmaWait(ReplyOutput), new ResetReply(ReplyOutput)) : Puts(plan, output, n, g, nb, oh0, half));
        var prologue = plan.Prefetches
            ? Block.Of(WithTaps(plan, 0, Block.Of(new ResetReply(ReplyInput), Gets(plan, Image(0), g, OutputRow(0)))), plan.PipelinesWeights ? WeightsAhead(plan, g, nb, 0, 0) : Block.Of())
            : Block.Of();
        var tileLoop = new ForLoop(tile.Name, tiles,
            new Let(n.Name, Image(tile),
                s.RowsAcrossImages ? new Let(oh0.Name, OutputRow(tile), tileBody)
                : new Let(tr.Name, tile % plan.TilesPerImage,
                    new Let(oh0.Name, (tr * plan.TileRows) + (meshRow * s.RowsPerCpe), tileBody))));
        var perBlock = Block.Of(plan.WeightsHoisted ? (s.ResidentWeights ? ResidentWeights(plan, g, nb) : Weights(plan, g, nb, 0)) : Block.Of(), Bias(plan, g, nb), prologue, tileLoop,
            s.SpreadPuts ? LastPuts(plan, output, g, nb, tiles, Image, OutputRow) : Block.Of(), s.OverlapPuts ? new DmaWait(ReplyOutput) : Block.Of());
        return new ForLoop(g.Name, c.Groups, new ForLoop(nb.Name, plan.OutBlocks, perBlock));
    }

    /// <summary>The CPE's block of the weights: taps of block i of tap block <paramref name="kb"/> by output channels of block j; zeros past the taps and channels.</summary>
    private static Let Weights(Im2colLdmPlan plan, Expr g, Expr nb, Expr kb)
    {
        var c = plan.Conv;
        long kt = plan.BlockTaps, nt = plan.BlockOut;
        var kbase = new Var("wk0");
        var co = new Var("wco");
        var wc = new Var("wc");
        Expr from = (((g * c.OutChannelsPerGroup) + co) * plan.Taps) + kbase;

        // A whole run of the CPE's taps, or the part before the group's last tap.
        var get = new Conditional(Expr.LessOrEqual(kbase + kt, plan.Taps),
            new DmaGet(new LdmRef(B, wc * kt, kt), Im2colAlgorithm.WeightsName, from, 0, 0, ReplyWeights),
            new Conditional(Expr.Less(kbase, plan.Taps), new DmaGet(new LdmRef(B, wc * kt, plan.Taps - kbase), Im2colAlgorithm.WeightsName, from, 0, 0, ReplyWeights)));
        var gets = new ForLoop(wc.Name, nt, new Let(co.Name, (nb * plan.Schedule.OutBlock) + (Var.Column * nt) + wc,
            new Conditional(Expr.Less(co, c.OutChannelsPerGroup), get)));
        return new Let(kbase.Name, (kb * plan.Schedule.InBlock) + (Var.Row * kt),
            Block.Of(new Fill(new LdmRef(B, 0, plan.WeightElements), 0.0), new ResetReply(ReplyWeights), gets, new DmaWait(ReplyWeights)));
    }

    /// <summary>
    /// The bias of the CPE's output channels of block <paramref name="nb"/> (those of mesh column j) in one get, the part
    /// inside the group's channels; zeros past them. Nothing when the epilogue adds no bias.
    /// </summary>
    private static Stmt Bias(Im2colLdmPlan plan, Expr g, Expr nb)
    {
        if (!plan.HasBias)
        {
            return Block.Of();
        }

        var c = plan.Conv;
        long nt = plan.BlockOut;
        var co = new Var("bco");
        Expr from = (g * c.OutChannelsPerGroup) + co;
        var get = new Conditional(Expr.LessOrEqual(co + nt, c.OutChannelsPerGroup),
            new DmaGet(new LdmRef(Im2colLdmPlan.BufferBias, 0, nt), BiasStep.Name, from, 0, 0, ReplyBias),
            new Conditional(Expr.Less(co, c.OutChannelsPerGroup), new DmaGet(new LdmRef(Im2colLdmPlan.BufferBias, 0, c.OutChannelsPerGroup - co), BiasStep.Name, from, 0, 0, ReplyBias)));
        return new Let(co.Name, (nb * plan.Schedule.OutBlock) + (Var.Column * nt),
            Block.Of(new Fill(new LdmRef(Im2colLdmPlan.BufferBias, 0, nt), 0.0), new ResetReply(ReplyBias), get, new DmaWait(ReplyBias)));
    }

    /// <summary>
    /// The operator's epilogue on the tile's accumulators in LDM (a column-major block with a column per output channel),
    /// before their puts: the bias added per channel, then each clamp. Nothing for the empty epilogue.
    /// </summary>
    private static Stmt Epilogue(Im2colLdmPlan plan, Expr half)
    {
        var target = new LdmRef(C, half, plan.AccumulatorElements);
        var parts = new List<Stmt>();
        foreach (var step in plan.Operator.Epilogue.Steps)
        {
            switch (step)
            {
                case BiasStep:
                    parts.Add(new Elementwise(target, ElementwiseOp.Add, [ElementwiseOperand.PerColumn(new LdmRef(Im2colLdmPlan.BufferBias, 0, plan.BiasElements))]));
                    break;
                case ClipStep clip:
                    parts.AddRange(ClipStatements.On(clip, target));
                    break;
            }
        }

        return Block.Of(parts);
    }

    /// <summary><paramref name="body"/> with the CPE's taps of tap block <paramref name="kb"/> bound: k0 to kend, their first (channel, tap row) pair p0.</summary>
    private static Let WithTaps(Im2colLdmPlan plan, Expr kb, Stmt body, string suffix = "")
    {
        long kt = plan.BlockTaps;
        var k0 = new Var("k0" + suffix);
        return new Let(k0.Name, (kb * plan.Schedule.InBlock) + (Var.Column * kt),
            new Let("kend" + suffix, Expr.Min(k0 + kt, plan.Taps),
                new Let("p0" + suffix, k0 / plan.Conv.Kernel.Width, body)));
    }

    /// <summary>Pair pp of the CPE's taps, (channel, tap row) tp = p0 + pp, when it reaches a tap of the block (tp * Kw &lt; kend).</summary>
    private static ForLoop Pairs(Im2colLdmPlan plan, Func<Expr, Stmt> body, string suffix = "") => new("pp", plan.PairsPerCpe, new Let("tp", new Var("p0" + suffix) + new Var("pp"),
        new Conditional(Expr.Less(new Var("tp") * plan.Conv.Kernel.Width, new Var("kend" + suffix)), body(new Var("pp")))));

    /// <summary>The gets of the input rows the CPE's taps read for its output rows from <paramref name="oh0"/> of image <paramref name="n"/> (a span of zeros for a row of padding), on the input's reply word.</summary>
    private static ForLoop Gets(Im2colLdmPlan plan, Expr n, Expr g, Expr oh0, string suffix = "")
    {
        var c = plan.Conv;
        int r = plan.Schedule.RowsPerCpe, kh = c.Kernel.Height;
        long span = plan.SpanElements;
        var (start, lo, hi) = plan.SpanColumns;
        if (plan.ChannelRowGets)
        {
            return ChannelGets(plan, n, g, oh0, suffix);
        }

        if (plan.StridedRowGets)
        {
            // One get a pair: the CPE's r rows, sh input rows apart, each a whole span; zeros for a CPE whose rows lie past the output.
            var sh = Math.Max(1, c.Stride.Height);
            var gap = ((long)sh * c.Width) - span;
            return Pairs(plan, pp =>
            {
                var p = new Var("tp");
                var slot = pp * r * span;
                var from = (((((n * c.InChannels) + (g * c.InChannelsPerGroup) + (p / kh)) * c.Height) + (oh0 * sh) + (p % kh * c.Dilation.Height)) * c.Width) + lo;
                var get = new DmaGet(new LdmRef(Spans, slot, r * span), Im2colAlgorithm.InputName, from, gap == 0 ? 0 : span, gap, ReplyInput);
                // oh0 is a multiple of r, which divides the output's rows: the CPE's rows lie in the output when its last does
                // (said so, the bound of the rows read is plain to the verifier).
                return new Conditional(Expr.LessOrEqual(oh0 + r, c.OutHeight), get, new Fill(new LdmRef(Spans, slot, r * span), 0.0));
            }, suffix);
        }

        return Pairs(plan, pp => Loop("rr", r, rr =>
        {
            var p = new Var("tp");
            var ih = new Var("ih");
            var slot = ((pp * r) + rr) * span;
            Stmt zero = new Fill(new LdmRef(Spans, slot, span), 0.0);
            Stmt get = hi > lo
                ? new DmaGet(new LdmRef(Spans, slot + (lo - start), hi - lo), Im2colAlgorithm.InputName,
                    (((((n * c.InChannels) + (g * c.InChannelsPerGroup) + (p / kh)) * c.Height) + ih) * c.Width) + lo, 0, 0, ReplyInput)
                : zero;
            return new Let(ih.Name, ((oh0 + rr) * c.Stride.Height) - c.Padding.Top + (p % kh * c.Dilation.Height),
                new Conditional(Expr.And(Expr.LessOrEqual(0, ih), Expr.Less(ih, c.Height)), get, zero));
        }), suffix);
    }

    /// <summary>Each of the CPE's taps of the bound tap block gathered from its span into its column of A, one stride-<c>sw</c> transpose an output row.</summary>
    private static Stmt Gathers(Im2colLdmPlan plan)
    {
        if (plan.ChannelRowGets)
        {
            return plan.Schedule.CopyTaps ? ChannelCopies(plan) : ChannelGathers(plan);
        }

        if (plan.Schedule.CopyTaps)
        {
            return CopiedTaps(plan);
        }

        var c = plan.Conv;
        int r = plan.Schedule.RowsPerCpe, kw = c.Kernel.Width, sw = Math.Max(1, c.Stride.Width);
        long span = plan.SpanElements, mb = plan.BlockRows, ow = c.OutWidth;
        var k0 = new Var("k0");
        var kend = new Var("kend");
        return Pairs(plan, pp => new ForLoop("kx", kw, new Let("tk", (new Var("tp") * kw) + new Var("kx"),
            new Conditional(Expr.And(Expr.LessOrEqual(k0, new Var("tk")), Expr.Less(new Var("tk"), kend)),
                Loop("rr", r, rr => new Transpose(
                    new LdmRef(A, ((new Var("tk") - k0) * mb) + (rr * ow), sw * ow),
                    new LdmRef(Spans, (((pp * r) + rr) * span) + (new Var("kx") * c.Dilation.Width), sw * ow), sw, ow))))));
    }

    /// <summary>
    /// One tap block of a tile: the input rows of the CPE's taps gotten (or, prefetched, waited for, and the next tile's
    /// gotten after the gathers when <paramref name="next"/> holds), each tap gathered into its column of A, and the mesh GEMM.
    /// </summary>
    private static Let TapBlock(Im2colLdmPlan plan, Expr n, Expr g, Expr oh0, Expr kb, Expr half, (Expr Condition, Expr N, Expr Oh0)? next, Stmt spread)
    {
        var s = plan.Schedule;
        long kt = plan.BlockTaps, mb = plan.BlockRows;
        var gathers = Gathers(plan);

        var gemm = new MeshGemm(Im2colLdmPlan.Mesh * mb, s.OutBlock, s.InBlock,
            new LdmRef(A, 0, mb * kt), new LdmRef(B, WeightOffset(plan, kb), plan.WeightElements), new LdmRef(C, half, plan.AccumulatorElements));
        if (next is { } following)
        {
            var prefetch = new Conditional(following.Condition, new Let("n1", following.N, new Let("oh1", following.Oh0,
                Block.Of(new ResetReply(ReplyInput), Gets(plan, new Var("n1"), g, new Var("oh1"))))));
            return WithTaps(plan, kb, Block.Of(new DmaWait(ReplyInput), gathers, prefetch, spread, gemm));
        }

        return WithTaps(plan, kb, Block.Of(new ResetReply(ReplyInput), Gets(plan, n, g, oh0), new DmaWait(ReplyInput), gathers, gemm));
    }

    /// <summary>
    /// The CPE's output rows of a tile, one put an output channel of its block that lies inside the group's; waited for
    /// here, or with overlapped puts issued after waiting for the tile before's (the last tile's are waited for after the tiles).
    /// </summary>
    private static Stmt Puts(Im2colLdmPlan plan, string output, Expr n, Expr g, Expr nb, Expr oh0, Expr half)
    {
        var puts = PutIssues(plan, output, n, g, nb, oh0, half, 0, plan.BlockOut);
        return plan.Schedule.OverlapPuts
            ? Block.Of(new DmaWait(ReplyOutput), new ResetReply(ReplyOutput), puts)
            : Block.Of(new ResetReply(ReplyOutput), puts, new DmaWait(ReplyOutput));
    }

    /// <summary>
    /// The puts, issued on the output's reply word without a wait, of the CPE's output channels <paramref name="first"/> to
    /// <paramref name="first"/> + <paramref name="count"/> - 1 of its block that lie inside the group's: its rows of the tile,
    /// or those before the output's last row, one put a channel.
    /// </summary>
    private static ForLoop PutIssues(Im2colLdmPlan plan, string output, Expr n, Expr g, Expr nb, Expr oh0, Expr half, Expr first, Expr count)
    {
        var c = plan.Conv;
        long nt = plan.BlockOut, mb = plan.BlockRows;
        long r = plan.Schedule.RowsPerCpe;
        var co = new Var("pco");
        var cc = new Var("pc");
        var channel = first + cc;
        // Row oh0 of the channel in the output's layout: the framework's tensor, or a slice of a larger one (its margins).
        var to = plan.OutputRowStart(n, (g * c.OutChannelsPerGroup) + co, oh0);
        var put = new Conditional(Expr.LessOrEqual(oh0 + r, c.OutHeight),
            new DmaPut(new LdmRef(C, half + (channel * mb), r * c.OutWidth), output, to, 0, 0, ReplyOutput),
            new Conditional(Expr.Less(oh0, c.OutHeight), new DmaPut(new LdmRef(C, half + (channel * mb), (c.OutHeight - oh0) * c.OutWidth), output, to, 0, 0, ReplyOutput)));
        return new ForLoop(cc.Name, count, new Let(co.Name, (nb * plan.Schedule.OutBlock) + (Var.Column * nt) + channel,
            new Conditional(Expr.Less(co, c.OutChannelsPerGroup), put)));
    }

    /// <summary>A loop of <paramref name="extent"/> iterations over <paramref name="body"/>, or the body at 0 when the extent is 1.</summary>
    private static Stmt Loop(string name, long extent, Func<Expr, Stmt> body) => extent == 1 ? body(0) : new ForLoop(name, extent, body(new Var(name)));
}
