using Swatop.Core.Ir;

namespace Swatop.Hardware.Sw26010.Execution;

/// <summary>The fill primitive on a run of LDM elements.</summary>
internal sealed class FillStep(Fill source, CompiledLdmRef target) : SyncStep(source)
{
    private readonly double _value = source.Value;

    public override void Execute(ExecutionFrame frame) => frame.Cpe.Fill(target.Resolve(frame, Source), _value);
}

/// <summary>Flips a double buffer's turn bit: the next half becomes the current one.</summary>
internal sealed class SwapStep(Swap source, int buffer) : SyncStep(source)
{
    public override void Execute(ExecutionFrame frame) => frame.Turns[buffer] ^= 1;
}

/// <summary>The mesh GEMM; it waits until all 64 CPEs of the group have arrived.</summary>
internal sealed class MeshGemmStep(MeshGemm source, CompiledExpr m, CompiledExpr n, CompiledExpr k,
    CompiledLdmRef a, CompiledLdmRef b, CompiledLdmRef c) : Step(source)
{
    public override ValueTask Run(ExecutionFrame frame)
    {
        var slots = frame.Slots;
        return frame.Cpe.MeshGemm(
            frame.ToInt(m.Evaluate(slots), Source, "M"),
            frame.ToInt(n.Evaluate(slots), Source, "N"),
            frame.ToInt(k.Evaluate(slots), Source, "K"),
            a.Resolve(frame, Source),
            b.Resolve(frame, Source),
            c.Resolve(frame, Source));
    }
}
