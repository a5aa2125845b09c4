using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Timing;
using Swatop.Primitives;

namespace Swatop.Hardware.Sw26010.Primitives;

/// <summary>
/// The conversion between float and double runs of LDM (round to nearest): a load, a convert and a
/// store per element, pipelined, <see cref="Sw26010Timing.ConvertCyclesPerElement"/> each, after
/// <see cref="Sw26010Timing.LoopSetupCycles"/>. The emitted C has no such call yet (the mesh GEMM widens
/// its float blocks itself); the counting hook is there for one.
/// </summary>
internal static class ConvertPrimitive
{
    /// <summary>The description.</summary>
    public static PrimitiveDescription Description { get; } = new(
        "convert",
        $"float to double exactly, double to float rounded to nearest ({nameof(ElementConvert)})",
        [],
        "SWATOP_COUNT_CONVERT",
        [ActivityColumns.ConvertElements]);

    /// <summary>The CPE cycles of converting <paramref name="elements"/> elements.</summary>
    public static double Cycles(Sw26010Timing timing, long elements) => timing.LoopSetupCycles + (elements * timing.ConvertCyclesPerElement);

    /// <summary>Adds a conversion of <paramref name="elements"/> elements to a CPE's tallies.</summary>
    public static void Count(ActivityCounters counters, long elements) => counters.ConvertElements += elements;
}
