using Swatop.Core.Layouts;
using Swatop.Core.Lowering;
using Swatop.Core.Scheduling;

namespace Swatop.Core.Algorithms.Direct;

/// <summary>
/// Direct convolution: each CPE adds a window's products over a task's output rows with SIMD
/// multiply-adds, no mesh GEMM. It applies to grouped NCHW convolutions whose groups are small (depthwise
/// ones among them), where the mesh GEMM's K would be a few taps and its N one or a few channels, and not
/// to ordinary convolutions, which the mesh GEMM serves. Such layers are bound by their DMA. Its epilogue
/// takes a bias and clamps (a depthwise convolution's folded batch normalization and ReLU6), not a residual add.
/// </summary>
public sealed class DirectAlgorithm : IScheduleAlgorithm
{
    /// <summary>The most input or output channels a group may have for the direct convolution to apply.</summary>
    public const int MaxChannelsPerGroup = 8;

    private DirectAlgorithm()
    {
    }

    /// <summary>The algorithm.</summary>
    public static DirectAlgorithm Instance { get; } = new();

    /// <inheritdoc/>
    public string Name => DirectSchedule.AlgorithmName;

    /// <inheritdoc/>
    public bool AppliesTo(OperatorSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Convolution(spec) is not null;
    }

    /// <inheritdoc/>
    public IScheduleSpace Space(OperatorSpec spec, TargetLimits limits, PlacementConstraints constraints) => new DirectSpace(spec, limits, constraints);

    /// <inheritdoc/>
    public SchedulePlan Plan(OperatorSpec spec, Schedule schedule, TargetLimits limits) => DirectPlan.Create(spec, Own(schedule), limits);

    /// <inheritdoc/>
    public LoweredKernel Lower(SchedulePlan plan) =>
        DirectLowering.Lower(plan as DirectPlan ?? throw new ArgumentException($"The plan is of algorithm '{plan?.Schedule.Algorithm}', not '{Name}'.", nameof(plan)));

    /// <summary>The convolution's attributes when the direct convolution applies to <paramref name="spec"/>; <see langword="null"/> otherwise (<see cref="WhyNot"/> says why).</summary>
    public static Conv2dAttributes? Convolution(OperatorSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return WhyNot(spec) is null ? (Conv2dAttributes)spec.Attributes : null;
    }

    /// <summary>Why the direct convolution does not apply to <paramref name="spec"/>, as a sentence; <see langword="null"/> when it does.</summary>
    public static string? WhyNot(OperatorSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Attributes is not Conv2dAttributes conv)
        {
            return $"it computes convolutions only, and the operator is a {spec.Kind}.";
        }

        if (conv.Layout != ConvLayout.Nchw)
        {
            return $"it reads NCHW activations only, and the layout is {conv.Layout}.";
        }

        if (conv.Groups == 1 || conv.InChannelsPerGroup > MaxChannelsPerGroup || conv.OutChannelsPerGroup > MaxChannelsPerGroup)
        {
            return $"it computes grouped convolutions of at most {MaxChannelsPerGroup} input and output channels a group (depthwise ones among them), and this one has {conv.Groups} group{(conv.Groups == 1 ? "" : "s")} of {conv.InChannelsPerGroup} input and {conv.OutChannelsPerGroup} output channels: the mesh GEMM serves it.";
        }

        return spec.Epilogue.Steps.Any(step => step is ResidualAddStep)
            ? $"it applies a bias and clamps in its epilogue but no residual add yet, and the operator's epilogue is {spec.Epilogue}."
            : null;
    }

    /// <summary><paramref name="schedule"/> as a direct schedule.</summary>
    /// <exception cref="ScheduleException">It is another algorithm's (<see cref="ScheduleDiagnostics.NotApplicable"/>).</exception>
    internal static DirectSchedule Own(Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return schedule as DirectSchedule ?? throw new ScheduleException(ScheduleDiagnostics.NotApplicable, nameof(Schedule.Algorithm),
            $"The schedule is of algorithm '{schedule.Algorithm}'; this space and plan are of '{DirectSchedule.AlgorithmName}'.");
    }
}
