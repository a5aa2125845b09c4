using Swatop.Hardware.Sw26010.Timing;

namespace Swatop.Hardware.Sw26010;

/// <summary>
/// An immutable description of an SW26010 chip: its core groups, the CPE mesh, clock, local
/// memories and SIMD width. <see cref="Default"/> is the real chip; other values are allowed for
/// what-if studies (<c>Sw26010Spec.Default with { LdmBytes = 256 * 1024 }</c>) and are checked by
/// <see cref="Validate"/> before an emulator is built from them.
/// </summary>
/// <remarks>
/// Sources: Dongarra, "Report on the Sunway TaihuLight System" (2016) for the chip figures;
/// swDNN (IPDPS 2017) and swGEMM for the LDM planning budget; see <c>shared/reference/sw26010.md</c>.
/// </remarks>
public sealed record Sw26010Spec
{
    /// <summary>The real SW26010 as the reference page describes it.</summary>
    public static Sw26010Spec Default { get; } = new();

    /// <summary>Core groups on the chip: 4 (Dongarra 2016).</summary>
    public int CoreGroups { get; init; } = 4;

    /// <summary>Rows of the CPE mesh of a core group: 8 (Dongarra 2016).</summary>
    public int MeshRows { get; init; } = 8;

    /// <summary>Columns of the CPE mesh of a core group: 8 (Dongarra 2016).</summary>
    public int MeshColumns { get; init; } = 8;

    /// <summary>Clock of the MPEs and CPEs in hertz: 1.45 GHz (Dongarra 2016).</summary>
    public double ClockHz { get; init; } = 1.45e9;

    /// <summary>Local data memory of one CPE in bytes: 64 KB (Dongarra 2016).</summary>
    public int LdmBytes { get; init; } = 64 * 1024;

    /// <summary>
    /// LDM bytes a kernel should plan with: 55 KB, as swDNN plans (swGEMM prunes at 60 KB); the
    /// rest holds the stack and reply words. The emulator enforces <see cref="LdmBytes"/>; planners use this (<see cref="Target.Sw26010Target.Limits"/> and its pass context take it from here).
    /// </summary>
    public int LdmPlanningBytes { get; init; } = 55 * 1024;

    /// <summary>Width of a CPE SIMD register in bits: 256 (<c>doublev4</c>, <c>floatv4</c>; Dongarra 2016).</summary>
    public int SimdBits { get; init; } = 256;

    /// <summary>Lanes of a SIMD register: 4 for both double and float (the reference page).</summary>
    public int SimdLanes { get; init; } = 4;

    /// <summary>Double flops a CPE retires per cycle: one 4-lane fused multiply-add, 8 (Dongarra 2016).</summary>
    public int FlopsPerCpeCycle { get; init; } = 8;

    /// <summary>DDR3 main memory of one core group in bytes: 8 GB (Dongarra 2016).</summary>
    public long MemoryBytesPerCoreGroup { get; init; } = 8L * 1024 * 1024 * 1024;

    /// <summary>Alignment of main-memory allocations for DMA in bytes: 128 (athread's rule on the reference page).</summary>
    public int DmaAlignmentBytes { get; init; } = 128;

    /// <summary>
    /// Entries of each CPE's receive buffer per register-communication bus (row and column).
    /// Assumption: no public figure was found; the reference page says only that the receive
    /// buffers are "a small FIFO". Four 256-bit entries lets the 4 x 4 GEMM kernel keep one
    /// k-step of A (or B) vectors in flight, which is what its software pipeline needs.
    /// </summary>
    public int RlcFifoDepth { get; init; } = 4;

    /// <summary>The time model's constants: DMA, register communication, the primitives' cycle counts, spawn and join.</summary>
    public Timing.Sw26010Timing Timing { get; init; } = Sw26010Timing.Default;

    /// <summary>CPEs in one core group.</summary>
    public int CpesPerCoreGroup => MeshRows * MeshColumns;

    /// <summary>Peak double flops a second of one core group's CPEs (742.4 GFLOPS for the default).</summary>
    public double CoreGroupPeakFlops => CpesPerCoreGroup * FlopsPerCpeCycle * ClockHz;

    /// <summary>Peak double flops a second of the chip's CPEs.</summary>
    public double ChipPeakFlops => CoreGroups * CoreGroupPeakFlops;

    /// <summary>
    /// Checks that the description could be a machine: positive counts, a square 8 x 8 mesh (the
    /// mesh primitives are defined for it), an LDM large enough to plan in and small enough to
    /// address, a planning budget inside the LDM.
    /// </summary>
    /// <exception cref="ArgumentException">A property is out of range; the message names it, its value and the rule.</exception>
    public void Validate()
    {
        Require(CoreGroups is >= 1 and <= 64, nameof(CoreGroups), CoreGroups, "must be between 1 and 64");
        Require(MeshRows == 8, nameof(MeshRows), MeshRows, "must be 8: the mesh primitives (SUMMA over register communication) are defined for an 8 x 8 mesh");
        Require(MeshColumns == 8, nameof(MeshColumns), MeshColumns, "must be 8: the mesh primitives are defined for an 8 x 8 mesh");
        Require(ClockHz is > 1e6 and < 1e11, nameof(ClockHz), ClockHz, "must be between 1 MHz and 100 GHz");
        Require(LdmBytes is >= 4096 and <= 16 * 1024 * 1024 && LdmBytes % 32 == 0, nameof(LdmBytes), LdmBytes, "must be a multiple of 32 between 4 KB and 16 MB");
        Require(LdmPlanningBytes > 0 && LdmPlanningBytes <= LdmBytes, nameof(LdmPlanningBytes), LdmPlanningBytes, $"must be positive and at most LdmBytes ({LdmBytes})");
        Require(SimdBits is 128 or 256 or 512, nameof(SimdBits), SimdBits, "must be 128, 256 or 512");
        Require(SimdLanes is >= 1 and <= 16, nameof(SimdLanes), SimdLanes, "must be between 1 and 16");
        Require(FlopsPerCpeCycle is >= 1 and <= 256, nameof(FlopsPerCpeCycle), FlopsPerCpeCycle, "must be between 1 and 256");
        Require(MemoryBytesPerCoreGroup >= 1024 * 1024, nameof(MemoryBytesPerCoreGroup), MemoryBytesPerCoreGroup, "must be at least 1 MB");
        Require(DmaAlignmentBytes >= 8 && (DmaAlignmentBytes & (DmaAlignmentBytes - 1)) == 0, nameof(DmaAlignmentBytes), DmaAlignmentBytes, "must be a power of two of at least 8");
        Require(RlcFifoDepth is >= 1 and <= 1024, nameof(RlcFifoDepth), RlcFifoDepth, "must be between 1 and 1024");
        Require(Timing is not null, nameof(Timing), "null", "must be set");
        Timing!.Validate();
    }

    private static void Require(bool holds, string property, object value, string rule)
    {
        if (!holds)
        {
            throw new ArgumentException(
                string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Sw26010Spec.{property} = {value} {rule}."),
                property);
        }
    }
}
