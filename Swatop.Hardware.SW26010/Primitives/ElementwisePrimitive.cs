using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Timing;
using Swatop.Primitives;

namespace Swatop.Hardware.Sw26010.Primitives;

/// <summary>
/// The element-wise primitive: <c>t = op(t, a[, b])</c> in place over a column-major LDM block, each
/// operand a run as long as the block, a vector per row or per column, or a scalar (<see cref="ElementwiseOp"/>,
/// <see cref="ElementwiseRules"/>), bit-identical to <see cref="ElementwiseKernel.Reference{T}"/>.
/// </summary>
/// <remarks>
/// Its cycle model is a vector loop over each column on the CPE's two pipelines: P1 issues one vector
/// load or store a cycle (the fill's store is <see cref="Sw26010Timing.FillCyclesPerVector"/>, the copy's
/// load and store <see cref="Sw26010Timing.CopyCyclesPerVector"/>), P0 the arithmetic, which overlaps
/// them. So a vector of the target costs the copy's load and store, plus one load for each operand
/// read element by element (a run or a per-row vector); a per-column vector costs one load per
/// column; a scalar sits in a register. The loop is set up once (<see cref="Sw26010Timing.LoopSetupCycles"/>).
/// It counts its arithmetic as flops: one per element and operation, two for a clamp.
/// </remarks>
internal static class ElementwisePrimitive
{
    /// <summary>The element-wise primitive's description.</summary>
    public static PrimitiveDescription Description { get; } = new(
        "element-wise",
        $"t = op(t, operands) element by element over a column-major block, operands rounded to the element type, nothing fused ({nameof(ElementwiseKernel)}.{nameof(ElementwiseKernel.Reference)})",
        [.. Enum.GetValues<ElementwiseOp>().SelectMany(op => new[] { FunctionName(op, ElementType.Float64), FunctionName(op, ElementType.Float32) })],
        "SWATOP_COUNT_ELTWISE",
        [ActivityColumns.Flops]);

    /// <summary>Floating-point operations per element: two for a clamp (a maximum and a minimum), one otherwise.</summary>
    public static int OperationsPerElement(ElementwiseOp op) => op == ElementwiseOp.Clamp ? 2 : 1;

    /// <summary>
    /// The CPE cycles of one call on a target of <paramref name="count"/> elements in blocks of
    /// <paramref name="rows"/> rows, with operands of <paramref name="kinds"/>.
    /// </summary>
    public static double Cycles(Sw26010Timing timing, int lanes, long count, long rows, ReadOnlySpan<ElementwiseOperandKind> kinds)
    {
        var columns = rows > 0 ? count / rows : 0;
        long streamed = 0, perColumn = 0;
        foreach (var kind in kinds)
        {
            streamed += kind is ElementwiseOperandKind.Span or ElementwiseOperandKind.PerRow ? 1 : 0;
            perColumn += kind == ElementwiseOperandKind.PerColumn ? 1 : 0;
        }

        var vectors = columns * PrimitiveDescription.Vectors(rows, lanes);
        return timing.LoopSetupCycles
            + (vectors * (timing.CopyCyclesPerVector + (streamed * timing.FillCyclesPerVector)))
            + (columns * perColumn * timing.FillCyclesPerVector);
    }

    /// <summary>Adds one call on <paramref name="count"/> elements to a CPE's tallies.</summary>
    public static void Count(ActivityCounters counters, ElementwiseOp op, long count) => counters.Flops += count * OperationsPerElement(op);

    /// <summary>The C function of <paramref name="op"/> on <paramref name="type"/>: <c>swatop_eltwise_add_d</c>.</summary>
    public static string FunctionName(ElementwiseOp op, ElementType type) => $"swatop_eltwise_{ElementwiseRules.Name(op)}_{PrimitiveDescription.Suffix(type)}";

    /// <summary>
    /// The C statement of a call on <paramref name="count"/> elements at <paramref name="target"/> in
    /// blocks of <paramref name="rows"/> rows; each operand spelled by <see cref="Operand"/>.
    /// </summary>
    public static string Call(ElementType type, ElementwiseOp op, string target, string count, string rows, IEnumerable<string> operands) =>
        $"{FunctionName(op, type)}({target}, {count}, {rows}, {string.Join(", ", operands)});";

    /// <summary>
    /// The C spelling of one operand: <c>swatop_span_d(p, rows)</c>, <c>swatop_per_row_d(p)</c>,
    /// <c>swatop_per_column_d(p)</c> or <c>swatop_scalar_d(v)</c>; <paramref name="pointer"/> is the LDM
    /// address (unused for a scalar), <paramref name="rows"/> the block's rows, <paramref name="value"/> a C
    /// literal (for a scalar only).
    /// </summary>
    public static string Operand(ElementType type, ElementwiseOperandKind kind, string pointer, string rows, string value) => kind switch
    {
        ElementwiseOperandKind.Span => $"swatop_span_{PrimitiveDescription.Suffix(type)}({pointer}, {rows})",
        ElementwiseOperandKind.PerRow => $"swatop_per_row_{PrimitiveDescription.Suffix(type)}({pointer})",
        ElementwiseOperandKind.PerColumn => $"swatop_per_column_{PrimitiveDescription.Suffix(type)}({pointer})",
        ElementwiseOperandKind.Scalar => $"swatop_scalar_{PrimitiveDescription.Suffix(type)}({value})",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown element-wise operand kind."),
    };
}
