using Swatop.Core.Layouts;
using Swatop.Core.Lowering;
using Swatop.Core.Scheduling;

namespace Swatop.Core.Algorithms.ImplicitGemm;

/// <summary>
/// Implicit GEMM: the operator's axes mapped onto the mesh GEMM's M, N and K, every other axis a loop
/// around it, the operands read in place through their accesses (a convolution's input without an
/// im2col copy). It applies to every operator with a GEMM mapping (<see cref="GemmMapping.All"/>).
/// </summary>
public sealed class ImplicitGemmAlgorithm : IScheduleAlgorithm
{
    private ImplicitGemmAlgorithm()
    {
    }

    /// <summary>The algorithm.</summary>
    public static ImplicitGemmAlgorithm Instance { get; } = new();

    /// <inheritdoc/>
    public string Name => ImplicitGemmSchedule.AlgorithmName;

    /// <inheritdoc/>
    public bool AppliesTo(OperatorSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return GemmMapping.All(spec.Expression).Count > 0;
    }

    /// <inheritdoc/>
    public IScheduleSpace Space(OperatorSpec spec, TargetLimits limits, PlacementConstraints constraints) => ImplicitGemmSpace.For(spec, limits, constraints);

    /// <inheritdoc/>
    public SchedulePlan Plan(OperatorSpec spec, Schedule schedule, TargetLimits limits) => LoopPlan.Create(spec, Own(schedule), limits);

    /// <inheritdoc/>
    public LoweredKernel Lower(SchedulePlan plan) =>
        ImplicitGemmLowering.Lower(plan as LoopPlan ?? throw new ArgumentException($"The plan is of algorithm '{plan?.Schedule.Algorithm}', not '{Name}'.", nameof(plan)));

    /// <summary><paramref name="schedule"/> as an implicit GEMM schedule.</summary>
    /// <exception cref="ScheduleException">It is another algorithm's (<see cref="ScheduleDiagnostics.NotApplicable"/>).</exception>
    internal static ImplicitGemmSchedule Own(Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return schedule as ImplicitGemmSchedule ?? throw new ScheduleException(ScheduleDiagnostics.NotApplicable, nameof(Schedule.Algorithm),
            $"The schedule is of algorithm '{schedule.Algorithm}'; this space and plan are of '{ImplicitGemmSchedule.AlgorithmName}'.");
    }
}
