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
/// Its cycle model is the account of what its C issues (<see cref="Issue"/>, <see cref="VectorIssue"/>): the
/// outputs before the target's first vector boundary and after its last whole vector one at a time, the rest a
/// vector of outputs at a time with the taps in groups of up to <see cref="TapsPerGroup"/>, whose weights are
/// splat into registers once a call. Per vector and group the outputs are loaded and stored once; per tap the
/// source vector is loaded with <c>simd_loadu</c> at stride 1 (its start moves by a lane from tap to tap) and
/// gathered lane by lane, one scalar load a lane, at a larger stride, and P0 multiplies and adds (two
/// instructions: the product and the sum are each rounded, as <see cref="MultiplyAccumulateKernel"/> computes).
/// The loop is set up once (<see cref="Sw26010Timing.LoopSetupCycles"/>). It counts two flops per output and tap.
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

    /// <summary>Taps whose weights the vector loop holds in registers at once.</summary>
    public const int TapsPerGroup = 4;

    /// <summary>The CPE cycles of one call on <paramref name="count"/> outputs and <paramref name="taps"/> taps at <paramref name="stride"/>, the target on a vector boundary (the cost model's view; the emulator knows the address, <see cref="Issue"/>).</summary>
    public static double Cycles(Sw26010Timing timing, int lanes, long count, long taps, long stride)
    {
        ArgumentNullException.ThrowIfNull(timing);
        return Issue(lanes, count, taps, stride, 0).Cycles(timing, lanes);
    }

    /// <summary>
    /// What one call on <paramref name="count"/> outputs at element address <paramref name="target"/> (its LDM byte
    /// address over the element's size) and <paramref name="taps"/> taps at <paramref name="stride"/> issues, with
    /// vectors of <paramref name="lanes"/> lanes: the loops of <c>SWATOP_MAC</c>.
    /// </summary>
    public static VectorIssue Issue(int lanes, long count, long taps, long stride, long target)
    {
        if (count <= 0 || taps <= 0)
        {
            return VectorIssue.None;
        }

        var head = VectorIssue.Head(target, count, lanes);
        var vectors = (count - head) / lanes;
        var scalars = count - (vectors * lanes);
        var groups = (taps + TapsPerGroup - 1) / TapsPerGroup;
        var sources = vectors * taps;
        return new VectorIssue(
            Loads: vectors * groups,
            UnalignedLoads: stride == 1 ? sources : 0,
            Splats: vectors > 0 ? taps : 0,
            Gathers: stride == 1 ? 0 : sources,
            Stores: vectors * groups,
            Fmas: 0,
            Arithmetic: 2 * sources,
            ScalarIssues: scalars * (2 + (2 * taps)),
            ScalarOperations: scalars * 2 * taps);
    }

    /// <summary>Adds one call on <paramref name="count"/> outputs and <paramref name="taps"/> taps to a CPE's tallies.</summary>
    public static void Count(ActivityCounters counters, long count, long taps) => counters.Flops += 2 * count * taps;

    /// <summary>The C function on <paramref name="type"/>: <c>swatop_mac_d</c>.</summary>
    public static string FunctionName(ElementType type) => $"swatop_mac_{PrimitiveDescription.Suffix(type)}";

    /// <summary>The C statement of a call.</summary>
    public static string Call(ElementType type, string target, string weights, string source, string count, string taps, string stride, string dilation) =>
        $"{FunctionName(type)}({target}, {weights}, {source}, {count}, {taps}, {stride}, {dilation});";
}
