using System.Globalization;
using Swatop.Core.Ir;
using Swatop.Hardware.Sw26010.Emulation;

namespace Swatop.Hardware.Sw26010.Execution;

/// <summary>
/// A DMA get or put in PE mode. The IR's element offset, block and gap become the descriptor's
/// byte address, block size and stride with the kernel's element size, as the hand-written kernels
/// call <see cref="ICpe.DmaGet"/> and <see cref="ICpe.DmaPut"/>.
/// </summary>
internal sealed class DmaTransfer(Stmt source, bool isGet, CompiledLdmRef ldm, int tensor, CompiledExpr offset,
    CompiledExpr blockElements, CompiledExpr gapElements, int reply, int elementBytes) : SimpleInstruction(source)
{
    protected override void Run(ExecutionFrame frame)
    {
        var span = ldm.Resolve(frame, Source);
        var slots = frame.Slots;
        var buffer = frame.Tensors[tensor];
        var first = offset.Evaluate(slots);
        if (first < 0 || first > buffer.ByteLength / elementBytes)
        {
            throw frame.Error(ExecutionDiagnostics.ValueOutOfRange, Source, string.Create(CultureInfo.InvariantCulture,
                $"the first element {first} lies outside tensor '{buffer.Name}' of {buffer.ByteLength / elementBytes} elements."));
        }

        var blockBytes = frame.ToInt(blockElements.Evaluate(slots) * elementBytes, Source, "the block in bytes");
        var strideBytes = frame.ToInt(gapElements.Evaluate(slots) * elementBytes, Source, "the gap in bytes");
        var address = buffer.At(first * elementBytes);
        var word = frame.Replies[reply];
        if (isGet)
        {
            frame.Cpe.DmaGet(span, address, word, blockBytes, strideBytes, Source);
        }
        else
        {
            frame.Cpe.DmaPut(span, address, word, blockBytes, strideBytes, Source);
        }
    }
}

/// <summary>Sets a reply word back to zero.</summary>
internal sealed class ResetReplyWord(ResetReply source, int reply) : SimpleInstruction(source)
{
    protected override void Run(ExecutionFrame frame) => frame.Replies[reply].Reset();
}

/// <summary>Waits for every transfer issued against a reply word since its last reset.</summary>
internal sealed class WaitForReplies(DmaWait source, int reply) : Instruction(source, waits: true)
{
    public override CpeWait Wait(ExecutionFrame frame)
    {
        var word = frame.Replies[reply];
        return frame.Cpe.DmaWaitCore(word, word.Issued);
    }
}
