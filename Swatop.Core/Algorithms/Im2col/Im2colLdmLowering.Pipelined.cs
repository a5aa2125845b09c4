using Swatop.Core.Ir;

namespace Swatop.Core.Algorithms.Im2col;

/// <summary>
/// The column block in LDM with its tap blocks pipelined (<see cref="Im2colLdmPlan.PipelinesWeights"/>: overlapped puts
/// and more than one tap block, the case of a layer with many input channels): each tap block's input rows and weights
/// are gotten during the tap block before, right after its gathers and ahead of its mesh GEMM, so the controller streams
/// while the mesh computes. The weights' block alternates between the two halves of a doubled B buffer; the spans are
/// free again once gathered, so one set of them serves.
/// </summary>
internal static partial class Im2colLdmLowering
{
    /// <summary>The suffix of the names the next tap block's taps are bound to while the current block's are.</summary>
    private const string NextTaps = "n";

    /// <summary>
    /// One tap block of a tile, pipelined: the input rows and the weights' block gotten before are waited for, the taps
    /// gathered, then the next tap block's rows and weights gotten (this tile's next block, or the next tile's first when
    /// <paramref name="next"/>'s condition holds), and the mesh GEMM on the weights' half of this step
    /// (<paramref name="step"/> = tile x tap blocks + tap block, its parity choosing the half).
    /// </summary>
    private static Let PipelinedTapBlock(Im2colLdmPlan plan, Expr n, Expr g, Expr nb, Expr oh0, Expr kb, Expr step, Expr half, (Expr Condition, Expr N, Expr Oh0) next, Stmt spread)
    {
        var s = plan.Schedule;
        long kt = plan.BlockTaps, mb = plan.BlockRows, we = plan.WeightElements;
        var resident = plan.WeightsHoisted;
        Expr current = resident ? WeightOffset(plan, kb) : step % 2 * we;
        Expr other = we - current;
        Stmt Ahead(Expr blockOfTaps, Expr image, Expr row) => Block.Of(
            WithTaps(plan, blockOfTaps, Block.Of(new ResetReply(ReplyInput), Gets(plan, image, g, row, NextTaps)), NextTaps),
            resident ? Block.Of() : WeightsAhead(plan, g, nb, blockOfTaps, other));
        var ahead = new Conditional(Expr.Less(kb + 1, plan.TapBlocks),
            Ahead(kb + 1, n, oh0),
            new Conditional(next.Condition, new Let("n1", next.N, new Let("oh1", next.Oh0, Ahead(0, new Var("n1"), new Var("oh1"))))));
        var gemm = new MeshGemm(Im2colLdmPlan.Mesh * mb, s.OutBlock, s.InBlock,
            new LdmRef(A, 0, mb * kt), new LdmRef(B, current, we), new LdmRef(C, half, plan.AccumulatorElements));
        return WithTaps(plan, kb, Block.Of(new DmaWait(ReplyInput), resident ? Block.Of() : new DmaWait(ReplyWeights), Gathers(plan), ahead, spread, gemm));
    }

    /// <summary>
    /// Issues, without waiting, the CPE's weights' block of tap block <paramref name="kb"/> (taps of block i by output
    /// channels of block j) into B from element <paramref name="offset"/>, zeroed first: when the CPE's run of taps is whole,
    /// one strided get of its valid channels (a run of <see cref="Im2colLdmPlan.BlockTaps"/> taps a channel, the channels
    /// a group's taps apart); in the group's last, shorter run, one get a valid channel.
    /// </summary>
    private static Let WeightsAhead(Im2colLdmPlan plan, Expr g, Expr nb, Expr kb, Expr offset, bool reset = true)
    {
        var c = plan.Conv;
        long kt = plan.BlockTaps, nt = plan.BlockOut;
        var kbase = new Var("wk0");
        var first = new Var("wco0");
        var co = new Var("wco");
        var wc = new Var("wc");
        Expr Source(Expr channel) => (((g * c.OutChannelsPerGroup) + channel) * plan.Taps) + kbase;
        var whole = new DmaGet(new LdmRef(B, offset, Expr.Min(nt, c.OutChannelsPerGroup - first) * kt), Im2colAlgorithm.WeightsName, Source(first), kt, plan.Taps - kt, ReplyWeights);
        var shorter = new ForLoop(wc.Name, nt, new Let(co.Name, first + wc,
            new Conditional(Expr.Less(co, c.OutChannelsPerGroup),
                new DmaGet(new LdmRef(B, offset + (wc * kt), plan.Taps - kbase), Im2colAlgorithm.WeightsName, Source(co), 0, 0, ReplyWeights))));
        var gets = new Conditional(Expr.And(Expr.Less(first, c.OutChannelsPerGroup), Expr.Less(kbase, plan.Taps)),
            new Conditional(Expr.LessOrEqual(kbase + kt, plan.Taps), whole, shorter));
        return new Let(kbase.Name, (kb * plan.Schedule.InBlock) + (Var.Row * kt),
            new Let(first.Name, (nb * plan.Schedule.OutBlock) + (Var.Column * nt),
                reset ? Block.Of(new Fill(new LdmRef(B, offset, plan.WeightElements), 0.0), new ResetReply(ReplyWeights), gets) : gets));
    }
}
