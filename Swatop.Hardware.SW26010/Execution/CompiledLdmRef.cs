using System.Globalization;
using Swatop.Core.Ir;
using Swatop.Hardware.Sw26010.Emulation;

namespace Swatop.Hardware.Sw26010.Execution;

/// <summary>
/// An <see cref="LdmRef"/> compiled against the kernel's buffer table: resolving it evaluates the
/// offset and the count, checks that the run lies inside its half, and picks the half from the
/// CPE's turn bit (<c>Current</c> = half <c>turn</c>, <c>Next</c> = half <c>1 - turn</c>).
/// </summary>
internal sealed class CompiledLdmRef(LdmRef source, int buffer, long halfElements, CompiledExpr offset, CompiledExpr count)
{
    private readonly bool _next = source.Half == BufferHalf.Next;

    /// <summary>The span of this CPE's LDM the reference names now.</summary>
    /// <exception cref="ExecutionException">SWX0011 when the run reaches outside its half.</exception>
    public LdmSpan Resolve(ExecutionFrame frame, Stmt statement)
    {
        var slots = frame.Slots;
        long start = offset.Evaluate(slots), length = count.Evaluate(slots);
        if (start < 0 || length < 0 || length > halfElements - start)
        {
            throw OutOfHalf(frame, statement, start, length);
        }

        var turn = frame.Turns[buffer];
        var half = _next ? 1 - turn : turn;
        return frame.Buffers[buffer].Slice((int)((half * halfElements) + start), (int)length);
    }

    private ExecutionException OutOfHalf(ExecutionFrame frame, Stmt statement, long start, long length) =>
        frame.Error(ExecutionDiagnostics.ValueOutOfRange, statement, string.Create(CultureInfo.InvariantCulture,
            $"{source} names elements [{start}, {start + length}) of LDM buffer '{source.Buffer}', but {(frame.Buffers[buffer].ElementCount == halfElements ? "the buffer" : "each half of the buffer")} has {halfElements} elements."));
}
