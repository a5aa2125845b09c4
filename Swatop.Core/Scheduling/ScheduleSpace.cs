using System.Collections.Immutable;
using Swatop.Core.Layouts;

namespace Swatop.Core.Scheduling;

/// <summary>
/// The schedule space of an operator on a target: the union of the spaces of every algorithm that
/// applies to it (<see cref="ScheduleAlgorithms"/>), in the order of <see cref="ScheduleAlgorithms.All"/>.
/// Each algorithm's space says how it is built and pruned (for implicit GEMM,
/// <see cref="Algorithms.ImplicitGemm.ImplicitGemmSpace"/>); a schedule is checked, written canonically
/// and stepped from by the space of its own algorithm. Where the target's limits bound its main memory
/// (<see cref="TargetLimits.MainMemoryBytes"/>), the union leaves out every point whose kernel would not fit it
/// (<see cref="MainMemoryFootprint"/>), and refuses such a schedule with <see cref="ScheduleDiagnostics.MainMemoryOverflow"/>.
/// </summary>
public sealed class ScheduleSpace : IScheduleSpace
{
    /// <summary>The algorithm of each of <see cref="Spaces"/>, in the same order.</summary>
    private readonly ImmutableArray<IScheduleAlgorithm> _algorithms;

    private ScheduleSpace(OperatorSpec spec, TargetLimits limits, ImmutableArray<IScheduleAlgorithm> algorithms, PlacementConstraints constraints)
    {
        Operator = spec;
        Limits = limits;
        _algorithms = algorithms;
        Spaces = [.. algorithms.Select(a => a.Space(spec, limits, constraints))];
    }

    /// <inheritdoc/>
    public OperatorSpec Operator { get; }

    /// <inheritdoc/>
    public TargetLimits Limits { get; }

    /// <summary>The space of each algorithm that applies to the operator.</summary>
    public ImmutableArray<IScheduleSpace> Spaces { get; }

    /// <summary>
    /// The space of <paramref name="spec"/> on a target with <paramref name="limits"/>: of every algorithm that
    /// applies, the points that keep the operator's tensors as <paramref name="constraints"/> requires (every
    /// point when null), so that a kernel reads a producer's output, or writes its consumer's input, as it is.
    /// </summary>
    public static ScheduleSpace For(OperatorSpec spec, TargetLimits limits, PlacementConstraints? constraints = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(limits);
        return new ScheduleSpace(spec, limits, [.. ScheduleAlgorithms.For(spec)], constraints ?? PlacementConstraints.None);
    }

    /// <summary>
    /// The space of <paramref name="spec"/> restricted to the algorithm named <paramref name="algorithm"/>
    /// (<see cref="ScheduleAlgorithms.Names"/>), or of every algorithm that applies when it is <see langword="null"/>.
    /// </summary>
    /// <exception cref="ScheduleException">The algorithm does not apply to the operator, or no algorithm has that name (<see cref="ScheduleDiagnostics.NotApplicable"/>).</exception>
    public static ScheduleSpace For(OperatorSpec spec, TargetLimits limits, PlacementConstraints? constraints, string? algorithm)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(limits);
        if (algorithm is null)
        {
            return For(spec, limits, constraints);
        }

        var named = ScheduleAlgorithms.All.FirstOrDefault(a => a.Name == algorithm)
            ?? throw new ScheduleException(ScheduleDiagnostics.NotApplicable, nameof(Schedule.Algorithm),
                $"Algorithm '{algorithm}' is not one of Swatop's; the algorithms are {string.Join(", ", ScheduleAlgorithms.Names)}.");
        return named.AppliesTo(spec) ? new ScheduleSpace(spec, limits, [named], constraints ?? PlacementConstraints.None)
            : throw new ScheduleException(ScheduleDiagnostics.NotApplicable, nameof(Schedule.Algorithm), $"Algorithm '{algorithm}' does not apply to {spec}{ScheduleAlgorithms.WhyNot(named, spec)}");
    }

    /// <inheritdoc/>
    public SchedulePlan Validate(Schedule schedule)
    {
        var plan = SpaceOf(schedule).Validate(schedule);
        return MainMemoryFootprint.ErrorOf(plan) is { } error ? throw error : plan;
    }

    /// <summary>Whether the target's memory is bounded, so that the points are checked against it.</summary>
    private bool Bounded => Limits.MainMemoryBytes != long.MaxValue;

    /// <summary>The least core-group bytes of a point left out for the memory, <see cref="long.MaxValue"/> while none was.</summary>
    private long _leastLeftOut = long.MaxValue;

    /// <summary>
    /// Why a search of this space found no point, when the target's memory left out every point the search met: an error
    /// (<see cref="ScheduleDiagnostics.MainMemoryOverflow"/>) naming the least bytes one of them keeps in a core group's
    /// memory and the memory's size; null when no point was left out for the memory.
    /// </summary>
    public ScheduleException? MemoryErrorOfEmptySearch()
    {
        if (MainMemoryFootprint.OperatorErrorOf(Operator, Limits) is { } tooLarge)
        {
            return tooLarge;
        }

        var least = Volatile.Read(ref _leastLeftOut);
        return least == long.MaxValue ? null
            : new ScheduleException(ScheduleDiagnostics.MainMemoryOverflow, "schedule", string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"No schedule of {Operator} fits the target: the least that a schedule of it keeps in a core group's main memory is {least} bytes, and the group holds {Limits.MainMemoryBytes} bytes."));
    }

    /// <summary>Whether <paramref name="plan"/>'s kernel fits the target's memory; the least bytes of those that do not are kept for <see cref="MemoryErrorOfEmptySearch"/>.</summary>
    private bool FitsMemory(SchedulePlan plan)
    {
        if (MainMemoryFootprint.Fits(plan))
        {
            return true;
        }

        var bytes = MainMemoryFootprint.Of(plan).CoreGroupBytes;
        var current = Volatile.Read(ref _leastLeftOut);
        while (bytes < current)
        {
            var seen = Interlocked.CompareExchange(ref _leastLeftOut, bytes, current);
            if (seen == current)
            {
                break;
            }

            current = seen;
        }

        return false;
    }

    /// <summary>The spaces whose points are checked against the memory: none when the operator's own tensors exceed the shared memory.</summary>
    private IEnumerable<IScheduleSpace> Fitting => Bounded && MainMemoryFootprint.OperatorErrorOf(Operator, Limits) is not null ? [] : Spaces;

    /// <summary>Whether <paramref name="schedule"/> is a point of this space: valid, and fitting the target's memory.</summary>
    private bool Fits(Schedule schedule)
    {
        try
        {
            Validate(schedule);
            return true;
        }
        catch (ScheduleException)
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public IEnumerable<Schedule> Enumerate() => Bounded ? EnumeratePlans().Select(plan => plan.Schedule) : Spaces.SelectMany(space => space.Enumerate());

    /// <inheritdoc/>
    public IEnumerable<SchedulePlan> EnumeratePlans() => Fitting.SelectMany(space => space.EnumeratePlans()).Where(FitsMemory);

    /// <inheritdoc/>
    public IEnumerable<SchedulePlan> EnumeratePlans(int part, int parts, CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(part);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(part, parts);
        return Fitting.SelectMany(space => space.EnumeratePlans(part, parts, cancellation)).Where(FitsMemory);
    }

    /// <inheritdoc/>
    public IEnumerable<PlanFamily> EnumerateFamilies(int parts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        var families = Fitting.SelectMany(space => space.EnumerateFamilies(parts));
        return Bounded ? families.Select(family => family.WherePlans(FitsMemory)) : families;
    }

    /// <summary>The default of the first algorithm whose space has a point.</summary>
    /// <exception cref="InvalidOperationException">The space is empty.</exception>
    public Schedule Default()
    {
        var space = Spaces.SkipLast(1).FirstOrDefault(s => s.Enumerate().Any()) ?? Spaces.LastOrDefault();
        var preferred = space?.Default() ?? throw new InvalidOperationException($"The schedule space of {Operator} is empty on this target: no algorithm applies to it.");
        return !Bounded || Fits(preferred) ? preferred
            : Enumerate().FirstOrDefault() ?? throw new InvalidOperationException($"The schedule space of {Operator} is empty on this target: {NoFit}.");
    }

    /// <summary>Why a bounded space holds no point, for messages.</summary>
    private string NoFit => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"no schedule's tensors fit the main memory ({Limits.MainMemoryBytes} bytes a core group, {ScheduleDiagnostics.MainMemoryOverflow})");

    /// <summary>Draws with <paramref name="draw"/> until a point fits the target's memory, a bounded number of times.</summary>
    private Schedule Draw(Func<Schedule> draw)
    {
        const int draws = 10_000;
        for (var attempt = 0; attempt < draws; attempt++)
        {
            if (draw() is var schedule && (!Bounded || Fits(schedule)))
            {
                return schedule;
            }
        }

        throw new InvalidOperationException($"No point of the schedule space of {Operator} was found in {draws:N0} draws: {NoFit}.");
    }

    /// <inheritdoc/>
    public Schedule Canonical(Schedule schedule) => SpaceOf(schedule).Canonical(schedule);

    /// <summary>
    /// A point drawn at random: an algorithm drawn uniformly among those whose spaces have a point (an algorithm
    /// may apply and still find no point on the target, as explicit im2col where no column step serves its GEMM),
    /// then a point of its space.
    /// </summary>
    /// <exception cref="InvalidOperationException">No algorithm applies, or no space has a point.</exception>
    public Schedule Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return Draw(() => SampleAnyAlgorithm(random));
    }

    /// <summary>A point drawn at random, as <see cref="Sample"/> draws it, before the memory is checked.</summary>
    private Schedule SampleAnyAlgorithm(Random random)
    {
        if (Spaces.Length == 1)
        {
            return Spaces[0].Sample(random);
        }

        var spaces = Spaces.Where(s => s.Enumerate().Any()).ToList();
        return spaces.Count switch
        {
            0 when Spaces.Length == 0 => throw new InvalidOperationException($"No valid schedule of {Operator} exists: no algorithm applies to it."),
            0 => throw new InvalidOperationException($"No valid schedule of {Operator} exists on this target: the space of every algorithm that applies is empty."),
            _ => spaces[random.Next(spaces.Count)].Sample(random),
        };
    }

    /// <inheritdoc/>
    public Schedule Neighbor(Schedule schedule, Random random) => Draw(() => SpaceOf(schedule).Neighbor(schedule, random));

    private IScheduleSpace SpaceOf(Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var algorithm = ScheduleAlgorithms.Of(schedule);
        var index = _algorithms.IndexOf(algorithm);
        return index >= 0 ? Spaces[index]
            : throw new ScheduleException(ScheduleDiagnostics.NotApplicable, nameof(Schedule.Algorithm), $"Algorithm '{algorithm.Name}' does not apply to {Operator}.");
    }
}
