using Swatop.Hardware.Sw26010.Timing;
using Swatop.Primitives;

namespace Swatop.Hardware.Sw26010.Primitives;

/// <summary>
/// The mesh GEMM: <c>C (M x N) += A (M x K) * B (K x N)</c> over the 8 x 8 mesh, SUMMA style, every CPE
/// passing its column-major blocks (<see cref="MeshGemmRules"/>); float operands are computed in
/// double and C rounded once, bit-identical to <see cref="ReferenceGemm"/>.
/// </summary>
/// <remarks>
/// Its cycle model is the instruction-level account of one call on every CPE: eight SUMMA steps, each
/// running the 4 x 4 register-blocked kernel over the CPE's blocks. Per step and register block: the
/// 16 accumulators loaded and stored, the pipeline's fill and drain, and a 16-cycle inner loop per k;
/// per step: the broadcast's first hop and the loop setup; per call: the call's setup. Float operands
/// pay the conversions of the float-in-double kernel: C widened before the steps and narrowed after
/// them; A and B are widened in their registers as they are loaded for a broadcast, which takes no
/// issue slot (a <c>floatv4</c> register holds its lanes in double format, so the widening is a cast;
/// an assumption, as no figure for the CPE's float loads was found). Efficiency
/// therefore falls for small per-CPE blocks as the real kernel's does. <see cref="MeshGemmIssue"/> states
/// the instructions this account charges, which the emitted primitive issues. Each CPE counts the call,
/// its share of the flops, and the registers it broadcasts in the two steps it owns (each register
/// block's A vectors along its row, B elements down its column, per reduction index) and receives in
/// the other steps (<see cref="Tally"/>).
/// </remarks>
internal static class MeshGemmPrimitive
{
    /// <summary>The mesh GEMM's description.</summary>
    public static PrimitiveDescription Description { get; } = new(
        "mesh GEMM",
        $"C += A * B over the mesh, each C element one sequential fused chain over k, float in double ({nameof(ReferenceGemm)}, {nameof(GemmKernel)}; shapes by {nameof(MeshGemmRules)})",
        ["swatop_mesh_gemm_d", "swatop_mesh_gemm_f"],
        "SWATOP_COUNT_MESH_GEMM",
        [ActivityColumns.MeshGemmCalls, ActivityColumns.Flops, ActivityColumns.RlcPuts, ActivityColumns.RlcGets]);

    /// <summary>The CPE cycles of one call of shape (<paramref name="m"/>, <paramref name="n"/>, <paramref name="k"/>) over the whole mesh.</summary>
    public static double Cycles(Sw26010Timing timing, int m, int n, int k, ElementType elementType)
    {
        var mesh = MeshGemmRules.MeshSize;
        int mb = m / mesh, nb = n / mesh, kb = k / mesh;
        var registerBlocks = (double)((mb + 15) / 16) * ((nb + 3) / 4);
        var perBlock = timing.GemmAccumulatorCycles + timing.GemmBlockOverheadCycles + (kb * timing.GemmInnerLoopCycles);
        var perStep = timing.GemmStepOverheadCycles + timing.RlcHopCycles + (registerBlocks * perBlock);
        var cycles = timing.GemmCallOverheadCycles + (mesh * perStep);
        if (elementType == ElementType.Float32)
        {
            cycles += timing.ConvertCyclesPerElement * MeshGemmIssue.For(m, n, k, elementType).ConvertedElements;
        }

        return cycles;
    }

    /// <summary>What one call adds to each CPE's tallies besides the call itself: its share of the flops, and the registers it sends and receives (<see cref="MeshGemmIssue"/>).</summary>
    public static MeshGemmTally Tally(int m, int n, int k)
    {
        var mesh = MeshGemmRules.MeshSize;
        long mb = m / mesh, nb = n / mesh, kb = k / mesh;
        var issue = MeshGemmIssue.For(m, n, k, ElementType.Float64);
        return new MeshGemmTally(2L * mb * nb * kb * mesh, issue.Broadcasts, issue.Receives);
    }

    /// <summary>The C statement of a call; <paramref name="work"/> is the workspace (a buffer of the kernel's LDM plan).</summary>
    public static string Call(ElementType type, string m, string n, string k, string a, string b, string c, string work) =>
        $"swatop_mesh_gemm_{PrimitiveDescription.Suffix(type)}({m}, {n}, {k}, {a}, {b}, {c}, {work});";
}

/// <summary>What one mesh GEMM call adds to each CPE's tallies besides the call itself.</summary>
/// <param name="Flops">The CPE's share of the call's flops: 2 M N K / 64.</param>
/// <param name="RlcPuts">Registers it sends: in the step of its column, each register block's 4 A vectors per reduction index along its row; in the step of its row, the block's 4 B elements, splat, down its column.</param>
/// <param name="RlcGets">Registers it receives: the same of the seven other steps' owners.</param>
internal readonly record struct MeshGemmTally(long Flops, long RlcPuts, long RlcGets);
