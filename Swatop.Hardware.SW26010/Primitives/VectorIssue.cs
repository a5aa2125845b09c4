using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Timing;

namespace Swatop.Hardware.Sw26010.Primitives;

/// <summary>
/// The instructions one call of a vector loop primitive (element-wise, multiply-accumulate) issues on a CPE, as
/// the emitted C of <c>swatop_primitives.h</c> issues them and as the host shim counts them; the primitive's
/// cycles are derived from this account alone (<see cref="Cycles"/>), so the time model charges what the C issues.
/// </summary>
/// <remarks>
/// On P1, one a cycle: vector loads (<c>simd_load</c>), unaligned vector loads (<c>simd_loadu</c>, charged one
/// issue like an aligned one: an assumption, see <c>docs/time-model.md</c>), splats (<c>simd_loade</c>), the
/// <see cref="Gathers"/>' scalar loads (a lane each), vector stores, and the scalar heads' and tails' loads and
/// stores. On P0: the vector FMAs and other vector arithmetic (add, multiply, compare, select), and the scalar
/// elements' arithmetic. The two pipes overlap, so the loop takes the longer of the two, plus its setup.
/// </remarks>
/// <param name="Loads">Aligned vector loads.</param>
/// <param name="UnalignedLoads">Vector loads from an address off a vector boundary.</param>
/// <param name="Splats">Loads of one element into every lane.</param>
/// <param name="Gathers">Vectors set lane by lane from scalar loads (<c>simd_set_doublev4</c>).</param>
/// <param name="Stores">Vector stores.</param>
/// <param name="Fmas">Vector fused multiply-adds.</param>
/// <param name="Arithmetic">Other vector arithmetic instructions (add, multiply, compare, select).</param>
/// <param name="ScalarIssues">P1 issues of the elements done one at a time (heads and tails): their loads and stores.</param>
/// <param name="ScalarOperations">P0 operations of the elements done one at a time.</param>
internal sealed record VectorIssue(long Loads, long UnalignedLoads, long Splats, long Gathers, long Stores, long Fmas, long Arithmetic, long ScalarIssues, long ScalarOperations)
{
    /// <summary>Nothing issued.</summary>
    public static VectorIssue None { get; } = new(0, 0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>P1 issues with vectors of <paramref name="lanes"/> lanes.</summary>
    public long MemoryIssues(int lanes) => Loads + UnalignedLoads + Splats + (Gathers * lanes) + Stores + ScalarIssues;

    /// <summary>P0 issues.</summary>
    public long ArithmeticIssues => Fmas + Arithmetic + ScalarOperations;

    /// <summary>The call's CPE cycles: the loop's setup plus the busier pipe, a cycle an issue (<see cref="Sw26010Timing.FillCyclesPerVector"/>).</summary>
    public double Cycles(Sw26010Timing timing, int lanes)
    {
        ArgumentNullException.ThrowIfNull(timing);
        return timing.LoopSetupCycles + (timing.FillCyclesPerVector * Math.Max(MemoryIssues(lanes), ArithmeticIssues));
    }

    /// <summary>Adds the SIMD instructions to a CPE's tallies, which the shim's counts are compared with.</summary>
    public void Count(ActivityCounters counters)
    {
        ArgumentNullException.ThrowIfNull(counters);
        counters.SimdLoads += Loads;
        counters.SimdUnalignedLoads += UnalignedLoads;
        counters.SimdSplats += Splats;
        counters.SimdGathers += Gathers;
        counters.SimdStores += Stores;
        counters.SimdFmas += Fmas;
        counters.SimdArithmetic += Arithmetic;
    }

    /// <summary>The elements before the first vector boundary of a run of <paramref name="length"/> elements at element address <paramref name="address"/> (at most the run).</summary>
    internal static long Head(long address, long length, int lanes)
    {
        var misaligned = ((address % lanes) + lanes) % lanes;
        return Math.Min(misaligned == 0 ? 0 : lanes - misaligned, length);
    }

    /// <summary>Whether element address <paramref name="address"/> lies on a vector boundary.</summary>
    internal static bool Aligned(long address, int lanes) => ((address % lanes) + lanes) % lanes == 0;

    /// <summary>The accounts of two calls together.</summary>
    public static VectorIssue operator +(VectorIssue left, VectorIssue right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return new(left.Loads + right.Loads, left.UnalignedLoads + right.UnalignedLoads, left.Splats + right.Splats, left.Gathers + right.Gathers,
            left.Stores + right.Stores, left.Fmas + right.Fmas, left.Arithmetic + right.Arithmetic, left.ScalarIssues + right.ScalarIssues,
            left.ScalarOperations + right.ScalarOperations);
    }

    /// <summary>The accounts of two calls together (the named form of <c>+</c>).</summary>
    public static VectorIssue Add(VectorIssue left, VectorIssue right) => left + right;
}
