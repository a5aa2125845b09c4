using System.Numerics;

namespace Swatop.Primitives;

/// <summary>
/// The reference semantics of the GEMM primitive: the naive column-major triple loop
/// <c>C (m x n) += A (m x k) * B (k x n)</c>, each element of C the sequential fused chain
/// <c>acc = c[i, j]; for p = 0..k-1: acc = FusedMultiplyAdd(a[i, p], b[p, j], acc); c[i, j] = acc</c>.
/// </summary>
/// <remarks>
/// Slow and obviously right: tests and the emulator's checks compare the fast kernels of
/// <see cref="GemmKernel"/> against it bit for bit. The layout and the argument rules are those of
/// <see cref="GemmKernel.MultiplyAdd(int, int, int, ReadOnlySpan{double}, int, ReadOnlySpan{double}, int, Span{double}, int)"/>.
/// </remarks>
public static class ReferenceGemm
{
    /// <summary>Computes <c>C += A * B</c> in double precision with the sequential fused chain.</summary>
    /// <param name="m">Rows of A and C; zero or positive.</param>
    /// <param name="n">Columns of B and C; zero or positive.</param>
    /// <param name="k">Columns of A and rows of B; zero or positive.</param>
    /// <param name="a">A, element (i, p) at <c>a[i + p * lda]</c>.</param>
    /// <param name="lda">Leading dimension of A; at least <paramref name="m"/>.</param>
    /// <param name="b">B, element (p, j) at <c>b[p + j * ldb]</c>.</param>
    /// <param name="ldb">Leading dimension of B; at least <paramref name="k"/>.</param>
    /// <param name="c">C, element (i, j) at <c>c[i + j * ldc]</c>; updated in place.</param>
    /// <param name="ldc">Leading dimension of C; at least <paramref name="m"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative or a leading dimension is too small.</exception>
    /// <exception cref="ArgumentException">A span is too short for its shape, or <paramref name="c"/> overlaps an operand.</exception>
    public static void MultiplyAdd(int m, int n, int k, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, Span<double> c, int ldc) =>
        Chain<double, double>(m, n, k, a, lda, b, ldb, c, ldc);

    /// <summary>Computes <c>C += A * B</c> in single precision with the sequential fused chain.</summary>
    /// <param name="m">Rows of A and C; zero or positive.</param>
    /// <param name="n">Columns of B and C; zero or positive.</param>
    /// <param name="k">Columns of A and rows of B; zero or positive.</param>
    /// <param name="a">A, element (i, p) at <c>a[i + p * lda]</c>.</param>
    /// <param name="lda">Leading dimension of A; at least <paramref name="m"/>.</param>
    /// <param name="b">B, element (p, j) at <c>b[p + j * ldb]</c>.</param>
    /// <param name="ldb">Leading dimension of B; at least <paramref name="k"/>.</param>
    /// <param name="c">C, element (i, j) at <c>c[i + j * ldc]</c>; updated in place.</param>
    /// <param name="ldc">Leading dimension of C; at least <paramref name="m"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative or a leading dimension is too small.</exception>
    /// <exception cref="ArgumentException">A span is too short for its shape, or <paramref name="c"/> overlaps an operand.</exception>
    public static void MultiplyAdd(int m, int n, int k, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc) =>
        Chain<float, float>(m, n, k, a, lda, b, ldb, c, ldc);

    /// <summary>
    /// Computes <c>C += A * B</c> on float operands as the SW26010 does: each chain starts from C
    /// widened to double, runs in double with fused multiply-adds of the widened operands, and is
    /// rounded to float (to nearest) once at the end.
    /// </summary>
    /// <param name="m">Rows of A and C; zero or positive.</param>
    /// <param name="n">Columns of B and C; zero or positive.</param>
    /// <param name="k">Columns of A and rows of B; zero or positive.</param>
    /// <param name="a">A, element (i, p) at <c>a[i + p * lda]</c>.</param>
    /// <param name="lda">Leading dimension of A; at least <paramref name="m"/>.</param>
    /// <param name="b">B, element (p, j) at <c>b[p + j * ldb]</c>.</param>
    /// <param name="ldb">Leading dimension of B; at least <paramref name="k"/>.</param>
    /// <param name="c">C, element (i, j) at <c>c[i + j * ldc]</c>; updated in place.</param>
    /// <param name="ldc">Leading dimension of C; at least <paramref name="m"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative or a leading dimension is too small.</exception>
    /// <exception cref="ArgumentException">A span is too short for its shape, or <paramref name="c"/> overlaps an operand.</exception>
    public static void MultiplyAddFloatInDouble(int m, int n, int k, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc) =>
        Chain<float, double>(m, n, k, a, lda, b, ldb, c, ldc);

    /// <summary>
    /// The sequential fused chain for every element of C: operands widened to
    /// <typeparamref name="TAccumulator"/> (exactly: float to double or no change), one
    /// <c>FusedMultiplyAdd</c> per k in order, the result rounded to <typeparamref name="T"/> once.
    /// </summary>
    private static void Chain<T, TAccumulator>(int m, int n, int k, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc)
        where T : IFloatingPointIeee754<T>
        where TAccumulator : IFloatingPointIeee754<TAccumulator>
    {
        if (!GemmArguments.Validate(m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc))
        {
            return;
        }

        GemmArguments.ThrowIfOverlapping(a, b, c);

        for (int j = 0; j < n; j++)
        {
            for (int i = 0; i < m; i++)
            {
                var acc = TAccumulator.CreateTruncating(c[i + (j * ldc)]);
                for (int p = 0; p < k; p++)
                {
                    acc = TAccumulator.FusedMultiplyAdd(TAccumulator.CreateTruncating(a[i + (p * lda)]), TAccumulator.CreateTruncating(b[p + (j * ldb)]), acc);
                }

                c[i + (j * ldc)] = T.CreateTruncating(acc);
            }
        }
    }
}
