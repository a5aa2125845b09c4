using System.Runtime.Intrinsics;
using Swatop.Primitives;

namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>
/// The machine as one CPE program sees it: its place in the mesh, its LDM, its DMA engine, its
/// register-communication buses and the tensorized primitives. Hand-written kernels and the
/// loop-IR executor drive the emulator through this interface alone.
/// </summary>
/// <remarks>
/// Operations that may wait for another CPE return a <see cref="ValueTask"/>; the others return at
/// once. A DMA's data is in place when <see cref="DmaWait"/> returns; touching its LDM before then
/// is a race on the real machine.
/// </remarks>
public interface ICpe
{
    /// <summary>Where the CPE sits.</summary>
    CpeId Id { get; }

    /// <summary>The athread id inside the core group, 0..63 (<c>athread_get_id(-1)</c>).</summary>
    int IdInGroup { get; }

    /// <summary>The chip this CPE belongs to.</summary>
    Sw26010Spec Spec { get; }

    /// <summary>The CPE's local data memory.</summary>
    Ldm Ldm { get; }

    /// <summary>The main memory of the CPE's core group, the only memory its DMA reaches.</summary>
    MainMemory Memory { get; }

    /// <summary>Creates a reply word for DMA completions, starting at zero.</summary>
    ReplyWord CreateReplyWord(string name);

    /// <summary>
    /// Starts a DMA get (<c>athread_get(PE_MODE, ...)</c>) of <paramref name="destination"/>'s bytes
    /// from main memory at <paramref name="source"/>. With a <paramref name="blockBytes"/> the
    /// transfer reads blocks of that many bytes, skipping <paramref name="strideBytes"/> bytes of
    /// main memory between blocks; LDM is always written contiguously.
    /// </summary>
    void DmaGet(LdmSpan destination, GlobalAddress source, ReplyWord reply, int blockBytes = 0, int strideBytes = 0);

    /// <summary>Starts a DMA put (<c>athread_put(PE_MODE, ...)</c>): the mirror of <see cref="DmaGet"/>.</summary>
    void DmaPut(LdmSpan source, GlobalAddress destination, ReplyWord reply, int blockBytes = 0, int strideBytes = 0);

    /// <summary>Waits until <paramref name="reply"/> counts <paramref name="count"/> completed transfers (<c>dma_wait</c>).</summary>
    ValueTask DmaWait(ReplyWord reply, int count);

    /// <summary>
    /// Sends a 256-bit register along <paramref name="bus"/> to the CPE at index
    /// <paramref name="destination"/> of that row or column (0..7), or to all the others with
    /// <see cref="Rlc.Broadcast"/>. Waits while a receiver's buffer is full.
    /// </summary>
    ValueTask RlcPut(RlcBus bus, int destination, Vector256<double> value);

    /// <summary>Sends to a named CPE, which must share this CPE's row or column.</summary>
    ValueTask RlcSend(CpeId target, Vector256<double> value);

    /// <summary>Receives the next register that arrived on <paramref name="bus"/>; waits until one does.</summary>
    ValueTask<Vector256<double>> RlcGet(RlcBus bus);

    /// <summary>Waits at an <c>athread_syn</c> barrier with the other CPEs of <paramref name="scope"/>.</summary>
    ValueTask Synchronize(SyncScope scope);

    /// <summary>
    /// The mesh GEMM: C (M x N) += A (M x K) * B (K x N) over the whole 8 x 8 mesh, SUMMA style. Every
    /// CPE (r, c) passes its column-major blocks A[r][c] (M/8 x K/8), B[r][c] (K/8 x N/8) and C[r][c]
    /// (M/8 x N/8); all 64 CPEs must call it with the same shape. Float operands are computed as the
    /// hardware does: widened to double, the whole chain in double, C rounded once.
    /// </summary>
    ValueTask MeshGemm(int m, int n, int k, LdmSpan a, LdmSpan b, LdmSpan c);

    /// <summary>Sets every element of <paramref name="destination"/> to <paramref name="value"/>.</summary>
    void Fill(LdmSpan destination, double value);

    /// <summary>
    /// The element-wise primitive: <c>t = op(t, first[, second])</c> in place over
    /// <paramref name="target"/>, a column-major block whose rows its broadcast operands imply
    /// (<see cref="ElementwiseRules"/>); <paramref name="second"/> only for <see cref="ElementwiseOp.Clamp"/>.
    /// Operands are of the target's element type and do not overlap it.
    /// </summary>
    void Elementwise(ElementwiseOp op, LdmSpan target, ElementwiseSource first, ElementwiseSource second = default);

    /// <summary>The exponential primitive: <c>t = exp(t)</c> in place over <paramref name="target"/>, as <see cref="ExpKernel"/> computes it.</summary>
    void Exponential(LdmSpan target);

    /// <summary>Converts float to double or double to float (round to nearest) between two LDM spans.</summary>
    void Convert(LdmSpan source, LdmSpan destination);

    /// <summary>
    /// Copies blocks of <paramref name="blockElements"/> elements from <paramref name="source"/>,
    /// skipping <paramref name="gapElements"/> between blocks, into <paramref name="destination"/>
    /// contiguously: the strided block copy inside LDM.
    /// </summary>
    void Copy(LdmSpan source, LdmSpan destination, int blockElements, int gapElements);

    /// <summary>
    /// The transpose primitive: <paramref name="source"/> is a column-major <paramref name="rows"/> x
    /// <paramref name="columns"/> block; <paramref name="destination"/> receives its column-major
    /// <paramref name="columns"/> x <paramref name="rows"/> transpose,
    /// <c>destination[j + i * columns] = source[i + j * rows]</c>. Both spans are of one element type,
    /// hold exactly <c>rows * columns</c> elements (<see cref="TransposeRules"/>) and do not overlap.
    /// </summary>
    void Transpose(LdmSpan source, LdmSpan destination, int rows, int columns);

    /// <summary>
    /// The multiply-accumulate primitive, one row of a direct convolution:
    /// <c>target[i] += weights[k] * source[i * stride + k * dilation]</c> over the taps in order
    /// (<see cref="MultiplyAccumulateKernel"/>). The spans are of one element type, the source holds
    /// <see cref="MultiplyAccumulateRules.SourceSpan"/> elements at least, and the target overlaps neither
    /// the weights nor the source.
    /// </summary>
    void MultiplyAccumulate(LdmSpan target, LdmSpan weights, LdmSpan source, int stride, int dilation);
}
