using System.Collections.Immutable;
using Swatop.Core.Ir;
using Swatop.Core.Lowering;
using Swatop.Core.Scheduling;
using Swatop.Primitives;

namespace Swatop.Core.Algorithms.ImplicitGemm;

/// <summary>Builds the loop nest of <see cref="ImplicitGemmLowering"/> for one plan.</summary>
internal sealed class NestBuilder
{
    private readonly LoopPlan _plan;
    private readonly ImplicitGemmSchedule _schedule;
    private readonly ImmutableArray<TensorLayout> _layouts;
    private readonly PlannedOperand _output;
    private readonly GemmExtent _m;
    private readonly GemmExtent _n;
    private readonly GemmExtent _k;
    private readonly WindowPlan? _window;
    private readonly Expr _width;

    /// <summary>A builder for <paramref name="plan"/>, its operands kept in <paramref name="layouts"/> (in the order of <see cref="LoopPlan.KernelOperands"/>).</summary>
    public NestBuilder(LoopPlan plan, ImmutableArray<TensorLayout> layouts)
    {
        _plan = plan;
        _schedule = plan.Schedule;
        _layouts = layouts;
        _output = plan.Output;
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
            // The epilogue's gets are issued before the reduction and waited for after it, so that they overlap the GEMMs.
            return Block.Of(Groups(level: null), new Fill(new LdmRef(_output.Buffer, 0, _width * _output.BlockElements), 0.0), EpilogueGets(), Reduction(0), Epilogue(), Puts());
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

    /// <summary>The DMA groups of the inputs whose level is <paramref name="level"/>, in the inputs' order.</summary>
    private Stmt Groups(string? level) => Block.Of(_plan.Inputs.Where(input => input.Level == level).Select(Group));

    private Expr ExtentOf(PlannedLoop loop) =>
        loop.Role == LoopRole.InputColumn && _width is Var width
            ? ((width - 1) * _window!.Stride) + ((_window.Tap.Extent - 1) * _window.Dilation) + 1
            : loop.Extent;

    /// <summary>The DMA group that fills an input's buffer at its level: one tile get per covered loop combination.</summary>
    private Stmt Group(PlannedOperand input)
    {
        var covered = input.Covered;
        Stmt transfer = new TileDma(DmaDirection.Get, BlockOf(input), input.Access.Tensor.Name, Offset(input, slot: null), Shape(input), input.Reply);
        for (var i = covered.Length - 1; i >= 0; i--)
        {
            transfer = new ForLoop(covered[i].Var, ExtentOf(covered[i]), transfer);
        }

        return Block.Of(new ResetReply(input.Reply), transfer, new DmaWait(input.Reply));
    }

    /// <summary>This CPE's block of an input in its buffer: the slot of the covered loops' current iteration.</summary>
    private LdmRef BlockOf(PlannedOperand input)
    {
        Expr slot = 0;
        foreach (var loop in input.Covered)
        {
            slot = (slot * loop.Extent) + new Var(loop.Var);
        }

        return new LdmRef(input.Buffer, slot * input.BlockElements, Extent(input.Rows).PerCpe * Extent(input.Columns).PerCpe);
    }

    /// <summary>The tiling of GEMM axis <paramref name="axis"/>.</summary>
    private GemmExtent Extent(Axis axis) => axis == _plan.M ? _m : axis == _plan.N ? _n : _k;

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

        var gemm = new MeshGemm(_m.Call, _n.Call, _k.Call, BlockOf(_plan.Operand(OperandRole.A)), BlockOf(_plan.Operand(OperandRole.B)),
            new LdmRef(_output.Buffer, slotC * _output.BlockElements, _m.PerCpe * _n.PerCpe));
        return condition is null ? gemm : new Conditional(condition, gemm);
    }

    /// <summary>
    /// The epilogue's gets, issued without a wait: the bias's block (a vector along the channels' GEMM axis, or one
    /// element when neither M nor N walks the channels) and the residual's tile for each output tile of the window,
    /// in the output's arrangement. <see cref="Epilogue"/> waits for them.
    /// </summary>
    private Stmt EpilogueGets()
    {
        var parts = new List<Stmt>();
        var channel = _plan.ChannelAxis;
        if (_plan.EpilogueOperands.FirstOrDefault(o => o.Role == OperandRole.Bias) is { } bias)
        {
            var mesh = channel == _plan.M ? Var.Row : Var.Column;
            var layout = LayoutOf(bias);
            Expr count = BiasCount, valid = channel is null ? 1 : Extent(channel).ValidRows(mesh);
            var stride = channel is null ? 1 : Stride(layout, bias.Access, channel);
            var offset = Offset(bias.Access, layout, axis => axis == channel ? (Extent(axis), mesh) : null, slot: null);
            parts.Add(Block.Of(new ResetReply(bias.Reply),
                new TileDma(DmaDirection.Get, new LdmRef(bias.Buffer, 0, count), bias.Access.Tensor.Name, offset, new TileShape(count, 1, valid, 1, stride, stride), bias.Reply)));
        }

        if (_plan.EpilogueOperands.FirstOrDefault(o => o.Role == OperandRole.Residual) is { } residual)
        {
            var slot = _window is null ? null : new Var($"{_window.Output.Name}_ep");
            Stmt get = new TileDma(DmaDirection.Get, new LdmRef(residual.Buffer, (slot ?? (Expr)0) * residual.BlockElements, _m.PerCpe * _n.PerCpe), residual.Access.Tensor.Name,
                Offset(residual, slot), Shape(residual), residual.Reply);
            parts.Add(Block.Of(new ResetReply(residual.Reply), slot is null ? get : new ForLoop(slot.Name, _width, get)));
        }

        return Block.Of(parts);
    }

    /// <summary>Elements of the bias's block: a CPE's share of the channels' GEMM axis, or one.</summary>
    private Expr BiasCount => _plan.ChannelAxis is { } channel ? Extent(channel).PerCpe : 1;

    /// <summary>
    /// The operator's epilogue on the output tiles in LDM, before their put: the waits for <see cref="EpilogueGets"/>,
    /// then for each output tile of the window the steps in order as element-wise statements (a bias per row or per
    /// column of the tile, a residual span, a clip's scalars). Nothing for the empty epilogue.
    /// </summary>
    private Stmt Epilogue()
    {
        var steps = _plan.View.Epilogue.Steps;
        if (steps.IsEmpty)
        {
            return Block.Empty;
        }

        var parts = new List<Stmt>(_plan.EpilogueOperands.Select(o => new DmaWait(o.Reply)));
        var slot = _window is null ? null : new Var($"{_window.Output.Name}_ep");
        var count = _m.PerCpe * _n.PerCpe;
        var target = new LdmRef(_output.Buffer, (slot ?? (Expr)0) * _output.BlockElements, count);
        var tile = new List<Stmt>();
        foreach (var step in steps)
        {
            switch (step)
            {
                case BiasStep:
                    var vector = new LdmRef(_plan.Operand(OperandRole.Bias).Buffer, 0, BiasCount);
                    tile.Add(new Elementwise(target, ElementwiseOp.Add, [_plan.ChannelAxis == _plan.M ? ElementwiseOperand.PerRow(vector) : ElementwiseOperand.PerColumn(vector)]));
                    break;
                case ResidualAddStep:
                    var r = _plan.Operand(OperandRole.Residual);
                    tile.Add(new Elementwise(target, ElementwiseOp.Add, [ElementwiseOperand.Span(new LdmRef(r.Buffer, (slot ?? (Expr)0) * r.BlockElements, count))]));
                    break;
                case ClipStep clip:
                    tile.AddRange(ClipStatements.On(clip, target));
                    break;
            }
        }

        parts.Add(slot is null ? Block.Of(tile) : new ForLoop(slot.Name, _width, Block.Of(tile)));
        return Block.Of(parts);
    }

    /// <summary>
    /// The put group of the output tiles: <c>reset; put each tile of the window; wait</c>. Under image rows whose positions are
    /// padded (<see cref="LoopPlan.OutputRunElements"/>), the tile's valid columns are first copied, each its image's positions,
    /// into the compacted buffer, and the put is of that buffer: one contiguous run of the framework's bytes a CPE.
    /// </summary>
    private Stmt Puts()
    {
        if (_plan.OutputRunElements > 0 && ImageRowsOf(_output) is { } images)
        {
            var tensor = _output.Access.Tensor.Name;
            var block = ImageRows.Image(_m, Var.Row);
            var runs = images.Compacted(tensor, block, _output.Columns, Extent(_output.Columns))!;
            var positions = images.Positions.Extent;
            var column = new Var("j_runs");
            Stmt copy = new ForLoop(column.Name, runs.ValidColumns, new Transpose(
                new LdmRef(LoopPlan.OutputRunBuffer, column * positions, positions), new LdmRef(_output.Buffer, column * _m.PerCpe, positions), 1, positions));
            if (images.Batch.Extent % images.ImagesPerTile != 0)
            {
                copy = new Conditional(Expr.Less(0, runs.ValidRows), copy);
            }

            var compacted = new TileDma(DmaDirection.Put, new LdmRef(LoopPlan.OutputRunBuffer, 0, _plan.OutputRunElements), tensor, Offset(_output, slot: null), runs, _output.Reply);
            return Block.Of(copy, new ResetReply(_output.Reply), compacted, new DmaWait(_output.Reply));
        }

        Expr slot = _window is null ? 0 : new Var($"{_window.Output.Name}_out");
        Stmt put = new TileDma(DmaDirection.Put, new LdmRef(_output.Buffer, slot * _output.BlockElements, _m.PerCpe * _n.PerCpe), _output.Access.Tensor.Name,
            Offset(_output, slot), Shape(_output), _output.Reply);
        return Block.Of(new ResetReply(_output.Reply), _window is null ? put : new ForLoop(((Var)slot).Name, _width, put), new DmaWait(_output.Reply));
    }

    /// <summary>The layout <paramref name="operand"/> is kept in.</summary>
    private TensorLayout LayoutOf(PlannedOperand operand) => _layouts[_plan.KernelOperands.IndexOf(operand)];

    /// <summary>A CPE's block of an operand: a blocked layout holds whole tiles, so the whole block moves, border tiles too.</summary>
    private TileShape Shape(PlannedOperand operand)
    {
        if (ImageRowsOf(operand) is { } images)
        {
            return images.Shape(operand.Access.Tensor.Name, ImageRows.Image(_m, Var.Row), operand.Columns, Extent(operand.Columns));
        }

        GemmExtent rows = Extent(operand.Rows), columns = Extent(operand.Columns);
        var layout = LayoutOf(operand);
        return new(rows.PerCpe, columns.PerCpe, operand.Blocked ? rows.PerCpe : rows.ValidRows(Var.Row), operand.Blocked ? columns.PerCpe : columns.ValidRows(Var.Column),
            Stride(layout, operand.Access, operand.Rows), Stride(layout, operand.Access, operand.Columns));
    }

    /// <summary>
    /// The internal element offset of <paramref name="operand"/>'s block for this CPE: its rows' axis at the
    /// CPE's mesh row, its columns' at the mesh column (see the other overload).
    /// </summary>
    private Expr Offset(PlannedOperand operand, Expr? slot) => ImageRowsOf(operand) is { } rows
        ? rows.Offset(operand.Access.Tensor.Name, ImageRows.Image(_m, Var.Row), operand.Columns, Extent(operand.Columns))
        : Offset(operand.Access, LayoutOf(operand), axis => axis == operand.Rows ? (Extent(axis), Var.Row) : axis == operand.Columns ? (Extent(axis), Var.Column) : null, slot);

    /// <summary>The image rows that address <paramref name="operand"/> (one image a mesh row, the operand reading M), or null.</summary>
    private ImageRows? ImageRowsOf(PlannedOperand operand) =>
        _plan.Merge?.ImageRows is { } rows && operand.Rows == _plan.M && rows.Holds(operand.Access.Tensor.Name) ? rows : null;

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
                // The GEMM axis's own dimension: its other terms, if any, are of axes of one position, always 0.
                var (extent, mesh) = index.Terms.Select(t => gemmAxis(t.Axis)).First(g => g is not null)!.Value;
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
