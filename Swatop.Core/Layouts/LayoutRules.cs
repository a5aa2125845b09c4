using Swatop.Core.Lowering;

namespace Swatop.Core.Layouts;

/// <summary>
/// Where a framework element lies in a <see cref="TensorLayout"/>, defined once: <see cref="TensorLayout.OffsetOf"/>
/// and <see cref="TensorLayout.OffsetsAlong"/> evaluate these expressions (the host permute that layout steps
/// are checked against walks those tables), and the layout steps' lowering writes the same placement in
/// loop IR for the CPEs, on the emulator and in emitted C. They read the layout's tables
/// (<see cref="LayoutTable"/>) at dimension <see cref="Dimension"/>.
/// </summary>
/// <remarks>
/// An element of a framework tensor (row-major, index <c>index[0..rank)</c>) lies in the internal
/// tensor at the sum over the dimensions <c>d</c> of <see cref="Place"/> with <c>p</c> the element's
/// <see cref="PositionOf"/>, when every position is <see cref="Inside"/>; otherwise the layout does not
/// hold it (a kernel reads zeros there, the padding). Which core group holds an element is a
/// <see cref="Distribution"/>'s rule.
/// </remarks>
public static class LayoutRules
{
    /// <summary>The name of the framework index array: <c>index[d]</c> is the element's index in dimension <c>d</c>.</summary>
    public const string IndexArray = "index";

    /// <summary>The dimension the per-dimension rules are applied to: <c>d</c>.</summary>
    public static IndexVariable Dimension { get; } = new("d");

    /// <summary>The internal position <see cref="Inside"/> checks: <c>position</c>.</summary>
    public static IndexVariable Position { get; } = new("position");

    /// <summary>The internal position <see cref="Place"/> places: <c>p</c>.</summary>
    public static IndexVariable Placed { get; } = new("p");

    /// <summary>
    /// The internal position of the element's index in dimension <c>d</c>: <c>index[d] + origin[d]</c>
    /// (the origin is the padding the kernel reads before framework index 0).
    /// </summary>
    public static IndexExpression PositionOf { get; } = Index(Dimension) + LayoutTable.Origin.At(Dimension);

    /// <summary>Whether internal position <c>position</c> lies in dimension <c>d</c>: <c>position &gt;= 0 &amp;&amp; position &lt; length[d]</c>.</summary>
    public static IndexExpression Inside { get; } =
        IndexExpression.And(IndexExpression.GreaterOrEqual(Position, 0), IndexExpression.Less(Position, LayoutTable.Length.At(Dimension)));

    /// <summary>
    /// How many elements into the internal tensor internal position <c>p</c> of dimension <c>d</c> puts an
    /// element: <c>p * stride[d]</c>, or for a dimension cut in blocks of <c>block[d]</c> positions, the
    /// block's place plus the place inside it: <c>p / block[d] * outer[d] + p % block[d] * stride[d]</c>.
    /// </summary>
    public static IndexExpression Place { get; } = IndexExpression.Conditional(
        IndexExpression.Greater(LayoutTable.Block.At(Dimension), 0),
        (Placed / LayoutTable.Block.At(Dimension) * LayoutTable.Outer.At(Dimension)) + (Placed % LayoutTable.Block.At(Dimension) * LayoutTable.Stride.At(Dimension)),
        Placed * LayoutTable.Stride.At(Dimension));

    /// <summary>The framework index in dimension <paramref name="dimension"/>: <c>index[dimension]</c>.</summary>
    public static IndexExpression Index(IndexExpression dimension) => new IndexElement(IndexArray, dimension);
}
