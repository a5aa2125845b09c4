using Swatop.Core.Ir;

namespace Swatop.Core.Algorithms.Im2col;

/// <summary>
/// The column block in LDM with every tap block's weights kept in LDM (<see cref="Im2colLdmSchedule.ResidentWeights"/>)
/// and a tile's puts spread over the next tile's tap blocks (<see cref="Im2colLdmSchedule.SpreadPuts"/>): the weights'
/// tap blocks lie one after the other in B, gotten once a group and output block; tap block k's mesh GEMM reads its
/// block k. With spread puts, tap block k of tile t issues the puts of part k of tile t - 1's output channels right after
/// its prefetch, from the other copy of the accumulators; tile t's end waits for them, and the output block's last
/// tile's puts are issued after the tiles. With copied taps (<see cref="Im2colLdmSchedule.CopyTaps"/>), a stride-1 layer's
/// taps are copied into A by the multiply-accumulate primitive times one rather than by transposes.
/// </summary>
internal static partial class Im2colLdmLowering
{
    /// <summary>Where tap block <paramref name="kb"/>'s B block starts in the weights' buffer: after the blocks before it when the weights stay in LDM, else at its start.</summary>
    private static Expr WeightOffset(Im2colLdmPlan plan, Expr kb) => plan.Schedule.ResidentWeights ? kb * plan.WeightElements : 0;

    /// <summary>
    /// Every tap block's weights of the CPE (taps of block i of each tap block by output channels of block j) into B, one
    /// after the other, zeros past the taps and channels: a strided get a tap block (a run of the CPE's taps a channel),
    /// all on one reply word, waited for once.
    /// </summary>
    private static Stmt ResidentWeights(Im2colLdmPlan plan, Expr g, Expr nb) => Block.Of(
        new Fill(new LdmRef(B, 0, plan.WeightBufferElements), 0.0),
        new ResetReply(ReplyWeights),
        Loop("wkb", plan.TapBlocks, kb => WeightsAhead(plan, g, nb, kb, WeightOffset(plan, kb), reset: false)),
        new DmaWait(ReplyWeights));

    /// <summary>
    /// With spread puts, tap block <paramref name="kb"/>'s part of the puts of the tile before <paramref name="tile"/> (none
    /// for a group's first tile): the CPE's output channels kb x n / T to (kb + 1) x n / T - 1 of its n, T tap blocks, from
    /// the accumulators' other copy; nothing without spread puts.
    /// </summary>
    private static Stmt SpreadPart(Im2colLdmPlan plan, string output, Expr g, Expr nb, Expr tile, Expr kb, Func<Expr, Expr> image, Func<Expr, Expr> row)
    {
        if (!plan.Schedule.SpreadPuts)
        {
            return Block.Of();
        }

        long nt = plan.BlockOut, parts = plan.TapBlocks;
        var before = tile - 1;
        var first = kb * nt / parts;
        var count = ((kb + 1) * nt / parts) - first;
        return new Conditional(Expr.Less(0, tile), new Let("pn", image(before), new Let("poh", row(before),
            PutIssues(plan, output, new Var("pn"), g, nb, new Var("poh"), before % 2 * plan.AccumulatorElements, first, count))));
    }

    /// <summary>
    /// With <see cref="Im2colLdmSchedule.CopyTaps"/> (stride 1 along the width): A zeroed, then each of the CPE's taps of the
    /// bound tap block added from its span into its column of A, one multiply-accumulate call times one an output row.
    /// </summary>
    private static Stmt CopiedTaps(Im2colLdmPlan plan)
    {
        var c = plan.Conv;
        int r = plan.Schedule.RowsPerCpe, kw = c.Kernel.Width;
        long span = plan.SpanElements, mb = plan.BlockRows, ow = c.OutWidth;
        var k0 = new Var("k0");
        var kend = new Var("kend");
        var one = new LdmRef(Im2colLdmPlan.BufferOne, 0, 1);
        return Block.Of(
            new Fill(new LdmRef(A, 0, mb * plan.BlockTaps), 0.0),
            Pairs(plan, pp => new ForLoop("kx", kw, new Let("tk", (new Var("tp") * kw) + new Var("kx"),
                new Conditional(Expr.And(Expr.LessOrEqual(k0, new Var("tk")), Expr.Less(new Var("tk"), kend)),
                    Loop("rr", r, rr => new MultiplyAccumulate(
                        new LdmRef(A, ((new Var("tk") - k0) * mb) + (rr * ow), ow), one,
                        new LdmRef(Spans, (((pp * r) + rr) * span) + (new Var("kx") * c.Dilation.Width), ow), 1, 1)))))));
    }

    /// <summary>With spread puts, the puts of the output block's last tile, all the CPE's channels, issued after the tiles (the wait after them follows).</summary>
    private static Conditional LastPuts(Im2colLdmPlan plan, string output, Expr g, Expr nb, Expr tiles, Func<Expr, Expr> image, Func<Expr, Expr> row)
    {
        var last = tiles - 1;
        return new Conditional(Expr.Less(0, tiles), new Let("pn", image(last), new Let("poh", row(last),
            PutIssues(plan, output, new Var("pn"), g, nb, new Var("poh"), last % 2 * plan.AccumulatorElements, 0, plan.BlockOut))));
    }
}
