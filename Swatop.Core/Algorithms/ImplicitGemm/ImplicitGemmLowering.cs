using System.Collections.Immutable;
using Swatop.Core.Ir;
using Swatop.Core.Lowering;
using Swatop.Primitives;

namespace Swatop.Core.Algorithms.ImplicitGemm;

/// <summary>
/// Lowers an implicit GEMM plan to a loop kernel: the index loops, the output tile zeroed in LDM, the
/// reduction loops with each input's DMA group at its level, the mesh GEMM innermost, and the output
/// tiles put back. Each operand gets a kernel tensor in its layout (<see cref="OperandLayouts"/>), an
/// LDM buffer and a reply word, in the order of <see cref="LoopPlan.KernelOperands"/>; the mesh GEMM's
/// workspace comes last. A plan of a view with merged axes lowers the view, whose tensors are the framework
/// tensors' bytes, and advertises its layouts over the framework tensors. DMA is written as tile transfers with their valid extents; the boundary pass
/// turns them into plain transfers for interior tiles and padded ones for border tiles. Under image rows whose positions are
/// padded (<see cref="ImageRows.CompactsPuts"/>) the output's tiles are copied, a column at a time, into a buffer of their
/// valid rows packed (<see cref="LoopPlan.OutputRunElements"/>) and put from it, one contiguous run a CPE.
/// </summary>
internal static class ImplicitGemmLowering
{
    /// <summary>Lowers a checked plan.</summary>
    public static LoweredKernel Lower(LoopPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var layouts = plan.KernelOperands.Select(o => OperandLayouts.For(plan, o)).ToImmutableArray();
        var builder = new NestBuilder(plan, layouts);
        var kernel = new LoopKernel(
            Name: KernelLowering.Identifier(plan.Operator.Expression.Name),
            ElementType: plan.Operator.ElementType,
            Tensors: [.. plan.KernelOperands.Select((o, i) => new KernelTensor(o.Access.Tensor.Name, layouts[i].Elements, !o.IsInput))],
            Buffers: [.. plan.KernelOperands.Select(o => new LdmBuffer(o.Buffer, o.BufferElements, DoubleBuffer: o.DoubleBuffer && (o != plan.Output || plan.OutputRunElements == 0))),
                .. plan.OutputRunElements > 0 ? [new LdmBuffer(LoopPlan.OutputRunBuffer, plan.OutputRunElements, DoubleBuffer: plan.Output.DoubleBuffer)] : Array.Empty<LdmBuffer>(),
                new LdmBuffer(KernelLowering.BufferWork, plan.BufferWork)],
            Replies: [.. plan.KernelOperands.Select(o => o.Reply)],
            Body: builder.Build());
        return new LoweredKernel(plan, kernel, ImmutableDictionary.CreateRange(StringComparer.Ordinal,
            plan.KernelOperands.Select(o => KeyValuePair.Create(o.Access.Tensor.Name, plan.LayoutOf(o)))));
    }
}
