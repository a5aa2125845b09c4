using Swatop.Core.Layouts;
using Swatop.Core.Lowering;
using Swatop.Core.Scheduling;

namespace Swatop.Core.Algorithms.Winograd;

/// <summary>
/// Winograd's minimal filtering F(2 x 2, 3 x 3) and F(4 x 4, 3 x 3): 2.25 or 4 times fewer multiplications
/// than the direct convolution, paid for with the transforms of the filters, the input tiles and the
/// products, and with a rounding error that grows with the tile (<see cref="WinogradErrorBound"/>). It
/// applies to 3 x 3 convolutions of stride 1 and dilation 1 on NCHW activations, any padding and groups.
/// </summary>
public sealed class WinogradAlgorithm : IScheduleAlgorithm
{
    private WinogradAlgorithm()
    {
    }

    /// <summary>The algorithm.</summary>
    public static WinogradAlgorithm Instance { get; } = new();

    /// <inheritdoc/>
    public string Name => WinogradSchedule.AlgorithmName;

    /// <inheritdoc/>
    public bool AppliesTo(OperatorSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Convolution(spec) is not null;
    }

    /// <inheritdoc/>
    public IScheduleSpace Space(OperatorSpec spec, TargetLimits limits, PlacementConstraints constraints) => new WinogradSpace(spec, limits, constraints);

    /// <inheritdoc/>
    public SchedulePlan Plan(OperatorSpec spec, Schedule schedule, TargetLimits limits) => WinogradPlan.Create(spec, Own(schedule), limits);

    /// <inheritdoc/>
    public LoweredKernel Lower(SchedulePlan plan) =>
        WinogradLowering.Lower(plan as WinogradPlan ?? throw new ArgumentException($"The plan is of algorithm '{plan?.Schedule.Algorithm}', not '{Name}'.", nameof(plan)));

    /// <summary>The convolution's attributes when Winograd's algorithm applies to <paramref name="spec"/>; <see langword="null"/> otherwise (<see cref="WhyNot"/> says why).</summary>
    public static Conv2dAttributes? Convolution(OperatorSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return WhyNot(spec) is null ? (Conv2dAttributes)spec.Attributes : null;
    }

    /// <summary>Why Winograd's algorithm does not apply to <paramref name="spec"/>, as a sentence; <see langword="null"/> when it does.</summary>
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

        if (conv.Kernel.Height != 3 || conv.Kernel.Width != 3 || conv.Stride.Height != 1 || conv.Stride.Width != 1 || conv.Dilation.Height != 1 || conv.Dilation.Width != 1)
        {
            return $"it computes 3 x 3 convolutions of stride 1 and dilation 1, and this one has a {conv.Kernel.Height} x {conv.Kernel.Width} kernel, stride {conv.Stride.Height} x {conv.Stride.Width} and dilation {conv.Dilation.Height} x {conv.Dilation.Width}.";
        }

        return spec.Epilogue.IsEmpty ? null : $"it applies no epilogue yet, and the operator's epilogue is {spec.Epilogue}.";
    }

    /// <summary><paramref name="schedule"/> as a Winograd schedule.</summary>
    /// <exception cref="ScheduleException">It is another algorithm's (<see cref="ScheduleDiagnostics.NotApplicable"/>).</exception>
    internal static WinogradSchedule Own(Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return schedule as WinogradSchedule ?? throw new ScheduleException(ScheduleDiagnostics.NotApplicable, nameof(Schedule.Algorithm),
            $"The schedule is of algorithm '{schedule.Algorithm}'; this space and plan are of '{WinogradSchedule.AlgorithmName}'.");
    }
}
