using System.Collections.Immutable;
using System.Globalization;
using Swatop.Core.Layouts;
using Swatop.Core.Lowering;
using Swatop.Core.Scheduling;
using Swatop.Primitives;

namespace Swatop.Core.Algorithms.ImplicitGemm;

/// <summary>
/// An implicit GEMM schedule checked against its operator and target and unfolded into the facts
/// lowering and cost models need: the loop nest (<see cref="Nest"/>), the kernel's operands with their
/// buffers, levels and buffering (<see cref="Operands"/>), where hoisting leaves the inputs' transfers,
/// and the LDM it takes. Immutable: the <c>With*</c> steps the space takes return new plans.
/// </summary>
public sealed class LoopPlan : SchedulePlan
{
    private const int Mesh = MeshGemmRules.MeshSize;

    private readonly ImplicitGemmSchedule _schedule;
    private ImmutableArray<TensorPlacement> _placements;

    /// <summary>A plan whose placements are this plan's, worked out once for both (see <see cref="WithPlacement"/>), or null.</summary>
    private LoopPlan? _placedLike;

    /// <summary>For each split this plan placed others under: the split's nest, and the first plan placed (see <see cref="WithPlacement"/>).</summary>
    private Dictionary<(int Groups, string? Split), (LoopNest Nest, LoopPlan? First)>? _splits;

    /// <summary>Whether each operand is blocked, as <see cref="Place"/> takes it; worked out for <see cref="WithPlacement"/>.</summary>
    private ImmutableArray<bool> _blocked;

    private LoopPlan(OperatorSpec spec, AxisMerge? merge, ImplicitGemmSchedule schedule, TargetLimits limits, LoopNest nest, ImmutableArray<PlannedOperand> operands, ImmutableArray<int> hoisted = default)
        : base(spec, limits)
    {
        _schedule = schedule;
        Merge = merge;
        Nest = nest;
        Operands = operands;
        Inputs = operands.RemoveAt(operands.Length - 1);
        Output = operands[^1];
        EpilogueOperands = PlanEpilogue(merge?.View ?? spec, schedule, nest, Output);
        KernelOperands = [.. Inputs, .. EpilogueOperands, Output];
        BufferWork = MeshGemmWorkspace.Elements(schedule.TileM / Mesh, schedule.TileN / Mesh, schedule.TileK / Mesh, spec.ElementType);
        OutputRunElements = merge?.ImageRows is { CompactsPuts: true } rows && rows.Holds(Output.Access.Tensor.Name) && Output.Rows == nest.M
            ? (long)rows.Positions.Extent * (Tile(schedule, Output.Columns, nest) / Mesh) : 0;
        LdmBytes = LdmAccount.Bytes(KernelOperands, BufferWork, ElementBytes, limits, OutputRunElements);
        HoistedPositions = hoisted.IsDefault ? DmaHoisting.Positions(nest, Inputs) : hoisted;
    }

    /// <inheritdoc/>
    public override ImplicitGemmSchedule Schedule => _schedule;

    /// <summary>The loop nest.</summary>
    public LoopNest Nest { get; }

    /// <summary>
    /// The operator the plan lowers: <see cref="SchedulePlan.Operator"/> itself, or its view with the schedule's
    /// <see cref="ImplicitGemmSchedule.MergedAxes"/> merged, whose tensors are the framework tensors' bytes.
    /// </summary>
    public OperatorSpec View => Merge?.View ?? Operator;

    /// <summary>The merge of <see cref="ImplicitGemmSchedule.MergedAxes"/>, or null for none.</summary>
    internal AxisMerge? Merge { get; }

    /// <summary>The kernel's operands in the order of <see cref="ImplicitGemmSchedule.Roles"/>: A, B, the output.</summary>
    public ImmutableArray<PlannedOperand> Operands { get; }

    /// <summary>The inputs, A then B.</summary>
    public ImmutableArray<PlannedOperand> Inputs { get; }

    /// <summary>The output.</summary>
    public PlannedOperand Output { get; }

    /// <summary>
    /// The operands of the operator's epilogue, in the order of its steps (<see cref="OperatorSpec.EpilogueInputs"/>): a
    /// <see cref="OperandRole.Bias"/> whose block is a vector along the GEMM axis of the output channels (one element when
    /// neither M nor N carries them), and a <see cref="OperandRole.Residual"/> whose blocks are the output's tiles in the
    /// output's arrangement (one per output tile of the window). Each is gotten into a buffer of its own, issued before the
    /// reduction loops and waited for after them, so that its transfer overlaps the GEMMs; the schedule makes no decision about them. Empty for the empty epilogue.
    /// </summary>
    public ImmutableArray<PlannedOperand> EpilogueOperands { get; }

    /// <summary>Every operand the kernel takes, in the order of its tensors: the inputs, the epilogue's operands, the output.</summary>
    public ImmutableArray<PlannedOperand> KernelOperands { get; }

    /// <summary>The operand of <paramref name="role"/>.</summary>
    public PlannedOperand Operand(OperandRole role) => KernelOperands.First(o => o.Role == role);

    /// <summary>
    /// The GEMM axis (M or N) that walks the output channels a bias is indexed by, or null when neither does (the
    /// channels are an outer loop, and a tile has one channel) or the operator has no channels.
    /// </summary>
    public Axis? ChannelAxis => EpilogueOperands.FirstOrDefault(o => o.Role == OperandRole.Bias) is { } bias && bias.Access.DependsOn(bias.Rows) ? bias.Rows : null;

    /// <summary>The GEMM's M, N and K axes.</summary>
    public Axis M => Nest.M;

    /// <inheritdoc cref="M"/>
    public Axis N => Nest.N;

    /// <inheritdoc cref="M"/>
    public Axis K => Nest.K;

    /// <summary>The window, when the schedule has one.</summary>
    public WindowPlan? Window => Nest.Window;

    /// <summary>The whole-mesh tile of GEMM axis <paramref name="axis"/> (M, N or K).</summary>
    public int TileOf(Axis axis) => Tile(Schedule, axis, Nest);

    /// <summary>The index loops, outermost first.</summary>
    public ImmutableArray<PlannedLoop> IndexLoops => Nest.IndexLoops;

    /// <summary>The reduction loops, outermost first (a window's tap unit is two loops).</summary>
    public ImmutableArray<PlannedLoop> ReductionLoops => Nest.ReductionLoops;

    /// <summary>The loops of the nest, outermost first: the index loops, then the reduction loops.</summary>
    public IEnumerable<PlannedLoop> Loops => Nest.Loops;

    /// <inheritdoc/>
    public override PlannedLoop? SplitLoop => Nest.SplitLoop;

    /// <inheritdoc/>
    public override long SplitChunk => Nest.SplitChunk;

    /// <inheritdoc/>
    public override bool SplitSharesAlike => Nest.SplitSharesAlike;

    /// <summary>Elements of the mesh GEMM's workspace for a full tile (<see cref="MeshGemmWorkspace"/>): the streamed panels, and C in double for float.</summary>
    public long BufferWork { get; }

    /// <summary>
    /// Elements of the buffer the output's tiles are compacted into before their puts (<see cref="ImageRows.CompactsPuts"/>: a
    /// CPE's block with its rows packed to the image's positions), or 0 where they are put from the output's buffer. Where it
    /// is not 0, this buffer is the one the puts drain, doubled when the output is, and the output's own buffer is single.
    /// </summary>
    public long OutputRunElements { get; }

    /// <summary>The name of the buffer of <see cref="OutputRunElements"/>.</summary>
    public const string OutputRunBuffer = "ldm_c_runs";

    /// <summary>Bytes of one element.</summary>
    public int ElementBytes => Operator.ElementType == ElementType.Float32 ? sizeof(float) : sizeof(double);

    /// <inheritdoc/>
    public override long LdmBytes { get; }

    /// <summary>Whether blocked layouts apply to some operand of this mapping, so that <see cref="ImplicitGemmSchedule.BlockedLayouts"/> changes the kernel.</summary>
    public bool CanBlockLayouts => Blockable(View.Expression, Schedule.Mapping, Merge).Any(b => b);

    /// <summary>
    /// Whether the GEMM runs the border tiles of <paramref name="axis"/> (M, N or K) at full tile size:
    /// a blocked operand reads it, and its layout holds whole tiles. Otherwise a border tile's call
    /// shrinks to its valid extent, padded to the primitive's quantum.
    /// </summary>
    public bool RunsWholeTiles(Axis axis) => Operands.Any(o => o.Blocked && o.Spans(axis));

    /// <summary>
    /// Whether the output tiles' puts have a next tile to overlap: whether the index loops, around
    /// them, run more than one tile on a core group. When they do not, a second output buffer would
    /// only hold LDM.
    /// </summary>
    public bool CanOverlapPuts => IndexLoops.Any(loop => Nest.TripsOf(loop) > 1);

    /// <summary>Where hoisting leaves the inputs' DMA groups (<see cref="DmaHoisting"/>), in the order of <see cref="Inputs"/>.</summary>
    public ImmutableArray<int> HoistedPositions { get; }

    /// <summary>Checks <paramref name="schedule"/> against <paramref name="spec"/> and <paramref name="limits"/> and unfolds it.</summary>
    /// <exception cref="ScheduleException">A decision breaks a rule; the message names the decision, its value and the rule.</exception>
    public static LoopPlan Create(OperatorSpec spec, ImplicitGemmSchedule schedule, TargetLimits limits) =>
        TryCreate(spec, schedule, limits, out var error) ?? throw error!;

    /// <summary>
    /// The plan of <paramref name="schedule"/>, or null with the <paramref name="error"/> of the first rule
    /// it breaks, checked in this order: the operands' decisions, the mapping, blocked layouts, the tiles,
    /// the window, the loop orders, the DMA levels, the split, the LDM budget, the output margins, the group memory (an
    /// operand in place to keep there), the input margins.
    /// </summary>
    public static LoopPlan? TryCreate(OperatorSpec spec, ImplicitGemmSchedule schedule, TargetLimits limits, out ScheduleException? error)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(limits);
        error = OperandsError(schedule);
        if (error is not null)
        {
            return null;
        }

        AxisMerge? merge = null;
        if (!schedule.MergedAxes.IsEmpty && (merge = AxisMerge.TryCreate(spec, schedule.MergedAxes, limits.CoreGroups, out var mergeError, schedule.TileM)) is null)
        {
            error = new ScheduleException(ScheduleDiagnostics.IllegalMerge, nameof(ImplicitGemmSchedule.MergedAxes), mergeError!);
            return null;
        }

        var view = merge?.View ?? spec;
        if (schedule.Mapping.Violation(view.Expression) is { } mappingError)
        {
            error = new ScheduleException(ScheduleDiagnostics.IllegalMapping, nameof(ImplicitGemmSchedule.Mapping), mappingError);
            return null;
        }

        if (merge is { IsFold: true } && schedule.Mapping.M != merge.Merged.Name)
        {
            error = new ScheduleException(ScheduleDiagnostics.IllegalMerge, nameof(ImplicitGemmSchedule.Mapping),
                $"MergedAxes = [{string.Join(", ", schedule.MergedAxes)}] folds {merge.Inner.Name} into {merge.Outer.Name} in blocks of {merge.Factor}, which needs M = {merge.Merged.Name} (its operands then keep the folded axis innermost, as the framework tensor's blocked layout holds it), not {schedule.Mapping}.");
            return null;
        }

        if (merge?.ImageRows?.Violation(schedule, merge.Merged.Name) is var (decision, message))
        {
            error = new ScheduleException(ScheduleDiagnostics.IllegalMerge, decision, message);
            return null;
        }

        var blockable = Blockable(view.Expression, schedule.Mapping, merge);
        if (schedule.BlockedLayouts && !blockable.Any(b => b))
        {
            error = new ScheduleException(ScheduleDiagnostics.IllegalBlocking, nameof(ImplicitGemmSchedule.BlockedLayouts),
                $"BlockedLayouts = true needs an operand whose GEMM axes each index one of its dimensions directly, and none of them merged; under mapping {schedule.Mapping} none has: {string.Join(", ", schedule.Mapping.OperandsOf(view.Expression).Select((a, i) => $"{Label(ImplicitGemmSchedule.Roles[i])} {a}"))}.");
            return null;
        }

        if (schedule.OutputMargins is { } merged && merge is { IsFold: false } && !merge.TakesMargins(merged, spec.Expression.Output.Tensor.Name))
        {
            error = new ScheduleException(ScheduleDiagnostics.IllegalMargins, nameof(ImplicitGemmSchedule.OutputMargins),
                $"OutputMargins = {schedule.OutputMargins} needs the output's own dimensions, but the schedule merges [{string.Join(", ", schedule.MergedAxes)}] into one dimension to read and write them in place (a fold of the batch into the columns takes margins; a merge of two dimensions takes them only on the dimensions it does not merge; image rows take none).");
            return null;
        }

        if (schedule.InputMargins is not null && merge is not null)
        {
            error = new ScheduleException(ScheduleDiagnostics.IllegalMargins, nameof(ImplicitGemmSchedule.InputMargins),
                $"InputMargins = {schedule.InputMargins} needs the input's own dimensions, but the schedule merges [{string.Join(", ", schedule.MergedAxes)}] to read and write them in place.");
            return null;
        }

        var nest = LoopNest.Create(view, schedule, out error);
        var plan = nest is null ? null : Place(spec, merge, schedule, limits, nest, [.. blockable.Select(b => b && schedule.BlockedLayouts)], explain: true, out error);
        if (plan is not null && schedule.OutputMargins is { } margins
            && margins.Violation(spec.Expression.Output.Tensor, plan.FrameworkLayout(OperandLayouts.Unwidened(plan, plan.Output)), plan.DistributionOf(spec.Expression.Output.Tensor)) is { } marginsError)
        {
            error = marginsError;
            return null;
        }

        if (plan is not null && schedule.GroupMemory && !OperandLayouts.KeepsInPlace(plan))
        {
            error = new ScheduleException(ScheduleDiagnostics.IllegalGroupMemory, nameof(ImplicitGemmSchedule.GroupMemory),
                $"GroupMemory = true keeps the operands the kernel reads or writes in place row-major in the core groups' own memories instead, but the schedule {schedule} reads and writes none of A, B and the output in place: it keeps them in [{string.Join(", ", plan.Operands.Select(o => $"{Label(o.Role)} {plan.FrameworkLayout(OperandLayouts.For(plan, o))}"))}], layouts of its own, already in each group's memory.");
            return null;
        }

        if (plan is not null && schedule.InputMargins is { } wider
            && wider.Violation(spec, () => OperandLayouts.Unwidened(plan, plan.Inputs.First(o => o.Access.Tensor.Name == wider.Tensor)), () => plan.DistributionOf(spec.Expression.Inputs.First(i => i.Tensor.Name == wider.Tensor).Tensor)) is { } widerError)
        {
            error = widerError;
            return null;
        }

        return plan;
    }

    /// <summary>
    /// The plan of <paramref name="schedule"/>, a schedule with this plan's mapping, tiles, window and loop
    /// orders (only its levels, buffering and split differ), under <paramref name="limits"/>: the loops are
    /// this plan's, the rest is checked as <see cref="TryCreate"/> checks it. Null when a rule is broken (which rule is
    /// not worked out: the space asks this of every split and buffering it tries, most of which do not fit).
    /// </summary>
    /// <remarks>
    /// Where the tensors lie depends on the loops, the tiles, the blocking and the split, not on the levels or the
    /// buffering: the plans placed for one split share their <see cref="Placements"/>, worked out once. A plan that
    /// places others is used by one thread at a time, as the space's enumeration uses its probes.
    /// </remarks>
    internal LoopPlan? WithPlacement(ImplicitGemmSchedule schedule, TargetLimits limits)
    {
        var split = (schedule.CoreGroups, schedule.SplitAxis);
        _splits ??= [];
        if (!_splits.TryGetValue(split, out var placed))
        {
            placed = (Nest.WithSplit(schedule.CoreGroups, schedule.SplitAxis), null);
        }

        if (_blocked.IsDefault)
        {
            _blocked = [.. Operands.Select(o => o.Blocked)];
        }

        var plan = Place(Operator, Merge, schedule, limits, placed.Nest, _blocked, explain: false, out _);
        if (plan is not null)
        {
            plan._placedLike = placed.First;
            placed.First ??= plan;
        }

        _splits[split] = placed;
        return plan;
    }

    /// <summary>
    /// This plan with operand i of <see cref="Operands"/> double-buffered when <paramref name="doubleBuffers"/>[i]
    /// holds, or null when its buffers then do not fit the LDM: nothing else of a plan depends on them, so
    /// nothing else is checked again.
    /// </summary>
    internal LoopPlan? WithBuffering(IReadOnlyList<bool> doubleBuffers)
    {
        var decisions = ImmutableArray.CreateBuilder<OperandSchedule>(Operands.Length);
        var operands = ImmutableArray.CreateBuilder<PlannedOperand>(Operands.Length);
        for (var i = 0; i < Operands.Length; i++)
        {
            decisions.Add(Schedule.Operands[i] with { DoubleBuffer = doubleBuffers[i] });
            operands.Add(Operands[i] with { DoubleBuffer = doubleBuffers[i] });
        }

        // Buffering moves no tensor: the placements are this plan's.
        var plan = new LoopPlan(Operator, Merge, Schedule with { Operands = decisions.MoveToImmutable() }, Limits, Nest, operands.MoveToImmutable(), HoistedPositions)
        {
            _placements = _placements,
            _placedLike = _placements.IsDefault ? this : null,
        };
        return plan.LdmBytes <= Limits.LdmBudgetBytes ? plan : null;
    }

    /// <inheritdoc/>
    /// <remarks>In the order of <see cref="KernelOperands"/> (the inputs, the epilogue's, then the output); worked out on first use and kept, as a cost model reads them for the kernel and its layout steps.</remarks>
    public override ImmutableArray<TensorPlacement> Placements => _placements.IsDefault ? _placements = _placedLike?.Placements ?? [.. KernelOperands.Select(PlacementOf)] : _placements;

    /// <summary>Where the kernel of this plan keeps <paramref name="operand"/>: the layout <see cref="OperandLayouts"/> chooses for it and its distribution over the core groups.</summary>
    public TensorPlacement PlacementOf(PlannedOperand operand)
    {
        ArgumentNullException.ThrowIfNull(operand);
        return new TensorPlacement(LayoutOf(operand), ViewDistributionOf(operand.Access.Tensor));
    }

    /// <summary>
    /// The layout of <paramref name="operand"/> over its framework tensor (<see cref="OperandLayouts"/>'s, given back
    /// over the framework tensor when <see cref="View"/> merges its dimensions: the same bytes; under
    /// <see cref="ImplicitGemmSchedule.GroupMemory"/>, an operand in place kept row-major in the core groups' own memories).
    /// </summary>
    public TensorLayout LayoutOf(PlannedOperand operand)
    {
        ArgumentNullException.ThrowIfNull(operand);
        return OperandLayouts.Placed(this, operand);
    }

    /// <summary><paramref name="layout"/>, a layout of a tensor of <see cref="View"/>, over its framework tensor: the same bytes.</summary>
    internal TensorLayout FrameworkLayout(TensorLayout layout) =>
        Merge is null ? layout : Merge.ToFramework(layout) ?? throw new InvalidOperationException($"The layout {layout} pads or blocks a merged dimension; the plan's checks leave no such layout.");

    /// <inheritdoc/>
    public override Distribution DistributionOf(TensorDeclaration tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return Merge is null ? base.DistributionOf(tensor) : ViewDistributionOf(View.Expression.Tensors.Concat(View.EpilogueInputs.Select(a => a.Tensor)).First(t => t.Name == tensor.Name));
    }

    /// <summary>The distribution of <paramref name="viewTensor"/>, a tensor of <see cref="View"/>, over its framework tensor.</summary>
    private Distribution ViewDistributionOf(TensorDeclaration viewTensor)
    {
        var distribution = DistributionIn(View.Expression, viewTensor);
        return Merge is null ? distribution : Merge.ToFramework(distribution, viewTensor)
            ?? throw new InvalidOperationException($"The distribution {distribution} splits a merged dimension in part of a row; the plan's checks leave no such split.");
    }

    /// <summary>Why this plan breaks <paramref name="constraints"/> (the first operand whose placement differs), or null when it keeps them.</summary>
    public ScheduleException? PlacementError(PlacementConstraints constraints)
    {
        ArgumentNullException.ThrowIfNull(constraints);
        foreach (var operand in constraints.IsEmpty ? [] : Operands.Where(o => constraints.Constrains(o.Access.Tensor.Name)))
        {
            if (constraints.Violation(operand.Access.Tensor.Name, PlacementOf(operand)) is { } violation)
            {
                return new ScheduleException(ScheduleDiagnostics.PlacementMismatch, "placement", $"The schedule {Schedule} breaks a placement constraint: {violation}.");
            }
        }

        return null;
    }

    /// <summary>The schedule's name for a loop: the unit of the index or reduction order it belongs to.</summary>
    public string UnitOf(PlannedLoop loop) => Nest.UnitOf(loop);

    /// <summary>Whether <paramref name="operand"/>'s data changes along reduction loop <paramref name="loop"/>.</summary>
    public bool DependsOn(TensorAccess operand, PlannedLoop loop) => Nest.DependsOn(operand, loop);

    /// <summary>Iterations of <paramref name="loop"/> in one core group: <see cref="SplitChunk"/> for the split loop.</summary>
    public long TripsOf(PlannedLoop loop) => Nest.TripsOf(loop);

    /// <summary>
    /// Whether the DMA group of input <paramref name="operand"/> has a next iteration to prefetch: whether
    /// hoisting leaves it inside a loop of more than one iteration (or the split loop). When it does not, it
    /// runs once, and a second buffer would only hold LDM.
    /// </summary>
    public bool CanPrefetch(PlannedOperand operand)
    {
        ArgumentNullException.ThrowIfNull(operand);
        var position = HoistedPositions[ImplicitGemmSchedule.Roles.IndexOf(operand.Role)];
        return Loops.Take(position + 1).Any(Nest.Binds);
    }

    /// <inheritdoc/>
    public override TResult Accept<TResult>(ISchedulePlanVisitor<TResult> visitor)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        return visitor.VisitImplicitGemm(this);
    }

    /// <summary>
    /// Which operands of <paramref name="expression"/> under <paramref name="mapping"/> can be kept in a
    /// blocked layout, in the order of <see cref="ImplicitGemmSchedule.Roles"/>: those with a plain dimension
    /// (<see cref="PlainDimension.Of"/>) for each of their GEMM axes.
    /// </summary>
    internal static ImmutableArray<bool> Blockable(Contraction expression, GemmMapping mapping, AxisMerge? merge)
    {
        Axis m = expression.Axis(mapping.M), n = expression.Axis(mapping.N), k = expression.Axis(mapping.K);
        bool Plain(TensorAccess access, Axis axis) => PlainDimension.Of(access, axis) >= 0 && axis != merge?.Merged;
        return [.. mapping.OperandsOf(expression).Select((access, i) => GemmAxesOf(ImplicitGemmSchedule.Roles[i], m, n, k) is var (rows, columns)
            && Plain(access, rows) && Plain(access, columns))];
    }

    /// <summary>The GEMM axes of an operand's rows and columns: M x K for A, K x N for B, M x N for the output.</summary>
    private static (Axis Rows, Axis Columns) GemmAxesOf(OperandRole role, Axis m, Axis n, Axis k) => role switch
    {
        OperandRole.A => (m, k),
        OperandRole.B => (k, n),
        _ => (m, n),
    };

    /// <summary>A role's name in messages: A, B, output.</summary>
    internal static string Label(OperandRole role) => role is OperandRole.A or OperandRole.B ? role.ToString() : role.ToString().ToLowerInvariant();

    /// <summary>
    /// The plan of <paramref name="schedule"/> over <paramref name="nest"/>, operand i blocked when
    /// <paramref name="blocked"/>[i] holds: the operands at their levels, the split and the LDM checked. When a rule is
    /// broken, the plan is null and <paramref name="error"/> says which, if <paramref name="explain"/> asks for it (null otherwise).
    /// </summary>
    private static LoopPlan? Place(OperatorSpec spec, AxisMerge? merge, ImplicitGemmSchedule schedule, TargetLimits limits, LoopNest nest, ImmutableArray<bool> blocked, bool explain, out ScheduleException? error)
    {
        error = null;
        var view = merge?.View ?? spec;
        var operands = ImmutableArray.CreateBuilder<PlannedOperand>(ImplicitGemmSchedule.Roles.Length);
        for (var i = 0; i < ImplicitGemmSchedule.Roles.Length; i++)
        {
            var role = ImplicitGemmSchedule.Roles[i];
            var decision = schedule.Operand(role);
            var access = role == OperandRole.Output ? view.Expression.Output : nest.Inputs[i];
            var covered = role == OperandRole.Output ? ImmutableArray<PlannedLoop>.Empty : Covered(nest, decision.Level, access, role, out error);
            if (covered.IsDefault)
            {
                return null;
            }

            var (rows, columns) = GemmAxesOf(role, nest.M, nest.N, nest.K);
            var slots = 1L;
            foreach (var loop in covered)
            {
                slots *= loop.Extent;
            }

            var (buffer, reply) = Names[i];
            operands.Add(new PlannedOperand(role, access, rows, columns, buffer, reply, decision.Level, decision.DoubleBuffer, blocked[i], covered,
                (long)Tile(schedule, rows, nest) / Mesh * (Tile(schedule, columns, nest) / Mesh), role == OperandRole.Output ? schedule.Window : slots));
        }

        if (nest.SplitProblemWith(limits) is not LoopNest.SplitProblem.None)
        {
            error = explain ? nest.SplitError(limits) : null;
            return null;
        }

        var plan = new LoopPlan(spec, merge, schedule, limits, nest, operands.MoveToImmutable());
        if (merge is not null && plan.SplitLoop?.Axis == merge.Merged.Name && merge.ToFramework(plan.DistributionIn(view.Expression, view.Expression.Output.Tensor), view.Expression.Output.Tensor) is null)
        {
            error = !explain ? null : new ScheduleException(ScheduleDiagnostics.IllegalMerge, nameof(ImplicitGemmSchedule.SplitAxis),
                $"SplitAxis = {schedule.SplitAxis} gives each core group {plan.SplitChunk} x {plan.SplitLoop.Step} positions of the merged axis {merge.Merged.Name}, not whole rows of its inner axis {merge.Inner.Name} ({merge.Inner.Extent} positions): the framework tensor's layout could not say which group holds an element.");
            return null;
        }

        if (plan.LdmBytes > limits.LdmBudgetBytes)
        {
            error = explain ? LdmAccount.Overflow(plan) : null;
            return null;
        }

        return plan;
    }

    /// <summary>The planned operands of <paramref name="view"/>'s epilogue (see <see cref="EpilogueOperands"/>).</summary>
    private static ImmutableArray<PlannedOperand> PlanEpilogue(OperatorSpec view, ImplicitGemmSchedule schedule, LoopNest nest, PlannedOperand output)
    {
        var operands = ImmutableArray.CreateBuilder<PlannedOperand>(view.EpilogueInputs.Length);
        foreach (var access in view.EpilogueInputs)
        {
            if (access.Tensor.Name == BiasStep.Name)
            {
                var axis = access.DependsOn(nest.M) ? nest.M : access.DependsOn(nest.N) ? nest.N : null;
                var elements = axis is null ? 1L : Tile(schedule, axis, nest) / Mesh;
                operands.Add(new PlannedOperand(OperandRole.Bias, access, axis ?? nest.M, axis ?? nest.N, "ldm_bias", "reply_bias", null, false, false, [], elements, 1));
            }
            else
            {
                operands.Add(output with { Role = OperandRole.Residual, Access = access, Buffer = "ldm_r", Reply = "reply_r", DoubleBuffer = false });
            }
        }

        return operands.MoveToImmutable();
    }

    /// <summary>The LDM buffer and reply word of each operand, in the order of <see cref="ImplicitGemmSchedule.Roles"/>.</summary>
    private static readonly (string Buffer, string Reply)[] Names = [("ldm_a", "reply_a"), ("ldm_b", "reply_b"), ("ldm_c", "reply_c")];

    /// <summary>The whole-mesh tile of GEMM axis <paramref name="axis"/> of <paramref name="nest"/>.</summary>
    private static int Tile(ImplicitGemmSchedule schedule, Axis axis, LoopNest nest) => axis == nest.M ? schedule.TileM : axis == nest.N ? schedule.TileN : schedule.TileK;

    /// <summary>The loops inside <paramref name="level"/> that <paramref name="operand"/> depends on, or default with the <paramref name="error"/> when the level names no reduction loop.</summary>
    private static ImmutableArray<PlannedLoop> Covered(LoopNest nest, string? level, TensorAccess operand, OperandRole role, out ScheduleException? error)
    {
        error = null;
        var start = 0;
        if (level is not null)
        {
            var position = nest.ReductionPosition(level);
            if (position < 0)
            {
                error = new ScheduleException(ScheduleDiagnostics.IllegalDmaLevel, $"{nameof(ImplicitGemmSchedule.Operands)}[{role}].{nameof(OperandSchedule.Level)}",
                    $"The level of operand {role}, '{level}', names no reduction loop; the loops are [{string.Join(", ", nest.ReductionLoops.Select(l => l.Var))}], or null for before them all.");
                return default;
            }

            start = position + 1;
        }

        var covered = ImmutableArray.CreateBuilder<PlannedLoop>(nest.ReductionLoops.Length - start);
        for (var i = start; i < nest.ReductionLoops.Length; i++)
        {
            if (nest.DependsOn(operand, nest.ReductionLoops[i]))
            {
                covered.Add(nest.ReductionLoops[i]);
            }
        }

        return covered.DrainToImmutable();
    }

    /// <summary>Why the operands' decisions are not one for each role, or an output with a level; null when they are fine.</summary>
    private static ScheduleException? OperandsError(ImplicitGemmSchedule schedule)
    {
        var operands = schedule.Operands;
        var roles = operands.IsDefault ? [] : operands.Select(o => o.Role).ToList();
        if (!roles.SequenceEqual(ImplicitGemmSchedule.Roles))
        {
            return new ScheduleException(ScheduleDiagnostics.IllegalOperands, nameof(ImplicitGemmSchedule.Operands),
                $"Operands = [{(operands.IsDefault ? "" : string.Join(", ", operands))}] must hold decisions for each of {string.Join(", ", ImplicitGemmSchedule.Roles)} exactly once.");
        }

        var output = schedule.Operand(OperandRole.Output);
        return output.Level is null ? null
            : new ScheduleException(ScheduleDiagnostics.IllegalOperands, nameof(ImplicitGemmSchedule.Operands),
                $"The output's level is '{output.Level}'; it must be null: the output tiles stay in LDM across every reduction loop and are put after them.");
    }
}
