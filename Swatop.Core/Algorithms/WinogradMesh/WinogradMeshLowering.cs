using System.Collections.Immutable;
using Swatop.Core.Algorithms.Winograd;
using Swatop.Core.Ir;
using Swatop.Core.Lowering;

namespace Swatop.Core.Algorithms.WinogradMesh;

/// <summary>
/// Lowers a fused Winograd plan to a loop kernel. Every CPE first fills the transforms' coefficients into LDM; then
/// its core group walks chunks of 8 x segments row segments (mesh row i takes segments i x segments to (i + 1) x
/// segments - 1 of a chunk), and per group and block of output channels: zeroes its accumulators; per block of input
/// channels gets and transforms its filters (<c>G g G^T</c>: input block of its mesh row, output block of its mesh
/// column) into its B blocks, gets the input rows of its segments for the input channels of its mesh column,
/// transforms their columns (<c>B^T d</c>, into rows padded with zeros) and rows (<c>(B^T d) B</c>, one call a
/// position over every tile of every channel) into its A blocks, and runs one mesh GEMM a position into its C
/// blocks; after the last input block, per output channel of its block, transforms the accumulators back
/// (<c>A^T M A</c>), interleaves each output row's tiles with the transpose primitive and puts the rows that lie
/// inside the output. Every tensor is the framework's NCHW tensor, read and written in place; padding is never stored.
/// With <see cref="WinogradMeshSchedule.PerPosition"/> the filters' first stage runs a row of positions at a time and each
/// position's B and A blocks are made just before its mesh GEMM call, in buffers of one position.
/// </summary>
internal static class WinogradMeshLowering
{
    private const string ReplyFilters = "reply_k";
    private const string ReplyInput = "reply_in";
    private const string ReplyOutput = "reply_out";
    private const string C = WinogradMeshPlan.BufferCoefficients;
    private const string U = WinogradMeshPlan.BufferFilters;
    private const string V = WinogradMeshPlan.BufferTiles;
    private const string Acc = WinogradMeshPlan.BufferAccumulators;
    private const string X = WinogradMeshPlan.BufferScratch;
    private const string P = WinogradMeshPlan.BufferPut;

    /// <summary>Lowers a checked plan.</summary>
    public static LoweredKernel Lower(WinogradMeshPlan plan)
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
                new LdmBuffer(C, plan.CoefficientElements),
                new LdmBuffer(U, plan.FilterElements),
                new LdmBuffer(V, plan.TileElements),
                new LdmBuffer(Acc, plan.AccumulatorElements),
                new LdmBuffer(X, plan.ScratchElements),
                new LdmBuffer(KernelLowering.BufferWork, plan.WorkspaceElements),
                .. plan.Schedule.DoubleBuffer
                    ? new[] { new LdmBuffer(WinogradMeshPlan.BufferInput, plan.InputElements, DoubleBuffer: true), new LdmBuffer(WinogradMeshPlan.BufferRawFilters, plan.RawFilterElements, DoubleBuffer: true) }
                    : plan.Schedule.PerPosition ? new[] { new LdmBuffer(WinogradMeshPlan.BufferInput, plan.InputElements) } : [],
                .. plan.Schedule.BlockPuts ? new[] { new LdmBuffer(WinogradMeshPlan.BufferPut, plan.PutElements, DoubleBuffer: true) } : [],
            ],
            Replies: [ReplyFilters, ReplyInput, ReplyOutput],
            Body: Block.Of(WinogradCoefficients.Fill(plan.Transforms, WinogradMeshPlan.BufferCoefficients, plan.CoefficientElements), Chunks(plan)));
        return new LoweredKernel(plan, kernel, ImmutableDictionary.CreateRange(StringComparer.Ordinal,
            tensors.Select(t => KeyValuePair.Create(t.Name, TensorLayout.RowMajor(t)))));
    }

    private static ForLoop Chunks(WinogradMeshPlan plan)
    {
        var c = plan.Conv;
        var s = plan.Schedule;
        var images = plan.GroupImages;
        var segments = new RowSegments(plan, images * plan.SegmentsPerImage, s.CoreGroups == 1 ? 0 : Var.Group * plan.SplitChunk, new Var("chunk"));
        var block = Block.Of(
            new Fill(Ref(Acc, 0, plan.AccumulatorElements), 0.0),
            Loop("kb", plan.InBlocks, kb => InputBlock(plan, segments, new Var("g"), new Var("cb"), kb)),
            Output(plan, segments, new Var("g"), new Var("cb")));
        var body = new ForLoop("g", c.Groups, new ForLoop("cb", plan.OutBlocks, block));
        return new ForLoop("chunk", ((images * plan.SegmentsPerImage) + (plan.ChunkSegments - 1)) / plan.ChunkSegments, body);
    }

    /// <summary>One input block: the CPE's filters transformed into its B blocks, its tiles into its A blocks, and a mesh GEMM a position.</summary>
    private static Stmt InputBlock(WinogradMeshPlan plan, RowSegments segments, Expr g, Expr cb, Expr kb)
    {
        var c = plan.Conv;
        var s = plan.Schedule;
        int m = plan.M, alpha = plan.Alpha, r = s.Segments;
        long kt = plan.BlockIn, nt = plan.BlockOut, mt = plan.BlockTiles, wr = plan.RowStride, pairs = plan.Pairs, slot = plan.InputSlot;
        long half = plan.HalfFilterOffset, x = plan.ColumnOffset;
        string raw = plan.RawFilterBuffer, rows = plan.InputBuffer;

        // The filters of input channels (block i) by output channels (block j), pair (o, ci) at (o * kt + ci) * 9, then G g into
        // half[(a * 3 + kw) * pairs + pair], then (G g) G^T into u[(a * alpha + b) * pairs + pair]: B's column-major block.
        var filterGets = Block.Of(
            new ResetReply(ReplyFilters),
            new DmaGet(Ref(raw, 0, plan.RawFilterElements), "weights",
                ((((g * c.OutChannelsPerGroup) + (cb * s.OutBlock) + (Var.Column * nt)) * c.InChannelsPerGroup) + (kb * s.InBlock) + (Var.Row * kt)) * 9,
                kt * 9, (c.InChannelsPerGroup - kt) * 9, ReplyFilters),
            new DmaWait(ReplyFilters));
        var filters = Block.Of(
            new Fill(Ref(X, half, plan.HalfFilterElements), 0.0),
            Loop("a", alpha, a => Loop("kw", 3, kw => Mac(Ref(X, half + (((a * 3) + kw) * pairs), pairs), Ref(C, plan.Transforms.OffsetG + (a * 3), 3),
                Ref(raw, kw, (pairs * 9) - 2), 9, 3))),
            new Fill(Ref(U, 0, plan.FilterElements), 0.0),
            Loop("a", alpha, a => Loop("b", alpha, b => Mac(Ref(U, ((a * alpha) + b) * pairs, pairs), Ref(C, plan.Transforms.OffsetG + (b * 3), 3),
                Ref(X, half + (a * 3 * pairs), 3 * pairs), 1, pairs))));

        // The input rows inside the image of segment sg and channel ci at (sg * kt + ci) * slot of the tiles' buffer, free until
        // the row transform (one block where the segment reads whole rows, a block a row otherwise); B^T d into
        // x[((a * kt + ci) * segments + sg) * wr + column], zero where the tile reads padding.
        var ci0 = (kb * s.InBlock) + (Var.Column * kt);
        var gets = Loop("sg", r, sg => segments.Of(sg, segments.WhenReading(ForLoop("ci", kt, ci =>
            new DmaGet(Ref(rows, ((sg * kt) + ci) * slot, segments.Vr * segments.Vw), "input",
                ((((segments.N * c.InChannels) + (g * c.InChannelsPerGroup) + ci0 + ci) * c.Height) + segments.R0) * c.Width + segments.V0,
                plan.InputRowsAdjacent ? 0 : segments.Vw, plan.InputRowsAdjacent ? 0 : c.Width - segments.Vw, ReplyInput)))));
        var columns = Loop("sg", r, sg => segments.Of(sg, segments.WhenReading(Loop("a", alpha, a => ForLoop("ci", kt, ci =>
            Mac(Ref(X, x + (((((a * kt) + ci) * r) + sg) * wr) + segments.Lead, segments.Vw), Ref(C, WinogradTransforms.OffsetBT + (a * alpha) + segments.Skip, segments.Vr),
                Ref(rows, ((sg * kt) + ci) * slot, segments.Vr * segments.Vw), 1, segments.Vw))))));

        // (B^T d) B into v[(a * alpha + b) * mt * kt + (ci * segments + sg) * tw + t]: A's column-major block, tile sg * tw + t.
        var tiles = Block.Of(
            new Fill(Ref(V, 0, plan.TileElements), 0.0),
            Loop("a", alpha, a => Loop("b", alpha, b => Mac(Ref(V, ((a * alpha) + b) * mt * kt, mt * kt), Ref(C, WinogradTransforms.OffsetBT + (b * alpha), alpha),
                Ref(X, x + (a * kt * r * wr), (kt * r * wr) - m + alpha), m, 1))));

        var products = Loop("pos", plan.Transforms.Positions, p => new MeshGemm(s.TileChunk, s.OutBlock, s.InBlock,
            Ref(V, p * mt * kt, mt * kt), Ref(U, p * pairs, pairs), Ref(Acc, p * mt * nt, mt * nt)));

        // Double-buffered, both get groups lead the body, so that the double-buffer pass makes them the next block's prefetches.
        var inputGets = Block.Of(new ResetReply(ReplyInput), gets, new DmaWait(ReplyInput));
        if (s.PerPosition)
        {
            // Row a of the filters' half transform, G g, into half[kw * pairs + pair]; then per position (a, b) its B block
            // ((G g) G^T) and its A block ((B^T d) B), each into a buffer of one position, and its mesh GEMM call.
            var positions = Loop("a", alpha, a => Block.Of(
                new Fill(Ref(X, half, plan.HalfFilterElements), 0.0),
                Loop("kw", 3, kw => Mac(Ref(X, half + (kw * pairs), pairs), Ref(C, plan.Transforms.OffsetG + (a * 3), 3), Ref(raw, kw, (pairs * 9) - 2), 9, 3)),
                Loop("b", alpha, b => Block.Of(
                    new Fill(Ref(U, 0, pairs), 0.0),
                    Mac(Ref(U, 0, pairs), Ref(C, plan.Transforms.OffsetG + (b * 3), 3), Ref(X, half, 3 * pairs), 1, pairs),
                    new Fill(Ref(V, 0, mt * kt), 0.0),
                    Mac(Ref(V, 0, mt * kt), Ref(C, WinogradTransforms.OffsetBT + (b * alpha), alpha), Ref(X, x + (a * kt * r * wr), (kt * r * wr) - m + alpha), m, 1),
                    new MeshGemm(s.TileChunk, s.OutBlock, s.InBlock, Ref(V, 0, mt * kt), Ref(U, 0, pairs), Ref(Acc, ((a * alpha) + b) * mt * nt, mt * nt))))));
            return s.DoubleBuffer
                ? Block.Of(inputGets, filterGets, new Fill(Ref(X, x, plan.ColumnElements), 0.0), columns, positions)
                : Block.Of(filterGets, new Fill(Ref(X, x, plan.ColumnElements), 0.0), inputGets, columns, positions);
        }

        return s.DoubleBuffer
            ? Block.Of(inputGets, filterGets, filters, new Fill(Ref(X, x, plan.ColumnElements), 0.0), columns, tiles, products)
            : Block.Of(filterGets, filters, new Fill(Ref(X, x, plan.ColumnElements), 0.0), inputGets, columns, tiles, products);
    }

    /// <summary>The output transform of the CPE's accumulators, an output channel at a time, and the put of the rows that lie inside the output.</summary>
    private static ForLoop Output(WinogradMeshPlan plan, RowSegments segments, Expr g, Expr cb)
    {
        var c = plan.Conv;
        var s = plan.Schedule;
        int m = plan.M, alpha = plan.Alpha, r = s.Segments;
        long nt = plan.BlockOut, mt = plan.BlockTiles, wr = plan.RowStride, block = nt * mt;
        long y = plan.HalfOutputElements, rows = y + plan.OutputTileElements;

        // Channel o's accumulators (a, b, o, k) at (a * alpha + b) * block + o * mt + k; A^T M into z[(q * alpha + b) * mt + k],
        // then (A^T M) A into y[(q * m + w) * mt + k]; row q transposed to rows[q * segments * wr + sg * wr + t * m + w], k = sg * tw + t.
        Stmt Channel(Expr o) => Block.Of(
            new Fill(Ref(X, 0, plan.HalfOutputElements), 0.0),
            Loop("q", m, q => Loop("b", alpha, b => Mac(Ref(X, ((q * alpha) + b) * mt, mt), Ref(C, plan.Transforms.OffsetAT + (q * alpha), alpha),
                Ref(Acc, (b * block) + (o * mt), ((alpha - 1) * alpha * block) + mt), 1, alpha * block))),
            new Fill(Ref(X, y, plan.OutputTileElements), 0.0),
            Loop("q", m, q => Loop("w", m, w => Mac(Ref(X, y + (((q * m) + w) * mt), mt), Ref(C, plan.Transforms.OffsetAT + (w * alpha), alpha),
                Ref(X, q * alpha * mt, alpha * mt), 1, mt))),
            Loop("q", m, q => new Transpose(Ref(X, rows + (q * r * wr), r * wr), Ref(X, y + (q * m * mt), m * mt), mt, m)),
            s.BlockPuts ? BlockPuts(plan, segments, g, cb, o, rows) : RowPuts(plan, segments, g, cb, o, rows));
        return ForLoop("o", nt, Channel);
    }

    /// <summary>A put of each output row of channel <paramref name="o"/> that lies inside the output, and the wait for them.</summary>
    private static Stmt RowPuts(WinogradMeshPlan plan, RowSegments segments, Expr g, Expr cb, Expr o, long rows)
    {
        var c = plan.Conv;
        var s = plan.Schedule;
        int m = plan.M, r = s.Segments;
        long nt = plan.BlockOut, wr = plan.RowStride;
        return Block.Of(
            new ResetReply(ReplyOutput),
            Loop("sg", r, sg => segments.Of(sg, new Conditional(segments.Valid, new ForLoop("r", segments.Oh, new DmaPut(
                Ref(X, rows + (new Var("r") * r * wr) + (sg * wr), segments.Ow), "output",
                ((((segments.N * c.OutChannels) + (g * c.OutChannelsPerGroup) + (cb * s.OutBlock) + (Var.Column * nt) + o) * c.OutHeight) + (segments.Ty * m) + new Var("r")) * c.OutWidth
                    + (segments.Tx * (s.TileColumns * m)),
                0, 0, ReplyOutput))))),
            new DmaWait(ReplyOutput));
    }

    /// <summary>
    /// Each segment's output rows of channel <paramref name="o"/> copied (times A^T's first entry, 1) into the packed
    /// buffer, a segment's rows adjacent, and put by one request a segment: one block when the segment spans the
    /// output's width, a block a row otherwise. The overlap-puts pass lets the puts run on under the next channel.
    /// </summary>
    private static Stmt BlockPuts(WinogradMeshPlan plan, RowSegments segments, Expr g, Expr cb, Expr o, long rows)
    {
        var c = plan.Conv;
        var s = plan.Schedule;
        int m = plan.M, r = s.Segments;
        long nt = plan.BlockOut, wr = plan.RowStride, slot = (long)m * plan.SegmentSpan;
        var one = Ref(C, plan.Transforms.OffsetAT, 1);
        var pack = Loop("sg", r, sg => segments.Of(sg, new Conditional(segments.Valid, new ForLoop("r", segments.Oh, new MultiplyAccumulate(
            Ref(P, (sg * slot) + (new Var("r") * segments.Ow), segments.Ow), one, Ref(X, rows + (new Var("r") * r * wr) + (sg * wr), segments.Ow), 1, 1)))));
        var puts = Loop("sg", r, sg => segments.Of(sg, new Conditional(segments.Valid, new DmaPut(
            Ref(P, sg * slot, segments.Oh * segments.Ow), "output",
            ((((segments.N * c.OutChannels) + (g * c.OutChannelsPerGroup) + (cb * s.OutBlock) + (Var.Column * nt) + o) * c.OutHeight) + (segments.Ty * m)) * c.OutWidth
                + (segments.Tx * plan.SegmentSpan),
            plan.SegmentsSpanRows ? 0 : segments.Ow, plan.SegmentsSpanRows ? 0 : c.OutWidth - segments.Ow, ReplyOutput))));
        return Block.Of(new Fill(Ref(P, 0, plan.PutElements), 0.0), pack, new ResetReply(ReplyOutput), puts, new DmaWait(ReplyOutput));
    }

    private static LdmRef Ref(string buffer, Expr offset, Expr count) => new(buffer, offset, count);

    private static MultiplyAccumulate Mac(LdmRef target, LdmRef weights, LdmRef source, Expr stride, Expr dilation) => new(target, weights, source, stride, dilation);

    private static ForLoop ForLoop(string name, Expr extent, Func<Expr, Stmt> body) => new(name, extent, body(new Var(name)));

    /// <summary>A loop of <paramref name="extent"/> iterations over <paramref name="body"/>, or the body at 0 when the extent is 1.</summary>
    private static Stmt Loop(string name, long extent, Func<Expr, Stmt> body) => extent == 1 ? body(0) : new ForLoop(name, extent, body(new Var(name)));
}
