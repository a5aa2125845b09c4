using System.Collections.Immutable;
using System.Globalization;
using Swatop.Core.Scheduling;
using Swatop.Primitives;

namespace Swatop.Core.Algorithms.ImplicitGemm;

/// <summary>
/// The loop nest a schedule's shape, orders and split unfold to: the GEMM's M, N and K axes, the window,
/// the index and reduction loops outermost first with their trip counts, what each operand reads, and the
/// core groups' shares of the split loop. Knows nothing of DMA levels, buffering or LDM; immutable.
/// </summary>
public sealed class LoopNest
{
    /// <summary>Per loop of <see cref="Loops"/>, a bit for each of <see cref="Inputs"/> that reads it; worked out on first use.</summary>
    private ImmutableArray<int> _reads;

    private LoopNest(OperatorSpec spec, ImplicitGemmSchedule schedule, Axis m, Axis n, Axis k)
    {
        Operator = spec;
        M = m;
        N = n;
        K = k;
        Inputs = [.. schedule.Mapping.OperandsOf(spec.Expression).SkipLast(1)];
        CoreGroups = schedule.CoreGroups;
        SplitAxis = schedule.SplitAxis;
    }

    /// <summary>The operator.</summary>
    public OperatorSpec Operator { get; }

    /// <summary>The GEMM's M, N and K axes.</summary>
    public Axis M { get; }

    /// <inheritdoc cref="M"/>
    public Axis N { get; }

    /// <inheritdoc cref="M"/>
    public Axis K { get; }

    /// <summary>The GEMM's inputs: A, the operand that reads M (M x K), then B (K x N).</summary>
    public ImmutableArray<TensorAccess> Inputs { get; }

    /// <summary>The window, when the schedule has one.</summary>
    public WindowPlan? Window { get; private init; }

    /// <summary>The index loops, outermost first.</summary>
    public ImmutableArray<PlannedLoop> IndexLoops { get; private init; }

    /// <summary>The reduction loops, outermost first (a window's tap unit is two loops).</summary>
    public ImmutableArray<PlannedLoop> ReductionLoops { get; private init; }

    /// <summary>The loops of the nest, outermost first: the index loops, then the reduction loops.</summary>
    public IEnumerable<PlannedLoop> Loops => IndexLoops.Concat(ReductionLoops);

    /// <summary>Core groups that share the work.</summary>
    public int CoreGroups { get; private init; }

    /// <summary>The unit of the index order the core groups split, or <see langword="null"/>.</summary>
    public string? SplitAxis { get; private init; }

    /// <summary>The loop the core groups split, or <see langword="null"/>.</summary>
    public PlannedLoop? SplitLoop { get; private init; }

    /// <summary>Iterations of <see cref="SplitLoop"/> per core group (the last may get fewer).</summary>
    public long SplitChunk => SplitLoop is { } loop ? Ceiling(loop.Extent, CoreGroups) : 0;

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

            var lastShare = loop.Extent - ((CoreGroups - 1) * SplitChunk);
            var lastIsPartial = loop.Role is LoopRole.Tile or LoopRole.Band && Operator.Expression.Axis(loop.Axis).Extent % loop.Step != 0;
            return lastShare == SplitChunk && !lastIsPartial;
        }
    }

    /// <summary>
    /// The nest of <paramref name="schedule"/>'s tiles, window, orders and split under its mapping (which
    /// must be one of the operator's), or null with the <paramref name="error"/> of the first rule broken,
    /// checked in this order: the tiles, the window, the loop orders. The split is checked apart (<see cref="SplitError"/>).
    /// </summary>
    internal static LoopNest? Create(OperatorSpec spec, ImplicitGemmSchedule schedule, out ScheduleException? error)
    {
        var expression = spec.Expression;
        var nest = new LoopNest(spec, schedule, expression.Axis(schedule.Mapping.M), expression.Axis(schedule.Mapping.N), expression.Axis(schedule.Mapping.K));
        error = nest.TileError(schedule);
        if (error is not null)
        {
            return null;
        }

        var window = WindowPlan.Create(nest, schedule, out error);
        if (error is not null)
        {
            return null;
        }

        return nest.WithLoops(schedule, window, out error)?.WithSplit(schedule.CoreGroups, schedule.SplitAxis);
    }

    /// <summary>This nest split over <paramref name="coreGroups"/> along <paramref name="splitAxis"/>, unchecked (<see cref="SplitError"/> checks it).</summary>
    internal LoopNest WithSplit(int coreGroups, string? splitAxis) =>
        new(this)
        {
            CoreGroups = coreGroups,
            SplitAxis = splitAxis,
            SplitLoop = splitAxis is null ? null : IndexLoops.FirstOrDefault(l => UnitOf(l) == splitAxis),
            _reads = _reads,
        };

    private LoopNest(LoopNest other)
    {
        Operator = other.Operator;
        M = other.M;
        N = other.N;
        K = other.K;
        Inputs = other.Inputs;
        Window = other.Window;
        IndexLoops = other.IndexLoops;
        ReductionLoops = other.ReductionLoops;
        CoreGroups = other.CoreGroups;
        SplitAxis = other.SplitAxis;
        SplitLoop = other.SplitLoop;
    }

    /// <summary>The schedule's name for a loop: the unit of the index or reduction order it belongs to.</summary>
    public string UnitOf(PlannedLoop loop)
    {
        ArgumentNullException.ThrowIfNull(loop);
        return loop.Role == LoopRole.InputColumn ? Window!.Tap.Name : loop.Axis;
    }

    /// <summary>Whether <paramref name="operand"/>'s data changes along reduction loop <paramref name="loop"/>.</summary>
    /// <remarks>For the nest's own inputs and loops the answer is worked out once and kept (the space asks it of every point).</remarks>
    public bool DependsOn(TensorAccess operand, PlannedLoop loop)
    {
        ArgumentNullException.ThrowIfNull(operand);
        ArgumentNullException.ThrowIfNull(loop);
        var input = Inputs.IndexOf(operand, ReferenceEqualityComparer.Instance);
        var position = input < 0 ? -1 : LoopIndexOf(loop);
        if (position < 0)
        {
            return Reads(operand, loop);
        }

        if (_reads.IsDefault)
        {
            // Each thread that finds it missing computes the same table; keeping either is right.
            _reads = [.. Loops.Select(l => Inputs.Select((access, i) => Reads(access, l) ? 1 << i : 0).Sum())];
        }

        return (_reads[position] & (1 << input)) != 0;
    }

    /// <summary>The position of <paramref name="loop"/> itself (not an equal one) in <see cref="Loops"/>, or -1.</summary>
    private int LoopIndexOf(PlannedLoop loop)
    {
        for (var i = 0; i < IndexLoops.Length; i++)
        {
            if (ReferenceEquals(IndexLoops[i], loop))
            {
                return i;
            }
        }

        for (var i = 0; i < ReductionLoops.Length; i++)
        {
            if (ReferenceEquals(ReductionLoops[i], loop))
            {
                return IndexLoops.Length + i;
            }
        }

        return -1;
    }

    private bool Reads(TensorAccess operand, PlannedLoop loop) =>
        loop.Role switch
        {
            LoopRole.InputColumn => ReferenceEquals(operand, Window!.Operand),
            LoopRole.Tap => Window!.ReadsTapElsewhere(operand),
            _ => GemmMapping.Reads(operand, Operator.Expression.Axis(loop.Axis)),
        };

    /// <summary>Iterations of <paramref name="loop"/> in one core group: <see cref="SplitChunk"/> for the split loop.</summary>
    public long TripsOf(PlannedLoop loop) => ReferenceEquals(loop, SplitLoop) ? SplitChunk : loop.Extent;

    /// <summary>Whether a transfer that depends on <paramref name="loop"/> stays inside it: the loop runs more than once, or it is the split loop, whose variable the kernel computes from the core group.</summary>
    public bool Binds(PlannedLoop loop) => TripsOf(loop) > 1 || ReferenceEquals(loop, SplitLoop);

    /// <summary>The position in <see cref="ReductionLoops"/> of the loop whose variable is <paramref name="level"/>, or -1.</summary>
    public int ReductionPosition(string? level)
    {
        for (var i = 0; level is not null && i < ReductionLoops.Length; i++)
        {
            if (ReductionLoops[i].Var == level)
            {
                return i;
            }
        }

        return -1;
    }

    internal static long Ceiling(long value, long divisor) => (value + divisor - 1) / divisor;

    private ScheduleException? TileError(ImplicitGemmSchedule schedule) =>
        TileError(nameof(ImplicitGemmSchedule.TileM), schedule.TileM, MeshGemmRules.MQuantum, MeshGemmRules.PaddedM(M.Extent), M)
        ?? TileError(nameof(ImplicitGemmSchedule.TileN), schedule.TileN, MeshGemmRules.NQuantum, MeshGemmRules.PaddedN(N.Extent), N)
        ?? TileError(nameof(ImplicitGemmSchedule.TileK), schedule.TileK, MeshGemmRules.KQuantum, MeshGemmRules.PaddedK(K.Extent), K);

    private static ScheduleException? TileError(string decision, int tile, int quantum, int padded, Axis axis) =>
        tile > 0 && tile % quantum == 0 && tile <= padded ? null
        : new ScheduleException(ScheduleDiagnostics.IllegalTile, decision, string.Create(CultureInfo.InvariantCulture,
            $"{decision} = {tile} must be a positive multiple of {quantum} (the mesh GEMM's rule) and at most {padded}, axis '{axis.Name}' ({axis.Extent}) padded to {quantum}."));

    private LoopNest? WithLoops(ImplicitGemmSchedule schedule, WindowPlan? window, out ScheduleException? error)
    {
        var expression = Operator.Expression;
        var index = new Dictionary<string, PlannedLoop>(StringComparer.Ordinal);
        foreach (var axis in expression.IndexAxes)
        {
            index[axis.Name] = axis == M ? Tile(M, schedule.TileM)
                : axis == N ? Tile(N, schedule.TileN)
                : window is not null && axis == window.Output ? new PlannedLoop($"{axis.Name}_band", axis.Name, LoopRole.Band, Ceiling(axis.Extent, schedule.Window), schedule.Window)
                : new PlannedLoop(axis.Name, axis.Name, LoopRole.Axis, axis.Extent, 1);
        }

        var reduction = new Dictionary<string, PlannedLoop[]>(StringComparer.Ordinal);
        foreach (var axis in expression.ReductionAxes)
        {
            reduction[axis.Name] = axis == K ? [Tile(K, schedule.TileK)]
                : window is not null && axis == window.Tap ?
                    [new PlannedLoop($"{window.Output.Name}_in", window.Output.Name, LoopRole.InputColumn, window.InputColumns, 1),
                     new PlannedLoop(axis.Name, axis.Name, LoopRole.Tap, axis.Extent, 1)]
                : [new PlannedLoop(axis.Name, axis.Name, LoopRole.Axis, axis.Extent, 1)];
        }

        error = OrderError(schedule.IndexOrder, index, nameof(ImplicitGemmSchedule.IndexOrder))
            ?? OrderError(schedule.ReductionOrder, reduction, nameof(ImplicitGemmSchedule.ReductionOrder));
        return error is not null ? null : new LoopNest(this)
        {
            Window = window,
            IndexLoops = [.. schedule.IndexOrder.Select(u => index[u])],
            ReductionLoops = [.. schedule.ReductionOrder.SelectMany(u => reduction[u])],
        };
    }

    private static PlannedLoop Tile(Axis axis, int tile) => new($"{axis.Name}_t", axis.Name, LoopRole.Tile, Ceiling(axis.Extent, tile), tile);

    private static ScheduleException? OrderError<T>(ImmutableArray<string> order, Dictionary<string, T> units, string decision) =>
        !order.IsDefault && order.Length == units.Count && order.Distinct(StringComparer.Ordinal).Count() == units.Count && order.All(units.ContainsKey) ? null
        : new ScheduleException(ScheduleDiagnostics.IllegalLoopOrder, decision,
            $"{decision} = [{(order.IsDefault ? "" : string.Join(", ", order))}] must name each of [{string.Join(", ", units.Keys)}] exactly once.");

    /// <summary>What is wrong with a split on a target; <see cref="SplitError"/> says it in words.</summary>
    internal enum SplitProblem
    {
        /// <summary>The split fits.</summary>
        None,

        /// <summary>More core groups than the target has, or fewer than one.</summary>
        GroupsOutOfRange,

        /// <summary>A split axis named for one core group.</summary>
        AxisWithoutGroups,

        /// <summary>Several core groups, and no index loop of the split axis.</summary>
        NoSplitLoop,

        /// <summary>A core group would get no iteration of the split loop.</summary>
        IdleGroup,
    }

    /// <summary>What is wrong with the split on a target with <paramref name="limits"/>, without working out the message.</summary>
    internal SplitProblem SplitProblemWith(TargetLimits limits) =>
        CoreGroups < 1 || CoreGroups > limits.CoreGroups ? SplitProblem.GroupsOutOfRange
        : CoreGroups == 1 ? (SplitAxis is null ? SplitProblem.None : SplitProblem.AxisWithoutGroups)
        : SplitLoop is null ? SplitProblem.NoSplitLoop
        : (CoreGroups - 1) * Ceiling(SplitLoop.Extent, CoreGroups) >= SplitLoop.Extent ? SplitProblem.IdleGroup
        : SplitProblem.None;

    /// <summary>Why the split does not fit the operator or a target with <paramref name="limits"/>, or null when it does.</summary>
    internal ScheduleException? SplitError(TargetLimits limits)
    {
        var groups = CoreGroups;
        return SplitProblemWith(limits) switch
        {
            SplitProblem.GroupsOutOfRange => new ScheduleException(ScheduleDiagnostics.IllegalSplit, nameof(Schedule.CoreGroups),
                string.Create(CultureInfo.InvariantCulture, $"CoreGroups = {groups} must be between 1 and the target's {limits.CoreGroups}.")),
            SplitProblem.AxisWithoutGroups => new ScheduleException(ScheduleDiagnostics.IllegalSplit, nameof(Schedule.SplitAxis), $"SplitAxis = '{SplitAxis}' needs CoreGroups above 1."),
            SplitProblem.NoSplitLoop => new ScheduleException(ScheduleDiagnostics.IllegalSplit, nameof(Schedule.SplitAxis),
                $"SplitAxis = '{SplitAxis ?? "null"}' must name one of the index loops [{string.Join(", ", IndexLoops.Select(UnitOf))}] when {groups} core groups share the work."),
            SplitProblem.IdleGroup => new ScheduleException(ScheduleDiagnostics.IllegalSplit, nameof(Schedule.CoreGroups), string.Create(CultureInfo.InvariantCulture,
                $"CoreGroups = {groups} leaves a core group without work: loop '{SplitLoop!.Var}' has {SplitLoop.Extent} iterations, split in parts of {Ceiling(SplitLoop.Extent, groups)}.")),
            _ => null,
        };
    }
}
