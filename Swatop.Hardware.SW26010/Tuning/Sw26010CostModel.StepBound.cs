using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Scheduling;
using Swatop.Core.Tuning;

namespace Swatop.Hardware.Sw26010.Tuning;

/// <summary>The least the layout steps around an implicit GEMM family's plans can cost, for its end-to-end bound.</summary>
public sealed partial class Sw26010CostModel
{
    /// <inheritdoc/>
    /// <remarks>
    /// <see cref="LowerBound"/> and, end to end, for an implicit GEMM family, the least its plans' layout steps can cost
    /// (<see cref="LeastStepSeconds"/>): up to one plan a split to build, which a ranking pays only for the families it reaches.
    /// </remarks>
    public double TightLowerBound(PlanFamily family, TuningObjective objective = TuningObjective.EndToEnd)
    {
        ArgumentNullException.ThrowIfNull(family);
        var bound = LowerBound(family, objective);
        return objective == TuningObjective.EndToEnd && family.Probe() is LoopPlan probe ? bound + (LeastStepSeconds(probe) * (1 - 1e-9)) : bound;
    }

    /// <summary>
    /// The least layout-step seconds (<see cref="StepSeconds(Core.Scheduling.SchedulePlan)"/>) of any plan of the family
    /// <paramref name="probe"/> probes. A tensor's layout follows from the tile shape alone (mapping, tiles, window,
    /// blocking, merge), which the family's plans share with the probe; what else a step's price reads is the tensor's
    /// distribution over the core groups, which follows from the split: one core group, or all of them along one index
    /// unit of enough iterations. So every plan's steps are those of the probe or of the probe split along one of its
    /// units, and the least of those bounds them. Where the probe split along a unit of enough iterations cannot be
    /// planned, the bound falls back to 0.
    /// </summary>
    private double LeastStepSeconds(LoopPlan probe)
    {
        var least = StepSeconds(probe);
        var groups = probe.Limits.CoreGroups;
        if (least == 0 || groups == 1)
        {
            return least;
        }

        var unbounded = probe.Limits with { LdmBudgetBytes = long.MaxValue };
        foreach (var unit in probe.Schedule.IndexOrder)
        {
            var split = LoopPlan.TryCreate(probe.Operator, probe.Schedule with { CoreGroups = groups, SplitAxis = unit }, unbounded, out _);
            if (split is null)
            {
                var trips = probe.IndexLoops.Where(loop => probe.UnitOf(loop) == unit).Aggregate(1L, (product, loop) => product * probe.TripsOf(loop));
                if (trips < groups)
                {
                    continue;
                }

                return 0;
            }

            least = Math.Min(least, StepSeconds(split));
        }

        return least;
    }
}
