using System.Collections.Concurrent;
using System.Collections.Immutable;
using Swatop.Core.Layouts;
using Swatop.Core.Scheduling;
using Swatop.Primitives;

namespace Swatop.Core.Algorithms.ImplicitGemm;

/// <summary>
/// The implicit GEMM schedules of an operator on a target: the operator as it is and with each pair of
/// index axes it holds as one dimension merged (<see cref="ImplicitGemmSchedule.MergedAxes"/>, where M or N walks the merged axis), every GEMM mapping of each, tile sizes (powers of two
/// times the primitive's quantum, and the padded extent), the window along each sliding-window
/// axis (for each number of bands, the smallest window that makes them), plain or blocked layouts,
/// the orders of the index and reduction loops, each operand's DMA level and double
/// buffering, and the split over core groups. Points that do not fit the LDM or break a rule are left out,
/// and so are points that another point runs alike or beats outright:
/// <list type="bullet">
/// <item>loop orders and DMA levels that run alike or only add transfers (<see cref="ScheduleEquivalence"/>);</item>
/// <item>double buffering of an operand with nothing to prefetch (its twin is the same kernel);
/// single buffering of an operand that can prefetch, where its double-buffered twin fits the LDM
/// (the twin overlaps the same transfers with the GEMMs); likewise for the output tiles, whose puts
/// overlap the next tile when they are double-buffered;</item>
/// <item>one core group, where a split over all of them is valid (each group then does a part of the work);</item>
/// <item>tile shapes whose padded GEMM does more than <see cref="PaddingLimit"/> times the useful work of
/// the least-padded shape (of the shapes that lay out the tensors the constraints require in place as required,
/// when they require any: a kernel that reads a value where a producer left it is measured against the kernels that can;
/// image rows are weighed against that shape but never set it);</item>
/// <item>operands in their plain layouts, where blocked layouts apply and no tile of the axes they
/// block is a border tile: the blocked twin runs the same GEMM calls and moves the same bytes, each
/// CPE's block in one run (<see cref="ImplicitGemmSchedule.BlockedLayouts"/>).</item>
/// </list>
/// Where the caller keeps its activations in the core groups' own memories (<see cref="CallerMemory.CoreGroups"/>), each
/// tile shape whose kernel reads or writes an operand in place also has its twin that keeps those operands there
/// (<see cref="ImplicitGemmSchedule.GroupMemory"/>), a shape of its own, so a family of its own with its own probe and
/// bound; under <see cref="CallerMemory.Shared"/> the space has no such twin.
/// </summary>
/// <remarks>
/// Loops of one iteration do not move: they sit innermost in a fixed order, so orders that differ
/// only in where such loops are never appear twice. DMA levels likewise name only loops of more
/// than one iteration.
/// </remarks>
public sealed partial class ImplicitGemmSpace : IScheduleSpace
{
    /// <summary>How many times the useful work of the least-padded tile shape a shape of the space may do.</summary>
    public const double PaddingLimit = 2;

    /// <summary>The least-padded tile shape's share of real work, computed once, by whichever thread asks first.</summary>
    private readonly Lazy<double> _bestUtilization;

    private ImplicitGemmSpace(OperatorSpec spec, TargetLimits limits, PlacementConstraints constraints, bool groupMemory)
    {
        Operator = spec;
        Limits = limits;
        Constraints = constraints;
        OffersGroupMemory = groupMemory && limits.CallerMemory == CallerMemory.CoreGroups;
        Merges = [null, .. AxisMerge.All(spec, limits.CoreGroups)];
        _requiredSplits = [.. new[] { spec.Expression.Output, spec.Expression.Left, spec.Expression.Right }.SelectMany(access =>
            constraints.Shares.TryGetValue(access.Tensor.Name, out var share) && share is SplitDistribution shared ? [(access, shared)]
            : constraints.Required.TryGetValue(access.Tensor.Name, out var placement) && placement.Distribution is SplitDistribution placed ? new[] { (access, placed) }
            : [])];
        // Image rows are weighed against the other shapes but do not raise the bar: their padding is that of a run of positions,
        // and every packed shape of a small image would otherwise fall out of the space.
        _bestUtilization = new(() => AllShapes().Where(shape => MayArrangeAsRequired(shape) && MergeOf(shape)?.ImageRows is null).Select(Utilization).DefaultIfEmpty(0).Max());
    }

    /// <summary>Whether a tile shape's kernels read or write an operand in place, by the shape without its twin, orders or levels (<see cref="KeepsInPlace"/>), worked out once a shape by whichever thread asks first.</summary>
    private readonly ConcurrentDictionary<ImplicitGemmSchedule, bool> _inPlace = new();

    /// <summary>The tensors the constraints require split over the core groups, by their accesses, with the distribution each must have.</summary>
    private readonly ImmutableArray<(TensorAccess Access, SplitDistribution Required)> _requiredSplits;

    /// <summary>The views the space schedules: the operator as it is (null), then each merge of two of its axes.</summary>
    private ImmutableArray<AxisMerge?> Merges { get; }

    /// <summary>The operator.</summary>
    public OperatorSpec Operator { get; }

    /// <summary>The target's limits.</summary>
    public TargetLimits Limits { get; }

    /// <summary>The placements the space's points must give the operator's tensors; <see cref="PlacementConstraints.None"/> for none.</summary>
    public PlacementConstraints Constraints { get; }

    /// <summary>
    /// Whether the space offers the twins that keep the in-place operands in the core groups' own memories
    /// (<see cref="ImplicitGemmSchedule.GroupMemory"/>): where the limits' caller keeps its activations there
    /// (<see cref="CallerMemory.CoreGroups"/>), but not for a GEMM another algorithm plans around (explicit im2col's).
    /// </summary>
    public bool OffersGroupMemory { get; }

    /// <summary>
    /// The space of <paramref name="spec"/> on a target with <paramref name="limits"/>, holding only the points
    /// that keep the tensors <paramref name="constraints"/> names as it requires (every point when null).
    /// </summary>
    public static ImplicitGemmSpace For(OperatorSpec spec, TargetLimits limits, PlacementConstraints? constraints = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(limits);
        return new ImplicitGemmSpace(spec, limits, constraints ?? PlacementConstraints.None, groupMemory: true);
    }

    /// <summary>
    /// The space of a GEMM that another algorithm plans around and places its tensors for (explicit im2col's over the column
    /// matrix): <see cref="For"/>'s, without the twins in the core groups' memories.
    /// </summary>
    internal static ImplicitGemmSpace Inner(OperatorSpec spec, TargetLimits limits) => new(spec, limits, PlacementConstraints.None, groupMemory: false);

    /// <summary>Checks an implicit GEMM schedule against the operator, the target and the space's placement constraints.</summary>
    /// <exception cref="ScheduleException">A decision breaks a rule, or a tensor's placement the constraints (<see cref="ScheduleDiagnostics.PlacementMismatch"/>); the message names it.</exception>
    public LoopPlan Validate(ImplicitGemmSchedule schedule)
    {
        var plan = LoopPlan.Create(Operator, schedule, Limits);
        return plan.PlacementError(Constraints) is { } error ? throw error : plan;
    }

    /// <inheritdoc/>
    SchedulePlan IScheduleSpace.Validate(Schedule schedule) => Validate(ImplicitGemmAlgorithm.Own(schedule));

    /// <summary>Every valid schedule, lazily, in a deterministic order.</summary>
    public IEnumerable<ImplicitGemmSchedule> Enumerate() => EnumeratePlans().Select(plan => plan.Schedule);

    /// <inheritdoc/>
    IEnumerable<Schedule> IScheduleSpace.Enumerate() => Enumerate();

    /// <summary>The plans of <see cref="Enumerate"/>'s schedules, in the same order: what a cost model reads.</summary>
    public IEnumerable<LoopPlan> EnumeratePlans() => KeptShapes().SelectMany(shape => Points(shape));

    /// <inheritdoc/>
    IEnumerable<SchedulePlan> IScheduleSpace.EnumeratePlans() => EnumeratePlans();

    /// <inheritdoc/>
    IEnumerable<SchedulePlan> IScheduleSpace.EnumeratePlans(int part, int parts, CancellationToken cancellation) => EnumeratePlans(part, parts, cancellation);

    /// <inheritdoc/>
    Schedule IScheduleSpace.Default() => Default();

    /// <inheritdoc/>
    Schedule IScheduleSpace.Canonical(Schedule schedule) => Canonical(ImplicitGemmAlgorithm.Own(schedule));

    /// <inheritdoc/>
    Schedule IScheduleSpace.Sample(Random random) => Sample(random);

    /// <inheritdoc/>
    Schedule IScheduleSpace.Neighbor(Schedule schedule, Random random) => Neighbor(ImplicitGemmAlgorithm.Own(schedule), random);

    /// <summary>
    /// Part <paramref name="part"/> of <paramref name="parts"/> of <see cref="EnumeratePlans()"/>: the points of every
    /// <paramref name="parts"/>-th tile shape from the <paramref name="part"/>-th, in the same order. The parts
    /// together hold every point once, so several threads can rank a space between them.
    /// </summary>
    /// <param name="part">Which part, from 0.</param>
    /// <param name="parts">How many parts.</param>
    /// <param name="cancellation">Checked between loop orders, so a consumer is stopped soon even where no point comes for a while.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="parts"/> is below 1, or <paramref name="part"/> is not in [0, parts).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was cancelled.</exception>
    public IEnumerable<LoopPlan> EnumeratePlans(int part, int parts, CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(part);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(part, parts);
        return KeptShapes().Where((_, index) => index % parts == part).SelectMany(shape => Points(shape, cancellation));
    }

    /// <summary>
    /// The points of <see cref="EnumeratePlans()"/> in families, one per tile shape (mapping, tiles, window, blocking,
    /// merge), each with the shape's probe on one core group: a shape's points run the same loops in other orders,
    /// with other DMA levels, buffering and splits, so a cost model bounds all of them from the probe
    /// (<see cref="PlanFamily.OfShape"/>) and a ranking skips the shapes whose bound it already beats.
    /// </summary>
    public IEnumerable<PlanFamily> EnumerateFamilies() =>
        KeptShapes().Select(shape => PlanFamily.OfShape(() => Probe(InDeclaredOrder(shape)), cancellation => Points(shape, cancellation)));

    /// <inheritdoc/>
    IEnumerable<PlanFamily> IScheduleSpace.EnumerateFamilies(int parts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        return EnumerateFamilies();
    }

    /// <summary>
    /// A reasonable schedule without tuning: among the tile shapes that waste the least on padding
    /// (the share of the padded M, N, K and window extents that is real work, to a tenth), the largest
    /// tile, and for it the valid choice with the most core groups and double-buffered operands.
    /// </summary>
    /// <exception cref="InvalidOperationException">The space is empty.</exception>
    public ImplicitGemmSchedule Default()
    {
        var shapes = KeptShapes()
            .OrderByDescending(shape => Math.Round(Utilization(shape), 1))
            .ThenByDescending(shape => (long)shape.TileM * shape.TileN * shape.TileK)
            .ThenByDescending(shape => shape.Window);
        foreach (var shape in shapes)
        {
            var best = Points(shape).Take(4096).Select(plan => plan.Schedule)
                .OrderByDescending(s => s.CoreGroups).ThenByDescending(s => s.Operands.Count(o => o.DoubleBuffer))
                .FirstOrDefault();
            if (best is not null)
            {
                return best;
            }
        }

        throw new InvalidOperationException($"The schedule space of {Operator} is empty on this target.");
    }

    /// <summary>The share of a shape's padded M, N, K and window extents that is real work.</summary>
    private double Utilization(ImplicitGemmSchedule shape)
    {
        var e = ExpressionOf(shape);
        static double Share(int extent, int tile) => extent / (double)(LoopNest.Ceiling(extent, tile) * tile);
        var share = (MergeOf(shape)?.ImageRows is { } rows ? rows.Share : Share(e.Axis(shape.Mapping.M).Extent, shape.TileM))
            * Share(e.Axis(shape.Mapping.N).Extent, shape.TileN) * Share(e.Axis(shape.Mapping.K).Extent, shape.TileK);
        return shape.WindowAxis is null ? share : share * Share(e.Axis(shape.WindowAxis).Extent, shape.Window);
    }

    /// <summary>
    /// The schedule as the space writes it: loops of one iteration (whole-extent tiles, windows that
    /// cover their axis) moved innermost in declared order, which lowers to the same kernel; then, by
    /// the rules of <see cref="ScheduleEquivalence"/>, each DMA level moved out past loops its operand
    /// does not read (the same kernel, or one without redundant transfers), and each run of
    /// interchangeable loops in declared order (the same transfers and GEMM calls, the tiles visited
    /// in another order). A valid schedule's canonical form is the point <see cref="Enumerate"/> yields for it.
    /// </summary>
    public ImplicitGemmSchedule Canonical(ImplicitGemmSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var e = ExpressionOf(schedule);
        var extent = UnitExtents(schedule.Mapping, schedule);
        static ImmutableArray<string> Normalize(ImmutableArray<string> order, ImmutableArray<Axis> declared, Func<string, long> extent) =>
            [.. order.Where(u => extent(u) > 1), .. declared.Select(a => a.Name).Where(u => extent(u) <= 1 && order.Contains(u))];
        var written = schedule with
        {
            IndexOrder = Normalize(schedule.IndexOrder, e.IndexAxes, u => extent(u, false)),
            ReductionOrder = Normalize(schedule.ReductionOrder, e.ReductionAxes, u => extent(u, true)),
        };
        return Probe(written) is { } probe ? ScheduleEquivalence.Representative(probe, written) : written;
    }

    /// <summary>
    /// The points that share <paramref name="schedule"/>'s shape, orders and levels as the space writes
    /// them, over their choices of split and buffering: empty when there are none.
    /// </summary>
    private List<ImplicitGemmSchedule> PointsOf(ImplicitGemmSchedule schedule)
    {
        var based = Canonical(SingleBuffered(schedule) with { CoreGroups = 1, SplitAxis = null });
        if (!IsKept(based) || Probe(based) is not { } probe)
        {
            return [];
        }

        var extent = UnitExtents(based.Mapping, based);
        return [.. SplitAndBuffered(probe, based, CanonicalSplits(probe, u => extent(u, false))).Where(Admits).Select(plan => plan.Schedule).Where(s => Canonical(s).Equals(s))];
    }

    /// <summary>The tile shapes (mapping, tiles, window; no orders yet) within <see cref="PaddingLimit"/>.</summary>
    private IEnumerable<ImplicitGemmSchedule> KeptShapes() => AllShapes().Where(IsKept);

    /// <summary>The tile shapes of every view and mapping.</summary>
    /// <remarks>
    /// A merged view's mappings are those whose M or N walks the merged axis: elsewhere the merge would only rename loops. A
    /// fold's are those whose M walks it (<see cref="LoopPlan"/>'s rule). Folds are offered only where the constraints split a
    /// tensor over the core groups (a graph's batch-shared or in-place searches): an operator tuned on its own has every
    /// mapping of the batch without them, and they would double the points its search ranks. A fold schedule is still valid
    /// in any space.
    /// </remarks>
    private IEnumerable<ImplicitGemmSchedule> AllShapes() =>
        Merges.Where(merge => merge is not { IsFold: true } || !_requiredSplits.IsEmpty).SelectMany(merge => GemmMapping.All(ExpressionOf(merge))
            .Where(mapping => merge is null || mapping.M == merge.Merged.Name || (mapping.N == merge.Merged.Name && !merge.IsFold && merge.ImageRows is null))
            .SelectMany(mapping => Shapes(merge, mapping)));

    /// <summary>The merge <paramref name="schedule"/> names, or null when it names none or one the operator has not.</summary>
    private AxisMerge? MergeOf(ImplicitGemmSchedule schedule) =>
        schedule.MergedAxes.IsEmpty ? null
        : Merges.FirstOrDefault(m => m is not null && m.Names.SequenceEqual(schedule.MergedAxes) && (m.ImageRows is null || m.ImageRows.Tile == schedule.TileM))
            ?? Merges.FirstOrDefault(m => m is not null && m.Names.SequenceEqual(schedule.MergedAxes));

    /// <summary>The expression <paramref name="schedule"/> schedules: the view of its merge, or the operator's.</summary>
    private Contraction ExpressionOf(ImplicitGemmSchedule schedule) => ExpressionOf(MergeOf(schedule));

    private Contraction ExpressionOf(AxisMerge? merge) => merge?.View.Expression ?? Operator.Expression;

    private bool IsKept(ImplicitGemmSchedule shape) => Utilization(shape) * PaddingLimit >= _bestUtilization.Value && Blockings(shape).Contains(shape.BlockedLayouts)
        && (!shape.GroupMemory || (OffersGroupMemory && KeepsInPlace(shape)));

    /// <summary>
    /// Whether the kernels of <paramref name="shape"/> (a tile shape, its twin in the groups' memories or not) read or write an
    /// operand in place, as its probe in declared order lays the operands out (the layouts follow from the shape alone):
    /// whether its twin in the groups' memories is a point. A shape whose probe fails keeps its twin, whose points then fail alike.
    /// </summary>
    private bool KeepsInPlace(ImplicitGemmSchedule shape) =>
        _inPlace.GetOrAdd(shape with { GroupMemory = false, IndexOrder = [], ReductionOrder = [], Operands = ImplicitGemmSchedule.DefaultOperands, CoreGroups = 1, SplitAxis = null },
            inPlace => Probe(InDeclaredOrder(inPlace)) is not { } probe || OperandLayouts.KeepsInPlace(probe));

    /// <summary>
    /// The choices of <see cref="ImplicitGemmSchedule.BlockedLayouts"/> for a tile shape: plain layouts alone
    /// where no operand can be blocked; blocked alone where the axes the blocked operands read have no
    /// border tile (it then only saves DMA blocks); else both, since blocking runs border tiles whole and
    /// moves their padding.
    /// </summary>
    private bool[] Blockings(ImplicitGemmSchedule shape)
    {
        var e = ExpressionOf(shape);
        var blockable = LoopPlan.Blockable(e, shape.Mapping, MergeOf(shape));
        if (!blockable.Any(b => b))
        {
            return [false];
        }

        bool Whole(string axis, int tile) => e.Axis(axis).Extent % tile == 0;
        bool wholeM = Whole(shape.Mapping.M, shape.TileM), wholeN = Whole(shape.Mapping.N, shape.TileN), wholeK = Whole(shape.Mapping.K, shape.TileK);
        bool[] wholeTiles = [wholeM && wholeK, wholeK && wholeN, wholeM && wholeN];
        return blockable.Select((b, i) => !b || wholeTiles[i]).All(w => w) ? [true] : [false, true];
    }

    /// <summary>The tile shapes of <paramref name="mapping"/> of the view of <paramref name="merge"/>: tiles and windows, no orders yet.</summary>
    private IEnumerable<ImplicitGemmSchedule> Shapes(AxisMerge? merge, GemmMapping mapping)
    {
        var e = ExpressionOf(merge);
        foreach (var tileM in merge?.ImageRows is { } rows ? [rows.Tile] : Tiles(e.Axis(mapping.M).Extent, MeshGemmRules.MQuantum))
        {
            foreach (var tileN in Tiles(e.Axis(mapping.N).Extent, MeshGemmRules.NQuantum))
            {
                foreach (var tileK in Tiles(e.Axis(mapping.K).Extent, MeshGemmRules.KQuantum))
                {
                    foreach (var (axis, window) in Windows(merge, mapping))
                    {
                        var shape = new ImplicitGemmSchedule
                        {
                            Mapping = mapping, TileM = tileM, TileN = tileN, TileK = tileK, WindowAxis = axis, Window = window,
                            IndexOrder = [], ReductionOrder = [], MergedAxes = merge?.Names ?? [],
                        };
                        foreach (var blocked in Blockings(shape))
                        {
                            yield return shape with { BlockedLayouts = blocked };
                            if (OffersGroupMemory)
                            {
                                yield return shape with { BlockedLayouts = blocked, GroupMemory = true };
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>The points of one tile shape, in a deterministic order.</summary>
    private IEnumerable<LoopPlan> Points(ImplicitGemmSchedule shape, CancellationToken cancellation = default)
    {
        var e = ExpressionOf(shape);
        var extent = UnitExtents(shape.Mapping, shape);
        bool? arranged = null;
        foreach (var indexOrder in Orders([.. e.IndexAxes.Select(a => a.Name)], u => extent(u, false)))
        {
            foreach (var reductionOrder in Orders([.. e.ReductionAxes.Select(a => a.Name)], u => extent(u, true)))
            {
                cancellation.ThrowIfCancellationRequested();
                var ordered = shape with { IndexOrder = indexOrder, ReductionOrder = reductionOrder };
                if (Probe(ordered) is not { } probe)
                {
                    continue;
                }

                if (!(arranged ??= ArrangesAsRequired(probe)))
                {
                    yield break;
                }

                var splits = CanonicalSplits(probe, u => extent(u, false));
                var canonicalReduction = ScheduleEquivalence.ReductionOrders(probe);
                foreach (var levels in LevelChoices(probe))
                {
                    if (canonicalReduction(levels).SequenceEqual(reductionOrder))
                    {
                        foreach (var plan in SplitAndBuffered(probe, WithLevels(ordered, levels), splits).Where(Admits))
                        {
                            yield return plan;
                        }
                    }
                }
            }
        }
    }

    /// <summary>The splits of <paramref name="probe"/>'s index order under which that order is canonical.</summary>
    private List<(int Groups, string? Split)> CanonicalSplits(LoopPlan probe, Func<string, long> extent) =>
        [.. Splits(probe.Schedule.IndexOrder, extent).Where(s => MaySplitAsRequired(probe, s) && ScheduleEquivalence.IndexOrder(probe, s.Split).SequenceEqual(probe.Schedule.IndexOrder))];

    /// <summary>
    /// Whether a split over <paramref name="split"/>'s groups along its axis could give each tensor the constraints
    /// require split over the core groups that distribution: as many groups, along an axis that the required
    /// dimension's index reads (the merged axis, where the view merges that dimension). Only the splits that
    /// pass are built and checked exactly (<see cref="Admits"/>); the others could never be admitted.
    /// </summary>
    private bool MaySplitAsRequired(LoopPlan probe, (int Groups, string? Split) split)
    {
        var merge = probe.Merge;
        foreach (var (access, required) in _requiredSplits)
        {
            if (required.Dimension >= access.Indices.Length)
            {
                return false;
            }

            var axes = access.Indices[required.Dimension].Terms.Select(t => merge?.ViewNameOf(t.Axis) ?? t.Axis.Name);
            if (split.Groups != required.CoreGroups || split.Split is null || !axes.Contains(split.Split))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The points of a schedule over its choices of split (<paramref name="splits"/>, those under which
    /// its index order is canonical) and buffering: the valid splits over all core groups, or one core
    /// group when none is valid and it is among the choices; each with <see cref="Buffered"/>'s buffering.
    /// </summary>
    private List<LoopPlan> SplitAndBuffered(LoopPlan probe, ImplicitGemmSchedule based, List<(int Groups, string? Split)> splits)
    {
        var split = splits.Where(s => s.Groups > 1).SelectMany(s => Buffered(probe, based with { CoreGroups = s.Groups, SplitAxis = s.Split })).ToList();
        return split.Count > 0 || !splits.Contains((1, null)) ? split : Buffered(probe, based with { CoreGroups = 1, SplitAxis = null });
    }

    /// <summary>
    /// The points of a schedule over its buffering: every input that can prefetch double-buffered if
    /// the LDM holds that; else each one alone that fits, in the inputs' order; else none. Each of those
    /// with double-buffered output tiles where their puts can overlap a next tile and the LDM holds that
    /// too. None when even single buffers do not fit.
    /// </summary>
    private List<LoopPlan> Buffered(LoopPlan probe, ImplicitGemmSchedule schedule)
    {
        if (probe.WithPlacement(SingleBuffered(schedule), Limits) is not { } single)
        {
            return [];
        }

        var operands = single.Operands;
        var prefetching = operands.Select(o => o.IsInput && single.CanPrefetch(o)).ToArray();
        LoopPlan Output(LoopPlan plan) => single.CanOverlapPuts && plan.WithBuffering([.. plan.Operands.Select(o => o.IsInput ? o.DoubleBuffer : true)]) is { } overlapped ? overlapped : plan;
        if (prefetching.Count(p => p) > 1 && single.WithBuffering(prefetching) is { } all)
        {
            return [Output(all)];
        }

        List<LoopPlan> one = [];
        for (var i = 0; i < operands.Length; i++)
        {
            if (prefetching[i] && single.WithBuffering([.. operands.Select((_, j) => j == i)]) is { } alone)
            {
                one.Add(Output(alone));
            }
        }

        return one.Count > 0 ? one : [Output(single)];
    }

    /// <summary>
    /// Whether <paramref name="probe"/> lays out each tensor the constraints require in a placement as that placement
    /// arranges it. A tensor's layout follows from the tile shape alone (the mapping, tiles, window, blocking and merge),
    /// not from the loop orders, levels, buffering or split, so a shape whose probe fails this has no point
    /// <see cref="Admits"/> would admit, and none of its points is built.
    /// </summary>
    private bool ArrangesAsRequired(LoopPlan probe)
    {
        foreach (var (tensor, required) in Constraints.Required)
        {
            if (probe.Operands.FirstOrDefault(o => o.Access.Tensor.Name == tensor) is { } operand && !probe.LayoutOf(operand).HasSameArrangement(required.Layout))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether <paramref name="shape"/> (a tile shape, no orders yet) lays out each tensor the constraints require in a
    /// placement as that placement arranges it (<see cref="ArrangesAsRequired"/>, probed in the declared loop orders,
    /// since the layouts follow from the shape alone); every shape may when the constraints require no placement.
    /// </summary>
    private bool MayArrangeAsRequired(ImplicitGemmSchedule shape)
    {
        if (Constraints.Required.IsEmpty)
        {
            return true;
        }

        var e = ExpressionOf(shape);
        return Probe(shape with { IndexOrder = [.. e.IndexAxes.Select(a => a.Name)], ReductionOrder = [.. e.ReductionAxes.Select(a => a.Name)] }) is { } probe
            && ArrangesAsRequired(probe);
    }

    /// <summary>Whether <paramref name="plan"/> keeps the placements the space's constraints require.</summary>
    private bool Admits(LoopPlan plan) => Constraints.IsEmpty || plan.PlacementError(Constraints) is null;

    /// <summary>The schedule with no operand double-buffered.</summary>
    private static ImplicitGemmSchedule SingleBuffered(ImplicitGemmSchedule schedule) => schedule.WithOperands(o => o with { DoubleBuffer = false });

    /// <summary>The schedule with the inputs' levels <paramref name="levels"/>, in the inputs' order.</summary>
    private static ImplicitGemmSchedule WithLevels(ImplicitGemmSchedule schedule, IReadOnlyList<string?> levels) =>
        schedule.WithOperands(o => o.Role == OperandRole.Output ? o : o with { Level = levels[ImplicitGemmSchedule.Roles.IndexOf(o.Role)] });

    /// <summary>Every combination of the DMA levels the space offers the inputs (<see cref="ScheduleEquivalence.Levels"/>), the first input's outermost.</summary>
    private static IEnumerable<ImmutableArray<string?>> LevelChoices(LoopPlan probe)
    {
        IEnumerable<ImmutableArray<string?>> choices = [[]];
        foreach (var input in probe.Inputs)
        {
            var levels = ScheduleEquivalence.Levels(probe, input);
            choices = choices.SelectMany(chosen => levels.Select(level => chosen.Add(level))).ToList();
        }

        return choices;
    }

    /// <summary>
    /// The plan of <paramref name="ordered"/>'s tile shape and loop orders on one core group, with no
    /// DMA levels and no LDM limit: the loops and what each operand reads, or null when the shape is invalid.
    /// </summary>
    private LoopPlan? Probe(ImplicitGemmSchedule ordered)
    {
        var probe = ordered with { Operands = ImplicitGemmSchedule.DefaultOperands, CoreGroups = 1, SplitAxis = null };
        return LoopPlan.TryCreate(Operator, probe, Limits with { LdmBudgetBytes = long.MaxValue }, out _);
    }

    /// <summary>
    /// The trip count of each unit of the loop orders under <paramref name="shape"/>, by unit name and whether it is a
    /// reduction unit; a window's tap unit (input columns, then taps) always counts as more than one iteration.
    /// </summary>
    private Func<string, bool, long> UnitExtents(GemmMapping mapping, ImplicitGemmSchedule shape)
    {
        var e = ExpressionOf(shape);
        var tap = TapOf(shape);
        return (unit, reduction) =>
        {
            if (unit == mapping.M) return LoopNest.Ceiling(e.Axis(unit).Extent, shape.TileM);
            if (unit == mapping.N) return LoopNest.Ceiling(e.Axis(unit).Extent, shape.TileN);
            if (unit == mapping.K) return LoopNest.Ceiling(e.Axis(unit).Extent, shape.TileK);
            if (!reduction && unit == shape.WindowAxis) return LoopNest.Ceiling(e.Axis(unit).Extent, shape.Window);
            return reduction && unit == tap ? 2 : e.Axis(unit).Extent;
        };
    }

    private string? TapOf(ImplicitGemmSchedule shape)
    {
        if (shape.WindowAxis is null)
        {
            return null;
        }

        return Probe(InDeclaredOrder(shape))?.Window?.Tap.Name;
    }

    /// <summary><paramref name="shape"/> with its view's index and reduction axes in declared order.</summary>
    private ImplicitGemmSchedule InDeclaredOrder(ImplicitGemmSchedule shape) => shape with
    {
        IndexOrder = [.. ExpressionOf(shape).IndexAxes.Select(a => a.Name)],
        ReductionOrder = [.. ExpressionOf(shape).ReductionAxes.Select(a => a.Name)],
    };

    private IEnumerable<(string? Axis, int Window)> Windows(AxisMerge? merge, GemmMapping mapping)
    {
        yield return (null, 1);
        foreach (var axis in ExpressionOf(merge).IndexAxes.Where(a => a.Name != mapping.M && a.Name != mapping.N))
        {
            var probe = new ImplicitGemmSchedule
            {
                Mapping = mapping, TileM = MeshGemmRules.MQuantum, TileN = MeshGemmRules.NQuantum, TileK = MeshGemmRules.KQuantum,
                IndexOrder = [], ReductionOrder = [], WindowAxis = axis.Name, Window = 1, MergedAxes = merge?.Names ?? [],
            };
            if (TapOf(probe) is null)
            {
                continue;
            }

            // The smallest window for each number of bands: a larger one runs as many bands and pads more.
            var windows = new SortedSet<int>(Enumerable.Range(1, axis.Extent).Select(bands => (axis.Extent + bands - 1) / bands));

            foreach (var window in windows)
            {
                yield return (axis.Name, window);
            }
        }
    }

    private static SortedSet<int> Tiles(int extent, int quantum)
    {
        var padded = (extent + quantum - 1) / quantum * quantum;
        var tiles = new SortedSet<int> { padded };
        for (var tile = quantum; tile < padded; tile *= 2)
        {
            tiles.Add(tile);
        }

        return tiles;
    }

    /// <summary>Permutations of the units of more than one iteration, then the others in their given order.</summary>
    private static IEnumerable<ImmutableArray<string>> Orders(List<string> units, Func<string, long> extent)
    {
        var moving = units.Where(u => extent(u) > 1).ToList();
        var fixedUnits = units.Where(u => extent(u) <= 1).ToList();
        return Permutations(moving).Select(p => p.Concat(fixedUnits).ToImmutableArray());
    }

    private static IEnumerable<List<string>> Permutations(List<string> items)
    {
        if (items.Count <= 1)
        {
            yield return [.. items];
            yield break;
        }

        for (var i = 0; i < items.Count; i++)
        {
            var rest = items.Where((_, j) => j != i).ToList();
            foreach (var tail in Permutations(rest))
            {
                tail.Insert(0, items[i]);
                yield return tail;
            }
        }
    }

    private IEnumerable<(int Groups, string? Split)> Splits(ImmutableArray<string> indexOrder, Func<string, long> extent)
    {
        yield return (1, null);
        if (Limits.CoreGroups > 1)
        {
            foreach (var unit in indexOrder.Where(u => extent(u) >= Limits.CoreGroups))
            {
                yield return (Limits.CoreGroups, unit);
            }
        }
    }
}
