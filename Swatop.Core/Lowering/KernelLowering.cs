using System.Collections.Immutable;
using Swatop.Core.Ir;
using Swatop.Core.Scheduling;
using Swatop.Primitives;

namespace Swatop.Core.Lowering;

/// <summary>
/// Lowers an operator under a schedule to a loop kernel: the index loops, the output tile zeroed in
/// LDM, the reduction loops with each operand's DMA group at its level, the mesh GEMM innermost, and
/// the output tiles put back. DMA is written as tile transfers with their valid extents; the
/// boundary pass turns them into plain transfers for interior tiles and padded ones for border
/// tiles. Double buffering, hoisting and LDM planning are the passes' job.
/// </summary>
public static class KernelLowering
{
    /// <summary>The A operand's LDM buffer.</summary>
    public const string BufferA = "ldm_a";

    /// <summary>The B operand's LDM buffer.</summary>
    public const string BufferB = "ldm_b";

    /// <summary>The output tiles' LDM buffer.</summary>
    public const string BufferC = "ldm_c";

    /// <summary>The mesh GEMM's workspace (<see cref="MeshGemmWorkspace"/>): no statement names it; the emitted primitive streams its broadcast blocks through it.</summary>
    public const string BufferWork = "ldm_w";

    /// <summary>Lowers <paramref name="spec"/> under <paramref name="schedule"/> for a target with <paramref name="limits"/>.</summary>
    /// <exception cref="ScheduleException">The schedule does not fit the operator or target.</exception>
    public static LoweredKernel Lower(OperatorSpec spec, Schedule schedule, TargetLimits limits) => Lower(LoopPlan.Create(spec, schedule, limits));

    /// <summary>Lowers a checked plan.</summary>
    public static LoweredKernel Lower(LoopPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var expression = plan.Operator.Expression;
        var s = plan.Schedule;
        var layoutA = Blocked(TensorLayout.For(plan.A, plan.K, plan.M, padToReads: true), plan.A, plan.BlockedA, (plan.M, s.TileM), (plan.K, s.TileK));
        var layoutB = Blocked(TensorLayout.For(plan.B, plan.N, plan.K, padToReads: true), plan.B, plan.BlockedB, (plan.K, s.TileK), (plan.N, s.TileN));
        var layoutC = Blocked(TensorLayout.For(expression.Output, plan.N, plan.M, padToReads: false), expression.Output, plan.BlockedC, (plan.M, s.TileM), (plan.N, s.TileN));
        var builder = new NestBuilder(plan, layoutA, layoutB, layoutC);
        var kernel = new LoopKernel(
            Name: Identifier(expression.Name),
            ElementType: plan.Operator.ElementType,
            Tensors: [new KernelTensor(plan.A.Tensor.Name, layoutA.Elements, false), new KernelTensor(plan.B.Tensor.Name, layoutB.Elements, false),
                      new KernelTensor(expression.Output.Tensor.Name, layoutC.Elements, true)],
            Buffers: [new LdmBuffer(BufferA, plan.BufferA, DoubleBuffer: s.DoubleBufferA), new LdmBuffer(BufferB, plan.BufferB, DoubleBuffer: s.DoubleBufferB),
                      new LdmBuffer(BufferC, plan.BufferC, DoubleBuffer: s.DoubleBufferC), new LdmBuffer(BufferWork, plan.BufferWork)],
            Replies: [NestBuilder.ReplyA, NestBuilder.ReplyB, NestBuilder.ReplyC],
            Body: builder.Build());
        var layouts = ImmutableDictionary.CreateRange(StringComparer.Ordinal, [
            KeyValuePair.Create(plan.A.Tensor.Name, layoutA), KeyValuePair.Create(plan.B.Tensor.Name, layoutB),
            KeyValuePair.Create(expression.Output.Tensor.Name, layoutC)]);
        return new LoweredKernel(plan, kernel, layouts);
    }

    /// <summary>
    /// <paramref name="layout"/> with the dimensions of <paramref name="axes"/> cut in blocks of a CPE's
    /// share of a tile and padded to whole tiles, when <paramref name="blocked"/>.
    /// </summary>
    private static TensorLayout Blocked(TensorLayout layout, TensorAccess access, bool blocked, params (Axis Axis, int Tile)[] axes)
    {
        if (!blocked)
        {
            return layout;
        }

        foreach (var (axis, tile) in axes)
        {
            var d = access.PlainDimensionOf(axis);
            layout = layout.WithBlocks(d, tile / MeshGemmRules.MeshSize, LoopPlan.Ceiling(layout.Lengths[d], tile) * tile);
        }

        return layout;
    }

    private static string Identifier(string name)
    {
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray();
        var text = new string(chars);
        return text.Length == 0 || char.IsAsciiDigit(text[0]) ? "k_" + text : text;
    }
}
