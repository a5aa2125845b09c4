using Swatop.Core.Algorithms.Winograd;
using Swatop.Core.Lowering;
using Swatop.Core.Scheduling;
using Swatop.Primitives;

namespace Swatop.Core.Algorithms.WinogradMesh;

/// <summary>
/// Winograd's F(2 x 2, 3 x 3) and F(4 x 4, 3 x 3) with the element-wise products as mesh GEMM calls and the
/// transforms in LDM around them (<see cref="WinogradMeshSchedule"/>). It applies where Winograd's algorithm does
/// (<see cref="WinogradAlgorithm.WhyNot"/>) and a group's channels fill the mesh GEMM's quanta: its input channels a
/// multiple of 8 (K), its output channels a multiple of 32 (N).
/// </summary>
public sealed class WinogradMeshAlgorithm : IScheduleAlgorithm
{
    private WinogradMeshAlgorithm()
    {
    }

    /// <summary>The algorithm.</summary>
    public static WinogradMeshAlgorithm Instance { get; } = new();

    /// <inheritdoc/>
    public string Name => WinogradMeshSchedule.AlgorithmName;

    /// <inheritdoc/>
    public bool AppliesTo(OperatorSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Convolution(spec) is not null;
    }

    /// <inheritdoc/>
    public IScheduleSpace Space(OperatorSpec spec, TargetLimits limits, Layouts.PlacementConstraints constraints) => new WinogradMeshSpace(spec, limits, constraints);

    /// <inheritdoc/>
    public SchedulePlan Plan(OperatorSpec spec, Schedule schedule, TargetLimits limits) => WinogradMeshPlan.Create(spec, Own(schedule), limits);

    /// <inheritdoc/>
    public LoweredKernel Lower(SchedulePlan plan) =>
        WinogradMeshLowering.Lower(plan as WinogradMeshPlan ?? throw new ArgumentException($"The plan is of algorithm '{plan?.Schedule.Algorithm}', not '{Name}'.", nameof(plan)));

    /// <summary>The convolution's attributes when the algorithm applies to <paramref name="spec"/>; <see langword="null"/> otherwise (<see cref="WhyNot"/> says why).</summary>
    public static Conv2dAttributes? Convolution(OperatorSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return WhyNot(spec) is null ? (Conv2dAttributes)spec.Attributes : null;
    }

    /// <summary>Why the algorithm does not apply to <paramref name="spec"/>, as a sentence; <see langword="null"/> when it does.</summary>
    public static string? WhyNot(OperatorSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (WinogradAlgorithm.WhyNot(spec) is { } why)
        {
            return why;
        }

        var conv = (Conv2dAttributes)spec.Attributes;
        if (conv.InChannelsPerGroup % MeshGemmRules.KQuantum != 0)
        {
            return $"its mesh GEMM's K runs over a group's input channels, which must be a multiple of {MeshGemmRules.KQuantum}, and this one has {conv.InChannelsPerGroup}.";
        }

        return conv.OutChannelsPerGroup % MeshGemmRules.NQuantum != 0
            ? $"its mesh GEMM's N runs over a group's output channels, which must be a multiple of {MeshGemmRules.NQuantum}, and this one has {conv.OutChannelsPerGroup}."
            : null;
    }

    /// <summary><paramref name="schedule"/> as a schedule of this algorithm.</summary>
    /// <exception cref="ScheduleException">It is another algorithm's (<see cref="ScheduleDiagnostics.NotApplicable"/>).</exception>
    internal static WinogradMeshSchedule Own(Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return schedule as WinogradMeshSchedule ?? throw new ScheduleException(ScheduleDiagnostics.NotApplicable, nameof(Schedule.Algorithm),
            $"The schedule is of algorithm '{schedule.Algorithm}'; this space and plan are of '{WinogradMeshSchedule.AlgorithmName}'.");
    }
}
