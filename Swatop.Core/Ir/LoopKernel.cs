using System.Collections.Immutable;
using Swatop.Primitives;

namespace Swatop.Core.Ir;

/// <summary>
/// A lowered kernel: the SPMD loop nest every CPE of a core group runs, with the main-memory
/// tensors it reads and writes, the LDM buffers it declares and its DMA reply words.
/// </summary>
/// <param name="Name">A C identifier; the emitted slave function is named after it.</param>
/// <param name="ElementType">The element type of every tensor and buffer.</param>
/// <param name="Tensors">The tensors in main memory, in the kernel's (internal) layouts.</param>
/// <param name="Buffers">The LDM buffers.</param>
/// <param name="Replies">The reply words.</param>
/// <param name="Body">The loop nest.</param>
public sealed record LoopKernel(string Name, ElementType ElementType, ImmutableArray<KernelTensor> Tensors,
    ImmutableArray<LdmBuffer> Buffers, ImmutableArray<string> Replies, Stmt Body)
{
    /// <summary>Bytes of one element.</summary>
    public int ElementBytes => ElementType == ElementType.Float32 ? sizeof(float) : sizeof(double);

    /// <summary>The tensor named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No tensor has that name.</exception>
    public KernelTensor Tensor(string name) =>
        Tensors.FirstOrDefault(t => t.Name == name) ?? throw new KeyNotFoundException($"Kernel '{Name}' has no tensor '{name}'.");

    /// <summary>The buffer named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No buffer has that name.</exception>
    public LdmBuffer Buffer(string name) =>
        Buffers.FirstOrDefault(b => b.Name == name) ?? throw new KeyNotFoundException($"Kernel '{Name}' has no LDM buffer '{name}'.");

    /// <summary>LDM bytes the buffers take, each half counted, before alignment.</summary>
    public long LdmBytes => Buffers.Sum(b => b.Elements * b.Copies * ElementBytes);

    /// <summary>The kernel as IR text.</summary>
    public override string ToString() => IrPrinter.Print(this);
}

/// <summary>A tensor in main memory as the kernel sees it.</summary>
/// <param name="Name">A C identifier.</param>
/// <param name="Elements">Its length in elements.</param>
/// <param name="IsOutput">Whether the kernel writes it.</param>
public sealed record KernelTensor(string Name, long Elements, bool IsOutput);

/// <summary>An LDM buffer of every CPE.</summary>
/// <param name="Name">A C identifier.</param>
/// <param name="Elements">Elements of one copy.</param>
/// <param name="Copies">1, or 2 when double-buffered.</param>
/// <param name="Offset">Its byte offset in LDM once the planning pass placed it; -1 before.</param>
/// <param name="DoubleBuffer">Whether the schedule asks for the buffer to be double-buffered; the double-buffering pass honours it and sets <paramref name="Copies"/> to 2.</param>
public sealed record LdmBuffer(string Name, long Elements, int Copies = 1, long Offset = -1, bool DoubleBuffer = false)
{
    /// <summary>Whether the LDM planning pass has placed it.</summary>
    public bool IsPlaced => Offset >= 0;
}
