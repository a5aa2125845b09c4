using System.Collections.Concurrent;
using System.Collections.Immutable;
using Swatop.Core.Algorithms.Direct;
using Swatop.Core.Algorithms.Im2col;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.GraphTuning;
using Swatop.Core.Layouts;
using Swatop.Core.LayoutSteps;
using Swatop.Core.Scheduling;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Hardware.Sw26010.Timing;
using Swatop.Primitives;

namespace Swatop.Hardware.Sw26010.Tuning;

/// <summary>
/// The analytic cost model of the SW26010: a kernel's time estimated from its plan, without lowering
/// or running it. It reads the same published figures the emulator is built on (the mesh GEMM's cycle
/// account, the DMA cost per request, block and byte), but not the emulator: it counts what the loop
/// nest does and adds it up in closed form.
/// </summary>
/// <remarks>
/// <para>
/// For one core group (the split loop runs its share, <see cref="LoopPlan.SplitChunk"/>): the mesh GEMM
/// is called once per iteration of every loop, except that a window's band, input-column and tap loops
/// together call it once per output position and tap. Each operand's DMA group runs once per iteration
/// of the loops that enclose it after hoisting (down to the innermost loop it depends on) and moves its
/// buffer, one request per slot with a block per column of the CPE's tile (a border tile's CPEs a request for each
/// valid column, none for a block outside the axis, as the boundary pass lowers them; a request a column and a block an
/// element where the block's rows are not adjacent in memory); the output block is put once
/// per output tile. The 64 CPEs share the core group's memory controller, so a group of transfers costs
/// the controller 64 times a CPE's requests, blocks and bytes.
/// </para>
/// <para>
/// Double-buffered gets overlap the compute, and so do the puts of double-buffered output tiles;
/// single-buffered gets and synchronous puts do not. The
/// overlap is imperfect: the controller serves the 64 CPEs' prefetches in turn, so a prefetch issued
/// mid-compute ends the later the busier the controller, and the CPEs then wait on each other in the
/// mesh GEMM. The estimate is <c>exposed DMA + ||(compute, hidden DMA)||_3 + spawn + join</c>: the 3-norm
/// is the larger time when one dominates and 1.26 times it when they are equal. Under the plain maximum
/// every compute-bound candidate costs the same however much DMA it hides, though the emulator tells
/// such ties apart. The exponent was chosen against 2, 4 and the maximum on sampled schedules of
/// calibration convolutions; the figures are in <c>docs/performance.md</c> ("The cost model's overlap
/// exponent"). The GEMM computes a border
/// tile's valid extent padded to the primitive's quantum, as the lowering sizes its call, but the whole tile
/// where a blocked operand spans the axis; its DMA moves the valid part, counted as the share of each axis's padded extent that
/// is real, but for an operand in a blocked layout, which moves whole blocks, each one run. Left out: the DMA latency and issue cycles, and the CPEs
/// contending in time rather than in volume. A tensor in the framework's layout is reached in the shared
/// memory, its bytes dearer (<see cref="Timing.DmaTimingModel.CrossSegmentByteFactor"/>).
/// </para>
/// <para>
/// An epilogue adds its operands' gets, which overlap the GEMMs, priced as the inputs' are (a bias's vector once per index-loop
/// body, a residual's tile once per output tile), and its element-wise calls on every output tile to the compute,
/// at the element-wise primitive's cycle count.
/// </para>
/// </remarks>
/// <param name="spec">The machine.</param>
public sealed partial class Sw26010CostModel(Sw26010Spec spec) : ICostModel, ISchedulePlanVisitor<CostAccount>
{
    private const int Cpes = 64;

    private readonly Sw26010Spec _spec = spec ?? throw new ArgumentNullException(nameof(spec));

    /// <inheritdoc/>
    public string Name => "sw26010 analytic";

    private readonly ConcurrentDictionary<LayoutStep, double> _steps = new();

    /// <inheritdoc/>
    /// <remarks>
    /// End to end, the kernel's estimate plus the layout steps' (<see cref="StepSeconds(SchedulePlan)"/>).
    /// </remarks>
    public double Estimate(SchedulePlan plan, TuningObjective objective = TuningObjective.EndToEnd)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var kernel = plan.Accept(this).Seconds;
        return objective == TuningObjective.Kernel ? kernel : kernel + StepSeconds(plan);
    }

    /// <summary>
    /// The estimated seconds of the layout steps around <paramref name="plan"/>'s kernel, constants prepared: for every
    /// other input, the steps from where the caller keeps it (<see cref="CallerHoldings"/>, by the plan's
    /// <see cref="TargetLimits.CallerMemory"/>) to the kernel's placement, and for the output the steps back
    /// (<see cref="LayoutConversion.Steps"/>; by default a pack of each input the kernel keeps in a layout of its own and an
    /// unpack of such an output), each priced by <see cref="EstimateStep"/> once and kept.
    /// </summary>
    public double StepSeconds(SchedulePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var spec = plan.Operator;
        var output = spec.Expression.Output.Tensor.Name;
        var holdings = plan.Limits.CallerMemory == CallerMemory.Shared ? null : CallerHoldings.For(spec, plan.Limits);
        var seconds = 0.0;
        foreach (var placement in plan.Placements)
        {
            var name = placement.Tensor.Name;
            if (spec.ConstantInputs.Contains(name))
            {
                continue;
            }

            var holding = holdings?.GetValueOrDefault(name);
            var steps = name == output
                ? LayoutConversion.Steps(name, placement, holding, spec.ElementType)
                : LayoutConversion.Steps(name, holding, placement, spec.ElementType);
            foreach (var step in steps)
            {
                seconds += _steps.GetOrAdd(step with { Name = string.Empty }, EstimateStep);
            }
        }

        return seconds;
    }

    /// <inheritdoc/>
    public double EstimateStep(LayoutStep layoutStep)
    {
        ArgumentNullException.ThrowIfNull(layoutStep);
        if (layoutStep.Destination.Window is not null)
        {
            return ColumnStepCost.Seconds(_spec, layoutStep);
        }

        var tiling = LayoutStepTiling.For(layoutStep, _spec.LdmPlanningBytes);
        var cpes = LayoutStepCost.Seconds(_spec, layoutStep, tiling, sourceShared: layoutStep.Kind == LayoutStepKind.Pack, destinationShared: layoutStep.Kind == LayoutStepKind.Unpack);

        // The step runs on the MPEs where they are faster (a small step, whose spawn dominates), and is priced so.
        return Sw26010MpeStep.Seconds(_spec, layoutStep) is { } mpe ? Math.Min(cpes, mpe) : cpes;
    }

    /// <inheritdoc/>
    CostAccount ISchedulePlanVisitor<CostAccount>.VisitImplicitGemm(LoopPlan plan) => Account(plan);

    /// <summary>
    /// A lower bound of <see cref="Estimate"/> over the plans of <paramref name="family"/>, from its probe alone: the
    /// compute and the output's puts of the probe's loops, each shared by as many core groups as the target has (a
    /// group's share of a split loop is at least its part), in the estimate's 3-norm, plus spawn and join. The gets,
    /// the layout steps (but in <see cref="TightLowerBound"/>) and the exposure of synchronous transfers only add to an
    /// estimate, so they are left out. A family of explicit im2col plans (its probe an <see cref="Im2colPlan"/>) is bounded
    /// by its GEMM's bound and, end to end, by the column step's (<see cref="ColumnStepCost.LowerBound"/>), which the
    /// kernel-only estimate does not count. 0 for a family without a probe, or of a plan of another algorithm.
    /// </summary>
    public double LowerBound(PlanFamily family, TuningObjective objective = TuningObjective.EndToEnd)
    {
        ArgumentNullException.ThrowIfNull(family);
        var bound = family.Probe() switch
        {
            LoopPlan probe => GemmBound(probe, probe.Placements),
            Im2colPlan probe => GemmBound(probe.Gemm, probe.Placements) + (objective == TuningObjective.EndToEnd
                ? ColumnStepCost.LowerBound(_spec, LayoutStep.Pack(probe.Columns, probe.Operator.ElementType), probe.Limits.CoreGroups)
                : 0),
            _ => 0,
        };

        // Rounding must not lift the bound over an estimate that meets it exactly.
        return bound * (1 - 1e-9);
    }

    /// <summary>The compute and puts of <paramref name="probe"/>'s loops over the target's core groups, in the 3-norm, plus spawn and join.</summary>
    private double GemmBound(LoopPlan probe, ImmutableArray<TensorPlacement> placements)
    {
        var core = LoopCosts(probe, placements);
        var groups = (double)probe.Limits.CoreGroups;
        var (compute, puts) = (core.Compute / groups, core.PutSeconds / groups);
        var fixedSeconds = (_spec.Timing.SpawnCycles + _spec.Timing.JoinCycles) / _spec.ClockHz;
        return Math.Cbrt((compute * compute * compute) + (puts * puts * puts)) + fixedSeconds;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The GEMM over the column matrix, priced as the implicit GEMM plan it is, its tensors where the im2col plan keeps
    /// them (<see cref="Im2colPlan.Placements"/>): the column matrix lies where the column step lays it out, in each
    /// core group's own memory, even where the GEMM reads it in its plain order; the column step is one of the plan's
    /// layout steps (<see cref="StepSeconds(SchedulePlan)"/>).
    /// </remarks>
    CostAccount ISchedulePlanVisitor<CostAccount>.VisitIm2col(Im2colPlan plan) => Account(plan.Gemm, plan.Placements);

    /// <summary>The counts and times behind <see cref="Estimate"/> for an implicit GEMM plan.</summary>
    public CostAccount Account(LoopPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return Account(plan, plan.Placements);
    }

    /// <summary>
    /// The counts and times of <paramref name="plan"/>'s loops with its tensors in <paramref name="placements"/> (in the
    /// order of <see cref="LoopPlan.Placements"/>): a tensor in the framework's layout is reached in the shared memory.
    /// </summary>
    private CostAccount Account(LoopPlan plan, ImmutableArray<TensorPlacement> placements)
    {
        var timing = _spec.Timing;
        var loops = plan.Loops.ToList();
        var core = LoopCosts(plan, placements);
        var output = plan.Output;

        double Runs(int position)
        {
            var product = 1.0;
            for (var i = 0; i <= position && i < loops.Count; i++)
            {
                product *= plan.TripsOf(loops[i]);
            }

            return product;
        }

        // Each input's gets, where hoisting leaves them. A blocked operand moves whole blocks, each one run: its layout holds whole tiles.
        // A tensor kept in the framework's layout is read (or, the output, written) where the framework keeps it, in the shared memory.
        double gets = 0, hidden = 0, exposed = 0;
        for (var i = 0; i < plan.Inputs.Length; i++)
        {
            var input = plan.Inputs[i];
            var (bytes, seconds) = Gets(plan, Runs(plan.HoistedPositions[i]), input.BufferElements, Math.Max(1, input.BufferElements / input.BlockElements),
                Transfers(plan, input), input.Blocked ? 1 : Share(plan, input.Rows) * Share(plan, input.Columns), placements[i].Layout.IsIdentity);
            gets += bytes;
            hidden += input.DoubleBuffer ? seconds : 0;
            exposed += input.DoubleBuffer ? 0 : seconds;
        }

        if (output.DoubleBuffer)
        {
            hidden += core.PutSeconds;
        }
        else
        {
            exposed += core.PutSeconds;
        }

        // The epilogue's operands' gets, issued before the reduction and waited for after it, so hidden like a
        // double-buffered input's (the bias once per index-loop body, the residual once per output tile, like the put).
        var bodies = plan.IndexLoops.Aggregate(1.0, (p, l) => p * plan.TripsOf(l));
        for (var j = 0; j < plan.EpilogueOperands.Length; j++)
        {
            var operand = plan.EpilogueOperands[j];
            var identity = placements[plan.Inputs.Length + j].Layout.IsIdentity;
            var (bytes, seconds) = operand.Role == OperandRole.Bias
                ? Gets(plan, bodies, operand.BlockElements, 1, (1, 1), plan.ChannelAxis is { } channel ? Share(plan, channel) : 1, identity)
                : Gets(plan, core.OutputBlocks, operand.BlockElements, 1, Transfers(plan, operand), core.OutputShare, identity);
            gets += bytes;
            hidden += seconds;
        }

        var compute = core.Compute;
        var fixedSeconds = (timing.SpawnCycles + timing.JoinCycles) / _spec.ClockHz;
        var overlapped = Math.Cbrt((compute * compute * compute) + (hidden * hidden * hidden));
        return new CostAccount(core.Calls, gets * Cpes, core.PutBytes * Cpes, compute, hidden, exposed, exposed + overlapped + fixedSeconds);
    }

    /// <summary>
    /// Border tiles move only their valid part: over all tiles of an axis, its extent of the padded extent. Under image rows
    /// M's share is its real positions of real images (<see cref="ImageRows.Share"/>).
    /// </summary>
    private static double Share(LoopPlan plan, Core.Axis axis)
    {
        if (axis == plan.M && plan.Merge?.ImageRows is { } rows)
        {
            return rows.Share;
        }

        var tile = plan.TileOf(axis);
        return axis.Extent / (double)((axis.Extent + tile - 1) / tile * tile);
    }

    /// <summary>
    /// What an implicit GEMM plan's loops fix whatever its orders, DMA levels and buffering: the mesh GEMM calls, the
    /// output tiles, the compute (GEMMs, fills and the epilogue's element-wise calls), the output's share of real
    /// elements and its puts' bytes (one CPE's) and controller seconds.
    /// </summary>
    private (double Calls, double OutputBlocks, double Compute, double OutputShare, double PutBytes, double PutSeconds) LoopCosts(LoopPlan plan, ImmutableArray<TensorPlacement> placements)
    {
        var timing = _spec.Timing;
        var s = plan.Schedule;
        var loops = plan.Loops.ToList();

        // Mesh GEMM calls: every loop's trips, but a window calls once per output position and tap.
        var calls = 1.0;
        foreach (var loop in loops)
        {
            calls *= loop.Role is LoopRole.Band or LoopRole.InputColumn or LoopRole.Tap ? 1 : plan.TripsOf(loop);
        }

        var positions = 1.0;
        if (plan.Window is { } window)
        {
            var band = loops.First(l => l.Role == LoopRole.Band);
            positions = Math.Min(window.Output.Extent, plan.TripsOf(band) * s.Window);
            calls *= positions * window.Tap.Extent;
        }

        var gemmSeconds = calls * CallCycles(plan) / _spec.ClockHz;
        var outputBlocks = 1.0;
        foreach (var loop in plan.IndexLoops)
        {
            outputBlocks *= loop.Role == LoopRole.Band ? 1 : plan.TripsOf(loop);
        }

        outputBlocks *= positions;

        var output = plan.Output;
        var fillSeconds = outputBlocks * Primitives.FillPrimitive.Cycles(timing, _spec.SimdLanes, output.BlockElements) / _spec.ClockHz;

        // The epilogue's element-wise calls on every output tile.
        var epilogueSeconds = 0.0;
        foreach (var (op, kind) in EpilogueCalls(plan))
        {
            var rows = kind switch
            {
                ElementwiseOperandKind.PerRow => plan.TileOf(plan.M) / 8,
                ElementwiseOperandKind.PerColumn when plan.ChannelAxis is null => output.BlockElements,
                ElementwiseOperandKind.PerColumn => plan.TileOf(plan.M) / 8,
                _ => output.BlockElements,
            };
            epilogueSeconds += outputBlocks * Primitives.ElementwisePrimitive.Cycles(timing, _spec.SimdLanes, op, output.BlockElements, rows, op == ElementwiseOp.Clamp ? [kind, kind] : [kind]) / _spec.ClockHz;
        }

        // Image rows whose positions are padded: each tile's valid columns copied, one a transpose of a row, into the compacted buffer.
        var compactSeconds = 0.0;
        if (plan.OutputRunElements > 0 && plan.Merge?.ImageRows is { } runs)
        {
            var along = Positions(plan, output.Columns);
            var copying = runs.Batch.Extent % runs.ImagesPerTile == 0 ? 1 : Batch(runs);
            compactSeconds = outputBlocks * copying * (along.Valid / along.Count)
                * Primitives.TransposePrimitive.Cycles(timing, _spec.SimdLanes, 1, runs.Positions.Extent) / _spec.ClockHz;
        }

        var dma = timing.Dma;
        var shareC = output.Blocked ? 1 : Share(plan, output.Rows) * Share(plan, output.Columns);
        var putBytes = outputBlocks * output.BlockElements * plan.ElementBytes * shareC;
        var (putRequests, putBlocks) = Transfers(plan, output);
        var putSeconds = outputBlocks * Cpes * ((putRequests * dma.RequestNanoseconds) + (putBlocks * dma.PutBlockNanoseconds)
            + (output.BlockElements * plan.ElementBytes * shareC * dma.PutNanosecondsPerByte * (placements[^1].Layout.IsIdentity ? dma.CrossSegmentByteFactor : 1))) * 1e-9;
        return (calls, outputBlocks, gemmSeconds + fillSeconds + epilogueSeconds + compactSeconds, shareC, putBytes, putSeconds);
    }

    /// <summary>
    /// The mesh GEMM's cycles a call of <paramref name="plan"/>, averaged over its tiles: a border tile's call shrinks to
    /// its valid extent padded to the primitive's quantum, as the lowering sizes it, unless the axis runs whole tiles
    /// (<see cref="LoopPlan.RunsWholeTiles"/>). A core group's share of a split tile loop is counted whole: the first
    /// group's share holds no border tile and takes longest.
    /// </summary>
    private double CallCycles(LoopPlan plan)
    {
        var s = plan.Schedule;
        var type = plan.Operator.ElementType;
        var timing = _spec.Timing;
        var (m, mShare) = BorderCall(plan, plan.M);
        var (n, nShare) = BorderCall(plan, plan.N);
        var (k, kShare) = BorderCall(plan, plan.K);
        var cycles = 0.0;
        for (var corner = 0; corner < 8; corner++)
        {
            var (mb, nb, kb) = ((corner & 1) != 0, (corner & 2) != 0, (corner & 4) != 0);
            var weight = (mb ? mShare : 1 - mShare) * (nb ? nShare : 1 - nShare) * (kb ? kShare : 1 - kShare);
            if (weight > 0)
            {
                cycles += weight * Primitives.MeshGemmPrimitive.Cycles(timing, mb ? m : s.TileM, nb ? n : s.TileN, kb ? k : s.TileK, type);
            }
        }

        return cycles;
    }

    /// <summary>
    /// The call size of the border tile of <paramref name="axis"/> (M, N or K of <paramref name="plan"/>) and the share
    /// of the axis's tiles it is, or (the tile, 0) where every call runs the whole tile: the tile divides the axis, there
    /// is one tile, a blocked operand spans the axis, or the core groups split its tiles.
    /// </summary>
    private static (int Call, double Share) BorderCall(LoopPlan plan, Core.Axis axis)
    {
        var tile = plan.TileOf(axis);
        var tiles = (axis.Extent + tile - 1) / tile;
        if (axis.Extent % tile == 0 || tiles == 1 || SplitsTiles(plan, axis) || plan.RunsWholeTiles(axis))
        {
            return (tile, 0);
        }

        var quantum = axis == plan.M ? MeshGemmRules.MQuantum : axis == plan.N ? MeshGemmRules.NQuantum : MeshGemmRules.KQuantum;
        var remaining = axis.Extent - ((tiles - 1) * tile);
        return ((int)Math.Min(tile, (remaining + quantum - 1) / quantum * quantum), 1.0 / tiles);
    }

    /// <summary>Whether the core groups split the tile loop of <paramref name="axis"/>.</summary>
    private static bool SplitsTiles(LoopPlan plan, Core.Axis axis) => plan.SplitLoop is { Role: LoopRole.Tile } split && split.Axis == axis.Name;

    /// <summary>The element-wise calls the epilogue of <paramref name="plan"/> makes on each output tile: the operation and its operands' kind.</summary>
    private static IEnumerable<(ElementwiseOp Op, ElementwiseOperandKind Kind)> EpilogueCalls(LoopPlan plan)
    {
        foreach (var step in plan.Operator.Epilogue.Steps)
        {
            switch (step)
            {
                case Core.BiasStep:
                    yield return (ElementwiseOp.Add, plan.ChannelAxis == plan.M ? ElementwiseOperandKind.PerRow : ElementwiseOperandKind.PerColumn);
                    break;
                case Core.ResidualAddStep:
                    yield return (ElementwiseOp.Add, ElementwiseOperandKind.Span);
                    break;
                case Core.ClipStep clip when clip.HasMin || clip.HasMax:
                    yield return (clip.HasMin && clip.HasMax ? ElementwiseOp.Clamp : clip.HasMin ? ElementwiseOp.Maximum : ElementwiseOp.Minimum, ElementwiseOperandKind.Scalar);
                    break;
            }
        }
    }

    /// <inheritdoc/>
    CostAccount ISchedulePlanVisitor<CostAccount>.VisitDirect(DirectPlan plan) => Account(plan);

    /// <summary>
    /// The counts and times behind <see cref="Estimate"/> for a direct convolution plan, for the core group with
    /// the most images. Compute: every task zeroes its output rows and calls the multiply-accumulate once per
    /// segment of each valid (output row, kernel row) pair of each output and input channel
    /// (<see cref="DirectPlan.RowSegments"/>); the tasks are dealt to the 64 CPEs in turn, so a CPE computes its
    /// share, rounded up to whole tasks. DMA: per task, one get of the input rows (a block per input channel), one
    /// of the weights and one put of the output rows (a block per output channel), every CPE's through the one
    /// controller, the bytes of a tensor in place at the shared memory's cost, those of one in the groups' own memories
    /// (<see cref="DirectSchedule.GroupMemory"/>) at a group's own. The CPEs compute apart, so one CPE's transfers overlap
    /// the others' compute even single-buffered; a single-buffered CPE also waits for its own transfers and their
    /// latency. The estimate is the 3-norm of the per-CPE time and the controller's, plus spawn and join.
    /// </summary>
    public CostAccount Account(DirectPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var timing = _spec.Timing;
        var dma = timing.Dma;
        var c = plan.Conv;
        var s = plan.Schedule;
        var lanes = _spec.SimdLanes;
        var eb = plan.ElementBytes;
        var pairsPerImage = (double)plan.ValidRowPairs * c.OutChannels * c.InChannelsPerGroup;
        var rowCycles = plan.RowSegments.Sum(g => Primitives.MultiplyAccumulatePrimitive.Cycles(timing, lanes, g.Count, g.Taps, c.Stride.Width));
        var calls = plan.ImagesPerGroup * pairsPerImage * plan.RowSegments.Length;
        var tasks = (double)plan.Tasks;
        var taskShare = Math.Ceiling(tasks / Cpes) / tasks;
        var fillCycles = plan.ImagesPerGroup * plan.GroupTiles * (double)plan.RowTiles * Primitives.FillPrimitive.Cycles(timing, lanes, plan.OutputElements);
        var epilogueCycles = plan.ImagesPerGroup * plan.GroupTiles * (double)plan.RowTiles * DirectEpilogueCycles(plan, lanes);
        var compute = ((plan.ImagesPerGroup * pairsPerImage * rowCycles) + fillCycles + epilogueCycles) * taskShare / _spec.ClockHz;

        var inputBytes = tasks * plan.InputElements * eb;
        var filterBytes = tasks * plan.WeightElements * eb;
        var biasBytes = tasks * (plan.HasBias ? plan.BiasElements : 0) * eb;
        var weightBytes = filterBytes + biasBytes;
        var gets = plan.HasBias ? 3 : 2;
        var outputBytes = (double)plan.ImagesPerGroup * c.OutChannels * c.OutHeight * c.OutWidth * eb;

        // A tensor in place lies in the shared memory, its bytes dearer; one in the groups' own memories
        // (DirectSchedule.GroupMemory) costs a group's own. The placements are the kernel's tensors in order: input, weights, bias, output.
        var placements = plan.Placements;
        double Factor(int tensor) => placements[tensor].Layout.IsIdentity ? dma.CrossSegmentByteFactor : 1;
        var getBytes = (inputBytes * Factor(0)) + (filterBytes * Factor(1)) + (plan.HasBias ? biasBytes * Factor(2) : 0);
        var getSeconds = ((tasks * gets * dma.RequestNanoseconds) + (tasks * ((s.TileGroups * c.InChannelsPerGroup) + gets - 1) * dma.GetBlockNanoseconds)
            + (getBytes * dma.GetNanosecondsPerByte)) * 1e-9;
        var putSeconds = ((tasks * dma.RequestNanoseconds) + (tasks * s.TileGroups * c.OutChannelsPerGroup * dma.PutBlockNanoseconds)
            + (outputBytes * dma.PutNanosecondsPerByte * Factor(placements.Length - 1))) * 1e-9;
        var controller = getSeconds + putSeconds;
        var waits = (s.DoubleBuffer ? 1 : 3) + (plan.HasBias ? 1 : 0);
        var own = s.DoubleBuffer ? putSeconds / Cpes : controller / Cpes;
        var perCpe = compute + own + (Math.Ceiling(tasks / Cpes) * waits * dma.LatencyNanoseconds * 1e-9);
        var fixedSeconds = (timing.SpawnCycles + timing.JoinCycles) / _spec.ClockHz;
        var seconds = Math.Cbrt((perCpe * perCpe * perCpe) + (controller * controller * controller)) + fixedSeconds;
        return new CostAccount(calls, inputBytes + weightBytes, outputBytes, compute, s.DoubleBuffer ? getSeconds : 0, s.DoubleBuffer ? putSeconds : controller, seconds);
    }

    /// <summary>
    /// The cycles of a direct convolution task's epilogue on its full output rows: a bias added per channel
    /// (a column of the rows' block) and each clamp, as the lowering calls them.
    /// </summary>
    private double DirectEpilogueCycles(DirectPlan plan, int lanes)
    {
        var count = plan.OutputElements;
        var rows = count / plan.BiasElements;
        var cycles = 0.0;
        foreach (var step in plan.Operator.Epilogue.Steps)
        {
            (ElementwiseOp Op, ElementwiseOperandKind Kind)? call = step switch
            {
                Core.BiasStep => (ElementwiseOp.Add, ElementwiseOperandKind.PerColumn),
                Core.ClipStep { HasMin: true, HasMax: true } => (ElementwiseOp.Clamp, ElementwiseOperandKind.Scalar),
                Core.ClipStep { HasMin: true } => (ElementwiseOp.Maximum, ElementwiseOperandKind.Scalar),
                Core.ClipStep { HasMax: true } => (ElementwiseOp.Minimum, ElementwiseOperandKind.Scalar),
                _ => null,
            };
            if (call is { } c)
            {
                cycles += Primitives.ElementwisePrimitive.Cycles(_spec.Timing, lanes, c.Op, count, c.Kind == ElementwiseOperandKind.Scalar ? count : rows, c.Op == ElementwiseOp.Clamp ? [c.Kind, c.Kind] : [c.Kind]);
            }
        }

        return cycles;
    }

    /// <summary>
    /// The bytes one CPE gets for an operand over the kernel, and the controller's seconds for all 64 CPEs: per execution,
    /// <paramref name="slots"/> tile transfers of <paramref name="perSlot"/> requests and blocks each (<see cref="Transfers"/>).
    /// </summary>
    private (double Bytes, double Seconds) Gets(LoopPlan plan, double executions, long bufferElements, long slots, (double Requests, double Blocks) perSlot, double share, bool shared)
    {
        var bytes = bufferElements * plan.ElementBytes * share;
        var dma = _spec.Timing.Dma;
        var perCpe = (slots * ((perSlot.Requests * dma.RequestNanoseconds) + (perSlot.Blocks * dma.GetBlockNanoseconds))) + (bytes * dma.GetNanosecondsPerByte * (shared ? dma.CrossSegmentByteFactor : 1));
        return (executions * bytes, executions * Cpes * perCpe * 1e-9);
    }

    /// <summary>
    /// A CPE's requests and blocks for one tile transfer of <paramref name="operand"/>, averaged over the tiles and the
    /// CPEs, as the boundary pass lowers it: a CPE whose block is all valid moves it in one request of a block per
    /// column; one whose block is partly valid moves each valid column in a request of its own, and one with no valid
    /// row or column moves nothing. A border tile's blocks are its call's share (<see cref="BorderCall"/>). An operand in
    /// a blocked layout moves its whole block as one run; one whose rows are not adjacent (<see cref="RowStride"/>) moves
    /// each valid column in a request of its own, an element a block.
    /// </summary>
    private static (double Requests, double Blocks) Transfers(LoopPlan plan, PlannedOperand operand)
    {
        if (operand.Blocked)
        {
            return (1, 1);
        }

        if (plan.Merge?.ImageRows is { } images && operand.Rows == plan.M && images.Holds(operand.Access.Tensor.Name))
        {
            // Image rows: of an image's runs, a whole one moves a block a valid column in one request where its columns are
            // whole, a request a valid column otherwise; its last run, if partly real positions, a request a valid column (its
            // rows padded in LDM, apart in memory); a run past the positions, or of an empty image slot, nothing.
            var along = Positions(plan, operand.Columns);
            if (operand.Role == OperandRole.Output && plan.OutputRunElements > 0)
            {
                // Put compacted (LoopPlan.OutputRunElements): a CPE's block whose columns are whole is one run in one request;
                // a border tile's partial block a request and a block a valid column; an empty image slot's, nothing.
                var each = Batch(images) * (along.Whole + along.Valid - along.WholeExtent) / along.Count;
                return (each, each);
            }

            var (full, partial) = images.Runs;
            var requests = ((full * (along.Whole + along.Valid - along.WholeExtent)) + (partial * along.Valid)) / along.Count;
            var share = Batch(images) / images.RowsPerImage;
            return (share * requests, share * (full + partial) * along.Valid / along.Count);
        }

        var rows = Positions(plan, operand.Rows);
        var columns = Positions(plan, operand.Columns);
        var all = rows.Count * columns.Count;
        var moved = rows.Moving * columns.Valid;
        if (RowStride(operand) != 1)
        {
            // Rows apart in memory (a stride-2 window's input columns): a request a valid column, a block an element.
            return (moved / all, rows.Valid * columns.Valid / all);
        }

        return (((rows.Whole * columns.Whole) + moved - (rows.Whole * columns.WholeExtent)) / all, moved / all);
    }

    /// <summary>The share of image slots that hold an image.</summary>
    private static double Batch(ImageRows images) => images.Batch.Extent / (double)images.ImageSlots;

    /// <summary>
    /// Elements between consecutive rows of <paramref name="operand"/>'s block in the layout the implicit GEMM keeps it
    /// in, unblocked: the rows' dimensions innermost in their framework order, each as long as the range it is read in
    /// (an input) or the tensor's (the output). The boundary pass moves a block whose rows are not 1 apart an element a block.
    /// </summary>
    private static long RowStride(PlannedOperand operand)
    {
        var indices = operand.Access.Indices;
        long stride = 0, scale = 1;
        for (var d = indices.Length - 1; d >= 0; d--)
        {
            var coefficient = indices[d].CoefficientOf(operand.Rows);
            if (coefficient == 0)
            {
                continue;
            }

            stride += coefficient * scale;
            var (min, max) = indices[d].Range;
            scale *= operand.IsInput ? max - min + 1 : operand.Access.Tensor.Shape[d];
        }

        return stride;
    }

    /// <summary>
    /// The CPE blocks along <paramref name="axis"/> over all its tiles, 8 a tile (a mesh row's or column's each): how
    /// many there are, how many lie wholly inside the axis and how many hold some of it, the positions inside (the sum of
    /// the blocks' valid extents) and the extent of the whole blocks. A border tile's blocks are its call's eighth; all
    /// are whole where the core groups split the axis's tiles (the first group's share, which takes longest).
    /// </summary>
    private static (double Count, double Whole, double Moving, double Valid, double WholeExtent) Positions(LoopPlan plan, Core.Axis axis)
    {
        var mesh = MeshGemmRules.MeshSize;
        var tile = plan.TileOf(axis);
        var tiles = (axis.Extent + tile - 1) / tile;
        var count = (double)tiles * mesh;
        if (axis.Extent % tile == 0 || SplitsTiles(plan, axis))
        {
            return (count, count, count, count * (tile / mesh), count * (tile / mesh));
        }

        var inner = (tiles - 1) * mesh;
        var border = (tiles == 1 ? tile : BorderCall(plan, axis).Call) / mesh;
        var remaining = axis.Extent - ((tiles - 1) * tile);
        var whole = Math.Min(mesh, remaining / border);
        var moving = Math.Min(mesh, (remaining + border - 1) / border);
        return (count, inner + whole, inner + moving, axis.Extent, (inner * (double)(tile / mesh)) + (whole * (double)border));
    }
}
