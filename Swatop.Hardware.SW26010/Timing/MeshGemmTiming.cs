using Swatop.Primitives;

namespace Swatop.Hardware.Sw26010.Timing;

/// <summary>
/// The instruction-level account of one mesh GEMM call on every CPE: eight SUMMA steps, each
/// running the 4 x 4 register-blocked kernel over the CPE's blocks. Per step and register block:
/// the 16 accumulators loaded and stored, the pipeline's fill and drain, and a 16-cycle inner loop
/// per k; per step: the broadcast's first hop and the loop setup; per call: the call's setup. Float
/// operands pay the conversions of the float-in-double kernel: A, B and C widened, C narrowed.
/// Efficiency therefore falls for small per-CPE blocks as the real kernel's does.
/// </summary>
internal static class MeshGemmTiming
{
    internal static double Cycles(Sw26010Timing timing, int m, int n, int k, ElementType elementType)
    {
        var mesh = MeshGemmRules.MeshSize;
        int mb = m / mesh, nb = n / mesh, kb = k / mesh;
        var registerBlocks = (double)((mb + 15) / 16) * ((nb + 3) / 4);
        var perBlock = timing.GemmAccumulatorCycles + timing.GemmBlockOverheadCycles + (kb * timing.GemmInnerLoopCycles);
        var perStep = timing.GemmStepOverheadCycles + timing.RlcHopCycles + (registerBlocks * perBlock);
        var cycles = timing.GemmCallOverheadCycles + (mesh * perStep);
        if (elementType == ElementType.Float32)
        {
            cycles += timing.ConvertCyclesPerElement * (((double)mb * kb) + ((double)kb * nb) + (2.0 * mb * nb));
        }

        return cycles;
    }
}
