using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Timing;
using Swatop.Primitives;

namespace Swatop.Hardware.Sw26010.Primitives;

/// <summary>
/// The LDM transpose: a column-major <c>rows x columns</c> block becomes its column-major
/// <c>columns x rows</c> transpose in another run of LDM (<see cref="TransposeRules"/>), bit-identical to
/// <see cref="BlockTranspose.Reference{T}"/>; the layout steps pack tiles with it.
/// </summary>
/// <remarks>
/// Its cycle model is the SIMD kernel's: the block is cut into <c>lanes x lanes</c> blocks, the edge
/// blocks partly filled but costing a whole one, and each is transposed in registers, four vector loads,
/// eight shuffles and four vector stores, in <see cref="Sw26010Timing.TransposeCyclesPerBlock"/>; the loop
/// is set up once (<see cref="Sw26010Timing.LoopSetupCycles"/>). It counts the elements it moves.
/// </remarks>
internal static class TransposePrimitive
{
    /// <summary>The transpose's description.</summary>
    public static PrimitiveDescription Description { get; } = new(
        "LDM transpose",
        $"target[j + i * columns] = source[i + j * rows] for the column-major rows x columns source, elements moved as bits ({nameof(BlockTranspose)}.{nameof(BlockTranspose.Reference)}; shapes by {nameof(TransposeRules)})",
        [FunctionName(ElementType.Float64), FunctionName(ElementType.Float32)],
        "SWATOP_COUNT_TRANSPOSE",
        [ActivityColumns.TransposeElements]);

    /// <summary>The CPE cycles of transposing a <paramref name="rows"/> x <paramref name="columns"/> block with <paramref name="lanes"/>-lane vectors.</summary>
    public static double Cycles(Sw26010Timing timing, int lanes, long rows, long columns) =>
        timing.LoopSetupCycles + (PrimitiveDescription.Vectors(rows, lanes) * PrimitiveDescription.Vectors(columns, lanes) * timing.TransposeCyclesPerBlock);

    /// <summary>Adds a transpose of <paramref name="elements"/> elements to a CPE's tallies.</summary>
    public static void Count(ActivityCounters counters, long elements) => counters.TransposeElements += elements;

    /// <summary>The C function on <paramref name="type"/>: <c>swatop_transpose_d</c>.</summary>
    public static string FunctionName(ElementType type) => $"swatop_transpose_{PrimitiveDescription.Suffix(type)}";

    /// <summary>
    /// The C statement that writes the transpose of the <paramref name="rows"/> x <paramref name="columns"/>
    /// block at <paramref name="source"/> to <paramref name="target"/>.
    /// </summary>
    public static string Call(ElementType type, string source, string target, string rows, string columns) =>
        $"{FunctionName(type)}({source}, {target}, {rows}, {columns});";
}
