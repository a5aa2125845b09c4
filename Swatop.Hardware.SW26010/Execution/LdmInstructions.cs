using Swatop.Core.Ir;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Primitives;

namespace Swatop.Hardware.Sw26010.Execution;

/// <summary>The fill primitive on a run of LDM elements.</summary>
internal sealed class FillElements(Fill source, CompiledLdmRef target) : SimpleInstruction(source)
{
    private readonly double _value = source.Value;

    protected override void Run(ExecutionFrame frame) => frame.Cpe.Fill(target.Resolve(frame, Source), _value);
}

/// <summary>The element-wise primitive on a run of LDM elements.</summary>
internal sealed class ElementwiseElements(Elementwise source, CompiledLdmRef target, CompiledOperand[] operands) : SimpleInstruction(source)
{
    private readonly ElementwiseOp _op = source.Op;

    protected override void Run(ExecutionFrame frame) => frame.Cpe.Elementwise(_op, target.Resolve(frame, Source),
        operands[0].Resolve(frame, Source), operands.Length > 1 ? operands[1].Resolve(frame, Source) : default);
}

/// <summary>The exponential primitive on a run of LDM elements.</summary>
internal sealed class ExponentialElements(Exponential source, CompiledLdmRef target) : SimpleInstruction(source)
{
    protected override void Run(ExecutionFrame frame) => frame.Cpe.Exponential(target.Resolve(frame, Source));
}

/// <summary>An element-wise operand compiled against the kernel's buffer table.</summary>
internal sealed class CompiledOperand(ElementwiseOperandKind kind, CompiledLdmRef? reference, double value)
{
    /// <summary>The operand as the CPE takes it now.</summary>
    public ElementwiseSource Resolve(ExecutionFrame frame, Stmt statement) =>
        reference is null ? ElementwiseSource.Scalar(value) : new ElementwiseSource(kind, reference.Resolve(frame, statement), 0);
}

/// <summary>The multiply-accumulate primitive: a row of outputs, its taps' weights and the source row they read.</summary>
internal sealed class MultiplyAccumulateElements(MultiplyAccumulate source, CompiledLdmRef target, CompiledLdmRef weights, CompiledLdmRef from, CompiledExpr stride, CompiledExpr dilation)
    : SimpleInstruction(source)
{
    protected override void Run(ExecutionFrame frame)
    {
        var slots = frame.Slots;
        frame.Cpe.MultiplyAccumulate(target.Resolve(frame, Source), weights.Resolve(frame, Source), from.Resolve(frame, Source),
            frame.ToInt(stride.Evaluate(slots), Source, "stride"), frame.ToInt(dilation.Evaluate(slots), Source, "dilation"));
    }
}

/// <summary>The transpose primitive from one run of LDM elements into another.</summary>
internal sealed class TransposeElements(Transpose source, CompiledLdmRef target, CompiledLdmRef from, CompiledExpr rows, CompiledExpr columns) : SimpleInstruction(source)
{
    protected override void Run(ExecutionFrame frame)
    {
        var slots = frame.Slots;
        frame.Cpe.Transpose(from.Resolve(frame, Source), target.Resolve(frame, Source),
            frame.ToInt(rows.Evaluate(slots), Source, "rows"), frame.ToInt(columns.Evaluate(slots), Source, "columns"));
    }
}

/// <summary>Flips a double buffer's turn bit: the next half becomes the current one.</summary>
internal sealed class SwapHalves(Swap source, int buffer) : SimpleInstruction(source)
{
    protected override void Run(ExecutionFrame frame) => frame.Turns[buffer] ^= 1;
}

/// <summary>The mesh GEMM; it waits until all 64 CPEs of the group have arrived.</summary>
internal sealed class MeshMultiply(MeshGemm source, CompiledExpr m, CompiledExpr n, CompiledExpr k,
    CompiledLdmRef a, CompiledLdmRef b, CompiledLdmRef c) : Instruction(source, waits: true)
{
    public override CpeWait Wait(ExecutionFrame frame)
    {
        var slots = frame.Slots;
        return frame.Cpe.MeshGemmCore(
            frame.ToInt(m.Evaluate(slots), Source, "M"),
            frame.ToInt(n.Evaluate(slots), Source, "N"),
            frame.ToInt(k.Evaluate(slots), Source, "K"),
            a.Resolve(frame, Source),
            b.Resolve(frame, Source),
            c.Resolve(frame, Source));
    }
}
