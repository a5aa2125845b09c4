using System.Globalization;
using Swatop.Primitives;

namespace Swatop.Core.Scheduling;

/// <summary>
/// The main memory a call of a plan's kernel takes: in each core group, every operator tensor the kernel keeps in a
/// layout of its own (packed, padded, blocked or laid out as a column matrix), whole in every group that runs it
/// whatever its distribution, and its workspace tensors (<see cref="SchedulePlan.Workspaces"/>); in the shared memory, every operator tensor in the framework's layout. Each buffer is
/// rounded up to <see cref="TargetLimits.MainMemoryAlignmentBytes"/>. A plan fits when both are within the target's
/// memory (<see cref="TargetLimits.MainMemoryBytes"/> a group, <see cref="TargetLimits.CoreGroups"/> times it shared);
/// the space leaves out the plans that do not, since their kernel could not be allocated on the machine.
/// </summary>
/// <param name="CoreGroupBytes">Bytes each core group's memory holds for the call.</param>
/// <param name="SharedBytes">Bytes the shared memory holds for the call: the framework's tensors.</param>
/// <param name="Largest">The tensor that takes the most of a group's memory, or null when the kernel packs none.</param>
public sealed record MainMemoryFootprint(long CoreGroupBytes, long SharedBytes, string? Largest)
{
    /// <summary>The footprint of <paramref name="plan"/>'s kernel under its own limits' alignment.</summary>
    public static MainMemoryFootprint Of(SchedulePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var alignment = plan.Limits.MainMemoryAlignmentBytes;
        var elementBytes = plan.Operator.ElementType == ElementType.Float32 ? sizeof(float) : sizeof(double);
        long group = 0, largestBytes = -1;
        string? largest = null;
        foreach (var placement in plan.Placements)
        {
            if (placement.Layout.IsIdentity)
            {
                continue;
            }

            var bytes = Aligned(placement.Layout.Elements * elementBytes, alignment);
            group += bytes;
            (largest, largestBytes) = bytes > largestBytes ? (placement.Tensor.Name, bytes) : (largest, largestBytes);
        }

        foreach (var (name, elements) in plan.Workspaces)
        {
            var bytes = Aligned(elements * elementBytes, alignment);
            group += bytes;
            (largest, largestBytes) = bytes > largestBytes ? (name, bytes) : (largest, largestBytes);
        }

        return new MainMemoryFootprint(group, SharedBytesOf(plan.Operator, alignment), largest);
    }

    /// <summary>The bytes of <paramref name="spec"/>'s tensors in the framework's layout, each buffer rounded up to <paramref name="alignment"/>: what a call holds in the shared memory, whatever the schedule.</summary>
    public static long SharedBytesOf(OperatorSpec spec, int alignment)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var elementBytes = spec.ElementType == ElementType.Float32 ? sizeof(float) : sizeof(double);
        long shared = 0;
        foreach (var tensor in spec.Inputs.Append(spec.Expression.Output.Tensor))
        {
            shared += Aligned(tensor.ElementLength * elementBytes, alignment);
        }

        return shared;
    }

    /// <summary>
    /// The error for an operator whose tensors in the framework's layout do not fit the shared memory of a target with
    /// <paramref name="limits"/> (<see cref="ScheduleDiagnostics.MainMemoryOverflow"/>), so that no schedule of it fits; null when they fit.
    /// </summary>
    public static ScheduleException? OperatorErrorOf(OperatorSpec spec, TargetLimits limits)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(limits);
        var capacity = limits.MainMemoryBytes;
        if (capacity > long.MaxValue / limits.CoreGroups)
        {
            return null;
        }

        var shared = SharedBytesOf(spec, limits.MainMemoryAlignmentBytes);
        return shared <= capacity * limits.CoreGroups ? null
            : new ScheduleException(ScheduleDiagnostics.MainMemoryOverflow, "operator", string.Create(CultureInfo.InvariantCulture,
                $"The tensors of {spec} take {shared} bytes in the framework's layout, more than the shared memory's {limits.CoreGroups} x {capacity} bytes: no schedule of it fits the target."));
    }

    /// <summary>Whether <paramref name="plan"/>'s kernel fits its target's main memory: always where the limits set none.</summary>
    public static bool Fits(SchedulePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return plan.Limits.MainMemoryBytes == long.MaxValue || Of(plan).FitsIn(plan.Limits);
    }

    /// <summary>Whether this footprint fits the main memory of a target with <paramref name="limits"/>.</summary>
    public bool FitsIn(TargetLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var capacity = limits.MainMemoryBytes;
        return CoreGroupBytes <= capacity && (capacity > long.MaxValue / limits.CoreGroups || SharedBytes <= capacity * limits.CoreGroups);
    }

    /// <summary>
    /// The error for a plan that does not fit (<see cref="ScheduleDiagnostics.MainMemoryOverflow"/>), naming the bytes
    /// and the capacity; null when it fits.
    /// </summary>
    public static ScheduleException? ErrorOf(SchedulePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (Fits(plan))
        {
            return null;
        }

        var footprint = Of(plan);
        var capacity = plan.Limits.MainMemoryBytes;
        return footprint.CoreGroupBytes <= capacity ? OperatorErrorOf(plan.Operator, plan.Limits)
            : new ScheduleException(ScheduleDiagnostics.MainMemoryOverflow, "schedule", string.Create(CultureInfo.InvariantCulture,
                $"The schedule {plan.Schedule} keeps {footprint.CoreGroupBytes} bytes of tensors in layouts of its own ('{footprint.Largest}' the largest) in each core group's main memory, which holds {capacity} bytes: a kernel's packed tensors must fit one core group's memory."));
    }

    private static long Aligned(long bytes, int alignment) => alignment <= 1 ? bytes : (bytes + alignment - 1) / alignment * alignment;
}
