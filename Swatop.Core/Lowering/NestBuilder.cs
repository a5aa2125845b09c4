using Swatop.Core.Ir;
using Swatop.Core.Scheduling;
using Swatop.Primitives;

namespace Swatop.Core.Lowering;

/// <summary>Builds the loop nest of <see cref="KernelLowering"/> for one plan.</summary>
internal sealed class NestBuilder
{
    public const string ReplyA = "reply_a";
    public const string ReplyB = "reply_b";
    public const string ReplyC = "reply_c";

    private readonly LoopPlan _plan;
    private readonly Schedule _schedule;
    private readonly TensorLayout _layoutA;
    private readonly TensorLayout _layoutB;
    private readonly TensorLayout _layoutC;
    private readonly GemmExtent _m;
    private readonly GemmExtent _n;
    private readonly GemmExtent _k;
    private readonly WindowPlan? _window;
    private readonly Expr _width;

    public NestBuilder(LoopPlan plan, TensorLayout layoutA, TensorLayout layoutB, TensorLayout layoutC)
    {
        _plan = plan;
        _schedule = plan.Schedule;
        _layoutA = layoutA;
        _layoutB = layoutB;
        _layoutC = layoutC;
        _m = new GemmExtent(plan.M, _schedule.TileM, MeshGemmRules.MQuantum, plan.RunsWholeTiles(plan.M));
        _n = new GemmExtent(plan.N, _schedule.TileN, MeshGemmRules.NQuantum, plan.RunsWholeTiles(plan.N));
        _k = new GemmExtent(plan.K, _schedule.TileK, MeshGemmRules.KQuantum, plan.RunsWholeTiles(plan.K));
        _window = plan.Window;
        _width = _window is null ? 1
            : _window.Output.Extent % _window.Window == 0 ? _window.Window
            : new Var($"{_window.Output.Name}_width");
    }

    public Stmt Build() => Index(0);

    private Stmt Index(int position)
    {
        if (position == _plan.IndexLoops.Length)
        {
            // The operands' groups before all reduction loops open the innermost index loop's body, ahead of
            // zeroing the output, so that double buffering finds them at the start of a loop body.
            return Block.Of(Groups(level: null), new Fill(new LdmRef(KernelLowering.BufferC, 0, _width * _plan.BlockC), 0.0), Reduction(0), Puts());
        }

        var loop = _plan.IndexLoops[position];
        var body = Index(position + 1);
        if (loop.Role == LoopRole.Band && _width is Var width)
        {
            var window = _window!;
            body = new Let(width.Name, Expr.Min(window.Window, window.Output.Extent - (new Var(loop.Var) * window.Window)), body);
        }

        if (_plan.SplitLoop != loop)
        {
            return new ForLoop(loop.Var, loop.Extent, body);
        }

        var chunk = _plan.SplitChunk;
        var local = $"{loop.Var}_i";
        Expr extent = chunk * _schedule.CoreGroups == loop.Extent ? chunk : Expr.Min(chunk, loop.Extent - (Var.Group * chunk));
        return new ForLoop(local, extent, new Let(loop.Var, (Var.Group * chunk) + new Var(local), body));
    }

    private Stmt Reduction(int position)
    {
        var parts = new List<Stmt>();
        if (position > 0)
        {
            parts.Add(Groups(_plan.ReductionLoops[position - 1].Var));
        }

        if (position == _plan.ReductionLoops.Length)
        {
            parts.Add(Gemm());
        }
        else
        {
            var loop = _plan.ReductionLoops[position];
            parts.Add(new ForLoop(loop.Var, ExtentOf(loop), Reduction(position + 1)));
        }

        return Block.Of(parts);
    }

    /// <summary>The DMA groups of the operands whose level is <paramref name="level"/>, A first.</summary>
    private Stmt Groups(string? level)
    {
        var parts = new List<Stmt>();
        if (_schedule.LevelA == level)
        {
            parts.Add(Group(isA: true));
        }

        if (_schedule.LevelB == level)
        {
            parts.Add(Group(isA: false));
        }

        return Block.Of(parts);
    }

    private Expr ExtentOf(PlannedLoop loop) =>
        loop.Role == LoopRole.InputColumn && _width is Var width
            ? ((width - 1) * _window!.Stride) + ((_window.Tap.Extent - 1) * _window.Dilation) + 1
            : loop.Extent;

    /// <summary>The DMA group that fills an operand's buffer at its level: one tile get per covered loop combination.</summary>
    private Stmt Group(bool isA)
    {
        var covered = isA ? _plan.CoveredA : _plan.CoveredB;
        var reply = isA ? ReplyA : ReplyB;
        Stmt transfer = new TileDma(DmaDirection.Get, Operand(isA, covered), isA ? _plan.A.Tensor.Name : _plan.B.Tensor.Name,
            isA ? OffsetA() : OffsetB(), isA ? ShapeA() : ShapeB(), reply);
        for (var i = covered.Length - 1; i >= 0; i--)
        {
            transfer = new ForLoop(covered[i].Var, ExtentOf(covered[i]), transfer);
        }

        return Block.Of(new ResetReply(reply), transfer, new DmaWait(reply));
    }

    private LdmRef Operand(bool isA, IReadOnlyList<PlannedLoop> covered)
    {
        Expr slot = 0;
        foreach (var loop in covered)
        {
            slot = (slot * loop.Extent) + new Var(loop.Var);
        }

        return isA
            ? new LdmRef(KernelLowering.BufferA, slot * _plan.BlockA, _m.PerCpe * _k.PerCpe)
            : new LdmRef(KernelLowering.BufferB, slot * _plan.BlockB, _k.PerCpe * _n.PerCpe);
    }

    private Stmt Gemm()
    {
        Expr slotC = 0;
        Expr? condition = null;
        if (_window is { } window)
        {
            var column = new Var($"{window.Output.Name}_in") - (new Var(window.Tap.Name) * window.Dilation);
            slotC = column / window.Stride;
            condition = Expr.And(Expr.LessOrEqual(0, column), Expr.And(Expr.Equal(column % window.Stride, 0), Expr.Less(slotC, _width)));
        }

        var gemm = new MeshGemm(_m.Call, _n.Call, _k.Call, Operand(true, _plan.CoveredA), Operand(false, _plan.CoveredB),
            new LdmRef(KernelLowering.BufferC, slotC * _plan.BlockC, _m.PerCpe * _n.PerCpe));
        return condition is null ? gemm : new Conditional(condition, gemm);
    }

    /// <summary>The put group of the output tiles: <c>reset; put each tile of the window; wait</c>.</summary>
    private Stmt Puts()
    {
        Expr slot = _window is null ? 0 : new Var($"{_window.Output.Name}_out");
        Stmt put = new TileDma(DmaDirection.Put, new LdmRef(KernelLowering.BufferC, slot * _plan.BlockC, _m.PerCpe * _n.PerCpe), _plan.Operator.Expression.Output.Tensor.Name,
            OffsetC(slot), Shape(_plan.BlockedC, _m, _n, _layoutC, _plan.Operator.Expression.Output, _plan.M, _plan.N), ReplyC);
        return Block.Of(new ResetReply(ReplyC), _window is null ? put : new ForLoop(((Var)slot).Name, _width, put), new DmaWait(ReplyC));
    }

    private TileShape ShapeA() => Shape(_plan.BlockedA, _m, _k, _layoutA, _plan.A, _plan.M, _plan.K);

    private TileShape ShapeB() => Shape(_plan.BlockedB, _k, _n, _layoutB, _plan.B, _plan.K, _plan.N);

    /// <summary>A CPE's block of an operand: a blocked layout holds whole tiles, so the whole block moves, border tiles too.</summary>
    private static TileShape Shape(bool blocked, GemmExtent rows, GemmExtent columns, TensorLayout layout, TensorAccess access, Axis rowAxis, Axis columnAxis) =>
        new(rows.PerCpe, columns.PerCpe, blocked ? rows.PerCpe : rows.ValidRows(Var.Row), blocked ? columns.PerCpe : columns.ValidRows(Var.Column),
            Stride(layout, access, rowAxis), Stride(layout, access, columnAxis));

    private Expr OffsetA() => Offset(_plan.A, _layoutA, axis =>
        axis == _plan.M ? (_m, Var.Row) : axis == _plan.K ? (_k, Var.Column) : null, slot: null);

    private Expr OffsetB() => Offset(_plan.B, _layoutB, axis =>
        axis == _plan.K ? (_k, Var.Row) : axis == _plan.N ? (_n, Var.Column) : null, slot: null);

    private Expr OffsetC(Expr slot) => Offset(_plan.Operator.Expression.Output, _layoutC, axis =>
        axis == _plan.M ? (_m, Var.Row) : axis == _plan.N ? (_n, Var.Column) : null, slot);

    /// <summary>
    /// The internal element offset of an access with the GEMM axes at this CPE's block origin
    /// (<paramref name="gemmAxis"/>: the axis's extent and the mesh index along it), window axes at
    /// the band's current column or output slot, and every other axis at its loop variable. A blocked
    /// dimension is a GEMM axis's own: its offset is the CPE's block, which starts it.
    /// </summary>
    private Expr Offset(TensorAccess access, TensorLayout layout, Func<Axis, (GemmExtent Extent, Var Mesh)?> gemmAxis, Expr? slot)
    {
        Expr offset = 0;
        for (var d = 0; d < access.Indices.Length; d++)
        {
            var index = access.Indices[d];
            if (layout.IsBlocked(d))
            {
                var (extent, mesh) = gemmAxis(index.Terms[0].Axis)!.Value;
                offset += extent.BlockIndex(mesh) * layout.OuterStrides[d];
                continue;
            }

            Expr position = index.Constant + layout.Origins[d];
            if (_window is { } window && ReferenceEquals(access, window.Operand) && d == window.Dim)
            {
                var band = new Var($"{window.Output.Name}_band") * (window.Window * window.Stride);
                offset += (band + new Var($"{window.Output.Name}_in") + position) * layout.Strides[d];
                continue;
            }

            foreach (var term in index.Terms)
            {
                var value = (gemmAxis(term.Axis) is var (extent, mesh) ? extent.Origin(mesh) : null)
                    ?? (_window is { } w && term.Axis == w.Output ? (new Var($"{w.Output.Name}_band") * w.Window) + (slot ?? 0)
                    : new Var(term.Axis.Name));
                position += value * term.Coefficient;
            }

            offset += position * layout.Strides[d];
        }

        return offset;
    }

    /// <summary>Elements between consecutive values of <paramref name="axis"/> in the internal tensor.</summary>
    private static long Stride(TensorLayout layout, TensorAccess access, Axis axis)
    {
        var stride = 0L;
        for (var d = 0; d < access.Indices.Length; d++)
        {
            stride += access.Indices[d].CoefficientOf(axis) * layout.Strides[d];
        }

        return stride;
    }
}
