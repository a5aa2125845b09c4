using System.Collections.Immutable;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Lowering;

namespace Swatop.Core.Algorithms.Im2col;

/// <summary>
/// Lowers an explicit im2col plan: the kernel is the implicit GEMM's of the 1 x 1 convolution over the column
/// matrix (its tensors named as the convolution's, the input's bytes being the matrix's), and the layouts are the
/// plan's placements of the convolution's tensors, so that the column step packs the input into the matrix the
/// kernel reads (and, when the GEMM does not read the filter in place, the whole-filter step packs the weights).
/// </summary>
internal static class Im2colLowering
{
    /// <summary>Lowers a checked plan.</summary>
    public static LoweredKernel Lower(Im2colPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var gemm = ImplicitGemmLowering.Lower(plan.Gemm);
        return new LoweredKernel(plan, gemm.Kernel, ImmutableDictionary.CreateRange(StringComparer.Ordinal,
            plan.Placements.Select(p => KeyValuePair.Create(p.Tensor.Name, p.Layout))));
    }
}
