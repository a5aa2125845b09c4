using Swatop.Core.Ir;
using Swatop.Primitives;

namespace Swatop.Tests.Execution;

/// <summary>
/// Tiled GEMM kernels built by hand from the IR records: C (M x N) += A (M x K) * B (K x N), all
/// column-major, tile by tile over the mesh in the loop order n, m, k of the hand-written
/// TiledGemmKernel, so each C element sees its products in k order.
/// </summary>
internal static class GemmIrKernels
{
    private const int Mesh = 8;

    private static readonly Var Row = Var.Row;
    private static readonly Var Col = Var.Column;
    private static readonly Var Nt = new("nt");
    private static readonly Var Mt = new("mt");
    private static readonly Var Kt = new("kt");
    private static readonly Var COffset = new("c_offset");

    /// <summary>
    /// One block of each operand: for every C tile get C, then for every k tile get A and B on one
    /// reply word, wait, multiply; put C back. The same operations in the same order as TiledGemmKernel.
    /// </summary>
    public static LoopKernel SingleBuffered(int m, int n, int k, int tileM, int tileN, int tileK, ElementType type = ElementType.Float64)
    {
        int mb = tileM / Mesh, nb = tileN / Mesh, kb = tileK / Mesh;
        var kLoop = new ForLoop(Kt.Name, k / tileK, Block.Of(
            new ResetReply("reply"),
            new DmaGet(new LdmRef("a", 0, mb * kb), "A", AOffset(m, tileM, tileK, mb, kb, Kt), mb, m - mb, "reply"),
            new DmaGet(new LdmRef("b", 0, kb * nb), "B", BOffset(k, tileN, tileK, nb, kb, Kt), kb, k - kb, "reply"),
            new DmaWait("reply"),
            new MeshGemm(tileM, tileN, tileK, new LdmRef("a", 0, mb * kb), new LdmRef("b", 0, kb * nb), new LdmRef("c", 0, mb * nb))));
        return Kernel("gemm", type, m, n, k, [new("a", mb * kb), new("b", kb * nb), new("c", mb * nb)], ["reply"],
            CTiles(m, n, tileM, tileN, mb, nb, kLoop));
    }

    /// <summary>
    /// A double-buffered A: a prologue fetches the first k tile's A block into the current half;
    /// each k step gets its B block, then starts the next A block into the next half, waits for B
    /// and multiplies while that A block moves, then waits for it and swaps. (The memory controller
    /// serves a CPE's requests in order: a prefetch issued before B's get would delay B by its own
    /// transfer and hide nothing.)
    /// </summary>
    public static LoopKernel DoubleBufferedA(int m, int n, int k, int tileM, int tileN, int tileK, ElementType type = ElementType.Float64)
    {
        int mb = tileM / Mesh, nb = tileN / Mesh, kb = tileK / Mesh;
        var a = new LdmRef("a", 0, mb * kb);
        var hasNext = Expr.Less(Kt + 1, k / tileK);
        var body = Block.Of(
            new ResetReply("a_reply"),
            new DmaGet(a, "A", AOffset(m, tileM, tileK, mb, kb, 0), mb, m - mb, "a_reply"),
            new DmaWait("a_reply"),
            new ForLoop(Kt.Name, k / tileK, Block.Of(
                new ResetReply("b_reply"),
                new DmaGet(new LdmRef("b", 0, kb * nb), "B", BOffset(k, tileN, tileK, nb, kb, Kt), kb, k - kb, "b_reply"),
                new Conditional(hasNext, Block.Of(
                    new ResetReply("a_reply"),
                    new DmaGet(a.InNextHalf, "A", AOffset(m, tileM, tileK, mb, kb, Kt + 1), mb, m - mb, "a_reply"))),
                new DmaWait("b_reply"),
                new MeshGemm(tileM, tileN, tileK, a, new LdmRef("b", 0, kb * nb), new LdmRef("c", 0, mb * nb)),
                new Conditional(hasNext, Block.Of(new DmaWait("a_reply"), new Swap("a"))))));
        return Kernel("gemm_double_a", type, m, n, k,
            [new("a", mb * kb, Copies: 2, DoubleBuffer: true), new("b", kb * nb), new("c", mb * nb)], ["a_reply", "b_reply", "reply"],
            CTiles(m, n, tileM, tileN, mb, nb, body));
    }

    /// <summary>The n and m tile loops around <paramref name="kSteps"/>: get this CPE's C block, run them, put it back.</summary>
    private static ForLoop CTiles(int m, int n, int tileM, int tileN, int mb, int nb, Stmt kSteps)
    {
        var c = new LdmRef("c", 0, mb * nb);
        return new ForLoop(Nt.Name, n / tileN, new ForLoop(Mt.Name, m / tileM,
            new Let(COffset.Name, (((Nt * tileN) + (Col * nb)) * m) + (Mt * tileM) + (Row * mb), Block.Of(
                new ResetReply("reply"),
                new DmaGet(c, "C", COffset, mb, m - mb, "reply"),
                new DmaWait("reply"),
                kSteps,
                new ResetReply("reply"),
                new DmaPut(c, "C", COffset, mb, m - mb, "reply"),
                new DmaWait("reply")))));
    }

    /// <summary>This CPE's A block of k tile <paramref name="kTile"/>: rows mt*TM + row*mb, columns kt*TK + col*kb.</summary>
    private static Expr AOffset(int m, int tileM, int tileK, int mb, int kb, Expr kTile) =>
        (((kTile * tileK) + (Col * kb)) * m) + (Mt * tileM) + (Row * mb);

    /// <summary>This CPE's B block: rows kt*TK + row*kb, columns nt*TN + col*nb.</summary>
    private static Expr BOffset(int k, int tileN, int tileK, int nb, int kb, Expr kTile) =>
        (((Nt * tileN) + (Col * nb)) * k) + (kTile * tileK) + (Row * kb);

    private static LoopKernel Kernel(string name, ElementType type, int m, int n, int k, LdmBuffer[] buffers, string[] replies, Stmt body) =>
        new(name, type, [new("A", (long)m * k, false), new("B", (long)k * n, false), new("C", (long)m * n, true)],
            [.. buffers], [.. replies], body);
}
