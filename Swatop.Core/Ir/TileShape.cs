namespace Swatop.Core.Ir;

/// <summary>
/// The geometry of a <see cref="TileDma"/>: a column-major LDM block of
/// <paramref name="Rows"/> x <paramref name="Columns"/> elements, of which the corner
/// <paramref name="ValidRows"/> x <paramref name="ValidColumns"/> lies inside the tensor, and the
/// tensor strides (in elements) of one row step and one column step.
/// </summary>
/// <param name="Rows">Rows of the LDM block (its leading dimension).</param>
/// <param name="Columns">Columns of the LDM block.</param>
/// <param name="ValidRows">Rows inside the tensor, 0..Rows.</param>
/// <param name="ValidColumns">Columns inside the tensor, 0..Columns.</param>
/// <param name="RowStride">Tensor elements between rows i and i + 1.</param>
/// <param name="ColumnStride">Tensor elements between columns j and j + 1.</param>
public sealed record TileShape(Expr Rows, Expr Columns, Expr ValidRows, Expr ValidColumns, Expr RowStride, Expr ColumnStride)
{
    /// <summary>Whether the valid corner is provably the whole block.</summary>
    public bool IsFull => ValidRows == Rows && ValidColumns == Columns;
}
