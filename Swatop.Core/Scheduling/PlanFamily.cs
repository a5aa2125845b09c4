namespace Swatop.Core.Scheduling;

/// <summary>
/// A part of a schedule space that a cost model may bound before any of its plans is built
/// (<see cref="Tuning.ICostModel.LowerBound"/>), so that a ranking skips a whole family whose bound
/// exceeds the estimates it already holds. Either the points of one tile shape, all running the loops of
/// one probe plan (<see cref="OfShape"/>), or a part of a space with nothing to bound it by
/// (<see cref="Unbounded"/>). A space's families together hold each of its points once
/// (<see cref="IScheduleSpace.EnumerateFamilies"/>).
/// </summary>
public sealed class PlanFamily
{
    private readonly Func<SchedulePlan?>? _probe;
    private readonly Func<CancellationToken, IEnumerable<SchedulePlan>> _plans;

    private PlanFamily(Func<SchedulePlan?>? probe, Func<CancellationToken, IEnumerable<SchedulePlan>> plans)
    {
        _probe = probe;
        _plans = plans ?? throw new ArgumentNullException(nameof(plans));
    }

    /// <summary>Whether the family has a probe that a cost model may bound it by.</summary>
    public bool HasProbe => _probe is not null;

    /// <summary>
    /// The points of one tile shape. Every plan of the family runs <paramref name="probe"/>'s loops (its mapping,
    /// tiles, window, merge and layouts, so the same loops with the same trip counts on one core group), in any
    /// order, with any DMA levels and buffering, and with an index loop split over at most
    /// <see cref="TargetLimits.CoreGroups"/> core groups of the probe's limits, each group running its share.
    /// </summary>
    /// <param name="probe">Builds the probe: the shape on one core group; null when the shape has none to offer.</param>
    /// <param name="plans">The family's plans, in a deterministic order, checking the token.</param>
    public static PlanFamily OfShape(Func<SchedulePlan?> probe, Func<CancellationToken, IEnumerable<SchedulePlan>> plans) =>
        new(probe ?? throw new ArgumentNullException(nameof(probe)), plans);

    /// <summary>A part of a space with no probe: a cost model cannot bound it, and a ranking estimates each of its plans.</summary>
    /// <param name="plans">The part's plans, in a deterministic order, checking the token.</param>
    public static PlanFamily Unbounded(Func<CancellationToken, IEnumerable<SchedulePlan>> plans) => new(null, plans);

    /// <summary>Builds the probe (see <see cref="OfShape"/>): null for an unbounded family, or where the shape gave none.</summary>
    public SchedulePlan? Probe() => _probe?.Invoke();

    /// <summary>The family's plans, lazily, in a deterministic order.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was cancelled.</exception>
    public IEnumerable<SchedulePlan> Plans(CancellationToken cancellation = default) => _plans(cancellation);

    /// <summary>The plans of the family whose schedules <paramref name="keeps"/> holds, under the same probe: a bound of a family bounds any part of it.</summary>
    public PlanFamily Where(Func<Schedule, bool> keeps)
    {
        ArgumentNullException.ThrowIfNull(keeps);
        return new PlanFamily(_probe, cancellation => _plans(cancellation).Where(plan => keeps(plan.Schedule)));
    }

    /// <summary>The plans of the family that <paramref name="keeps"/> holds, under the same probe.</summary>
    public PlanFamily WherePlans(Func<SchedulePlan, bool> keeps)
    {
        ArgumentNullException.ThrowIfNull(keeps);
        return new PlanFamily(_probe, cancellation => _plans(cancellation).Where(keeps));
    }
}
