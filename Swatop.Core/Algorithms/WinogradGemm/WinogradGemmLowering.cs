using System.Collections.Immutable;
using Swatop.Core.Algorithms.Winograd;
using Swatop.Core.Algorithms.WinogradMesh;
using Swatop.Core.Ir;
using Swatop.Core.Lowering;

namespace Swatop.Core.Algorithms.WinogradGemm;

/// <summary>
/// Lowers a composite Winograd plan to a loop kernel of three workspace tensors besides the operator's. Every CPE first
/// fills the transforms' coefficients into LDM and transforms its filters (<c>G g G^T</c>, per conv group and output
/// channel of its mesh column, all its local input channels at once) into its region of U. Then its core group walks chunks of 8 x segments row segments, and per chunk and
/// conv group: the input transform (per input block, the input rows of its segments for the input channels of its mesh
/// column, <c>B^T d B</c> into alpha^2 A blocks, put into its region of V); the products (per position, mesh GEMM calls
/// over all the group's input channels, <see cref="WinogradGemmSchedule.GemmIn"/> at a time, A from V got once for every
/// output block, B from U double-buffered, the C blocks of all output blocks put into its region of M, or each output
/// block's as soon as its last call is done, waited for after the position's last call); the output transform (per output channel of its block, the channel's
/// sums of all positions got from M, <c>A^T M A</c>, the rows that lie inside the output packed and put a segment at a time). Every CPE reads back
/// only what it put, after waiting for its puts. The operator's tensors are the framework's NCHW tensors, read and
/// written in place; padding is never stored. Besides this plain kernel, the lowering gives its prepared form
/// (<see cref="LoweredKernel.Prepared"/>): the filter transform alone, which a kernel prepared with its weights runs once,
/// and the chunks alone, which its calls run reading that U.
/// </summary>
internal static class WinogradGemmLowering
{
    private const string ReplyFilters = "reply_k";
    private const string ReplyInput = "reply_in";
    private const string ReplyOutput = "reply_out";
    private const string ReplyWorkspace = "reply_w";
    private const string ReplyFilterBlocks = "reply_b";
    private const string ReplySums = "reply_c";
    private const string C = WinogradGemmPlan.BufferCoefficients;
    private const string U = WinogradGemmPlan.BufferFilters;
    private const string V = WinogradGemmPlan.BufferTiles;
    private const string Sums = WinogradGemmPlan.BufferSums;
    private const string X = WinogradGemmPlan.BufferScratch;

    /// <summary>
    /// Lowers a checked plan: the plain kernel (the filters transformed at the start of every call), and its prepared form
    /// (<see cref="LoweredKernel.Prepared"/>): the filter transform alone, which the prepare step runs once into U in each
    /// core group's memory, and the chunks alone, which a prepared call runs reading that U.
    /// </summary>
    public static LoweredKernel Lower(WinogradGemmPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var e = plan.Operator.Expression;
        var tensors = e.Inputs.Select(i => i.Tensor).Append(e.Output.Tensor).ToList();
        var name = KernelLowering.Identifier(e.Name);
        var coefficients = new LdmBuffer(C, plan.CoefficientElements);
        var filterBuffers = new[] { new LdmBuffer(Sums, plan.SumElements), new LdmBuffer(X, plan.ScratchElements) };
        var chunkBuffers = new[]
        {
            new LdmBuffer(U, plan.FilterElements, DoubleBuffer: true),
            new LdmBuffer(V, plan.TileElements),
            new LdmBuffer(Sums, plan.SumElements),
            new LdmBuffer(X, plan.ScratchElements),
            new LdmBuffer(KernelLowering.BufferWork, plan.WorkspaceElements),
        };
        string[] chunkReplies = [ReplyInput, ReplyOutput, ReplyWorkspace, ReplyFilterBlocks, .. plan.Schedule.OverlapSumPuts ? [ReplySums] : Array.Empty<string>()];
        var fill = WinogradCoefficients.Fill(plan.Transforms, C, plan.CoefficientElements);
        var kernel = new LoopKernel(
            Name: name,
            ElementType: plan.Operator.ElementType,
            Tensors:
            [
                .. tensors.Select(t => new KernelTensor(t.Name, t.ElementLength, t == e.Output.Tensor)),
                .. plan.Workspaces.Select(w => new KernelTensor(w.Name, w.Elements, true)),
            ],
            Buffers: [coefficients, .. chunkBuffers],
            Replies: [ReplyFilters, .. chunkReplies],
            Body: Block.Of(fill, Filters(plan), Chunks(plan)));
        var weights = e.Inputs.Single(i => i.Tensor.Name == "weights").Tensor;
        var u = plan.Workspaces.Single(w => w.Name == WinogradGemmPlan.TensorU);
        var transform = new LoopKernel(
            Name: name + "_u",
            ElementType: plan.Operator.ElementType,
            Tensors: [new KernelTensor(weights.Name, weights.ElementLength, false), new KernelTensor(u.Name, u.Elements, true)],
            Buffers: [coefficients, new LdmBuffer(Sums, (long)plan.Positions * plan.LocalIn), new LdmBuffer(X, plan.RawFilterElements + plan.HalfFilterElements)],
            Replies: [ReplyFilters, ReplyWorkspace],
            Body: Block.Of(fill, Filters(plan)));
        var run = new LoopKernel(
            Name: name + "_run",
            ElementType: plan.Operator.ElementType,
            Tensors:
            [
                .. tensors.Where(t => t != weights).Select(t => new KernelTensor(t.Name, t.ElementLength, t == e.Output.Tensor)),
                .. plan.Workspaces.Select(w => new KernelTensor(w.Name, w.Elements, w.Name != u.Name)),
            ],
            Buffers: [coefficients, .. chunkBuffers],
            Replies: [.. chunkReplies],
            Body: Block.Of(fill, Chunks(plan)));
        return new LoweredKernel(plan, kernel, ImmutableDictionary.CreateRange(StringComparer.Ordinal,
            tensors.Select(t => KeyValuePair.Create(t.Name, TensorLayout.RowMajor(t)))))
        {
            Prepared = new PreparedForm(weights.Name, u.Name, u.Elements, transform, run),
        };
    }

    /// <summary>The CPE's index in its core group, the number of its workspace regions.</summary>
    private static Expr Cpe => (Var.Row * WinogradGemmPlan.Mesh) + Var.Column;

    /// <summary>
    /// The filters' transform, at the start of a call of the plain kernel or once in the prepare step: per conv group, output block and output channel of the CPE's mesh column, its
    /// filters of all its local input channels (those of its mesh row in every input block), <c>G g G^T</c> into alpha^2
    /// rows, put into U by one request (a block a position).
    /// </summary>
    private static ForLoop Filters(WinogradGemmPlan plan)
    {
        var c = plan.Conv;
        var s = plan.Schedule;
        int alpha = plan.Alpha, positions = plan.Positions;
        long kt = plan.BlockIn, nt = plan.BlockOut, k8 = plan.LocalIn, half = plan.RawFilterElements;

        // Output channel o's filters of local channel l = kb * kt + ci (input channel kb * InBlock + row * kt + ci) at l * 9, then
        // G g into half[(a * 3 + kw) * k8 + l], then (G g) G^T into u[(a * alpha + b) * k8 + l]; position p's row put at U[g][nb][p][o][l].
        Stmt Channel(Expr g, Expr nb, Expr o) => Block.Of(
            new ResetReply(ReplyFilters),
            new DmaGet(Ref(X, 0, plan.RawFilterElements), "weights",
                ((((g * c.OutChannelsPerGroup) + (nb * s.OutBlock) + (Var.Column * nt) + o) * c.InChannelsPerGroup) + (Var.Row * kt)) * 9,
                kt * 9, (s.InBlock - kt) * 9, ReplyFilters),
            new DmaWait(ReplyFilters),
            new Fill(Ref(X, half, plan.HalfFilterElements), 0.0),
            Loop("a", alpha, a => Loop("kw", 3, kw => Mac(Ref(X, half + (((a * 3) + kw) * k8), k8), Ref(C, plan.Transforms.OffsetG + (a * 3), 3),
                Ref(X, kw, (k8 * 9) - 2), 9, 3))),
            new Fill(Ref(Sums, 0, positions * k8), 0.0),
            Loop("a", alpha, a => Loop("b", alpha, b => Mac(Ref(Sums, ((a * alpha) + b) * k8, k8), Ref(C, plan.Transforms.OffsetG + (b * 3), 3),
                Ref(X, half + (a * 3 * k8), 3 * k8), 1, k8))),
            new ResetReply(ReplyWorkspace),
            Put(Ref(Sums, 0, positions * k8), WinogradGemmPlan.TensorU, (Cpe * plan.RegionU) + ((((g * plan.OutBlocks) + nb) * positions * nt) + o) * k8, k8, (nt - 1) * k8),
            new DmaWait(ReplyWorkspace));
        return ForLoop("fg", c.Groups, g => Loop("fb", plan.OutBlocks, nb => ForLoop("fo", nt, o => Channel(g, nb, o))));
    }

    /// <summary>A put on the workspace's reply word, in blocks of <paramref name="block"/> <paramref name="gap"/> apart, or one block where there is no gap.</summary>
    private static DmaPut Put(LdmRef source, string tensor, Expr offset, long block, long gap) =>
        new(source, tensor, offset, gap == 0 ? 0 : block, gap == 0 ? 0 : gap, ReplyWorkspace);

    /// <summary>A get on the workspace's reply word, in blocks of <paramref name="block"/> <paramref name="gap"/> apart, or one block where there is no gap.</summary>
    private static DmaGet Get(LdmRef target, string tensor, Expr offset, long block, long gap) =>
        new(target, tensor, offset, gap == 0 ? 0 : block, gap == 0 ? 0 : gap, ReplyWorkspace);

    private static ForLoop Chunks(WinogradGemmPlan plan)
    {
        var c = plan.Conv;
        var s = plan.Schedule;
        var images = plan.GroupImages;
        var segments = new RowSegments(plan, images * plan.SegmentsPerImage, s.CoreGroups == 1 ? 0 : Var.Group * plan.SplitChunk, new Var("chunk"));
        var g = new Var("g");
        var body = new ForLoop("g", c.Groups, Block.Of(
            Loop("kb", plan.InBlocks, kb => InputBlock(plan, segments, g, kb)),
            Loop("pos", plan.Positions, p => Products(plan, g, p)),
            Loop("nb", plan.OutBlocks, nb => Output(plan, segments, g, nb))));
        return new ForLoop("chunk", ((images * plan.SegmentsPerImage) + (plan.ChunkSegments - 1)) / plan.ChunkSegments, body);
    }

    /// <summary>One input block: the CPE's tiles of its channels transformed into alpha^2 A blocks and put into V at their local input channels.</summary>
    private static Stmt InputBlock(WinogradGemmPlan plan, RowSegments segments, Expr g, Expr kb)
    {
        var c = plan.Conv;
        var s = plan.Schedule;
        int m = plan.M, alpha = plan.Alpha, r = s.Segments;
        long kt = plan.BlockIn, mt = plan.BlockTiles, wr = plan.RowStride, slot = plan.InputSlot, k8 = plan.LocalIn;

        // The input rows inside the image of segment sg and channel ci at (sg * kt + ci) * slot of the tiles' buffer, free until
        // the row transform; B^T d into x[((a * kt + ci) * segments + sg) * wr + column], zero where the tile reads padding.
        var ci0 = (kb * s.InBlock) + (Var.Column * kt);
        var gets = Loop("sg", r, sg => segments.Of(sg, segments.WhenReading(ForLoop("ci", kt, ci =>
            new DmaGet(Ref(V, ((sg * kt) + ci) * slot, segments.Vr * segments.Vw), "input",
                ((((segments.N * c.InChannels) + (g * c.InChannelsPerGroup) + ci0 + ci) * c.Height) + segments.R0) * c.Width + segments.V0,
                plan.InputRowsAdjacent ? 0 : segments.Vw, plan.InputRowsAdjacent ? 0 : c.Width - segments.Vw, ReplyInput)))));
        var columns = Loop("sg", r, sg => segments.Of(sg, segments.WhenReading(Loop("a", alpha, a => ForLoop("ci", kt, ci =>
            Mac(Ref(X, (((((a * kt) + ci) * r) + sg) * wr) + segments.Lead, segments.Vw), Ref(C, WinogradTransforms.OffsetBT + (a * alpha) + segments.Skip, segments.Vr),
                Ref(V, ((sg * kt) + ci) * slot, segments.Vr * segments.Vw), 1, segments.Vw))))));

        // (B^T d) B into v[(a * alpha + b) * mt * kt + (ci * segments + sg) * tw + t]: A's column-major block, tile sg * tw + t,
        // then position p's block put at V[p][kb * kt + ci][tile], or all positions' blocks by one block at V[kb][p][ci][tile].
        return Block.Of(
            new Fill(Ref(X, 0, plan.ColumnElements), 0.0),
            new ResetReply(ReplyInput),
            gets,
            new DmaWait(ReplyInput),
            columns,
            new Fill(Ref(V, 0, plan.Positions * mt * kt), 0.0),
            Loop("a", alpha, a => Loop("b", alpha, b => Mac(Ref(V, ((a * alpha) + b) * mt * kt, mt * kt), Ref(C, WinogradTransforms.OffsetBT + (b * alpha), alpha),
                Ref(X, a * kt * r * wr, (kt * r * wr) - m + alpha), m, 1))),
            new ResetReply(ReplyWorkspace),
            s.TilesByInputBlock
                ? Put(Ref(V, 0, plan.Positions * mt * kt), WinogradGemmPlan.TensorV, (Cpe * plan.RegionV) + (kb * plan.Positions * kt * mt), 0, 0)
                : Put(Ref(V, 0, plan.Positions * mt * kt), WinogradGemmPlan.TensorV, (Cpe * plan.RegionV) + (kb * kt * mt), kt * mt, (k8 - kt) * mt),
            new DmaWait(ReplyWorkspace));
    }

    /// <summary>
    /// Position <paramref name="p"/>'s products: per block of <see cref="WinogradGemmSchedule.GemmIn"/> local input channels its A
    /// block got from V once, and per output block the B block got from U (double-buffered: the next block's fetched while
    /// this one's mesh GEMM call runs; U does not change after the filters' transform) and a mesh GEMM call into that output
    /// block's C block; then the C blocks of all output blocks put into M by one request (or, with
    /// <see cref="WinogradGemmSchedule.OverlapSumPuts"/>, each output block's after its last call, <see cref="BlockSums"/>).
    /// </summary>
    private static Stmt Products(WinogradGemmPlan plan, Expr g, Expr p)
    {
        var s = plan.Schedule;
        long nt = plan.BlockOut, mt = plan.BlockTiles, gk = plan.BlockGemmIn, k8 = plan.LocalIn, co8 = plan.LocalOut;
        return Block.Of(
            new Fill(Ref(Sums, 0, mt * co8), 0.0),
            s.OverlapSumPuts ? new ResetReply(ReplySums) : (Stmt)Block.Of(),
            Loop("kg", plan.GemmBlocks, kg => Block.Of(
                new ResetReply(ReplyWorkspace),
                TileBlock(plan, p, kg),
                new DmaWait(ReplyWorkspace),
                ForLoop("nb", plan.OutBlocks, nb => Block.Of(
                    new ResetReply(ReplyFilterBlocks),
                    new DmaGet(Ref(U, 0, gk * nt), WinogradGemmPlan.TensorU, (Cpe * plan.RegionU) + ((((g * plan.OutBlocks) + nb) * plan.Positions) + p) * nt * k8 + (kg * gk),
                        gk == k8 ? 0 : gk, gk == k8 ? 0 : k8 - gk, ReplyFilterBlocks),
                    new DmaWait(ReplyFilterBlocks),
                    new MeshGemm(s.TileChunk, s.OutBlock, s.GemmIn, Ref(V, 0, mt * gk), Ref(U, 0, gk * nt), Ref(Sums, nb * mt * nt, mt * nt)),
                    s.OverlapSumPuts ? BlockSums(plan, p, kg, nb) : Block.Of())))),
            s.OverlapSumPuts ? new DmaWait(ReplySums) : (Stmt)Block.Of(
                new ResetReply(ReplyWorkspace),
                s.SumsByPosition
                    ? Put(Ref(Sums, 0, mt * co8), WinogradGemmPlan.TensorM, (Cpe * plan.RegionM) + (p * co8 * mt), 0, 0)
                    : Put(Ref(Sums, 0, mt * co8), WinogradGemmPlan.TensorM, (Cpe * plan.RegionM) + (p * mt), mt, (plan.Positions - 1) * mt),
                new DmaWait(ReplyWorkspace)));
    }

    /// <summary>
    /// The put of output block <paramref name="nb"/>'s C block of position <paramref name="p"/> into M, issued on the sums'
    /// reply word after the block's last mesh GEMM call (the last block of input channels) and not waited for until the
    /// position's last call is done, so that the controller moves it while the next blocks' calls run.
    /// </summary>
    private static Stmt BlockSums(WinogradGemmPlan plan, Expr p, Expr kg, Expr nb)
    {
        long mt = plan.BlockTiles, nt = plan.BlockOut, co8 = plan.LocalOut;
        var source = Ref(Sums, nb * mt * nt, mt * nt);
        var put = plan.Schedule.SumsByPosition
            ? new DmaPut(source, WinogradGemmPlan.TensorM, (Cpe * plan.RegionM) + (((p * co8) + (nb * nt)) * mt), 0, 0, ReplySums)
            : new DmaPut(source, WinogradGemmPlan.TensorM, (Cpe * plan.RegionM) + (((nb * nt * plan.Positions) + p) * mt), nt == 1 ? 0 : mt, nt == 1 ? 0 : (plan.Positions - 1) * mt, ReplySums);
        return plan.GemmBlocks == 1 ? put : new Conditional(Expr.Equal(kg, plan.GemmBlocks - 1), put);
    }

    /// <summary>
    /// The get of position <paramref name="p"/>'s A block of local input channels <c>[kg x gk, (kg + 1) x gk)</c> from V: one
    /// block from [position][local channel][tile], or a block an input block from [input block][position][channel][tile].
    /// </summary>
    private static DmaGet TileBlock(WinogradGemmPlan plan, Expr p, Expr kg)
    {
        long mt = plan.BlockTiles, gk = plan.BlockGemmIn, kt = plan.BlockIn, k8 = plan.LocalIn;
        if (!plan.Schedule.TilesByInputBlock)
        {
            return Get(Ref(V, 0, mt * gk), WinogradGemmPlan.TensorV, (Cpe * plan.RegionV) + (((p * k8) + (kg * gk)) * mt), 0, 0);
        }

        var blocks = gk / kt;
        return Get(Ref(V, 0, mt * gk), WinogradGemmPlan.TensorV, (Cpe * plan.RegionV) + ((((kg * blocks * plan.Positions) + p) * kt) * mt),
            kt * mt, blocks == 1 ? 0 : (plan.Positions - 1) * kt * mt);
    }

    /// <summary>The output transform of output block <paramref name="nb"/>, an output channel at a time: its sums of all positions got from M, <c>A^T M A</c>, and the puts of the rows that lie inside the output.</summary>
    private static ForLoop Output(WinogradGemmPlan plan, RowSegments segments, Expr g, Expr nb)
    {
        int m = plan.M, alpha = plan.Alpha, r = plan.Schedule.Segments;
        long nt = plan.BlockOut, mt = plan.BlockTiles, wr = plan.RowStride;
        long y = plan.HalfOutputElements, rows = y + plan.OutputTileElements;

        // Channel o's sums (a, b, k) at (a * alpha + b) * mt + k; A^T M into z[(q * alpha + b) * mt + k], then (A^T M) A into
        // y[(q * m + w) * mt + k]; row q transposed to rows[q * segments * wr + sg * wr + t * m + w], k = sg * tw + t.
        Stmt Channel(Expr o) => Block.Of(
            new ResetReply(ReplyWorkspace),
            plan.Schedule.SumsByPosition
                ? Get(Ref(Sums, 0, plan.Positions * mt), WinogradGemmPlan.TensorM, (Cpe * plan.RegionM) + (((nb * nt) + o) * mt), mt, (plan.LocalOut - 1) * mt)
                : Get(Ref(Sums, 0, plan.Positions * mt), WinogradGemmPlan.TensorM, (Cpe * plan.RegionM) + (((nb * nt) + o) * plan.Positions * mt), 0, 0),
            new DmaWait(ReplyWorkspace),
            new Fill(Ref(X, 0, plan.HalfOutputElements), 0.0),
            Loop("q", m, q => Loop("b", alpha, b => Mac(Ref(X, ((q * alpha) + b) * mt, mt), Ref(C, plan.Transforms.OffsetAT + (q * alpha), alpha),
                Ref(Sums, b * mt, ((alpha - 1) * alpha * mt) + mt), 1, alpha * mt))),
            new Fill(Ref(X, y, plan.OutputTileElements), 0.0),
            Loop("q", m, q => Loop("w", m, w => Mac(Ref(X, y + (((q * m) + w) * mt), mt), Ref(C, plan.Transforms.OffsetAT + (w * alpha), alpha),
                Ref(X, q * alpha * mt, alpha * mt), 1, mt))),
            Loop("q", m, q => new Transpose(Ref(X, rows + (q * r * wr), r * wr), Ref(X, y + (q * m * mt), m * mt), mt, m)),
            BlockPuts(plan, segments, g, nb, o, rows));
        return ForLoop("o", nt, Channel);
    }

    /// <summary>
    /// Each valid segment's output rows of channel <paramref name="o"/> copied (times A^T's first entry, 1: exact) into the
    /// packed part of the scratch buffer, a segment's rows adjacent, and put by one request a segment (one block when the
    /// segment spans the output's width, a block a row otherwise), and the wait for them.
    /// </summary>
    private static Stmt BlockPuts(WinogradGemmPlan plan, RowSegments segments, Expr g, Expr nb, Expr o, long rows)
    {
        var c = plan.Conv;
        var s = plan.Schedule;
        int m = plan.M, r = s.Segments;
        long nt = plan.BlockOut, wr = plan.RowStride, slot = (long)m * plan.SegmentSpan, packed = plan.PutOffset;
        var one = Ref(C, plan.Transforms.OffsetAT, 1);
        var pack = Loop("sg", r, sg => segments.Of(sg, new Conditional(segments.Valid, new ForLoop("r", segments.Oh, new MultiplyAccumulate(
            Ref(X, packed + (sg * slot) + (new Var("r") * segments.Ow), segments.Ow), one, Ref(X, rows + (new Var("r") * r * wr) + (sg * wr), segments.Ow), 1, 1)))));
        var puts = Loop("sg", r, sg => segments.Of(sg, new Conditional(segments.Valid, new DmaPut(
            Ref(X, packed + (sg * slot), segments.Oh * segments.Ow), "output",
            ((((segments.N * c.OutChannels) + (g * c.OutChannelsPerGroup) + (nb * s.OutBlock) + (Var.Column * nt) + o) * c.OutHeight) + (segments.Ty * m)) * c.OutWidth
                + (segments.Tx * plan.SegmentSpan),
            plan.SegmentsSpanRows ? 0 : segments.Ow, plan.SegmentsSpanRows ? 0 : c.OutWidth - segments.Ow, ReplyOutput))));
        return Block.Of(new Fill(Ref(X, packed, plan.PutElements), 0.0), pack, new ResetReply(ReplyOutput), puts, new DmaWait(ReplyOutput));
    }

    private static LdmRef Ref(string buffer, Expr offset, Expr count) => new(buffer, offset, count);

    private static MultiplyAccumulate Mac(LdmRef target, LdmRef weights, LdmRef source, Expr stride, Expr dilation) => new(target, weights, source, stride, dilation);

    private static ForLoop ForLoop(string name, Expr extent, Func<Expr, Stmt> body) => new(name, extent, body(new Var(name)));

    /// <summary>A loop of <paramref name="extent"/> iterations over <paramref name="body"/>, or the body at 0 when the extent is 1.</summary>
    private static Stmt Loop(string name, long extent, Func<Expr, Stmt> body) => extent == 1 ? body(0) : new ForLoop(name, extent, body(new Var(name)));
}
