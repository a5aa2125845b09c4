using Swatop.Core.Lowering;
using Swatop.Primitives;

namespace Swatop.Core.Algorithms.ImplicitGemm;

/// <summary>
/// The layout an implicit GEMM plan keeps each operand in, in main memory: its rows' dimensions
/// innermost (a CPE's block is column-major) and its columns' just outside them, the others outside in the framework's order; an input's
/// dimensions padded to the range the kernel reads (zeros outside the framework tensor, which is how
/// convolution padding reaches the kernel); and, for an operand the plan blocks
/// (<see cref="PlannedOperand.Blocked"/>), its GEMM axes' dimensions cut in blocks of a CPE's share of a
/// tile and padded to whole tiles; the output widened by the schedule's <see cref="ImplicitGemmSchedule.OutputMargins"/>, if any
/// (a fold's width margin is <see cref="AxisMerge.Factor"/> positions of the view a column); the input the schedule's
/// <see cref="ImplicitGemmSchedule.InputMargins"/> name widened by them. Under image rows (<see cref="ImageRows"/>) a tensor
/// that reads M is kept as the framework keeps it, its positions merged. These are the layouts the kernel addresses its
/// operands through (<see cref="For"/>); where it keeps them (<see cref="Placed"/>) differs only under
/// <see cref="ImplicitGemmSchedule.GroupMemory"/>: an operand whose layout is the framework's own is then kept row-major in
/// the core groups' own memories, at the same offsets, so the kernel's transfers are those of the in-place kernel.
/// </summary>
internal static class OperandLayouts
{
    /// <summary>
    /// The layout <paramref name="operand"/> is kept in under <paramref name="plan"/>, over its framework tensor: <see cref="For"/>'s
    /// given back over the framework tensor, and under <see cref="ImplicitGemmSchedule.GroupMemory"/> the framework's own layout
    /// (the operand read or written in place) kept row-major in the core groups' own memories instead
    /// (<see cref="TensorLayout.RowMajorInCoreGroups"/>). A layout widened by margins, padded, blocked or permuted is not the
    /// framework's and stays as it is.
    /// </summary>
    public static TensorLayout Placed(LoopPlan plan, PlannedOperand operand)
    {
        var layout = plan.FrameworkLayout(For(plan, operand));
        return plan.Schedule.GroupMemory && layout.IsIdentity ? TensorLayout.RowMajorInCoreGroups(layout.Tensor) : layout;
    }

    /// <summary>Whether <paramref name="plan"/> reads or writes one of its GEMM operands (A, B, the output) in place: its layout over the framework tensor the framework's own.</summary>
    public static bool KeepsInPlace(LoopPlan plan) => plan.Operands.Any(operand => plan.FrameworkLayout(For(plan, operand)).IsIdentity);

    /// <summary>
    /// The layout the kernel of <paramref name="plan"/> addresses <paramref name="operand"/> through, over the tensor of the
    /// plan's view: the lowering's offsets follow it (a blocked dimension is a GEMM axis's own).
    /// </summary>
    public static TensorLayout For(LoopPlan plan, PlannedOperand operand)
    {
        var layout = Unwidened(plan, operand);
        if (operand.Role == Scheduling.OperandRole.Output && plan.Schedule.OutputMargins is { } margins)
        {
            return (plan.Merge?.InView(margins, operand.Access.Tensor.Name) ?? margins).Widen(layout);
        }

        return operand.IsInput && plan.Schedule.InputMargins is { } wider && wider.Tensor == operand.Access.Tensor.Name ? wider.Widen(layout) : layout;
    }

    /// <summary>The layout of <paramref name="operand"/> under <paramref name="plan"/> before any output or input margins.</summary>
    public static TensorLayout Unwidened(LoopPlan plan, PlannedOperand operand)
    {
        if (plan.Merge?.ImageRows is { } rows && rows.Holds(operand.Access.Tensor.Name))
        {
            // One image a mesh row: the tensor with its positions merged, in place (ImageRows).
            return rows.Layout(operand.Access.Tensor.Name);
        }

        var layout = TensorLayout.For(operand.Access, middle: operand.Columns, inner: operand.Rows, padToReads: operand.IsInput);
        if (!operand.Blocked)
        {
            return layout;
        }

        foreach (var axis in new[] { operand.Rows, operand.Columns })
        {
            var tile = plan.TileOf(axis);
            var d = PlainDimension.Of(operand.Access, axis);
            layout = layout.WithBlocks(d, tile / MeshGemmRules.MeshSize, LoopNest.Ceiling(layout.Lengths[d], tile) * tile);
        }

        return layout;
    }
}
