namespace Swatop.Primitives;

/// <summary>
/// The argument rules of a column-major GEMM <c>C (m x n) += A (m x k) * B (k x n)</c>, shared by
/// <see cref="GemmKernel"/> and <see cref="ReferenceGemm"/>.
/// </summary>
internal static class GemmArguments
{
    /// <summary>
    /// Checks the sizes, the leading dimensions and the span lengths. Returns <see langword="false"/>
    /// when the product is empty (m, n or k is zero) and there is nothing to do.
    /// </summary>
    public static bool Validate(int m, int n, int k, int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        Guard.NonNegative(m);
        Guard.NonNegative(n);
        Guard.NonNegative(k);
        Guard.LeadingDimension(lda, m, "m");
        Guard.LeadingDimension(ldb, k, "k");
        Guard.LeadingDimension(ldc, m, "m");

        Guard.SpanLength(aLength, RequiredA(m, k, lda), "(k - 1) * lda + m", "a");
        Guard.SpanLength(bLength, RequiredB(n, k, ldb), "(n - 1) * ldb + k", "b");
        Guard.SpanLength(cLength, RequiredC(m, n, ldc), "(n - 1) * ldc + m", "c");
        return m != 0 && n != 0 && k != 0;
    }

    /// <summary>Throws when the written span <paramref name="c"/> shares memory with an operand it is computed from.</summary>
    public static void ThrowIfOverlapping<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c)
    {
        if (c.Overlaps(a))
        {
            Guard.ThrowArgument(nameof(c), "c overlaps a: the result must not share memory with an operand.");
        }

        if (c.Overlaps(b))
        {
            Guard.ThrowArgument(nameof(c), "c overlaps b: the result must not share memory with an operand.");
        }
    }

    /// <summary>Elements of A an (m x k) product reads: <c>(k - 1) * lda + m</c>, or 0 when empty.</summary>
    public static long RequiredA(int m, int k, int lda) => Required(m, k, lda);

    /// <summary>Elements of B a (k x n) operand spans: <c>(n - 1) * ldb + k</c>, or 0 when empty.</summary>
    public static long RequiredB(int n, int k, int ldb) => Required(k, n, ldb);

    /// <summary>Elements of C an (m x n) result spans: <c>(n - 1) * ldc + m</c>, or 0 when empty.</summary>
    public static long RequiredC(int m, int n, int ldc) => Required(m, n, ldc);

    private static long Required(int rows, int columns, int leading) =>
        rows == 0 || columns == 0 ? 0 : ((long)(columns - 1) * leading) + rows;
}
