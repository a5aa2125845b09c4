using Swatop.Core.Ir;

namespace Swatop.Core.Algorithms.Im2col;

/// <summary>
/// The column block in LDM with a channel's input rows in one get (<see cref="Im2colLdmPlan.ChannelRowGets"/>): for each
/// input channel its taps of a block reach, a CPE gets the run of whole input rows its output rows read (rows of padding
/// above or below the image zeroed instead), into a slot of <see cref="Im2colLdmPlan.SlotRows"/> rows of the input's
/// width; each tap's output columns are gathered from its rows there by a stride-<c>sw</c> transpose, and the output
/// columns that read the left padding (the element before a row, the row before's last) or, with
/// <see cref="Im2colLdmSchedule.ChannelRowsPastEdge"/>, the right (the element after a row, the next row's first) are
/// zeroed in A after it; with <see cref="Im2colLdmSchedule.CopyTaps"/> each tap is copied instead, those columns left
/// out of the copy's run.
/// </summary>
internal static partial class Im2colLdmLowering
{
    /// <summary>The gets of a channel's input rows for each channel the CPE's bound taps reach, its output rows from <paramref name="oh0"/> of image <paramref name="n"/>.</summary>
    private static ForLoop ChannelGets(Im2colLdmPlan plan, Expr n, Expr g, Expr oh0, string suffix)
    {
        var c = plan.Conv;
        int taps = c.Kernel.Height * c.Kernel.Width, rows = plan.SlotRows, w = c.Width;
        var k0 = new Var("k0" + suffix);
        var kend = new Var("kend" + suffix);
        var q = new Var("q");
        var ch = new Var("gch");
        var ih0 = new Var("gih0");
        var tlo = new Var("gtlo");
        var thi = new Var("gthi");
        Expr slot = plan.SlotLead + (q * ((long)rows * w));
        var whole = new Fill(new LdmRef(Spans, slot, (long)rows * w), 0.0);
        var part = Block.Of(
            new Conditional(Expr.Less(0, tlo), new Fill(new LdmRef(Spans, slot, tlo * w), 0.0)),
            new Conditional(Expr.Less(thi, rows), new Fill(new LdmRef(Spans, slot + (thi * w), (rows - thi) * w), 0.0)),
            new DmaGet(new LdmRef(Spans, slot + (tlo * w), (thi - tlo) * w), Im2colAlgorithm.InputName,
                ((((n * c.InChannels) + (g * c.InChannelsPerGroup) + ch) * c.Height) + ih0 + tlo) * w, 0, 0, ReplyInput));
        var body = new Let(ih0.Name, (oh0 * Math.Max(1, c.Stride.Height)) - c.Padding.Top,
            new Let(tlo.Name, Expr.Max(0, 0 - ih0),
                new Let(thi.Name, Expr.Min(rows, c.Height - ih0),
                    new Conditional(Expr.Less(tlo, thi), part, whole))));
        return new ForLoop(q.Name, plan.ChannelsPerCpe, new Let(ch.Name, (k0 / taps) + q,
            new Conditional(Expr.Less(ch * taps, kend), body)));
    }

    /// <summary>Each of the CPE's bound taps gathered from its channel's rows into its column of A, one stride-<c>sw</c> transpose an output row, and the columns that read the left padding zeroed.</summary>
    private static ForLoop ChannelGathers(Im2colLdmPlan plan)
    {
        var c = plan.Conv;
        int r = plan.Schedule.RowsPerCpe, kw = c.Kernel.Width, kh = c.Kernel.Height, sw = Math.Max(1, c.Stride.Width), sh = Math.Max(1, c.Stride.Height);
        long mb = plan.BlockRows, ow = c.OutWidth, w = c.Width, slotElements = (long)plan.SlotRows * c.Width;
        var k0 = new Var("k0");
        var kend = new Var("kend");
        var tp = new Var("tp");
        var tk = new Var("tk");
        Expr slot = plan.SlotLead + (((tp / kh) - (k0 / (kh * kw))) * slotElements) + (tp % kh * c.Dilation.Height * w);
        Stmt Tap(int kx)
        {
            var zeros = plan.LeftPaddingColumns(kx);
            var right = plan.RightPaddingColumns(kx);
            return new Let(tk.Name, (tp * kw) + kx,
                new Conditional(Expr.And(Expr.LessOrEqual(k0, tk), Expr.Less(tk, kend)),
                    Loop("rr", r, rr => Block.Of(
                        new Transpose(
                            new LdmRef(A, ((tk - k0) * mb) + (rr * ow), sw * ow),
                            new LdmRef(Spans, slot + (rr * sh * w) + ((kx * c.Dilation.Width) - c.Padding.Left), sw * ow), sw, ow),
                        zeros == 0 ? Block.Of() : new Fill(new LdmRef(A, ((tk - k0) * mb) + (rr * ow), zeros), 0.0),
                        right == 0 ? Block.Of() : new Fill(new LdmRef(A, ((tk - k0) * mb) + (rr * ow) + (ow - right), right), 0.0)))));
        }

        return Pairs(plan, _ => Block.Of(Enumerable.Range(0, kw).Select(Tap)));
    }

    /// <summary>
    /// With <see cref="Im2colLdmSchedule.CopyTaps"/> (stride 1 along the width): A zeroed, then each of the CPE's bound taps
    /// added from its channel's rows into its column of A by the multiply-accumulate primitive times one, an output row a
    /// call, the output columns that read the left or the right padding left out of the run (they stay zero).
    /// </summary>
    private static Stmt ChannelCopies(Im2colLdmPlan plan)
    {
        var c = plan.Conv;
        int r = plan.Schedule.RowsPerCpe, kw = c.Kernel.Width, kh = c.Kernel.Height, sh = Math.Max(1, c.Stride.Height);
        long mb = plan.BlockRows, ow = c.OutWidth, w = c.Width, slotElements = (long)plan.SlotRows * c.Width;
        var k0 = new Var("k0");
        var kend = new Var("kend");
        var tp = new Var("tp");
        var tk = new Var("tk");
        var one = new LdmRef(Im2colLdmPlan.BufferOne, 0, 1);
        Expr slot = plan.SlotLead + (((tp / kh) - (k0 / (kh * kw))) * slotElements) + (tp % kh * c.Dilation.Height * w);
        Stmt Tap(int kx)
        {
            int left = plan.LeftPaddingColumns(kx), count = (int)ow - left - plan.RightPaddingColumns(kx);
            return count <= 0 ? Block.Of() : new Let(tk.Name, (tp * kw) + kx,
                new Conditional(Expr.And(Expr.LessOrEqual(k0, tk), Expr.Less(tk, kend)),
                    Loop("rr", r, rr => new MultiplyAccumulate(
                        new LdmRef(A, ((tk - k0) * mb) + (rr * ow) + left, count), one,
                        new LdmRef(Spans, slot + (rr * sh * w) + (kx * c.Dilation.Width) - c.Padding.Left + left, count), 1, 1))));
        }

        return Block.Of(new Fill(new LdmRef(A, 0, mb * plan.BlockTaps), 0.0), Pairs(plan, _ => Block.Of(Enumerable.Range(0, kw).Select(Tap))));
    }
}
