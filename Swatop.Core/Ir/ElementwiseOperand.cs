using Swatop.Primitives;

namespace Swatop.Core.Ir;

/// <summary>
/// An operand of an <see cref="Elementwise"/> statement: a run of LDM as long as the target, an LDM
/// vector broadcast along the target block's rows or columns, or a constant.
/// </summary>
/// <param name="Kind">How the operand supplies each element's value.</param>
/// <param name="Source">The LDM elements; <see langword="null"/> for a scalar.</param>
/// <param name="Value">The constant of a scalar; 0 otherwise.</param>
public sealed record ElementwiseOperand(ElementwiseOperandKind Kind, LdmRef? Source, double Value)
{
    /// <summary>Element <c>k</c> of the target takes element <c>k</c> of <paramref name="source"/>.</summary>
    public static ElementwiseOperand Span(LdmRef source) => new(ElementwiseOperandKind.Span, source ?? throw new ArgumentNullException(nameof(source)), 0);

    /// <summary>Row <c>i</c> of the target's block takes element <c>i</c> of <paramref name="vector"/>, whose count is the block's rows.</summary>
    public static ElementwiseOperand PerRow(LdmRef vector) => new(ElementwiseOperandKind.PerRow, vector ?? throw new ArgumentNullException(nameof(vector)), 0);

    /// <summary>Column <c>j</c> of the target's block takes element <c>j</c> of <paramref name="vector"/>, whose count is the block's columns.</summary>
    public static ElementwiseOperand PerColumn(LdmRef vector) => new(ElementwiseOperandKind.PerColumn, vector ?? throw new ArgumentNullException(nameof(vector)), 0);

    /// <summary>Every element takes <paramref name="value"/>, rounded to the kernel's element type.</summary>
    public static ElementwiseOperand Scalar(double value) => new(ElementwiseOperandKind.Scalar, null, value);

    /// <summary>The operand as IR text: <c>buf[o +: n]</c>, <c>buf[o +: n] per row</c>, <c>buf[o +: n] per column</c> or a number.</summary>
    public override string ToString() => IrPrinter.Print(this);
}
