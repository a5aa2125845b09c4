namespace Swatop.Core;

/// <summary>
/// One block of a contraction computed by <see cref="GemmEvaluator"/>: <c>C = A * B</c>, column-major,
/// with A the gathered rows (<see cref="Rows"/> x <see cref="Inner"/>), B the gathered right operand
/// (<see cref="Inner"/> x <see cref="Columns"/>), and where each element of C goes in the output.
/// </summary>
internal sealed class GemmBlock(int rows, int columns, int inner, double[] a, double[] b, double[] c, long batchOffset, ReadOnlyMemory<long> rowOffsets, long[] columnOffsets)
{
    /// <summary>Rows of the block.</summary>
    public int Rows { get; } = rows;

    /// <summary>Columns of the block.</summary>
    public int Columns { get; } = columns;

    /// <summary>The inner (reduction) dimension.</summary>
    public int Inner { get; } = inner;

    /// <summary>A, column-major, leading dimension <see cref="Rows"/>.</summary>
    public double[] A { get; } = a;

    /// <summary>B, column-major, leading dimension <see cref="Inner"/>.</summary>
    public double[] B { get; } = b;

    /// <summary>C, column-major, leading dimension <see cref="Rows"/>.</summary>
    public double[] C { get; } = c;

    /// <summary>The flat output offset of element (<paramref name="row"/>, <paramref name="column"/>).</summary>
    public long OutputOffset(int row, int column) => batchOffset + rowOffsets.Span[row] + columnOffsets[column];

    /// <summary>The sum of the magnitudes of the products of element (<paramref name="row"/>, <paramref name="column"/>).</summary>
    public double Magnitude(int row, int column)
    {
        var sum = 0.0;
        for (var p = 0; p < Inner; p++)
        {
            sum += Math.Abs(A[row + (p * Rows)]) * Math.Abs(B[p + (column * Inner)]);
        }

        return sum;
    }
}
