namespace Swatop.Primitives;

/// <summary>
/// The shape rules of the element-wise primitive: how many operands each operation takes, and how
/// long each operand must be for a target of a given length. The rows of the target's block come
/// from its broadcast operands: a per-row vector's length, or the target's length over a per-column
/// vector's; with neither, the target is one column.
/// </summary>
public static class ElementwiseRules
{
    /// <summary>The number of operands <paramref name="op"/> takes: 2 for <see cref="ElementwiseOp.Clamp"/>, else 1.</summary>
    public static int Arity(ElementwiseOp op) => op == ElementwiseOp.Clamp ? 2 : 1;

    /// <summary>The name of an operation in the IR text and in the C library (<c>add</c>, <c>mul</c>, <c>div</c>, <c>max</c>, <c>min</c>, <c>clamp</c>).</summary>
    public static string Name(ElementwiseOp op) => op switch
    {
        ElementwiseOp.Add => "add",
        ElementwiseOp.Multiply => "mul",
        ElementwiseOp.Divide => "div",
        ElementwiseOp.Maximum => "max",
        ElementwiseOp.Minimum => "min",
        ElementwiseOp.Clamp => "clamp",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown element-wise operation."),
    };

    /// <summary>The operation named <paramref name="name"/>, or <see langword="null"/>.</summary>
    public static ElementwiseOp? Parse(string name) => name switch
    {
        "add" => ElementwiseOp.Add,
        "mul" => ElementwiseOp.Multiply,
        "div" => ElementwiseOp.Divide,
        "max" => ElementwiseOp.Maximum,
        "min" => ElementwiseOp.Minimum,
        "clamp" => ElementwiseOp.Clamp,
        _ => null,
    };

    /// <summary>
    /// The first rule a call breaks, as a sentence; <see langword="null"/> when it is legal. The target
    /// holds <paramref name="count"/> elements; each operand is its kind and its length (ignored for a
    /// scalar).
    /// </summary>
    /// <param name="op">The operation.</param>
    /// <param name="count">The target's elements.</param>
    /// <param name="operands">Each operand's kind and length.</param>
    /// <returns>The violation, or <see langword="null"/>.</returns>
    public static string? Violation(ElementwiseOp op, long count, ReadOnlySpan<(ElementwiseOperandKind Kind, long Length)> operands)
    {
        if (operands.Length != Arity(op))
        {
            return $"{Name(op)} takes {Arity(op)} operand{(Arity(op) == 1 ? "" : "s")}, not {operands.Length}.";
        }

        if (count < 0)
        {
            return $"the target's count {Guard.Format(count)} must not be negative.";
        }

        long? rows = null;
        foreach (var (kind, length) in operands)
        {
            long? implied = null;
            switch (kind)
            {
                case ElementwiseOperandKind.Span when length != count:
                    return $"a span operand of {Guard.Format(length)} elements must be as long as the target's {Guard.Format(count)}.";
                case ElementwiseOperandKind.PerRow or ElementwiseOperandKind.PerColumn when length <= 0 || count % length != 0:
                    return $"a per-{(kind == ElementwiseOperandKind.PerRow ? "row" : "column")} vector of {Guard.Format(length)} elements must have a positive length that divides the target's {Guard.Format(count)}.";
                case ElementwiseOperandKind.PerRow:
                    implied = length;
                    break;
                case ElementwiseOperandKind.PerColumn:
                    implied = count / length;
                    break;
            }

            if (implied is { } r)
            {
                if (rows is { } known && known != r)
                {
                    return $"the broadcast operands imply blocks of {Guard.Format(known)} and of {Guard.Format(r)} rows; they must agree.";
                }

                rows = r;
            }
        }

        return null;
    }

    /// <summary>The rows of the target's column-major block for a legal call: see <see cref="ElementwiseRules"/>.</summary>
    /// <param name="count">The target's elements.</param>
    /// <param name="operands">Each operand's kind and length.</param>
    /// <returns>The rows; <paramref name="count"/> when no operand broadcasts (and 1 for an empty target).</returns>
    public static long Rows(long count, ReadOnlySpan<(ElementwiseOperandKind Kind, long Length)> operands)
    {
        foreach (var (kind, length) in operands)
        {
            switch (kind)
            {
                case ElementwiseOperandKind.PerRow:
                    return length;
                case ElementwiseOperandKind.PerColumn:
                    return count / length;
            }
        }

        return Math.Max(count, 1);
    }
}
