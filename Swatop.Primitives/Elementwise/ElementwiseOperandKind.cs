namespace Swatop.Primitives;

/// <summary>
/// How an operand of the element-wise primitive supplies a value to each element of the target, a
/// column-major block of <c>rows x columns</c> elements (element <c>k</c> is row <c>k % rows</c>,
/// column <c>k / rows</c>).
/// </summary>
public enum ElementwiseOperandKind
{
    /// <summary>A run as long as the target: element <c>k</c> takes the operand's element <c>k</c> (a residual).</summary>
    Span,

    /// <summary>A vector of one value per row: element <c>k</c> takes <c>v[k % rows]</c>; its length is the block's rows (a bias along M).</summary>
    PerRow,

    /// <summary>A vector of one value per column: element <c>k</c> takes <c>v[k / rows]</c>; its length is the block's columns (a bias along N).</summary>
    PerColumn,

    /// <summary>One constant for every element, rounded to the element type first (a scale, a clamp bound).</summary>
    Scalar,
}
