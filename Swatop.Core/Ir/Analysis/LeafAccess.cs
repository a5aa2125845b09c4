namespace Swatop.Core.Ir;

/// <summary>
/// What one leaf statement (not a block, loop, let or conditional) reads and writes, as the passes
/// reason about it: the LDM buffer it writes, the buffer it puts from, the tensor it reads or writes,
/// and whether it is a DMA transfer rather than a computation.
/// </summary>
/// <param name="WrittenBuffer">The buffer it writes: a fill's, an element-wise operation's, a transpose's or a GEMM accumulator's target, a get's (plain or tile) destination.</param>
/// <param name="DrainedBuffer">The buffer a put (plain or tile) reads.</param>
/// <param name="TensorRead">The tensor a get (plain or tile) reads.</param>
/// <param name="TensorWritten">The tensor a put (plain or tile) writes.</param>
/// <param name="IsTransfer">Whether it is a DMA get or put (plain or tile).</param>
internal readonly record struct LeafAccess(string? WrittenBuffer, string? DrainedBuffer, string? TensorRead, string? TensorWritten, bool IsTransfer)
{
    /// <summary>A statement that touches no buffer and no tensor (a reset, a wait, a swap; and a block, loop, let or conditional itself, whose leaves do).</summary>
    public static LeafAccess None => default;

    /// <summary>A computation that writes <paramref name="buffer"/>.</summary>
    public static LeafAccess Computes(string buffer) => new(buffer, null, null, null, IsTransfer: false);

    /// <summary>A get from <paramref name="tensor"/> into <paramref name="buffer"/>.</summary>
    public static LeafAccess Gets(string buffer, string tensor) => new(buffer, null, tensor, null, IsTransfer: true);

    /// <summary>A put from <paramref name="buffer"/> to <paramref name="tensor"/>.</summary>
    public static LeafAccess Puts(string buffer, string tensor) => new(null, buffer, null, tensor, IsTransfer: true);
}
