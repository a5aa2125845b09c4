namespace Swatop.Core.Scheduling;

/// <summary>
/// The points of another space that a rule keeps (<see cref="Keeps"/>), such as the schedules without
/// merged axes: a search over it finds the fastest point of that family alone.
/// </summary>
internal sealed class FilteredScheduleSpace : IScheduleSpace
{
    /// <summary>Draws a random point or neighbour may take before it gives up on the rule.</summary>
    private const int Draws = 10_000;

    private readonly IScheduleSpace _inner;
    private readonly Func<Schedule, bool> _keeps;

    /// <summary>The points of <paramref name="inner"/> that <paramref name="keeps"/> holds, the rule described by <paramref name="rule"/> in messages.</summary>
    public FilteredScheduleSpace(IScheduleSpace inner, Func<Schedule, bool> keeps, string rule)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _keeps = keeps ?? throw new ArgumentNullException(nameof(keeps));
        Rule = rule ?? throw new ArgumentNullException(nameof(rule));
    }

    /// <summary>The rule, in words.</summary>
    public string Rule { get; }

    /// <inheritdoc/>
    public OperatorSpec Operator => _inner.Operator;

    /// <inheritdoc/>
    public TargetLimits Limits => _inner.Limits;

    /// <summary>Whether the rule keeps <paramref name="schedule"/>.</summary>
    public bool Keeps(Schedule schedule) => _keeps(schedule);

    /// <inheritdoc/>
    /// <exception cref="ScheduleException">The inner space refuses the schedule, or the rule does (<see cref="ScheduleDiagnostics.NotApplicable"/>).</exception>
    public SchedulePlan Validate(Schedule schedule)
    {
        var plan = _inner.Validate(schedule);
        return Keeps(schedule) ? plan
            : throw new ScheduleException(ScheduleDiagnostics.NotApplicable, "schedule", $"The schedule {schedule} is not one of the space's points {Rule}.");
    }

    /// <inheritdoc/>
    public IEnumerable<Schedule> Enumerate() => _inner.Enumerate().Where(Keeps);

    /// <inheritdoc/>
    public IEnumerable<SchedulePlan> EnumeratePlans() => _inner.EnumeratePlans().Where(plan => Keeps(plan.Schedule));

    /// <inheritdoc/>
    public IEnumerable<SchedulePlan> EnumeratePlans(int part, int parts, CancellationToken cancellation = default) =>
        _inner.EnumeratePlans(part, parts, cancellation).Where(plan => Keeps(plan.Schedule));

    /// <inheritdoc/>
    public IEnumerable<PlanFamily> EnumerateFamilies(int parts) => _inner.EnumerateFamilies(parts).Select(family => family.Where(Keeps));

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">The rule keeps no point.</exception>
    public Schedule Default()
    {
        var preferred = _inner.Default();
        return Keeps(preferred) ? preferred
            : Enumerate().FirstOrDefault() ?? throw new InvalidOperationException($"The schedule space of {Operator} holds no point {Rule}.");
    }

    /// <inheritdoc/>
    public Schedule Canonical(Schedule schedule) => _inner.Canonical(schedule);

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">No point the rule keeps was drawn.</exception>
    public Schedule Sample(Random random) => Draw(() => _inner.Sample(random));

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">No point the rule keeps was drawn.</exception>
    public Schedule Neighbor(Schedule schedule, Random random) => Draw(() => _inner.Neighbor(schedule, random));

    private Schedule Draw(Func<Schedule> draw)
    {
        for (var attempt = 0; attempt < Draws; attempt++)
        {
            if (draw() is var schedule && Keeps(schedule))
            {
                return schedule;
            }
        }

        throw new InvalidOperationException($"No point of the schedule space of {Operator} {Rule} was found in {Draws:N0} draws.");
    }
}
