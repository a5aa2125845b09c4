using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Timing;
using Swatop.Primitives;

namespace Swatop.Hardware.Sw26010.Primitives;

/// <summary>
/// The exponential primitive: <c>t = exp(t)</c> in place over a run of LDM elements, bit-identical to
/// <see cref="ExpKernel.Exp(double)"/> (and its float form). The SW26010 has no exponential instruction: the C
/// (<c>swatop_exp_T</c>) computes a Cody-Waite reduction and a polynomial in vector adds and multiplies, the same
/// operations in the same order as <see cref="ExpKernel"/>.
/// </summary>
/// <remarks>
/// Its cycle model is the account of what its C issues (<see cref="Issue"/>, <see cref="VectorIssue"/>): the
/// elements before the run's first vector boundary and after its last whole vector one at a time
/// (<see cref="ScalarOperationsPerElement"/> P0 operations, a load and a store each), the rest a vector at a time.
/// Per vector: the input loaded, <see cref="VectorOperationsPerVector"/> vector adds, multiplies, compares and
/// selects (clamp, reduction, polynomial, scaling, special values), and the scaling by 2^k built lane by lane:
/// the vector of k stored, each lane's k read back and its two powers of two built in integer registers
/// (<see cref="LaneOperations"/> P0 operations, a load and two stores a lane) and loaded as two vectors; the result
/// stored. The call splats its <see cref="Constants"/> constants once. A float vector is held in double format in a
/// CPE register (a cast, not an instruction). It counts <see cref="FlopsPerElement"/> flops an element (its adds
/// and multiplies).
/// </remarks>
internal static class ExpPrimitive
{
    /// <summary>The constants splat once a call: 1/ln2, the shifter and its negation, -ln2 high and low, 1, the two thresholds, infinity, 0 and the 12 coefficients.</summary>
    public const int Constants = 22;

    /// <summary>Vector arithmetic instructions per vector: 6 to clamp and clear a NaN, 3 to round k, 4 to reduce, 22 of the polynomial, 5 to assemble, 2 to scale, 5 to select the special values.</summary>
    public const int VectorOperationsPerVector = 47;

    /// <summary>P0 operations per lane of the scaling: k converted to an integer, halved, its two parts, each biased and shifted into a double's exponent.</summary>
    public const int LaneOperations = 7;

    /// <summary>P0 operations per element done one at a time: the vector form's and the lane's.</summary>
    public const int ScalarOperationsPerElement = VectorOperationsPerVector + LaneOperations;

    /// <summary>Flops counted per element: the adds and multiplies (3 to round k, 4 to reduce, 22 of the polynomial, 5 to assemble, 2 to scale).</summary>
    public const int FlopsPerElement = 36;

    /// <summary>The exponential primitive's description.</summary>
    public static PrimitiveDescription Description { get; } = new(
        "exponential",
        $"t = exp(t) element by element: Cody-Waite reduction and a degree-13 polynomial in double, nothing fused ({nameof(ExpKernel)}.{nameof(ExpKernel.Exp)})",
        [FunctionName(ElementType.Float64), FunctionName(ElementType.Float32)],
        "SWATOP_COUNT_ELTWISE",
        [ActivityColumns.Flops]);

    /// <summary>The CPE cycles of one call on <paramref name="count"/> elements starting on a vector boundary (the cost model's view; the emulator knows the address, <see cref="Issue"/>).</summary>
    public static double Cycles(Sw26010Timing timing, int lanes, long count)
    {
        ArgumentNullException.ThrowIfNull(timing);
        return Issue(lanes, count, 0).Cycles(timing, lanes);
    }

    /// <summary>What one call issues on <paramref name="count"/> elements at element address <paramref name="target"/>, vectors of <paramref name="lanes"/> lanes.</summary>
    public static VectorIssue Issue(int lanes, long count, long target)
    {
        if (count <= 0)
        {
            return VectorIssue.None;
        }

        var head = VectorIssue.Head(target, count, lanes);
        var vectors = (count - head) / lanes;
        var scalars = count - (vectors * lanes);
        var splats = vectors > 0 ? Constants : 0;
        return new VectorIssue(
            Loads: 3 * vectors,
            UnalignedLoads: 0,
            Splats: splats,
            Gathers: 0,
            Stores: 2 * vectors,
            Fmas: 0,
            Arithmetic: VectorOperationsPerVector * vectors,
            ScalarIssues: (2 * scalars) + (3 * lanes * vectors),
            ScalarOperations: (ScalarOperationsPerElement * scalars) + (LaneOperations * lanes * vectors));
    }

    /// <summary>Adds one call on <paramref name="count"/> elements to a CPE's tallies.</summary>
    public static void Count(ActivityCounters counters, long count) => counters.Flops += count * FlopsPerElement;

    /// <summary>The C function on <paramref name="type"/>: <c>swatop_exp_d</c> or <c>swatop_exp_f</c>.</summary>
    public static string FunctionName(ElementType type) => $"swatop_exp_{PrimitiveDescription.Suffix(type)}";

    /// <summary>The C statement of a call on <paramref name="count"/> elements at <paramref name="target"/>.</summary>
    public static string Call(ElementType type, string target, string count) => $"{FunctionName(type)}({target}, {count});";
}
