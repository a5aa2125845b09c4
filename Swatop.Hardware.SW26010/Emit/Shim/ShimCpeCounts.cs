using Swatop.Hardware.Sw26010.Emulation;

namespace Swatop.Hardware.Sw26010.Emit.Shim;

/// <summary>What one CPE did in a host build of emitted C, as the athread shim counted it.</summary>
/// <param name="Id">The athread id, 0..63.</param>
/// <param name="Row">The CPE's row of the mesh.</param>
/// <param name="Column">The CPE's column of the mesh.</param>
/// <param name="Activity">The counts, in the emulator's terms, so the two compare field by field.</param>
/// <param name="LdmPeakBytes">The most LDM the CPE held at once: its <c>ldm_malloc</c> blocks (rounded to 32 bytes) and the program's <c>__thread_local</c> data.</param>
/// <param name="Simd">The SIMD instructions it executed.</param>
public sealed record ShimCpeCounts(int Id, int Row, int Column, CpeActivity Activity, long LdmPeakBytes, ShimSimdCounts Simd)
{
    /// <summary>The CPE as the emulator names it.</summary>
    public CpeId Cpe => new(0, Row, Column);
}
