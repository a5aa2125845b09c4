using System.Globalization;
using Swatop.Core.Algorithms.ImplicitGemm;

namespace Swatop.Core.Scheduling;

/// <summary>Named schedules: the handcrafted baselines and the default a kernel gets without tuning.</summary>
public static class Schedules
{
    /// <summary>
    /// swDNN's batch-size-aware convolution schedule (the reference page's handcrafted baseline) as a
    /// point of the space: the batch on M, output channels on N, input channels on K, whole tensors
    /// per GEMM; CoStride output columns in LDM walked by input column (the window), the weights of
    /// one kernel row and one input column double-buffered; the 4 core groups split the output rows.
    /// Loops of one iteration sit innermost, as <see cref="ImplicitGemmSpace.Canonical"/> writes them. Where the
    /// mesh GEMM's LDM workspace (which swDNN's own kernel does not keep) leaves no room for CoStride
    /// columns, the window is narrowed until the plan fits.
    /// </summary>
    /// <exception cref="ScheduleException">The operator is not a convolution swDNN supports; the message says which rule it breaks.</exception>
    public static ImplicitGemmSchedule SwDnn(OperatorSpec convolution, TargetLimits limits)
    {
        ArgumentNullException.ThrowIfNull(convolution);
        ArgumentNullException.ThrowIfNull(limits);
        if (convolution.Attributes is not Conv2dAttributes conv)
        {
            throw NotApplicable($"the swDNN schedule applies to 2-D convolutions, not {convolution.Kind}.");
        }

        Require(conv.Stride == new Size2(1, 1) && conv.Dilation == new Size2(1, 1) && conv.Padding == new Padding2(0, 0, 0, 0) && conv.Groups == 1,
            "swDNN computes valid convolutions: stride 1, dilation 1, no padding, one group");
        Require(conv.Kernel.Height == conv.Kernel.Width, "swDNN's kernels are square");
        Require(conv.Layout == ConvLayout.Nchw, "the swDNN schedule is defined for the NCHW description");
        Require(conv.Batch % 128 == 0, string.Create(CultureInfo.InvariantCulture, $"the batch ({conv.Batch}) must be a multiple of 128 (the mesh GEMM's M)"));
        Require(conv.InChannels % 8 == 0, string.Create(CultureInfo.InvariantCulture, $"inChannels ({conv.InChannels}) must be a multiple of 8 (the mesh GEMM's K)"));
        Require(conv.OutChannels % 32 == 0, string.Create(CultureInfo.InvariantCulture, $"outChannels ({conv.OutChannels}) must be a multiple of 32 (the mesh GEMM's N)"));
        Require(conv.OutHeight % limits.CoreGroups == 0, string.Create(CultureInfo.InvariantCulture, $"the output rows ({conv.OutHeight}) must divide among the {limits.CoreGroups} core groups"));
        long b = conv.Batch, ni = conv.InChannels, no = conv.OutChannels, k = conv.Kernel.Height;
        var budgetElements = limits.LdmBudgetBytes * 64 / sizeof(double);
        var numerator = budgetElements - (2 * ni * b) - (2 * ni * no * k);
        var coStride = (numerator >= 0 ? numerator / (no * b) : -((-numerator + (no * b) - 1) / (no * b))) - (k - 1);
        Require(coStride >= 1, string.Create(CultureInfo.InvariantCulture, $"CoStride = {coStride}: the shape does not fit swDNN's 55 KB LDM plan"));
        var space = ImplicitGemmSpace.For(convolution, limits);
        var schedule = space.Canonical(new ImplicitGemmSchedule
        {
            Mapping = new GemmMapping("n", "co", "ci"),
            TileM = conv.Batch,
            TileN = conv.OutChannels,
            TileK = conv.InChannels,
            IndexOrder = ["ow", "oh", "n", "co"],
            ReductionOrder = ["kh", "ci", "kw"],
            WindowAxis = "ow",
            Window = (int)Math.Min(coStride, conv.OutWidth),
            Operands = [new(OperandRole.A, "ow_in", DoubleBuffer: true), new(OperandRole.B, "kh", DoubleBuffer: true), new(OperandRole.Output)],
            CoreGroups = limits.CoreGroups,
            SplitAxis = "oh",
        });

        // swDNN's own kernel keeps no mesh GEMM workspace in LDM; where this one's does not fit beside
        // CoStride columns, the window gives up the columns it takes.
        while (schedule.Window > 1 && !Fits(space, schedule))
        {
            schedule = schedule with { Window = schedule.Window - 1 };
        }

        return schedule;
    }

    /// <summary>Whether the schedule's buffers fit the LDM.</summary>
    /// <exception cref="ScheduleException">It breaks another rule.</exception>
    private static bool Fits(ImplicitGemmSpace space, ImplicitGemmSchedule schedule) =>
        LoopPlan.TryCreate(space.Operator, schedule, space.Limits, out var error) is not null
        || (error!.Id == ScheduleDiagnostics.LdmOverflow ? false : throw error);

    private static void Require(bool condition, string rule)
    {
        if (!condition)
        {
            throw NotApplicable(rule + ".");
        }
    }

    private static ScheduleException NotApplicable(string message) => new(ScheduleDiagnostics.NotApplicable, "convolution", $"The swDNN schedule does not apply: {message}");
}
