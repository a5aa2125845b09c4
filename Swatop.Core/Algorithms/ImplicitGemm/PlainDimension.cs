namespace Swatop.Core.Algorithms.ImplicitGemm;

/// <summary>
/// Which dimension of a tensor a GEMM axis indexes directly, so that blocked layouts may cut it in blocks of
/// the axis's positions (<see cref="ImplicitGemmSchedule.BlockedLayouts"/>). As
/// <see cref="TensorAccess.PlainDimensionOf"/>, except that a term of an axis of one position is left out:
/// it is always 0. A 1 x 1 convolution's input row is <c>oh + kh</c> with <c>kh</c> of one position, so
/// its rows can be blocked as its output's are, and a kernel can read its input in the blocked layout
/// that the layer before it wrote.
/// </summary>
internal static class PlainDimension
{
    /// <summary>
    /// The dimension of <paramref name="access"/> whose index, terms of one-position axes left out, is exactly
    /// <paramref name="axis"/> (coefficient 1, no constant), when no other dimension reads the axis; -1 otherwise.
    /// </summary>
    public static int Of(TensorAccess access, Axis axis)
    {
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(axis);
        if (axis.Extent == 1)
        {
            return access.PlainDimensionOf(axis);
        }

        var found = -1;
        for (var d = 0; d < access.Indices.Length; d++)
        {
            var index = access.Indices[d];
            if (!index.DependsOn(axis))
            {
                continue;
            }

            if (found >= 0 || index.Constant != 0 || index.CoefficientOf(axis) != 1 || index.Terms.Any(t => t.Axis != axis && t.Axis.Extent != 1))
            {
                return -1;
            }

            found = d;
        }

        return found;
    }
}
