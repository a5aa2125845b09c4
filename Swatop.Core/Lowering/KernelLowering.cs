using Swatop.Core.Scheduling;

namespace Swatop.Core.Lowering;

/// <summary>
/// Lowers an operator under a schedule to a loop kernel, through the schedule's algorithm
/// (<see cref="IScheduleAlgorithm.Lower"/>): DMA written as tile transfers with their valid extents,
/// primitives called on LDM blocks. Double buffering, hoisting, boundary handling and LDM planning are
/// the passes' job.
/// </summary>
public static class KernelLowering
{
    /// <summary>The mesh GEMM's workspace (<see cref="Primitives.MeshGemmWorkspace"/>): no statement names it; the emitted primitive streams its broadcast blocks through it.</summary>
    public const string BufferWork = "ldm_w";

    /// <summary>Lowers <paramref name="spec"/> under <paramref name="schedule"/> for a target with <paramref name="limits"/>.</summary>
    /// <exception cref="ScheduleException">The schedule does not fit the operator or target.</exception>
    public static LoweredKernel Lower(OperatorSpec spec, Schedule schedule, TargetLimits limits)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var algorithm = ScheduleAlgorithms.Of(schedule);
        return algorithm.Lower(algorithm.Plan(spec, schedule, limits));
    }

    /// <summary>Lowers a checked plan.</summary>
    public static LoweredKernel Lower(SchedulePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return ScheduleAlgorithms.Of(plan.Schedule).Lower(plan);
    }

    /// <summary><paramref name="name"/> as a C identifier: other characters become underscores, and a leading digit gets a prefix.</summary>
    internal static string Identifier(string name)
    {
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray();
        var text = new string(chars);
        return text.Length == 0 || char.IsAsciiDigit(text[0]) ? "k_" + text : text;
    }
}
