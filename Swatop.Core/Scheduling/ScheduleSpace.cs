using System.Collections.Immutable;
using Swatop.Core.Layouts;

namespace Swatop.Core.Scheduling;

/// <summary>
/// The schedule space of an operator on a target: the union of the spaces of every algorithm that
/// applies to it (<see cref="ScheduleAlgorithms"/>), in the order of <see cref="ScheduleAlgorithms.All"/>.
/// Each algorithm's space says how it is built and pruned (for implicit GEMM,
/// <see cref="Algorithms.ImplicitGemm.ImplicitGemmSpace"/>); a schedule is checked, written canonically
/// and stepped from by the space of its own algorithm.
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
    public SchedulePlan Validate(Schedule schedule) => SpaceOf(schedule).Validate(schedule);

    /// <inheritdoc/>
    public IEnumerable<Schedule> Enumerate() => Spaces.SelectMany(space => space.Enumerate());

    /// <inheritdoc/>
    public IEnumerable<SchedulePlan> EnumeratePlans() => Spaces.SelectMany(space => space.EnumeratePlans());

    /// <inheritdoc/>
    public IEnumerable<SchedulePlan> EnumeratePlans(int part, int parts, CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(part);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(part, parts);
        return Spaces.SelectMany(space => space.EnumeratePlans(part, parts, cancellation));
    }

    /// <inheritdoc/>
    public IEnumerable<PlanFamily> EnumerateFamilies(int parts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        return Spaces.SelectMany(space => space.EnumerateFamilies(parts));
    }

    /// <summary>The default of the first algorithm whose space has a point.</summary>
    /// <exception cref="InvalidOperationException">The space is empty.</exception>
    public Schedule Default()
    {
        var space = Spaces.SkipLast(1).FirstOrDefault(s => s.Enumerate().Any()) ?? Spaces.LastOrDefault();
        return space?.Default() ?? throw new InvalidOperationException($"The schedule space of {Operator} is empty on this target: no algorithm applies to it.");
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
    public Schedule Neighbor(Schedule schedule, Random random) => SpaceOf(schedule).Neighbor(schedule, random);

    private IScheduleSpace SpaceOf(Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var algorithm = ScheduleAlgorithms.Of(schedule);
        var index = _algorithms.IndexOf(algorithm);
        return index >= 0 ? Spaces[index]
            : throw new ScheduleException(ScheduleDiagnostics.NotApplicable, nameof(Schedule.Algorithm), $"Algorithm '{algorithm.Name}' does not apply to {Operator}.");
    }
}
