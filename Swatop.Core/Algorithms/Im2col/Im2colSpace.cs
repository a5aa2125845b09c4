using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Layouts;
using Swatop.Core.Scheduling;

namespace Swatop.Core.Algorithms.Im2col;

/// <summary>
/// The explicit im2col schedules of one convolution on one target: the implicit GEMM space of the 1 x 1
/// convolution over its column matrix (<see cref="Im2colAlgorithm.ColumnOperator"/>), each point kept when the
/// column step can lay out the matrix as that GEMM reads it (<see cref="Im2colPlan.Create"/>). The column matrix is
/// always laid out whole, in the GEMM's arrangement, by its own step: the GEMM then reads it as any 1 x 1
/// convolution reads its input, with the same tiles, hoisting and double buffering, and the step moves it at DMA
/// speed in whole rows (a column built per block in LDM would read each input row once per GEMM tile that needs
/// it, in requests of a row of taps). Empty for an operator the algorithm does not apply to, and under placement
/// constraints (a network's search for a kernel that reads a value where a neighbour keeps it), since the column
/// matrix is laid out from the framework's layout only. After the whole matrix's points come those that build the
/// column block in LDM inside the GEMM instead (<see cref="Im2colLdmSpace"/>, no column step): every method takes
/// such a schedule to that space; the default and the samples stay the whole matrix's while it has points.
/// </summary>
public sealed class Im2colSpace : IScheduleSpace
{
    private readonly ImplicitGemmSpace? _gemm;

    /// <summary>The points that build the column block in LDM.</summary>
    private readonly IScheduleSpace _ldm;

    /// <summary>The space of <paramref name="spec"/> on a target with <paramref name="limits"/>, the points kept by <paramref name="constraints"/>.</summary>
    public Im2colSpace(OperatorSpec spec, TargetLimits limits, PlacementConstraints constraints)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(constraints);
        Operator = spec;
        Limits = limits;
        Constraints = constraints;
        _gemm = Im2colAlgorithm.WhyNotWhole(spec) is null && constraints.IsEmpty ? ImplicitGemmSpace.Inner(Im2colAlgorithm.ColumnOperator(spec), limits) : null;
        _ldm = new Im2colLdmSpace(spec, limits, constraints);
    }

    /// <inheritdoc/>
    public OperatorSpec Operator { get; }

    /// <inheritdoc/>
    public TargetLimits Limits { get; }

    /// <summary>The placements the space's points must give the operator's tensors.</summary>
    public PlacementConstraints Constraints { get; }

    /// <inheritdoc/>
    public SchedulePlan Validate(Schedule schedule)
    {
        if (schedule is Im2colLdmSchedule)
        {
            return _ldm.Validate(schedule);
        }

        var plan = Im2colPlan.Create(Operator, Im2colAlgorithm.Own(schedule), Limits);
        foreach (var placement in plan.Placements)
        {
            if (Constraints.Violation(placement.Tensor.Name, placement) is { } violation)
            {
                throw new ScheduleException(ScheduleDiagnostics.PlacementMismatch, placement.Tensor.Name, violation);
            }
        }

        if (!Constraints.IsEmpty)
        {
            throw new ScheduleException(ScheduleDiagnostics.PlacementMismatch, "placement",
                $"An im2col kernel lays out its column matrix from the framework's layout; it is not a candidate under the constraints {Constraints}.");
        }

        return plan;
    }

    /// <inheritdoc/>
    public IEnumerable<Schedule> Enumerate() => EnumeratePlans().Select(plan => plan.Schedule);

    /// <inheritdoc/>
    public IEnumerable<SchedulePlan> EnumeratePlans() => (_gemm is null ? [] : Wrap(_gemm.EnumeratePlans())).Concat(_ldm.EnumeratePlans());

    /// <inheritdoc/>
    public IEnumerable<SchedulePlan> EnumeratePlans(int part, int parts, CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(part);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(part, parts);
        return (_gemm is null ? [] : Wrap(_gemm.EnumeratePlans(part, parts, cancellation))).Concat(_ldm.EnumeratePlans(part, parts, cancellation));
    }

    /// <summary>
    /// The GEMM's families (<see cref="ImplicitGemmSpace.EnumerateFamilies"/>), each point around its column step. A
    /// family's probe is the im2col plan around the GEMM's probe (the GEMM's own probe where the column step cannot
    /// serve it): an im2col plan's time is its GEMM's and its column step's, so a cost model bounds the family by what
    /// bounds the GEMM's points and the column step's time, which depends on the operator alone but for the step's
    /// arrangement and share. A family whose GEMM's probe the column step cannot serve holds no point and yields none
    /// without building its GEMM's plans (<see cref="Serves"/>). Then the families of the column block in LDM, a listed
    /// space small enough to rank whole.
    /// </summary>
    public IEnumerable<PlanFamily> EnumerateFamilies(int parts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        return (_gemm is null ? [] : _gemm.EnumerateFamilies().Select(Family)).Concat(_ldm.EnumerateFamilies(parts));
    }

    /// <summary>The im2col family over the GEMM's <paramref name="family"/>, its probe built once.</summary>
    private PlanFamily Family(PlanFamily family)
    {
        var probe = new Lazy<SchedulePlan?>(() => Probe(family));
        return PlanFamily.OfShape(() => probe.Value, cancellation => Serves(probe.Value) ? Wrap(family.Plans(cancellation)) : []);
    }

    /// <summary>
    /// Whether a family of <paramref name="probe"/> (<see cref="Probe"/>) may hold a point: false where the probe is the
    /// GEMM's own, which the column step cannot serve. What the step needs of the column matrix (a window layout whose
    /// output columns are contiguous and not blocked, and rows that fit the LDM) depends on its layout alone, which
    /// follows from the GEMM's tile shape (mapping, tiles, window, blocking), not from its loop orders, DMA levels,
    /// buffering or split; the probe runs the shape on one core group, so the step's share cannot be what refuses it.
    /// Every plan of such a family would be refused the same way (<see cref="Im2colPlan.Around"/>).
    /// </summary>
    private static bool Serves(SchedulePlan? probe) => probe is not LoopPlan;

    /// <summary>The probe of the im2col family over the GEMM's <paramref name="family"/>.</summary>
    private SchedulePlan? Probe(PlanFamily family)
    {
        var probe = family.Probe();
        return probe is LoopPlan gemm && Im2colPlan.Around(Operator, gemm, Limits) is { } plan ? plan : probe;
    }

    /// <summary>The GEMM's default when the column step can serve it, else the space's first point.</summary>
    /// <exception cref="InvalidOperationException">The space is empty.</exception>
    public Schedule Default()
    {
        if (_gemm is not null && TryPlan(_gemm.Default()) is { } plan)
        {
            return plan.Schedule;
        }

        return Enumerate().FirstOrDefault() ?? throw new InvalidOperationException($"The explicit im2col space of {Operator} is empty on this target.");
    }

    /// <inheritdoc/>
    public Schedule Canonical(Schedule schedule)
    {
        if (schedule is Im2colLdmSchedule)
        {
            return _ldm.Canonical(schedule);
        }

        var own = Im2colAlgorithm.Own(schedule);
        return _gemm is null ? own : Im2colSchedule.Of((ImplicitGemmSchedule)((IScheduleSpace)_gemm).Canonical(own.Gemm));
    }

    /// <inheritdoc/>
    public Schedule Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        for (var attempt = 0; _gemm is not null && attempt < 64; attempt++)
        {
            if (TryPlan((ImplicitGemmSchedule)((IScheduleSpace)_gemm).Sample(random)) is { } plan)
            {
                return plan.Schedule;
            }
        }

        return Default();
    }

    /// <inheritdoc/>
    public Schedule Neighbor(Schedule schedule, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (schedule is Im2colLdmSchedule)
        {
            return _ldm.Neighbor(schedule, random);
        }

        var own = Im2colAlgorithm.Own(schedule);
        for (var attempt = 0; _gemm is not null && attempt < 64; attempt++)
        {
            if (TryPlan((ImplicitGemmSchedule)((IScheduleSpace)_gemm).Neighbor(own.Gemm, random)) is { } plan)
            {
                return plan.Schedule;
            }
        }

        return Sample(random);
    }

    /// <summary>The im2col plans around the GEMM's plans, each planned once (the GEMM's space is of the column operator under these limits, and empty under constraints).</summary>
    private IEnumerable<SchedulePlan> Wrap(IEnumerable<SchedulePlan> gemmPlans) =>
        gemmPlans.Select(p => p is LoopPlan gemm ? Im2colPlan.Around(Operator, gemm, Limits) : TryPlan((ImplicitGemmSchedule)p.Schedule)).OfType<Im2colPlan>();

    /// <summary>The plan of the im2col schedule around <paramref name="gemm"/> when it is valid; <see langword="null"/> otherwise.</summary>
    private Im2colPlan? TryPlan(ImplicitGemmSchedule gemm)
    {
        try
        {
            return (Im2colPlan)Validate(Im2colSchedule.Of(gemm));
        }
        catch (ScheduleException)
        {
            return null;
        }
    }
}
