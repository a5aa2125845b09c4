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
/// Its cycle model is the account of what its C issues (<see cref="Issue"/>, <see cref="VectorIssue"/>): a
/// vector loop over each column of the block, or over the whole block as one run when every operand is a run as
/// long as the block or a scalar. A run's elements before its first vector boundary and after its last whole
/// vector are done one at a time; each vector of the target is loaded and stored whole, and each operand read
/// element by element (a run, a per-row vector) loaded whole where it lies on a vector boundary and with
/// <c>simd_loadu</c> where it does not, while a per-column value or a scalar is splat once a column. P0 does
/// the arithmetic: an add, a multiply or a divide a vector, a compare and a select for a maximum or a minimum, both
/// for a clamp. A divide is charged one issue like an add (an assumption: the SW26010's vector divide is not
/// pipelined and no public figure gives its latency; the softmax divides once a row, not once an element). The loop is set up once (<see cref="Sw26010Timing.LoopSetupCycles"/>). It counts its arithmetic as
/// flops: one per element and operation, two for a clamp.
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
    /// The CPE cycles of one call of <paramref name="op"/> on a target of <paramref name="count"/> elements in blocks of
    /// <paramref name="rows"/> rows, with operands of <paramref name="kinds"/>, everything starting on a vector
    /// boundary (the cost model's view; the emulator knows the addresses, <see cref="Issue"/>).
    /// </summary>
    public static double Cycles(Sw26010Timing timing, int lanes, ElementwiseOp op, long count, long rows, ReadOnlySpan<ElementwiseOperandKind> kinds)
    {
        ArgumentNullException.ThrowIfNull(timing);
        Span<long> addresses = stackalloc long[kinds.Length];
        return Issue(op, lanes, count, rows, 0, kinds, addresses).Cycles(timing, lanes);
    }

    /// <summary>Vector arithmetic instructions per vector of the target: an add or a multiply; a compare and a select for a maximum or a minimum; both for a clamp.</summary>
    public static int VectorOperations(ElementwiseOp op) => op switch
    {
        ElementwiseOp.Clamp => 4,
        ElementwiseOp.Maximum or ElementwiseOp.Minimum => 2,
        _ => 1,
    };

    /// <summary>
    /// What one call issues: on a target of <paramref name="count"/> elements at element address
    /// <paramref name="target"/> (its LDM byte address over the element's size) in blocks of <paramref name="rows"/>
    /// rows, with operands of <paramref name="kinds"/> at element addresses <paramref name="operands"/> (ignored for
    /// a scalar), vectors of <paramref name="lanes"/> lanes; the walk of <c>SWATOP_ELTWISE_WALK</c>.
    /// </summary>
    public static VectorIssue Issue(ElementwiseOp op, int lanes, long count, long rows, long target, ReadOnlySpan<ElementwiseOperandKind> kinds, ReadOnlySpan<long> operands)
    {
        if (rows <= 0 || count < rows)
        {
            return VectorIssue.None;
        }

        long run = rows, columns = count / rows;
        var flat = true;
        var pointers = 0;
        foreach (var kind in kinds)
        {
            flat &= kind is ElementwiseOperandKind.Span or ElementwiseOperandKind.Scalar;
            pointers += kind == ElementwiseOperandKind.Scalar ? 0 : 1;
        }

        if (flat)
        {
            run = columns * rows;
            columns = 1;
        }

        var perVector = VectorOperations(op);
        long loads = 0, unaligned = 0, splats = 0, vectors = 0, scalars = 0;
        for (long j = 0; j < columns; j++)
        {
            var start = target + (j * run);
            var head = VectorIssue.Head(start, run, lanes);
            var body = (run - head) / lanes;
            scalars += run - (body * lanes);
            if (body == 0)
            {
                continue;
            }

            vectors += body;
            for (var o = 0; o < kinds.Length; o++)
            {
                switch (kinds[o])
                {
                    case ElementwiseOperandKind.Span:
                    case ElementwiseOperandKind.PerRow:
                        var at = operands[o] + (kinds[o] == ElementwiseOperandKind.Span ? j * rows : 0) + head;
                        if (VectorIssue.Aligned(at, lanes))
                        {
                            loads += body;
                        }
                        else
                        {
                            unaligned += body;
                        }

                        break;
                    default:
                        splats++;
                        break;
                }
            }
        }

        return new VectorIssue(loads + vectors, unaligned, splats, 0, vectors, 0, vectors * perVector, scalars * (2 + pointers), scalars * perVector);
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
