using System.Globalization;

namespace Swatop.Core.Scheduling;

/// <summary>
/// The rules of a schedule whose core groups share the batch in equal chunks, as the direct convolution's and
/// Winograd's do: the core-group count, the split axis <c>n</c> (none on one group), and an image for every group.
/// </summary>
internal static class BatchShareRules
{
    /// <summary>Refuses <paramref name="schedule"/>'s core groups and split axis where they break a rule.</summary>
    /// <param name="schedule">The schedule.</param>
    /// <param name="batch">The operator's batch.</param>
    /// <param name="limits">The target's limits.</param>
    /// <param name="whose">Whose core groups, as a message names them ("Winograd's").</param>
    /// <exception cref="ScheduleException">A rule is broken (<see cref="ScheduleDiagnostics.IllegalSplit"/>).</exception>
    public static void Check(Schedule schedule, int batch, TargetLimits limits, string whose)
    {
        var ic = CultureInfo.InvariantCulture;
        if (schedule.CoreGroups < 1 || schedule.CoreGroups > limits.CoreGroups || schedule.CoreGroups > batch)
        {
            throw new ScheduleException(ScheduleDiagnostics.IllegalSplit, nameof(Schedule.CoreGroups),
                string.Create(ic, $"CoreGroups = {schedule.CoreGroups} must be from 1 to the target's {limits.CoreGroups} core groups and at most the batch {batch}."));
        }

        var splitAxis = schedule.CoreGroups == 1 ? null : "n";
        if (schedule.SplitAxis != splitAxis)
        {
            throw new ScheduleException(ScheduleDiagnostics.IllegalSplit, nameof(Schedule.SplitAxis),
                string.Create(ic, $"SplitAxis = {schedule.SplitAxis ?? "null"} with CoreGroups = {schedule.CoreGroups}: {whose} core groups share the batch, so the split axis is {splitAxis ?? "null"}."));
        }

        var chunk = (batch + schedule.CoreGroups - 1) / schedule.CoreGroups;
        if (schedule.CoreGroups > 1 && batch - ((schedule.CoreGroups - 1) * chunk) < 1)
        {
            throw new ScheduleException(ScheduleDiagnostics.IllegalSplit, nameof(Schedule.CoreGroups),
                string.Create(ic, $"CoreGroups = {schedule.CoreGroups} on a batch of {batch} in chunks of {chunk} leaves the last core group no image."));
        }
    }
}
