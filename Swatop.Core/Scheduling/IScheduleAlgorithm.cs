using Swatop.Core.Layouts;
using Swatop.Core.Lowering;

namespace Swatop.Core.Scheduling;

/// <summary>
/// A way to compute an operator on a target from tensorized primitives (implicit GEMM, and later
/// explicit im2col, Winograd, direct convolution): it says whether it applies to an operator, and
/// supplies the operator's space of its schedules, the check and unfolding of one schedule into a plan,
/// and the lowering of a plan to the loop IR. A target prices its plans (<see cref="Tuning.ICostModel"/>,
/// through <see cref="ISchedulePlanVisitor{TResult}"/>). <see cref="ScheduleAlgorithms"/> lists them.
/// </summary>
public interface IScheduleAlgorithm
{
    /// <summary>The algorithm's name, its schedules' <see cref="Schedule.Algorithm"/> and JSON discriminator.</summary>
    string Name { get; }

    /// <summary>Whether the algorithm can compute <paramref name="spec"/> at all (its space may still be empty on a small target).</summary>
    bool AppliesTo(OperatorSpec spec);

    /// <summary>
    /// The operator's schedules of this algorithm on a target with <paramref name="limits"/> that keep the
    /// operator's tensors as <paramref name="constraints"/> requires.
    /// </summary>
    IScheduleSpace Space(OperatorSpec spec, TargetLimits limits, PlacementConstraints constraints);

    /// <summary>Checks <paramref name="schedule"/> against the operator and target and unfolds it into the facts lowering and cost models read.</summary>
    /// <exception cref="ScheduleException">A decision breaks a rule, or the schedule is another algorithm's; the message names the decision, its value and the rule.</exception>
    SchedulePlan Plan(OperatorSpec spec, Schedule schedule, TargetLimits limits);

    /// <summary>Lowers a plan of this algorithm to a loop kernel.</summary>
    /// <exception cref="ArgumentException">The plan is another algorithm's.</exception>
    LoweredKernel Lower(SchedulePlan plan);
}
