using Swatop.Primitives;

namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>An operand of <see cref="ICpe.Elementwise"/>: a run of LDM as long as the target, a vector per row or per column of the target's block, or a scalar.</summary>
/// <param name="Kind">How it supplies each element's value.</param>
/// <param name="Span">The LDM elements; unused for a scalar.</param>
/// <param name="Value">The scalar, rounded to the target's element type when applied; unused otherwise.</param>
public readonly record struct ElementwiseSource(ElementwiseOperandKind Kind, LdmSpan Span, double Value)
{
    /// <summary>Whether the operand reads LDM.</summary>
    public bool ReadsLdm => Kind != ElementwiseOperandKind.Scalar;

    /// <summary>The kind and length the shape rules check (<see cref="ElementwiseRules"/>).</summary>
    public (ElementwiseOperandKind Kind, long Length) Shape => (Kind, ReadsLdm ? Span.Count : 0);

    /// <summary>A run as long as the target.</summary>
    public static ElementwiseSource Of(LdmSpan span) => new(ElementwiseOperandKind.Span, span, 0);

    /// <summary>One value per row of the target's block.</summary>
    public static ElementwiseSource PerRow(LdmSpan vector) => new(ElementwiseOperandKind.PerRow, vector, 0);

    /// <summary>One value per column of the target's block.</summary>
    public static ElementwiseSource PerColumn(LdmSpan vector) => new(ElementwiseOperandKind.PerColumn, vector, 0);

    /// <summary>One value for every element.</summary>
    public static ElementwiseSource Scalar(double value) => new(ElementwiseOperandKind.Scalar, default, value);
}
