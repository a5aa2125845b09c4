using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Timing;
using Swatop.Primitives;

namespace Swatop.Hardware.Sw26010.Primitives;

/// <summary>
/// The multiply-accumulate primitive, one row of a direct convolution:
/// <c>t[i] += w[k] * s[i * stride + k * dilation]</c> over the taps in order, bit-identical to
/// <see cref="MultiplyAccumulateKernel.Reference{T}"/>; the direct convolution computes with it.
/// </summary>
/// <remarks>
/// Its cycle model is a vector loop over the outputs on the CPE's two pipelines, P1 issuing one vector load
/// or store a cycle and P0 the <c>vmad</c>s, which overlap them: a vector of outputs is loaded and stored
/// once (<see cref="Sw26010Timing.CopyCyclesPerVector"/>) and each tap loads a vector of the source
/// (<see cref="Sw26010Timing.FillCyclesPerVector"/>, one P1 issue) while its weight sits in a register. A
/// stride above 1 has no vector load: each tap then gathers its lanes with one scalar load each. The loop is
/// set up once (<see cref="Sw26010Timing.LoopSetupCycles"/>). It counts two flops per output and tap.
/// </remarks>
internal static class MultiplyAccumulatePrimitive
{
    /// <summary>The multiply-accumulate's description.</summary>
    public static PrimitiveDescription Description { get; } = new(
        "multiply-accumulate",
        $"t[i] += w[k] * s[i * stride + k * dilation] over the taps k in order, each product and sum rounded ({nameof(MultiplyAccumulateKernel)}.{nameof(MultiplyAccumulateKernel.Reference)}; shapes by {nameof(MultiplyAccumulateRules)})",
        [FunctionName(ElementType.Float64), FunctionName(ElementType.Float32)],
        "SWATOP_COUNT_MAC",
        [ActivityColumns.Flops]);

    /// <summary>The CPE cycles of one call on <paramref name="count"/> outputs and <paramref name="taps"/> taps at <paramref name="stride"/>.</summary>
    public static double Cycles(Sw26010Timing timing, int lanes, long count, long taps, long stride)
    {
        var vectors = PrimitiveDescription.Vectors(count, lanes);
        var loadsPerTap = stride == 1 ? 1 : lanes;
        return timing.LoopSetupCycles + (vectors * (timing.CopyCyclesPerVector + (taps * loadsPerTap * timing.FillCyclesPerVector)));
    }

    /// <summary>Adds one call on <paramref name="count"/> outputs and <paramref name="taps"/> taps to a CPE's tallies.</summary>
    public static void Count(ActivityCounters counters, long count, long taps) => counters.Flops += 2 * count * taps;

    /// <summary>The C function on <paramref name="type"/>: <c>swatop_mac_d</c>.</summary>
    public static string FunctionName(ElementType type) => $"swatop_mac_{PrimitiveDescription.Suffix(type)}";

    /// <summary>The C statement of a call.</summary>
    public static string Call(ElementType type, string target, string weights, string source, string count, string taps, string stride, string dilation) =>
        $"{FunctionName(type)}({target}, {weights}, {source}, {count}, {taps}, {stride}, {dilation});";
}
