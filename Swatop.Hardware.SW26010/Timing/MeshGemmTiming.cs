using Swatop.Hardware.Sw26010.Primitives;
using Swatop.Primitives;

namespace Swatop.Hardware.Sw26010.Timing;

/// <summary>The mesh GEMM's cycles for the emulator's collective: <see cref="MeshGemmPrimitive.Cycles"/>, its description's model.</summary>
internal static class MeshGemmTiming
{
    internal static double Cycles(Sw26010Timing timing, int m, int n, int k, ElementType elementType) =>
        MeshGemmPrimitive.Cycles(timing, m, n, k, elementType);
}
