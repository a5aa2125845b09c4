using Swatop.Core.Algorithms.Direct;
using Swatop.Core.Algorithms.Im2col;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Algorithms.Winograd;
using Swatop.Core.Algorithms.WinogradGemm;
using Swatop.Core.Algorithms.WinogradMesh;

namespace Swatop.Core.Scheduling;

/// <summary>A computation over plans with one method per algorithm (<see cref="SchedulePlan.Accept{TResult}"/>).</summary>
/// <typeparam name="TResult">What it computes.</typeparam>
public interface ISchedulePlanVisitor<out TResult>
{
    /// <summary>An implicit GEMM plan.</summary>
    TResult VisitImplicitGemm(LoopPlan plan);

    /// <summary>A direct convolution plan.</summary>
    TResult VisitDirect(DirectPlan plan);

    /// <summary>A Winograd plan.</summary>
    TResult VisitWinograd(WinogradPlan plan);

    /// <summary>An explicit im2col plan.</summary>
    TResult VisitIm2col(Im2colPlan plan);

    /// <summary>A fused Winograd plan (the products on the mesh GEMM).</summary>
    TResult VisitWinogradMesh(WinogradMeshPlan plan);

    /// <summary>An explicit im2col plan with the column block built in LDM inside the GEMM.</summary>
    TResult VisitIm2colLdm(Im2colLdmPlan plan);

    /// <summary>A composite Winograd plan (V and M through workspace tensors, the products on the mesh GEMM).</summary>
    TResult VisitWinogradGemm(WinogradGemmPlan plan);
}
