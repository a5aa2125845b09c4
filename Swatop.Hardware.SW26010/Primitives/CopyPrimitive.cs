using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Timing;
using Swatop.Primitives;

namespace Swatop.Hardware.Sw26010.Primitives;

/// <summary>
/// The strided block copy inside LDM: blocks of a source, a gap apart, copied contiguously. A loop
/// per block of a vector load and store on P1 (<see cref="Sw26010Timing.CopyCyclesPerVector"/>), each
/// loop and the call set up in <see cref="Sw26010Timing.LoopSetupCycles"/>. The emitted C has no such
/// call yet; the counting hook is there for one.
/// </summary>
internal static class CopyPrimitive
{
    /// <summary>The description.</summary>
    public static PrimitiveDescription Description { get; } = new(
        "LDM copy",
        $"blocks of the source a gap apart land contiguously in the destination ({nameof(StridedCopy)}.{nameof(StridedCopy.Gather)})",
        [],
        "SWATOP_COUNT_COPY",
        [ActivityColumns.CopyElements]);

    /// <summary>The CPE cycles of copying <paramref name="blocks"/> blocks of <paramref name="blockElements"/> elements with <paramref name="lanes"/>-lane vectors.</summary>
    public static double Cycles(Sw26010Timing timing, int lanes, long blocks, long blockElements) =>
        (timing.LoopSetupCycles * (1 + blocks)) + (blocks * PrimitiveDescription.Vectors(blockElements, lanes) * timing.CopyCyclesPerVector);

    /// <summary>Adds a copy of <paramref name="elements"/> elements to a CPE's tallies.</summary>
    public static void Count(ActivityCounters counters, long elements) => counters.CopyElements += elements;
}
