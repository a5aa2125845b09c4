using Swatop.Core.Scheduling;

namespace Swatop.Core;

/// <summary>The fluent step from a described operator to a scheduled one.</summary>
public static class OperatorScheduling
{
    /// <summary>Chooses <paramref name="schedule"/> for the operator.</summary>
    public static ScheduledOperator WithSchedule(this OperatorSpec spec, Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(schedule);
        return new ScheduledOperator(spec, schedule);
    }

    /// <summary>The operator's schedule space on a target with <paramref name="limits"/>, its points keeping the tensors <paramref name="constraints"/> names as it requires.</summary>
    public static ScheduleSpace Space(this OperatorSpec spec, TargetLimits limits, Layouts.PlacementConstraints? constraints = null) => ScheduleSpace.For(spec, limits, constraints);
}
