using System.Numerics;

namespace Swatop.Primitives;

/// <summary>One operand of <see cref="ElementwiseKernel"/>: a span, a per-row or per-column vector, or a scalar.</summary>
/// <typeparam name="T">The element type.</typeparam>
public readonly ref struct ElementwiseInput<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    internal ElementwiseInput(ElementwiseOperandKind kind, ReadOnlySpan<T> values, T scalar)
    {
        Kind = kind;
        Values = values;
        Scalar = scalar;
    }

    /// <summary>How the operand broadcasts.</summary>
    public ElementwiseOperandKind Kind { get; }

    /// <summary>The operand's elements; empty for a scalar.</summary>
    public ReadOnlySpan<T> Values { get; }

    /// <summary>The value of a scalar operand.</summary>
    public T Scalar { get; }

    /// <summary>The kind and length the shape rules check (<see cref="ElementwiseRules"/>).</summary>
    public (ElementwiseOperandKind Kind, long Length) Shape => (Kind, Values.Length);
}

/// <summary>The operands of <see cref="ElementwiseKernel"/>.</summary>
public static class ElementwiseInput
{
    /// <summary>A run as long as the target.</summary>
    public static ElementwiseInput<T> Span<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T> => new(ElementwiseOperandKind.Span, values, T.Zero);

    /// <summary>One value per row of the target's block.</summary>
    public static ElementwiseInput<T> PerRow<T>(ReadOnlySpan<T> vector)
        where T : unmanaged, IFloatingPointIeee754<T> => new(ElementwiseOperandKind.PerRow, vector, T.Zero);

    /// <summary>One value per column of the target's block.</summary>
    public static ElementwiseInput<T> PerColumn<T>(ReadOnlySpan<T> vector)
        where T : unmanaged, IFloatingPointIeee754<T> => new(ElementwiseOperandKind.PerColumn, vector, T.Zero);

    /// <summary>One value for every element.</summary>
    public static ElementwiseInput<T> Constant<T>(T value)
        where T : unmanaged, IFloatingPointIeee754<T> => new(ElementwiseOperandKind.Scalar, default, value);
}
