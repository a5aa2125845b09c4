namespace Swatop.Hardware.Sw26010.Emit.Shim;

/// <summary>
/// The SIMD instructions one CPE executed in a host build, as the shim counts them where they run:
/// the emitted primitives' instruction mix, which the emulator does not count (its primitives are
/// timed as a whole) and the time model assumes.
/// </summary>
/// <param name="Loads">Vector loads, <c>simd_load</c> of a <c>doublev4</c> or a <c>floatv4</c>.</param>
/// <param name="Splats">Loads of one element into every lane, <c>simd_loade</c>.</param>
/// <param name="Stores">Vector stores, <c>simd_store</c>.</param>
/// <param name="Fmas">Vector fused multiply-adds, <c>simd_vmad</c> and <c>simd_vmas</c>, of 4 lanes each.</param>
/// <param name="Converts">Vectors widened from float to double or narrowed back.</param>
/// <param name="UnalignedLoads">Vector loads from an address off a vector boundary, <c>simd_loadu</c>.</param>
/// <param name="Gathers">Vectors set lane by lane, <c>simd_set_doublev4</c> and <c>simd_set_floatv4</c> (from scalar loads in the primitives).</param>
/// <param name="Arithmetic">Other vector arithmetic: <c>simd_vaddd</c>, <c>simd_vmuld</c>, <c>simd_vfcmpltd</c>, <c>simd_vseleqd</c> and their float forms.</param>
public sealed record ShimSimdCounts(long Loads, long Splats, long Stores, long Fmas, long Converts, long UnalignedLoads, long Gathers, long Arithmetic)
{
    /// <summary>No instruction.</summary>
    public static ShimSimdCounts None { get; } = new(0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>The CSV columns of the counts, in the shim's order.</summary>
    public static IReadOnlyList<string> Columns { get; } =
        ["simd_loads", "simd_splats", "simd_stores", "simd_fmas", "simd_converts", "simd_unaligned_loads", "simd_gathers", "simd_arithmetic"];

    /// <summary>The counts of two CPEs, or two runs, together.</summary>
    public static ShimSimdCounts operator +(ShimSimdCounts left, ShimSimdCounts right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return new(left.Loads + right.Loads, left.Splats + right.Splats, left.Stores + right.Stores, left.Fmas + right.Fmas, left.Converts + right.Converts,
            left.UnalignedLoads + right.UnalignedLoads, left.Gathers + right.Gathers, left.Arithmetic + right.Arithmetic);
    }

    /// <summary>The counts of two CPEs together (the named form of <c>+</c>).</summary>
    public static ShimSimdCounts Add(ShimSimdCounts left, ShimSimdCounts right) => left + right;
}
