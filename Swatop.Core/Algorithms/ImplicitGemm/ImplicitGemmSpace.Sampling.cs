using System.Collections.Immutable;
using Swatop.Core.Scheduling;

namespace Swatop.Core.Algorithms.ImplicitGemm;

/// <summary>Random points of the space and random steps between them, for search strategies.</summary>
public sealed partial class ImplicitGemmSpace
{
    /// <summary>
    /// A point drawn at random: the tile shape, the loop orders and the DMA levels each uniformly among
    /// their choices, written as the space writes them (<see cref="Canonical"/>), then the split and
    /// buffering uniformly among the points they leave; redrawn until that is a point.
    /// </summary>
    /// <exception cref="InvalidOperationException">The operator has no GEMM mapping, or no point was found in 10,000 draws.</exception>
    public ImplicitGemmSchedule Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var shapes = KeptShapes().ToList();
        if (shapes.Count == 0)
        {
            throw new InvalidOperationException($"No valid schedule of {Operator} exists: it has no GEMM mapping.");
        }

        for (var attempt = 0; attempt < 10_000; attempt++)
        {
            var ordered = RandomlyOrdered(shapes[random.Next(shapes.Count)], random);
            if (Probe(ordered) is not { } probe)
            {
                continue;
            }

            var levels = probe.Inputs.Select(input => ScheduleEquivalence.Levels(probe, input)).ToList();
            var based = WithLevels(ordered, [.. levels.Select(choices => choices[random.Next(choices.Count)])]);
            if (Complete(based, random) is { } point)
            {
                return point;
            }
        }

        throw new InvalidOperationException($"No valid schedule of {Operator} was found in 10,000 draws.");
    }

    /// <summary>
    /// A point that differs from <paramref name="schedule"/> in one decision drawn at random (the tile
    /// shape with its mapping and window, the index order, the reduction order, an operand's DMA level,
    /// or the split and buffering), written as the space writes its points, the split and buffering
    /// kept where they still make a point: the step of a local search. After 100 draws without a
    /// neighbour it returns a fresh sample.
    /// </summary>
    /// <exception cref="InvalidOperationException">The space is empty.</exception>
    public ImplicitGemmSchedule Neighbor(ImplicitGemmSchedule schedule, Random random)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(random);
        var e = ExpressionOf(schedule);
        var extent = UnitExtents(schedule.Mapping, schedule);
        var shapes = KeptShapes().ToList();
        for (var attempt = 0; attempt < 100 && shapes.Count > 0; attempt++)
        {
            ImplicitGemmSchedule? candidate = null;
            switch (random.Next(6))
            {
                case 0:
                {
                    // A shape of another view names other axes: its orders are drawn afresh.
                    var shape = shapes[random.Next(shapes.Count)];
                    candidate = Complete(shape.MergedAxes.SequenceEqual(schedule.MergedAxes)
                        ? schedule with { Mapping = shape.Mapping, TileM = shape.TileM, TileN = shape.TileN, TileK = shape.TileK, WindowAxis = shape.WindowAxis, Window = shape.Window, BlockedLayouts = shape.BlockedLayouts, GroupMemory = shape.GroupMemory }
                        : RandomlyOrdered(shape, random), random, schedule);
                    break;
                }

                case 1:
                    candidate = Complete(schedule with { IndexOrder = RandomOrder(random, e.IndexAxes, u => extent(u, false)) }, random, schedule);
                    break;
                case 2:
                    candidate = Complete(schedule with { ReductionOrder = RandomOrder(random, e.ReductionAxes, u => extent(u, true)) }, random, schedule);
                    break;
                case 3:
                case 4:
                {
                    if (Probe(schedule) is { } probe)
                    {
                        var input = probe.Inputs[random.Next(probe.Inputs.Length)];
                        var levels = ScheduleEquivalence.Levels(probe, input);
                        var level = levels[random.Next(levels.Count)];
                        candidate = Complete(schedule.WithOperand(schedule.Operand(input.Role) with { Level = level }), random, schedule);
                    }

                    break;
                }

                default:
                {
                    var others = PointsOf(schedule).Where(s => !s.Equals(schedule)).ToList();
                    candidate = others.Count > 0 ? others[random.Next(others.Count)] : null;
                    break;
                }
            }

            if (candidate is not null && !candidate.Equals(schedule))
            {
                return candidate;
            }
        }

        return Sample(random);
    }

    /// <summary>
    /// A point with <paramref name="based"/>'s shape, orders and levels as the space writes them: with
    /// <paramref name="like"/>'s split and buffering where that is one, else with a split and buffering
    /// drawn among the points there are; null when there are none.
    /// </summary>
    private ImplicitGemmSchedule? Complete(ImplicitGemmSchedule based, Random random, ImplicitGemmSchedule? like = null)
    {
        var points = PointsOf(based);
        if (points.Count == 0)
        {
            return null;
        }

        return points.FirstOrDefault(s => like is not null && s.CoreGroups == like.CoreGroups && s.SplitAxis == like.SplitAxis
            && s.Operands.Select(o => o.DoubleBuffer).SequenceEqual(like.Operands.Select(o => o.DoubleBuffer))) ?? points[random.Next(points.Count)];
    }

    /// <summary><paramref name="shape"/> with loop orders drawn uniformly at random.</summary>
    private ImplicitGemmSchedule RandomlyOrdered(ImplicitGemmSchedule shape, Random random)
    {
        var e = ExpressionOf(shape);
        var extent = UnitExtents(shape.Mapping, shape);
        return shape with
        {
            IndexOrder = RandomOrder(random, e.IndexAxes, u => extent(u, false)),
            ReductionOrder = RandomOrder(random, e.ReductionAxes, u => extent(u, true)),
        };
    }

    /// <summary>One of <see cref="Orders"/>, uniformly at random.</summary>
    private static ImmutableArray<string> RandomOrder(Random random, ImmutableArray<Axis> axes, Func<string, long> extent)
    {
        var moving = axes.Select(a => a.Name).Where(u => extent(u) > 1).ToArray();
        random.Shuffle(moving);
        return [.. moving, .. axes.Select(a => a.Name).Where(u => extent(u) <= 1)];
    }
}
