using System.Collections.Immutable;
using System.Globalization;
using Swatop.Core.Scheduling;

namespace Swatop.Core.Algorithms.ImplicitGemm;

/// <summary>The LDM a plan's buffers take, and the error when it is more than the budget.</summary>
internal static class LdmAccount
{
    /// <summary>
    /// LDM bytes per CPE of <paramref name="operands"/>' buffers and the workspace, each aligned, double buffers counted twice; with
    /// <paramref name="outputRunElements"/> (<see cref="LoopPlan.OutputRunElements"/>) the output's buffer once and the buffer its
    /// puts drain as many times as the output's copies.
    /// </summary>
    public static long Bytes(ImmutableArray<PlannedOperand> operands, long workElements, int elementBytes, TargetLimits limits, long outputRunElements = 0)
    {
        long Align(long bytes) => (bytes + limits.LdmAlignmentBytes - 1) / limits.LdmAlignmentBytes * limits.LdmAlignmentBytes;
        var total = 0L;
        foreach (var operand in operands)
        {
            total += operand.Role == OperandRole.Output && outputRunElements > 0
                ? Align(operand.BufferElements * elementBytes) + Align(outputRunElements * elementBytes * operand.Copies)
                : Align(operand.BufferElements * elementBytes * operand.Copies);
        }

        return total + Align(workElements * elementBytes);
    }

    /// <summary>The error of a plan whose buffers exceed the budget, each buffer's part spelled out.</summary>
    public static ScheduleException Overflow(LoopPlan plan)
    {
        var s = plan.Schedule;
        var ic = CultureInfo.InvariantCulture;
        var parts = string.Join(", ", plan.KernelOperands.Select(o => o.Role == OperandRole.Output && plan.OutputRunElements > 0
            ? string.Create(ic, $"{LoopPlan.Label(o.Role)} {o.BufferElements} x 1, its compacted runs {plan.OutputRunElements} x {o.Copies}")
            : string.Create(ic, $"{LoopPlan.Label(o.Role)} {o.BufferElements} x {o.Copies}")));
        return new ScheduleException(ScheduleDiagnostics.LdmOverflow, "Tile", string.Create(CultureInfo.InvariantCulture,
            $"TileM = {s.TileM}, TileN = {s.TileN}, TileK = {s.TileK} with Window = {s.Window}, Operands = [{string.Join(", ", s.Operands)}]: the buffers need {plan.LdmBytes} bytes of LDM a CPE ({parts}, the mesh GEMM's workspace {plan.BufferWork} elements of {plan.ElementBytes} bytes) but the budget is {plan.Limits.LdmBudgetBytes} bytes."));
    }
}
