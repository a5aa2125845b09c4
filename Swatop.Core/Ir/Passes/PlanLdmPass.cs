using System.Collections.Immutable;
using System.Globalization;

namespace Swatop.Core.Ir.Passes;

/// <summary>
/// The <c>plan-ldm</c> pass: places every LDM buffer at a byte offset, in declaration order, each
/// aligned to <see cref="PassContext.LdmAlignmentBytes"/> and taking elements x copies x element bytes,
/// and fails with <see cref="IrDiagnostics.LdmBudgetExceeded"/> when the plan needs more than
/// <see cref="PassContext.LdmBudgetBytes"/>, naming every buffer with its bytes.
/// </summary>
public sealed class PlanLdmPass : IKernelPass
{
    /// <inheritdoc />
    public string Name => "plan-ldm";

    /// <inheritdoc />
    public LoopKernel Run(LoopKernel kernel, PassContext context)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(context);
        var alignment = Math.Max(1, context.LdmAlignmentBytes);
        var placed = ImmutableArray.CreateBuilder<LdmBuffer>(kernel.Buffers.Length);
        long end = 0;
        foreach (var buffer in kernel.Buffers)
        {
            var offset = (end + alignment - 1) / alignment * alignment;
            placed.Add(buffer.Offset == offset ? buffer : buffer with { Offset = offset });
            end = offset + (buffer.Elements * buffer.Copies * kernel.ElementBytes);
        }

        if (end > context.LdmBudgetBytes)
        {
            var parts = kernel.Buffers.Select(b => b.Copies == 1
                ? $"{b.Name}: {Bytes(b.Elements * kernel.ElementBytes)}"
                : $"{b.Name}: {b.Copies} x {Bytes(b.Elements * kernel.ElementBytes)}");
            throw new IrException(IrDiagnostics.LdmBudgetExceeded,
                $"LDM plan of kernel '{kernel.Name}' needs {Bytes(end)} bytes ({string.Join(", ", parts)}) but the budget is {Bytes(context.LdmBudgetBytes)} bytes.");
        }

        var buffers = placed.MoveToImmutable();
        return buffers.SequenceEqual(kernel.Buffers) ? kernel : kernel with { Buffers = buffers };
    }

    private static string Bytes(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
