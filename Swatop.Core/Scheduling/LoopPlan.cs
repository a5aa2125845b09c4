using System.Collections.Immutable;
using System.Globalization;
using Swatop.Primitives;

namespace Swatop.Core.Scheduling;

/// <summary>
/// A schedule checked against its operator and target and unfolded into the facts lowering and
/// cost models need: which operand is the GEMM's A and which its B, the loops outermost first with
/// their trip counts, the window, the loops each operand's LDM buffer covers, the buffer sizes.
/// </summary>
public sealed class LoopPlan
{
    private const int Mesh = MeshGemmRules.MeshSize;

    /// <summary>Where hoisting leaves the DMA groups: computed once a plan is valid, so a plan shared by threads is only read.</summary>
    private (int A, int B) _hoisted;

    /// <summary>Which operands have a plain dimension for each of their GEMM axes: A, B, the output.</summary>
    private readonly (bool A, bool B, bool C) _blockable;

    private LoopPlan(OperatorSpec spec, Schedule schedule, TargetLimits limits)
    {
        Operator = spec;
        Schedule = schedule;
        Limits = limits;
        var expression = spec.Expression;
        M = expression.Axis(schedule.Mapping.M);
        N = expression.Axis(schedule.Mapping.N);
        K = expression.Axis(schedule.Mapping.K);
        (AIsLeft, A, B) = Operands(expression, M);
        _blockable = Blockable(expression, schedule.Mapping);
    }

    /// <summary>The operator.</summary>
    public OperatorSpec Operator { get; }

    /// <summary>The schedule.</summary>
    public Schedule Schedule { get; private set; }

    /// <summary>The target's limits the plan was checked against.</summary>
    public TargetLimits Limits { get; private set; }

    /// <summary>The GEMM's M, N and K axes.</summary>
    public Axis M { get; }

    /// <inheritdoc cref="M"/>
    public Axis N { get; }

    /// <inheritdoc cref="M"/>
    public Axis K { get; }

    /// <summary>Whether the contraction's left operand is the GEMM's A.</summary>
    public bool AIsLeft { get; }

    /// <summary>The GEMM's A operand (M x K).</summary>
    public TensorAccess A { get; }

    /// <summary>The GEMM's B operand (K x N).</summary>
    public TensorAccess B { get; }

    /// <summary>Whether the host packs A in a blocked layout (<see cref="Schedule.BlockedLayouts"/>): each CPE's M x K block one run.</summary>
    public bool BlockedA => Schedule.BlockedLayouts && _blockable.A;

    /// <summary>Whether the host packs B in a blocked layout: each CPE's K x N block one run.</summary>
    public bool BlockedB => Schedule.BlockedLayouts && _blockable.B;

    /// <summary>Whether the output is kept in a blocked layout: each CPE's M x N block one run.</summary>
    public bool BlockedC => Schedule.BlockedLayouts && _blockable.C;

    /// <summary>Whether blocked layouts apply to some operand of this mapping, so that <see cref="Schedule.BlockedLayouts"/> changes the kernel.</summary>
    public bool CanBlockLayouts => _blockable.A || _blockable.B || _blockable.C;

    /// <summary>
    /// Whether the GEMM runs the border tiles of <paramref name="axis"/> (M, N or K) at full tile size:
    /// a blocked operand reads it, and its layout holds whole tiles. Otherwise a border tile's call
    /// shrinks to its valid extent, padded to the primitive's quantum.
    /// </summary>
    public bool RunsWholeTiles(Axis axis) =>
        (BlockedA && (axis == M || axis == K)) || (BlockedB && (axis == K || axis == N)) || (BlockedC && (axis == M || axis == N));

    /// <summary>The window, when the schedule has one.</summary>
    public WindowPlan? Window { get; private set; }

    /// <summary>The index loops, outermost first.</summary>
    public ImmutableArray<PlannedLoop> IndexLoops { get; private set; }

    /// <summary>The reduction loops, outermost first (a window's tap unit is two loops).</summary>
    public ImmutableArray<PlannedLoop> ReductionLoops { get; private set; }

    /// <summary>The reduction loops inside A's DMA level that A depends on: its buffer holds one block per combination.</summary>
    public ImmutableArray<PlannedLoop> CoveredA { get; private set; }

    /// <summary>The reduction loops inside B's DMA level that B depends on.</summary>
    public ImmutableArray<PlannedLoop> CoveredB { get; private set; }

    /// <summary>Elements of one CPE's A block of a full tile.</summary>
    public long BlockA => (long)Schedule.TileM / Mesh * (Schedule.TileK / Mesh);

    /// <summary>Elements of one CPE's B block of a full tile.</summary>
    public long BlockB => (long)Schedule.TileK / Mesh * (Schedule.TileN / Mesh);

    /// <summary>Elements of one CPE's C block of a full tile.</summary>
    public long BlockC => (long)Schedule.TileM / Mesh * (Schedule.TileN / Mesh);

    /// <summary>Elements of A's LDM buffer (one copy).</summary>
    public long BufferA => BlockA * Slots(CoveredA);

    /// <summary>Elements of B's LDM buffer (one copy).</summary>
    public long BufferB => BlockB * Slots(CoveredB);

    /// <summary>Elements of the output buffer: one C block per output tile of the window.</summary>
    public long BufferC => BlockC * Schedule.Window;

    /// <summary>Elements of the mesh GEMM's workspace for a full tile (<see cref="MeshGemmWorkspace"/>): the streamed panels, and C in double for float.</summary>
    public long BufferWork => MeshGemmWorkspace.Elements(Schedule.TileM / Mesh, Schedule.TileN / Mesh, Schedule.TileK / Mesh, Operator.ElementType);

    /// <summary>Bytes of one element.</summary>
    public int ElementBytes => Operator.ElementType == ElementType.Float32 ? sizeof(float) : sizeof(double);

    /// <summary>LDM bytes per CPE the buffers take, each aligned, double buffers counted twice.</summary>
    public long LdmBytes =>
        Align(BufferA * ElementBytes * (Schedule.DoubleBufferA ? 2 : 1)) + Align(BufferB * ElementBytes * (Schedule.DoubleBufferB ? 2 : 1))
        + Align(BufferC * ElementBytes * (Schedule.DoubleBufferC ? 2 : 1)) + Align(BufferWork * ElementBytes);

    /// <summary>The loop the core groups split, or <see langword="null"/>.</summary>
    public PlannedLoop? SplitLoop => Schedule.SplitAxis is null ? null : IndexLoops.First(l => UnitOf(l) == Schedule.SplitAxis);

    /// <summary>Iterations of <see cref="SplitLoop"/> per core group (the last may get fewer).</summary>
    public long SplitChunk => SplitLoop is { } loop ? (loop.Extent + Schedule.CoreGroups - 1) / Schedule.CoreGroups : 0;

    /// <summary>
    /// Whether every core group's share of the split loop is alike: as many iterations each, and no
    /// border tile or partial band among them. Shares are otherwise alike but for the last group's,
    /// which holds the loop's last iteration, the only one that can be a border tile or a partial
    /// band, and which may be shorter. Groups with alike shares run the same loop trips, conditions
    /// and transfer and GEMM sizes, at other addresses: the same kernel in time.
    /// </summary>
    public bool SplitSharesAlike
    {
        get
        {
            if (SplitLoop is not { } loop)
            {
                return true;
            }

            var lastShare = loop.Extent - ((Schedule.CoreGroups - 1) * SplitChunk);
            var lastIsPartial = loop.Role is LoopRole.Tile or LoopRole.Band && Operator.Expression.Axis(loop.Axis).Extent % loop.Step != 0;
            return lastShare == SplitChunk && !lastIsPartial;
        }
    }

    /// <summary>Checks <paramref name="schedule"/> against <paramref name="spec"/> and <paramref name="limits"/> and unfolds it.</summary>
    /// <exception cref="ScheduleException">A decision breaks a rule; the message names the decision, its value and the rule.</exception>
    public static LoopPlan Create(OperatorSpec spec, Schedule schedule, TargetLimits limits) =>
        Build(spec, schedule, limits, out var error) ?? throw error!;

    private static LoopPlan? Build(OperatorSpec spec, Schedule schedule, TargetLimits limits, out ScheduleException? error)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(limits);
        if (schedule.Mapping.Violation(spec.Expression) is { } mappingError)
        {
            throw new ScheduleException(ScheduleDiagnostics.IllegalMapping, nameof(Schedule.Mapping), mappingError);
        }

        var plan = new LoopPlan(spec, schedule, limits);
        if (schedule.BlockedLayouts && !plan.CanBlockLayouts)
        {
            throw new ScheduleException(ScheduleDiagnostics.IllegalBlocking, nameof(Schedule.BlockedLayouts),
                $"BlockedLayouts = true needs an operand whose GEMM axes each index one of its dimensions directly; under mapping {schedule.Mapping} none has: A {plan.A}, B {plan.B}, output {spec.Expression.Output}.");
        }

        plan.CheckTiles();
        plan.Window = WindowPlan.Create(plan);
        plan.BuildLoops();
        plan.CoveredA = plan.Covered(schedule.LevelA, plan.A, nameof(Schedule.LevelA));
        plan.CoveredB = plan.Covered(schedule.LevelB, plan.B, nameof(Schedule.LevelB));
        error = plan.SplitError() ?? plan.LdmError();
        if (error is not null)
        {
            return null;
        }

        plan._hoisted = plan.Hoist();
        return plan;
    }

    private ScheduleException? LdmError() => LdmBytes <= Limits.LdmBudgetBytes ? null :
        new ScheduleException(ScheduleDiagnostics.LdmOverflow, "Tile", string.Create(CultureInfo.InvariantCulture,
            $"TileM = {Schedule.TileM}, TileN = {Schedule.TileN}, TileK = {Schedule.TileK} with Window = {Schedule.Window}, LevelA = {Quote(Schedule.LevelA)}, LevelB = {Quote(Schedule.LevelB)}, DoubleBufferA = {(Schedule.DoubleBufferA ? "true" : "false")}, DoubleBufferB = {(Schedule.DoubleBufferB ? "true" : "false")}, DoubleBufferC = {(Schedule.DoubleBufferC ? "true" : "false")}: the buffers need {LdmBytes} bytes of LDM a CPE (A {BufferA} x {(Schedule.DoubleBufferA ? 2 : 1)}, B {BufferB} x {(Schedule.DoubleBufferB ? 2 : 1)}, C {BufferC} x {(Schedule.DoubleBufferC ? 2 : 1)}, the mesh GEMM's workspace {BufferWork} elements of {ElementBytes} bytes) but the budget is {Limits.LdmBudgetBytes} bytes."));

    /// <summary>The schedule's name for a loop: the unit of <see cref="Schedule.IndexOrder"/> or <see cref="Schedule.ReductionOrder"/> it belongs to.</summary>
    public string UnitOf(PlannedLoop loop)
    {
        ArgumentNullException.ThrowIfNull(loop);
        return loop.Role == LoopRole.InputColumn ? Window!.Tap.Name : loop.Axis;
    }

    /// <summary>Whether <paramref name="operand"/>'s data changes along reduction loop <paramref name="loop"/>.</summary>
    public bool DependsOn(TensorAccess operand, PlannedLoop loop)
    {
        ArgumentNullException.ThrowIfNull(operand);
        ArgumentNullException.ThrowIfNull(loop);
        return loop.Role switch
        {
            LoopRole.InputColumn => ReferenceEquals(operand, Window!.Operand),
            LoopRole.Tap => Window!.ReadsTapElsewhere(operand),
            _ => GemmMapping.Reads(operand, Operator.Expression.Axis(loop.Axis)),
        };
    }

    /// <summary>The loops of the nest, outermost first: the index loops, then the reduction loops.</summary>
    public IEnumerable<PlannedLoop> Loops => IndexLoops.Concat(ReductionLoops);

    /// <summary>Iterations of <paramref name="loop"/> in one core group: <see cref="SplitChunk"/> for the split loop.</summary>
    public long TripsOf(PlannedLoop loop) => ReferenceEquals(loop, SplitLoop) ? SplitChunk : loop.Extent;

    /// <summary>
    /// Where hoisting leaves the DMA groups of A and B: the position in <see cref="Loops"/> of the
    /// innermost loop around each group, or -1 outside every loop. This is the rule of the hoist pass:
    /// from the innermost loop outwards, each group leading a loop's body leaves it when it does not
    /// depend on it, whether or not the group ahead of it stays (a loop of one iteration counts for
    /// nothing, but for the split loop). A group placed in a reduction
    /// loop lands, on leaving the outermost one, after the output fill and climbs no further; a group
    /// placed before the reduction loops (level null) leads the innermost index loop's body, A before B.
    /// </summary>
    public (int A, int B) HoistedPositions() => _hoisted;

    private (int A, int B) Hoist()
    {
        var loops = Loops.ToList();
        var indexCount = IndexLoops.Length;
        int Position(string? level) => level is null ? indexCount - 1 : indexCount + ReductionLoops.Select(l => l.Var).ToList().IndexOf(level);
        var leading = Enumerable.Range(0, loops.Count + 1).Select(_ => new List<bool>()).ToArray();
        leading[Position(Schedule.LevelA) + 1].Add(true);
        leading[Position(Schedule.LevelB) + 1].Add(false);
        var final = new Dictionary<bool, int> { [true] = -1, [false] = -1 };
        for (var j = loops.Count - 1; j >= 0; j--)
        {
            var groups = leading[j + 1];
            var moves = groups.Where(isA => !(Binds(loops[j]) && DependsOn(isA ? A : B, loops[j]))).ToList();
            foreach (var isA in groups.Except(moves))
            {
                final[isA] = j;
            }

            foreach (var isA in moves)
            {
                if (j == indexCount && indexCount > 0)
                {
                    final[isA] = indexCount - 1;
                }
                else
                {
                    leading[j].Add(isA);
                }
            }
        }

        return (final[true], final[false]);
    }

    /// <summary>
    /// Whether the DMA group of <paramref name="operand"/> (<see cref="A"/> or <see cref="B"/>) has a next
    /// iteration to prefetch: whether hoisting leaves it inside a loop of more than one iteration (or the
    /// split loop). When it does not, it runs once, and a second buffer would only hold LDM.
    /// </summary>
    public bool CanPrefetch(TensorAccess operand)
    {
        ArgumentNullException.ThrowIfNull(operand);
        var (a, b) = HoistedPositions();
        var position = ReferenceEquals(operand, A) ? a : b;
        return Loops.Take(position + 1).Any(Binds);
    }

    /// <summary>
    /// Whether the output tiles' puts have a next tile to overlap: whether the index loops, around
    /// them, run more than one tile on a core group. When they do not, a second output buffer would
    /// only hold LDM.
    /// </summary>
    public bool CanOverlapPuts => IndexLoops.Any(loop => TripsOf(loop) > 1);

    /// <summary>
    /// This plan with other double-buffering decisions, or null when its buffers then do not fit the
    /// LDM: nothing else of a plan depends on them, so nothing else is checked again.
    /// </summary>
    internal LoopPlan? WithBuffering(bool doubleBufferA, bool doubleBufferB, bool doubleBufferC)
    {
        var plan = (LoopPlan)MemberwiseClone();
        plan.Schedule = Schedule with { DoubleBufferA = doubleBufferA, DoubleBufferB = doubleBufferB, DoubleBufferC = doubleBufferC };
        return plan.LdmBytes <= Limits.LdmBudgetBytes ? plan : null;
    }

    /// <summary>
    /// The plan of <paramref name="schedule"/> under <paramref name="limits"/>, a schedule with this
    /// plan's mapping, tiles, window and loop orders (only its levels, buffering and split differ): the
    /// loops are this plan's, the rest is checked as <see cref="Create"/> checks it. Null when the split
    /// or the LDM budget is broken.
    /// </summary>
    /// <exception cref="ScheduleException">A DMA level names no reduction loop.</exception>
    internal LoopPlan? WithPlacement(Schedule schedule, TargetLimits limits)
    {
        var plan = (LoopPlan)MemberwiseClone();
        plan.Schedule = schedule;
        plan.Limits = limits;
        plan.CoveredA = plan.Covered(schedule.LevelA, A, nameof(Schedule.LevelA));
        plan.CoveredB = plan.Covered(schedule.LevelB, B, nameof(Schedule.LevelB));
        if (plan.SplitError() is not null || plan.LdmBytes > limits.LdmBudgetBytes)
        {
            return null;
        }

        plan._hoisted = plan.Hoist();
        return plan;
    }

    /// <summary>Whether a group that depends on <paramref name="loop"/> stays inside it: the loop runs more than once, or it is the split loop, whose variable the kernel computes from the core group.</summary>
    private bool Binds(PlannedLoop loop) => TripsOf(loop) > 1 || ReferenceEquals(loop, SplitLoop);

    /// <summary>The GEMM's A operand (the one that reads <paramref name="m"/>) and B, and whether A is the contraction's left operand.</summary>
    private static (bool AIsLeft, TensorAccess A, TensorAccess B) Operands(Contraction expression, Axis m) =>
        GemmMapping.Reads(expression.Left, m) ? (true, expression.Left, expression.Right) : (false, expression.Right, expression.Left);

    /// <summary>
    /// Which operands of <paramref name="expression"/> under <paramref name="mapping"/> can be kept in a
    /// blocked layout: those with a plain dimension (<see cref="TensorAccess.PlainDimensionOf"/>) for each of their GEMM axes.
    /// </summary>
    internal static (bool A, bool B, bool C) Blockable(Contraction expression, GemmMapping mapping)
    {
        Axis m = expression.Axis(mapping.M), n = expression.Axis(mapping.N), k = expression.Axis(mapping.K);
        var (_, a, b) = Operands(expression, m);
        static bool CanBlock(TensorAccess operand, Axis rows, Axis columns) => operand.PlainDimensionOf(rows) >= 0 && operand.PlainDimensionOf(columns) >= 0;
        return (CanBlock(a, m, k), CanBlock(b, k, n), CanBlock(expression.Output, m, n));
    }

    private static string Quote(string? level) => level is null ? "null" : $"'{level}'";

    private long Align(long bytes) => (bytes + Limits.LdmAlignmentBytes - 1) / Limits.LdmAlignmentBytes * Limits.LdmAlignmentBytes;

    private static long Slots(ImmutableArray<PlannedLoop> covered) => covered.Aggregate(1L, (product, loop) => product * loop.Extent);

    private void CheckTiles()
    {
        CheckTile(nameof(Schedule.TileM), Schedule.TileM, MeshGemmRules.MQuantum, MeshGemmRules.PaddedM(M.Extent), M);
        CheckTile(nameof(Schedule.TileN), Schedule.TileN, MeshGemmRules.NQuantum, MeshGemmRules.PaddedN(N.Extent), N);
        CheckTile(nameof(Schedule.TileK), Schedule.TileK, MeshGemmRules.KQuantum, MeshGemmRules.PaddedK(K.Extent), K);
    }

    private static void CheckTile(string decision, int tile, int quantum, int padded, Axis axis)
    {
        if (tile <= 0 || tile % quantum != 0 || tile > padded)
        {
            throw new ScheduleException(ScheduleDiagnostics.IllegalTile, decision, string.Create(CultureInfo.InvariantCulture,
                $"{decision} = {tile} must be a positive multiple of {quantum} (the mesh GEMM's rule) and at most {padded}, axis '{axis.Name}' ({axis.Extent}) padded to {quantum}."));
        }
    }

    private void BuildLoops()
    {
        var expression = Operator.Expression;
        var window = Window;
        var index = new Dictionary<string, PlannedLoop>(StringComparer.Ordinal);
        foreach (var axis in expression.IndexAxes)
        {
            index[axis.Name] = axis == M ? Tile(M, Schedule.TileM)
                : axis == N ? Tile(N, Schedule.TileN)
                : window is not null && axis == window.Output ? new PlannedLoop($"{axis.Name}_band", axis.Name, LoopRole.Band, Ceiling(axis.Extent, Schedule.Window), Schedule.Window)
                : new PlannedLoop(axis.Name, axis.Name, LoopRole.Axis, axis.Extent, 1);
        }

        var reduction = new Dictionary<string, PlannedLoop[]>(StringComparer.Ordinal);
        foreach (var axis in expression.ReductionAxes)
        {
            reduction[axis.Name] = axis == K ? [Tile(K, Schedule.TileK)]
                : window is not null && axis == window.Tap ?
                    [new PlannedLoop($"{window.Output.Name}_in", window.Output.Name, LoopRole.InputColumn, window.InputColumns, 1),
                     new PlannedLoop(axis.Name, axis.Name, LoopRole.Tap, axis.Extent, 1)]
                : [new PlannedLoop(axis.Name, axis.Name, LoopRole.Axis, axis.Extent, 1)];
        }

        IndexLoops = [.. Order(Schedule.IndexOrder, index, nameof(Schedule.IndexOrder))];
        ReductionLoops = [.. Order(Schedule.ReductionOrder, reduction, nameof(Schedule.ReductionOrder)).SelectMany(loops => loops)];
    }

    private static PlannedLoop Tile(Axis axis, int tile) => new($"{axis.Name}_t", axis.Name, LoopRole.Tile, Ceiling(axis.Extent, tile), tile);

    private static IEnumerable<T> Order<T>(ImmutableArray<string> order, Dictionary<string, T> units, string decision)
    {
        if (order.IsDefault || order.Length != units.Count || order.Distinct(StringComparer.Ordinal).Count() != units.Count || order.Any(u => !units.ContainsKey(u)))
        {
            throw new ScheduleException(ScheduleDiagnostics.IllegalLoopOrder, decision,
                $"{decision} = [{(order.IsDefault ? "" : string.Join(", ", order))}] must name each of [{string.Join(", ", units.Keys)}] exactly once.");
        }

        return order.Select(u => units[u]);
    }

    private ImmutableArray<PlannedLoop> Covered(string? level, TensorAccess operand, string decision)
    {
        var start = 0;
        if (level is not null)
        {
            var position = ReductionLoops.Select(l => l.Var).ToList().IndexOf(level);
            if (position < 0)
            {
                throw new ScheduleException(ScheduleDiagnostics.IllegalDmaLevel, decision,
                    $"{decision} = '{level}' names no reduction loop; the loops are [{string.Join(", ", ReductionLoops.Select(l => l.Var))}], or null for before them all.");
            }

            start = position + 1;
        }

        return [.. ReductionLoops.Skip(start).Where(loop => DependsOn(operand, loop))];
    }

    private ScheduleException? SplitError()
    {
        var groups = Schedule.CoreGroups;
        if (groups < 1 || groups > Limits.CoreGroups)
        {
            return new ScheduleException(ScheduleDiagnostics.IllegalSplit, nameof(Schedule.CoreGroups),
                string.Create(CultureInfo.InvariantCulture, $"CoreGroups = {groups} must be between 1 and the target's {Limits.CoreGroups}."));
        }

        if (groups == 1)
        {
            return Schedule.SplitAxis is null ? null
                : new ScheduleException(ScheduleDiagnostics.IllegalSplit, nameof(Schedule.SplitAxis), $"SplitAxis = '{Schedule.SplitAxis}' needs CoreGroups above 1.");
        }

        if (Schedule.SplitAxis is null || !Schedule.IndexOrder.Contains(Schedule.SplitAxis))
        {
            return new ScheduleException(ScheduleDiagnostics.IllegalSplit, nameof(Schedule.SplitAxis),
                $"SplitAxis = '{Schedule.SplitAxis ?? "null"}' must name one of the index loops [{string.Join(", ", Schedule.IndexOrder)}] when {groups} core groups share the work.");
        }

        var extent = SplitLoop!.Extent;
        if ((groups - 1) * Ceiling(extent, groups) >= extent)
        {
            return new ScheduleException(ScheduleDiagnostics.IllegalSplit, nameof(Schedule.CoreGroups), string.Create(CultureInfo.InvariantCulture,
                $"CoreGroups = {groups} leaves a core group without work: loop '{SplitLoop.Var}' has {extent} iterations, split in parts of {Ceiling(extent, groups)}."));
        }

        return null;
    }

    internal static long Ceiling(long value, long divisor) => (value + divisor - 1) / divisor;
}
