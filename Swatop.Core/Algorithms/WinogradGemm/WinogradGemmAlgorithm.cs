using Swatop.Core.Algorithms.WinogradMesh;
using Swatop.Core.Lowering;
using Swatop.Core.Scheduling;

namespace Swatop.Core.Algorithms.WinogradGemm;

/// <summary>
/// Winograd's F(2 x 2, 3 x 3) and F(4 x 4, 3 x 3) in the composite form: V and M through workspace tensors in each core
/// group's memory, the products as mesh GEMM calls over all of a group's input channels (<see cref="WinogradGemmSchedule"/>).
/// It applies where the fused form does (<see cref="WinogradMeshAlgorithm.WhyNot"/>): stride-1 3 x 3 convolutions whose
/// groups' input channels are a multiple of 8 and output channels a multiple of 32.
/// </summary>
public sealed class WinogradGemmAlgorithm : IScheduleAlgorithm
{
    private WinogradGemmAlgorithm()
    {
    }

    /// <summary>The algorithm.</summary>
    public static WinogradGemmAlgorithm Instance { get; } = new();

    /// <inheritdoc/>
    public string Name => WinogradGemmSchedule.AlgorithmName;

    /// <inheritdoc/>
    public bool AppliesTo(OperatorSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Convolution(spec) is not null;
    }

    /// <inheritdoc/>
    public IScheduleSpace Space(OperatorSpec spec, TargetLimits limits, Layouts.PlacementConstraints constraints) => new WinogradGemmSpace(spec, limits, constraints);

    /// <inheritdoc/>
    public SchedulePlan Plan(OperatorSpec spec, Schedule schedule, TargetLimits limits) => WinogradGemmPlan.Create(spec, Own(schedule), limits);

    /// <inheritdoc/>
    public LoweredKernel Lower(SchedulePlan plan) =>
        WinogradGemmLowering.Lower(plan as WinogradGemmPlan ?? throw new ArgumentException($"The plan is of algorithm '{plan?.Schedule.Algorithm}', not '{Name}'.", nameof(plan)));

    /// <summary>The convolution's attributes when the algorithm applies to <paramref name="spec"/>; <see langword="null"/> otherwise (<see cref="WhyNot"/> says why).</summary>
    public static Conv2dAttributes? Convolution(OperatorSpec spec) => WinogradMeshAlgorithm.Convolution(spec);

    /// <summary>Why the algorithm does not apply to <paramref name="spec"/>, as a sentence; <see langword="null"/> when it does.</summary>
    public static string? WhyNot(OperatorSpec spec) => WinogradMeshAlgorithm.WhyNot(spec);

    /// <summary><paramref name="schedule"/> as a schedule of this algorithm.</summary>
    /// <exception cref="ScheduleException">It is another algorithm's (<see cref="ScheduleDiagnostics.NotApplicable"/>).</exception>
    internal static WinogradGemmSchedule Own(Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return schedule as WinogradGemmSchedule ?? throw new ScheduleException(ScheduleDiagnostics.NotApplicable, nameof(Schedule.Algorithm),
            $"The schedule is of algorithm '{schedule.Algorithm}'; this space and plan are of '{WinogradGemmSchedule.AlgorithmName}'.");
    }
}
