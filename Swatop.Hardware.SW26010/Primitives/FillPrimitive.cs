using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Timing;
using Swatop.Primitives;

namespace Swatop.Hardware.Sw26010.Primitives;

/// <summary>
/// The fill primitive: sets a run of LDM elements to one value (zeroing an accumulator block, the zeros
/// of a border tile). A loop of <c>simd_store</c>s on P1: <see cref="Sw26010Timing.LoopSetupCycles"/> plus
/// <see cref="Sw26010Timing.FillCyclesPerVector"/> per vector.
/// </summary>
internal static class FillPrimitive
{
    /// <summary>The fill's description.</summary>
    public static PrimitiveDescription Description { get; } = new(
        "fill",
        $"every element of the run becomes the value, rounded to the element type ({nameof(BlockFill)}.{nameof(BlockFill.Fill)})",
        ["swatop_fill_d", "swatop_fill_f"],
        "SWATOP_COUNT_FILL",
        [ActivityColumns.FillElements]);

    /// <summary>The CPE cycles of a fill of <paramref name="elements"/> elements with <paramref name="lanes"/>-lane vectors.</summary>
    public static double Cycles(Sw26010Timing timing, int lanes, long elements) =>
        timing.LoopSetupCycles + (PrimitiveDescription.Vectors(elements, lanes) * timing.FillCyclesPerVector);

    /// <summary>Adds a fill of <paramref name="elements"/> elements to a CPE's tallies.</summary>
    public static void Count(ActivityCounters counters, long elements) => counters.FillElements += elements;

    /// <summary>The C statement that fills <paramref name="count"/> elements at <paramref name="pointer"/> with the literal <paramref name="value"/>.</summary>
    public static string Call(ElementType type, string pointer, string count, string value) => $"swatop_fill_{PrimitiveDescription.Suffix(type)}({pointer}, {count}, {value});";
}
