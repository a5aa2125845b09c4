using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Layouts;
using Swatop.Core.Lowering;
using Swatop.Core.Scheduling;

namespace Swatop.Core.Algorithms.Im2col;

/// <summary>
/// Explicit im2col: a column step on the CPEs lays out the input's column matrix
/// <c>[N][Cin * Kh * Kw][Oh][Ow]</c> (<see cref="ColumnWindow"/>), and the mesh GEMM of the 1 x 1 convolution over it
/// (<see cref="ColumnOperator"/>) computes the output. Its K is every channel and tap of a group at once, so a
/// convolution of few channels (ResNet-50's first, 3 channels of 7 x 7 taps) fills the mesh's K where the implicit
/// GEMM pads its channels; the price is the matrix's traffic, Kh * Kw / (sh * sw) times the input's. It applies to
/// NCHW convolutions, ordinary and grouped, of any stride, dilation and padding, but not to a 1 x 1 convolution
/// of stride one and no padding, whose column matrix is its input.
/// </summary>
public sealed class Im2colAlgorithm : IScheduleAlgorithm
{
    /// <summary>The convolution's input: the tensor the column step lays out.</summary>
    public const string InputName = "input";

    /// <summary>The convolution's weights.</summary>
    public const string WeightsName = "weights";

    private Im2colAlgorithm()
    {
    }

    /// <summary>The algorithm.</summary>
    public static Im2colAlgorithm Instance { get; } = new();

    /// <inheritdoc/>
    public string Name => Im2colSchedule.AlgorithmName;

    /// <inheritdoc/>
    public bool AppliesTo(OperatorSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return WhyNot(spec) is null;
    }

    /// <inheritdoc/>
    public IScheduleSpace Space(OperatorSpec spec, TargetLimits limits, PlacementConstraints constraints) => new Im2colSpace(spec, limits, constraints);

    /// <inheritdoc/>
    public SchedulePlan Plan(OperatorSpec spec, Schedule schedule, TargetLimits limits) =>
        schedule is Im2colLdmSchedule ldm ? Im2colLdmPlan.Create(spec, ldm, limits) : Im2colPlan.Create(spec, Own(schedule), limits);

    /// <inheritdoc/>
    public LoweredKernel Lower(SchedulePlan plan) => plan switch
    {
        Im2colLdmPlan ldm => Im2colLdmLowering.Lower(ldm),
        Im2colPlan whole => Im2colLowering.Lower(whole),
        _ => throw new ArgumentException($"The plan is of algorithm '{plan?.Schedule.Algorithm}', not '{Name}'.", nameof(plan)),
    };

    /// <summary>
    /// Why explicit im2col does not apply to <paramref name="spec"/>, as a sentence; <see langword="null"/> when it does in
    /// one of its placements: the whole column matrix in memory (<see cref="WhyNotWhole"/>) or the column block in LDM
    /// (<see cref="Im2colLdmPlan.WhyNot"/>), which never lays the matrix out and so applies where it would be too large.
    /// </summary>
    public static string? WhyNot(OperatorSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (WhyNotConvolution(spec) is { } why)
        {
            return why;
        }

        return WhyNotWhole(spec) is { } whole && Im2colLdmPlan.WhyNot(spec) is { } block ? $"{whole} And {block}" : null;
    }

    /// <summary>Why the whole column matrix in memory does not apply to <paramref name="spec"/>, as a sentence; <see langword="null"/> when it does.</summary>
    public static string? WhyNotWhole(OperatorSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (WhyNotConvolution(spec) is { } why)
        {
            return why;
        }

        var conv = (Conv2dAttributes)spec.Attributes;
        var columns = (long)conv.Batch * conv.InChannels * conv.Kernel.Height * conv.Kernel.Width * conv.OutHeight * conv.OutWidth;
        return columns > int.MaxValue ? $"its column matrix would hold {columns} elements, more than a tensor may ({int.MaxValue})." : null;
    }

    /// <summary>Why neither placement of the column matrix applies to <paramref name="spec"/> whatever its size: not an NCHW convolution, or a 1 x 1 one read in place.</summary>
    internal static string? WhyNotConvolution(OperatorSpec spec)
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

        var pointwise = conv.Kernel.Height == 1 && conv.Kernel.Width == 1 && conv.Stride.Height == 1 && conv.Stride.Width == 1
            && conv.Padding == default;
        if (pointwise)
        {
            return "the convolution is 1 x 1 with stride one and no padding: its column matrix is its input, which the implicit GEMM reads in place.";
        }

        return null;
    }

    /// <summary>
    /// The 1 x 1 convolution whose input is <paramref name="spec"/>'s column matrix: <c>Cin * Kh * Kw</c> input channels
    /// of <c>Oh x Ow</c>, the same output channels, groups, element type and epilogue. Its weights are <paramref name="spec"/>'s,
    /// read as <c>[Co][Cig * Kh * Kw][1][1]</c>, and its output is <paramref name="spec"/>'s.
    /// </summary>
    /// <exception cref="ArgumentException">Explicit im2col with the whole column matrix does not apply to <paramref name="spec"/>.</exception>
    public static OperatorSpec ColumnOperator(OperatorSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (WhyNotWhole(spec) is { } why)
        {
            throw new ArgumentException($"Explicit im2col does not apply to {spec}: {why}", nameof(spec));
        }

        var conv = (Conv2dAttributes)spec.Attributes;
        var taps = conv.Kernel.Height * conv.Kernel.Width;
        return Operator.Conv2d(conv.Batch, conv.InChannels * taps, conv.OutChannels, conv.OutHeight, conv.OutWidth, 1, groups: conv.Groups, elementType: spec.ElementType)
            .WithEpilogue(spec.Epilogue);
    }

    /// <summary><paramref name="schedule"/> as an im2col schedule.</summary>
    /// <exception cref="ScheduleException">It is another algorithm's (<see cref="ScheduleDiagnostics.NotApplicable"/>).</exception>
    internal static Im2colSchedule Own(Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return schedule as Im2colSchedule ?? throw new ScheduleException(ScheduleDiagnostics.NotApplicable, nameof(Schedule.Algorithm),
            $"The schedule is of algorithm '{schedule.Algorithm}'; this space and plan are of '{Im2colSchedule.AlgorithmName}'.");
    }
}
