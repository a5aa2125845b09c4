using Swatop.Core.Scheduling;

namespace Swatop.Core.Layouts;

/// <summary>The batch an operator's activations carry, and each core group's contiguous share of it.</summary>
internal static class BatchShare
{
    /// <summary>The axis of the output's first dimension when it indexes that dimension alone: the batch a network's layers pass on.</summary>
    public static string? Axis(OperatorSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return AxisOf(spec.Expression.Output);
    }

    /// <summary>Each core group holding a contiguous chunk of the batch (the output's first dimension), or null when the operator has no batch axis or too few images.</summary>
    public static SplitDistribution? Of(OperatorSpec spec, TargetLimits limits)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(limits);
        var batch = spec.Expression.Output.Tensor.Shape[0];
        var groups = limits.CoreGroups;
        return Axis(spec) is null || groups < 2 || batch < groups ? null
            : new SplitDistribution(groups, 0, 1, batch, 1, (batch + groups - 1) / groups);
    }

    /// <summary>Whether <paramref name="access"/>'s first dimension is <paramref name="axis"/> alone, so that a batch share splits the tensor.</summary>
    public static bool Indexes(TensorAccess access, string axis) => AxisOf(access) == axis;

    private static string? AxisOf(TensorAccess access)
    {
        var first = access.Indices[0];
        return first.Terms.Length == 1 && first.Constant == 0 && first.Terms[0].Coefficient == 1 ? first.Terms[0].Axis.Name : null;
    }
}
