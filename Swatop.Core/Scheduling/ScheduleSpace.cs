using System.Collections.Immutable;
using Swatop.Primitives;

namespace Swatop.Core.Scheduling;

/// <summary>
/// The schedule space of an operator on a target: every GEMM mapping, tile sizes (powers of two
/// times the primitive's quantum, and the padded extent), the window along each sliding-window
/// axis, the orders of the index and reduction loops, each operand's DMA level and double
/// buffering, and the split over core groups. Points that do not fit the LDM or break a rule are pruned,
/// and so is double buffering of an operand with nothing to prefetch (its twin is the same kernel).
/// </summary>
/// <remarks>
/// Loops of one iteration do not move: they sit innermost in a fixed order, so orders that differ
/// only in where such loops are never appear twice. DMA levels likewise name only loops of more
/// than one iteration.
/// </remarks>
public sealed class ScheduleSpace
{
    private static readonly (bool A, bool B)[] Buffering = [(true, true), (true, false), (false, true), (false, false)];

    private ScheduleSpace(OperatorSpec spec, TargetLimits limits)
    {
        Operator = spec;
        Limits = limits;
    }

    /// <summary>The operator.</summary>
    public OperatorSpec Operator { get; }

    /// <summary>The target's limits.</summary>
    public TargetLimits Limits { get; }

    /// <summary>The space of <paramref name="spec"/> on a target with <paramref name="limits"/>.</summary>
    public static ScheduleSpace For(OperatorSpec spec, TargetLimits limits)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(limits);
        return new ScheduleSpace(spec, limits);
    }

    /// <summary>Checks a schedule against the operator and target.</summary>
    /// <exception cref="ScheduleException">A decision breaks a rule; the message names it.</exception>
    public LoopPlan Validate(Schedule schedule) => LoopPlan.Create(Operator, schedule, Limits);

    /// <summary>Every valid schedule, lazily, in a deterministic order.</summary>
    public IEnumerable<Schedule> Enumerate() => EnumeratePlans().Select(plan => plan.Schedule);

    /// <summary>The plans of <see cref="Enumerate"/>'s schedules, in the same order: what a cost model reads.</summary>
    public IEnumerable<LoopPlan> EnumeratePlans() => Candidates().Select(PlanOf).OfType<LoopPlan>();

    /// <summary>A valid schedule drawn at random: each decision uniformly among its choices, redrawn until valid.</summary>
    /// <exception cref="InvalidOperationException">The operator has no GEMM mapping, or no valid schedule was found in 10,000 draws.</exception>
    public Schedule Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var e = Operator.Expression;
        var mappings = GemmMapping.All(e);
        if (mappings.Count == 0)
        {
            throw new InvalidOperationException($"No valid schedule of {Operator} exists: it has no GEMM mapping.");
        }

        for (var attempt = 0; attempt < 10_000; attempt++)
        {
            var mapping = mappings[random.Next(mappings.Count)];
            var shapes = Shapes(mapping).ToList();
            var shape = shapes[random.Next(shapes.Count)];
            var extent = UnitExtents(mapping, shape);
            var ordered = shape with
            {
                IndexOrder = RandomOrder(random, e.IndexAxes, u => extent(u, false)),
                ReductionOrder = RandomOrder(random, e.ReductionAxes, u => extent(u, true)),
            };
            var levels = Levels(ordered);
            var (dbA, dbB) = Buffering[random.Next(Buffering.Length)];
            var splits = Splits(ordered.IndexOrder, u => extent(u, false)).ToList();
            var (groups, split) = splits[random.Next(splits.Count)];
            var schedule = ordered with
            {
                LevelA = levels[random.Next(levels.Count)], LevelB = levels[random.Next(levels.Count)],
                DoubleBufferA = dbA, DoubleBufferB = dbB, CoreGroups = groups, SplitAxis = split,
            };
            if (IsValid(schedule))
            {
                return schedule;
            }
        }

        throw new InvalidOperationException($"No valid schedule of {Operator} was found in 10,000 draws.");
    }

    /// <summary>
    /// A valid schedule that differs from <paramref name="schedule"/> in one decision drawn at random
    /// (the tile shape with its mapping and window, the index order, the reduction order, an operand's
    /// DMA level or double buffering, or the core-group split), written as the space writes its points:
    /// the step of a local search. After 100 draws without a valid neighbour it returns a fresh sample.
    /// </summary>
    /// <exception cref="InvalidOperationException">The space is empty.</exception>
    public Schedule Neighbor(Schedule schedule, Random random)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(random);
        var e = Operator.Expression;
        var extent = UnitExtents(schedule.Mapping, schedule);
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var candidate = schedule;
            switch (random.Next(7))
            {
                case 0:
                {
                    var mappings = GemmMapping.All(e);
                    var mapping = mappings[random.Next(mappings.Count)];
                    var shapes = Shapes(mapping).ToList();
                    var shape = shapes[random.Next(shapes.Count)];
                    candidate = schedule with { Mapping = mapping, TileM = shape.TileM, TileN = shape.TileN, TileK = shape.TileK, WindowAxis = shape.WindowAxis, Window = shape.Window };
                    break;
                }

                case 1:
                    candidate = schedule with { IndexOrder = RandomOrder(random, e.IndexAxes, u => extent(u, false)) };
                    break;
                case 2:
                    candidate = schedule with { ReductionOrder = RandomOrder(random, e.ReductionAxes, u => extent(u, true)) };
                    break;
                case 3:
                case 4:
                {
                    var levels = Levels(schedule);
                    var level = levels[random.Next(levels.Count)];
                    candidate = random.Next(2) == 0 ? schedule with { LevelA = level } : schedule with { LevelB = level };
                    break;
                }

                case 5:
                    candidate = random.Next(2) == 0 ? schedule with { DoubleBufferA = !schedule.DoubleBufferA } : schedule with { DoubleBufferB = !schedule.DoubleBufferB };
                    break;
                default:
                {
                    var splits = Splits(schedule.IndexOrder, u => extent(u, false)).ToList();
                    var (groups, split) = splits[random.Next(splits.Count)];
                    candidate = schedule with { CoreGroups = groups, SplitAxis = split };
                    break;
                }
            }

            if (IsValid(candidate) && Canonical(candidate) is var written && !written.Equals(schedule) && IsValid(written))
            {
                return written;
            }
        }

        return Sample(random);
    }

    /// <summary>
    /// A reasonable schedule without tuning: among the tile shapes that waste the least on padding
    /// (the share of the padded M, N, K and window extents that is real work, to a tenth), the largest
    /// tile, and for it the valid choice with the most core groups and double-buffered operands.
    /// </summary>
    /// <exception cref="InvalidOperationException">The space is empty.</exception>
    public Schedule Default()
    {
        var shapes = GemmMapping.All(Operator.Expression)
            .SelectMany(mapping => Shapes(mapping).Select(shape => (Mapping: mapping, Shape: shape)))
            .OrderByDescending(candidate => Math.Round(Utilization(candidate.Shape), 1))
            .ThenByDescending(candidate => (long)candidate.Shape.TileM * candidate.Shape.TileN * candidate.Shape.TileK)
            .ThenByDescending(candidate => candidate.Shape.Window);
        foreach (var (mapping, shape) in shapes)
        {
            var best = Choices(mapping, shape).Take(4096).Where(IsValid)
                .OrderByDescending(s => s.CoreGroups).ThenByDescending(s => (s.DoubleBufferA ? 1 : 0) + (s.DoubleBufferB ? 1 : 0))
                .FirstOrDefault();
            if (best is not null)
            {
                return best;
            }
        }

        throw new InvalidOperationException($"The schedule space of {Operator} is empty on this target.");
    }

    /// <summary>The share of a shape's padded M, N, K and window extents that is real work.</summary>
    private double Utilization(Schedule shape)
    {
        var e = Operator.Expression;
        static double Share(int extent, int tile) => extent / (double)(LoopPlan.Ceiling(extent, tile) * tile);
        var share = Share(e.Axis(shape.Mapping.M).Extent, shape.TileM) * Share(e.Axis(shape.Mapping.N).Extent, shape.TileN) * Share(e.Axis(shape.Mapping.K).Extent, shape.TileK);
        return shape.WindowAxis is null ? share : share * Share(e.Axis(shape.WindowAxis).Extent, shape.Window);
    }

    /// <summary>
    /// The schedule as the space writes it: loops of one iteration (whole-extent tiles, windows that
    /// cover their axis) moved innermost in declared order. Schedules that differ only in where such
    /// loops sit lower to the same kernel; this one is the point <see cref="Enumerate"/> yields.
    /// </summary>
    public Schedule Canonical(Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var e = Operator.Expression;
        var extent = UnitExtents(schedule.Mapping, schedule);
        static ImmutableArray<string> Normalize(ImmutableArray<string> order, ImmutableArray<Axis> declared, Func<string, long> extent) =>
            [.. order.Where(u => extent(u) > 1), .. declared.Select(a => a.Name).Where(u => extent(u) <= 1 && order.Contains(u))];
        return schedule with
        {
            IndexOrder = Normalize(schedule.IndexOrder, e.IndexAxes, u => extent(u, false)),
            ReductionOrder = Normalize(schedule.ReductionOrder, e.ReductionAxes, u => extent(u, true)),
        };
    }

    /// <summary>
    /// Whether a schedule is a point of the space: valid, and double-buffering only operands that have
    /// a next iteration to prefetch (<see cref="LoopPlan.CanPrefetch"/>); the other double-buffered
    /// schedules run exactly as their single-buffered twins with more LDM.
    /// </summary>
    private bool IsValid(Schedule schedule) => PlanOf(schedule) is not null;

    /// <summary>The plan of a point of the space, or null when the schedule is not one.</summary>
    private LoopPlan? PlanOf(Schedule schedule)
    {
        try
        {
            var plan = LoopPlan.Create(Operator, schedule, Limits);
            return (!schedule.DoubleBufferA || plan.CanPrefetch(plan.A)) && (!schedule.DoubleBufferB || plan.CanPrefetch(plan.B)) ? plan : null;
        }
        catch (ScheduleException)
        {
            return null;
        }
    }

    private IEnumerable<Schedule> Candidates() =>
        GemmMapping.All(Operator.Expression).SelectMany(mapping => Shapes(mapping).SelectMany(shape => Choices(mapping, shape)));

    private IEnumerable<Schedule> Shapes(GemmMapping mapping)
    {
        var e = Operator.Expression;
        foreach (var tileM in Tiles(e.Axis(mapping.M).Extent, MeshGemmRules.MQuantum))
        {
            foreach (var tileN in Tiles(e.Axis(mapping.N).Extent, MeshGemmRules.NQuantum))
            {
                foreach (var tileK in Tiles(e.Axis(mapping.K).Extent, MeshGemmRules.KQuantum))
                {
                    foreach (var (axis, window) in Windows(mapping))
                    {
                        yield return new Schedule
                        {
                            Mapping = mapping, TileM = tileM, TileN = tileN, TileK = tileK, WindowAxis = axis, Window = window,
                            IndexOrder = [], ReductionOrder = [],
                        };
                    }
                }
            }
        }
    }

    private IEnumerable<Schedule> Choices(GemmMapping mapping, Schedule shape)
    {
        var e = Operator.Expression;
        var extent = UnitExtents(mapping, shape);
        foreach (var indexOrder in Orders([.. e.IndexAxes.Select(a => a.Name)], u => extent(u, false)))
        {
            foreach (var reductionOrder in Orders([.. e.ReductionAxes.Select(a => a.Name)], u => extent(u, true)))
            {
                var ordered = shape with { IndexOrder = indexOrder, ReductionOrder = reductionOrder };
                var levels = Levels(ordered);
                foreach (var levelA in levels)
                {
                    foreach (var levelB in levels)
                    {
                        foreach (var (dbA, dbB) in Buffering)
                        {
                            foreach (var (groups, split) in Splits(indexOrder, u => extent(u, false)))
                            {
                                yield return ordered with { LevelA = levelA, LevelB = levelB, DoubleBufferA = dbA, DoubleBufferB = dbB, CoreGroups = groups, SplitAxis = split };
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// The trip count of each unit of the loop orders under <paramref name="shape"/>, by unit name and whether it is a
    /// reduction unit; a window's tap unit (input columns, then taps) always counts as more than one iteration.
    /// </summary>
    private Func<string, bool, long> UnitExtents(GemmMapping mapping, Schedule shape)
    {
        var e = Operator.Expression;
        var tap = TapOf(shape);
        return (unit, reduction) =>
        {
            if (unit == mapping.M) return LoopPlan.Ceiling(e.Axis(unit).Extent, shape.TileM);
            if (unit == mapping.N) return LoopPlan.Ceiling(e.Axis(unit).Extent, shape.TileN);
            if (unit == mapping.K) return LoopPlan.Ceiling(e.Axis(unit).Extent, shape.TileK);
            if (!reduction && unit == shape.WindowAxis) return LoopPlan.Ceiling(e.Axis(unit).Extent, shape.Window);
            return reduction && unit == tap ? 2 : e.Axis(unit).Extent;
        };
    }

    private string? TapOf(Schedule shape)
    {
        if (shape.WindowAxis is null)
        {
            return null;
        }

        var probe = shape with
        {
            IndexOrder = [.. Operator.Expression.IndexAxes.Select(a => a.Name)],
            ReductionOrder = [.. Operator.Expression.ReductionAxes.Select(a => a.Name)],
            LevelA = null, LevelB = null, DoubleBufferA = false, DoubleBufferB = false, CoreGroups = 1, SplitAxis = null,
        };
        try
        {
            return LoopPlan.Create(Operator, probe, Limits with { LdmBudgetBytes = long.MaxValue }).Window?.Tap.Name;
        }
        catch (ScheduleException)
        {
            return null;
        }
    }

    private IEnumerable<(string? Axis, int Window)> Windows(GemmMapping mapping)
    {
        yield return (null, 1);
        foreach (var axis in Operator.Expression.IndexAxes.Where(a => a.Name != mapping.M && a.Name != mapping.N))
        {
            var probe = new Schedule
            {
                Mapping = mapping, TileM = MeshGemmRules.MQuantum, TileN = MeshGemmRules.NQuantum, TileK = MeshGemmRules.KQuantum,
                IndexOrder = [], ReductionOrder = [], WindowAxis = axis.Name, Window = 1,
            };
            if (TapOf(probe) is null)
            {
                continue;
            }

            var windows = new SortedSet<int> { axis.Extent };
            for (var w = 1; w < axis.Extent; w *= 2)
            {
                windows.Add(w);
            }

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

    /// <summary>One of <see cref="Orders"/>, uniformly at random.</summary>
    private static ImmutableArray<string> RandomOrder(Random random, ImmutableArray<Axis> axes, Func<string, long> extent)
    {
        var moving = axes.Select(a => a.Name).Where(u => extent(u) > 1).ToArray();
        random.Shuffle(moving);
        return [.. moving, .. axes.Select(a => a.Name).Where(u => extent(u) <= 1)];
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

    private List<string?> Levels(Schedule ordered)
    {
        var levels = new List<string?> { null };
        try
        {
            var plan = LoopPlan.Create(Operator, ordered with { CoreGroups = 1, SplitAxis = null }, Limits with { LdmBudgetBytes = long.MaxValue });
            levels.AddRange(plan.ReductionLoops.Where(l => l.Extent > 1).Select(l => l.Var));
        }
        catch (ScheduleException)
        {
            // The shape itself is invalid: only the top level is offered and validation rejects it.
        }

        return levels;
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
