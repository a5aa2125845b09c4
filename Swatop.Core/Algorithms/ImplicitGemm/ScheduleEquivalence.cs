using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Swatop.Core.Scheduling;

namespace Swatop.Core.Algorithms.ImplicitGemm;

/// <summary>
/// The rules by which a schedule space keeps one point of each class of schedules that run alike,
/// and leaves out choices that only add transfers:
/// <list type="bullet">
/// <item><b>Interchangeable loops.</b> Two adjacent loops of more than one iteration that the same
/// operands read, neither split over the core groups nor part of the window's two-loop unit, and not
/// separated by a DMA level, can trade places: the kernel issues the same transfers and GEMM calls,
/// of the same sizes and in the same pattern, only visiting the tiles in another order (the time model
/// sees that order only in where border tiles fall). The space keeps such runs in declared order.</item>
/// <item><b>Levels on loops an operand does not read.</b> An operand's buffer covers the same loops
/// whether its DMA level names such a loop or the nearest loop outside it that the operand reads. The
/// hoist pass then either takes the group out to that loop (the same kernel) or keeps it in, when the
/// other operand's group leads it there, to fetch the same data again every iteration (more transfers,
/// nothing gained); a group placed before every reduction loop can moreover leave index loops, which a
/// group hoisted out of the reduction loops cannot. The space offers only levels on loops the operand
/// reads.</item>
/// </list>
/// </summary>
internal static class ScheduleEquivalence
{
    /// <summary>A unit that never trades places: split, part of the window, or of one iteration.</summary>
    private const int Fixed = -1;

    /// <summary>The DMA levels the space offers input <paramref name="operand"/>: before the reduction loops, or a loop of more than one iteration it reads.</summary>
    internal static List<string?> Levels(LoopPlan probe, PlannedOperand operand) =>
        [null, .. probe.ReductionLoops.Where(l => l.Extent > 1 && probe.DependsOn(operand.Access, l)).Select(l => l.Var)];

    /// <summary>
    /// <paramref name="level"/> of <paramref name="operand"/> moved out past loops of more than one
    /// iteration it does not read, to the nearest one it reads (or before them all).
    /// </summary>
    internal static string? Level(LoopPlan probe, PlannedOperand operand, string? level)
    {
        var loops = probe.ReductionLoops;
        var position = loops.Select(l => l.Var).ToList().IndexOf(level!);
        if (position < 0 || loops[position].Extent <= 1 || probe.DependsOn(operand.Access, loops[position]))
        {
            return level;
        }

        for (var p = position - 1; p >= 0; p--)
        {
            if (loops[p].Extent > 1 && probe.DependsOn(operand.Access, loops[p]))
            {
                return loops[p].Var;
            }
        }

        return null;
    }

    /// <summary>The index order with each run of interchangeable loops in declared order.</summary>
    internal static ImmutableArray<string> IndexOrder(LoopPlan probe, string? split)
    {
        var declared = probe.View.Expression.IndexAxes.Select(a => a.Name).ToList();
        int Key(string unit)
        {
            var loop = probe.IndexLoops.First(l => l.Axis == unit);
            return unit == split || loop.Extent <= 1 ? Fixed : Reads(probe, loop);
        }

        return Sorted(probe.Schedule.IndexOrder, Key, _ => false, declared.IndexOf);
    }

    /// <summary>
    /// The reduction order with each run of interchangeable loops in declared order, runs ending at
    /// the loops the inputs' <paramref name="levels"/> name.
    /// </summary>
    internal static ImmutableArray<string> ReductionOrder(LoopPlan probe, IReadOnlyList<string?> levels) => ReductionOrders(probe)(levels);

    /// <summary>
    /// <see cref="ReductionOrder"/> of <paramref name="probe"/> for any levels, what depends on the probe alone
    /// worked out once: the space asks it for every combination of levels of every loop order.
    /// </summary>
    internal static Func<IReadOnlyList<string?>, ImmutableArray<string>> ReductionOrders(LoopPlan probe)
    {
        var declared = probe.View.Expression.ReductionAxes.Select(a => a.Name).ToList();
        var keys = new Dictionary<string, int>(StringComparer.Ordinal);
        var vars = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var unit in probe.Schedule.ReductionOrder)
        {
            var loops = probe.ReductionLoops.Where(l => probe.UnitOf(l) == unit).ToList();
            keys[unit] = loops.Count != 1 || loops[0].Extent <= 1 ? Fixed : Reads(probe, loops[0]);
            vars[unit] = [.. loops.Select(l => l.Var)];
        }

        return levels => Sorted(probe.Schedule.ReductionOrder, unit => keys[unit], unit => vars[unit].Any(levels.Contains), declared.IndexOf);
    }

    /// <summary>
    /// <paramref name="schedule"/> (whose tile shape and orders <paramref name="probe"/> plans) with its
    /// levels moved out by <see cref="Level"/> and its runs of interchangeable loops in declared order,
    /// a level on a loop that moved naming the loop now in its place.
    /// </summary>
    internal static ImplicitGemmSchedule Representative(LoopPlan probe, ImplicitGemmSchedule schedule)
    {
        var levels = probe.Inputs.Select(input => Level(probe, input, schedule.Operand(input.Role).Level)).ToList();
        var reduction = ReductionOrder(probe, levels);
        string? InPlace(string? level)
        {
            var unit = level is null ? -1 : schedule.ReductionOrder.ToList().FindIndex(u => VarOf(probe, u) == level);
            return unit < 0 ? level : VarOf(probe, reduction[unit]);
        }

        return schedule.WithOperands(o => o.Role == OperandRole.Output ? o : o with { Level = InPlace(levels[ImplicitGemmSchedule.Roles.IndexOf(o.Role)]) }) with
        {
            IndexOrder = IndexOrder(probe, schedule.SplitAxis),
            ReductionOrder = reduction,
        };
    }

    /// <summary>The variable of a reduction unit's loop, or null for the window's unit of two loops.</summary>
    private static string? VarOf(LoopPlan probe, string unit)
    {
        var loops = probe.ReductionLoops.Where(l => probe.UnitOf(l) == unit).ToList();
        return loops.Count == 1 ? loops[0].Var : null;
    }

    /// <summary>Which inputs read <paramref name="loop"/>, a bit each.</summary>
    private static int Reads(LoopPlan probe, PlannedLoop loop)
    {
        var bits = 0;
        for (var i = 0; i < probe.Inputs.Length; i++)
        {
            bits |= probe.DependsOn(probe.Inputs[i].Access, loop) ? 1 << i : 0;
        }

        return bits;
    }

    /// <summary>
    /// <paramref name="order"/> with each run of adjacent units of one key (not <see cref="Fixed"/>)
    /// sorted by <paramref name="declared"/>; a run ends at a unit <paramref name="cutAfter"/> holds for.
    /// </summary>
    private static ImmutableArray<string> Sorted(ImmutableArray<string> order, Func<string, int> key, Func<string, bool> cutAfter, Func<string, int> declared)
    {
        var units = order.ToArray();
        Comparer<string>? byDeclaration = null;
        var start = 0;
        while (start < units.Length)
        {
            var end = start;
            var k = key(units[start]);
            while (k != Fixed && !cutAfter(units[end]) && end + 1 < units.Length && key(units[end + 1]) == k)
            {
                end++;
            }

            if (end > start)
            {
                byDeclaration ??= Comparer<string>.Create((x, y) => declared(x).CompareTo(declared(y)));
                Array.Sort(units, start, end - start + 1, byDeclaration);
            }

            start = end + 1;
        }

        return ImmutableCollectionsMarshal.AsImmutableArray(units);
    }
}
