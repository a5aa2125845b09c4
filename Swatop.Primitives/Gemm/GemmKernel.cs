using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Swatop.Primitives;

/// <summary>
/// Fast host kernels of the GEMM primitive: column-major <c>C (m x n) += A (m x k) * B (k x n)</c>,
/// with element (i, p) of A at <c>a[i + p * lda]</c>, (p, j) of B at <c>b[p + j * ldb]</c> and
/// (i, j) of C at <c>c[i + j * ldc]</c>.
/// </summary>
/// <remarks>
/// <para>
/// Exactness: every element of C equals the sequential fused chain
/// <c>acc = c[i, j]; for p = 0..k-1: acc = FusedMultiplyAdd(a[i, p], b[p, j], acc); c[i, j] = acc</c>,
/// bit for bit the result of <see cref="ReferenceGemm"/>. The kernels vectorize along M (one lane
/// per row of C) and never split or reorder the k sum.
/// </para>
/// <para>
/// Speed: a register-blocked micro-kernel of 4 vectors along M by 4 columns of N (16
/// accumulators) in <see cref="Vector512{T}"/> where the hardware accelerates it, in
/// <see cref="Vector256{T}"/> otherwise, with narrower blocks and scalar chains for the edges.
/// </para>
/// </remarks>
public static class GemmKernel
{
    /// <summary>The vector width the kernels run at on this machine: "Vector512", "Vector256" or "Scalar".</summary>
    public static string Implementation =>
        Vector512.IsHardwareAccelerated ? "Vector512" : Vector256.IsHardwareAccelerated ? "Vector256" : "Scalar";

    /// <summary>Computes <c>C += A * B</c> in double precision, column-major.</summary>
    /// <param name="m">Rows of A and C; zero or positive.</param>
    /// <param name="n">Columns of B and C; zero or positive.</param>
    /// <param name="k">Columns of A and rows of B; zero or positive.</param>
    /// <param name="a">A, at least <c>(k - 1) * lda + m</c> elements when m and k are positive.</param>
    /// <param name="lda">Leading dimension of A; at least <paramref name="m"/>.</param>
    /// <param name="b">B, at least <c>(n - 1) * ldb + k</c> elements when k and n are positive.</param>
    /// <param name="ldb">Leading dimension of B; at least <paramref name="k"/>.</param>
    /// <param name="c">C, at least <c>(n - 1) * ldc + m</c> elements when m and n are positive; updated in place.</param>
    /// <param name="ldc">Leading dimension of C; at least <paramref name="m"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative or a leading dimension is too small.</exception>
    /// <exception cref="ArgumentException">A span is too short for its shape, or <paramref name="c"/> overlaps an operand.</exception>
    public static void MultiplyAdd(int m, int n, int k, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, Span<double> c, int ldc)
    {
        if (!GemmArguments.Validate(m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc))
        {
            return;
        }

        GemmArguments.ThrowIfOverlapping(a, b, c);

        ref double ra = ref MemoryMarshal.GetReference(a);
        ref double rb = ref MemoryMarshal.GetReference(b);
        ref double rc = ref MemoryMarshal.GetReference(c);
        if (Vector512.IsHardwareAccelerated)
        {
            GemmDriver<double, Vector512<double>, Double512Ops>.Run(m, n, k, ref ra, lda, ref rb, ldb, ref rc, ldc);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            GemmDriver<double, Vector256<double>, Double256Ops>.Run(m, n, k, ref ra, lda, ref rb, ldb, ref rc, ldc);
        }
        else
        {
            GemmDriver<double, Vector256<double>, Double256Ops>.RunScalar(m, n, k, ref ra, lda, ref rb, ldb, ref rc, ldc);
        }
    }

    /// <summary>Computes <c>C += A * B</c> in single precision (float vectors, float FMA), column-major.</summary>
    /// <param name="m">Rows of A and C; zero or positive.</param>
    /// <param name="n">Columns of B and C; zero or positive.</param>
    /// <param name="k">Columns of A and rows of B; zero or positive.</param>
    /// <param name="a">A, at least <c>(k - 1) * lda + m</c> elements when m and k are positive.</param>
    /// <param name="lda">Leading dimension of A; at least <paramref name="m"/>.</param>
    /// <param name="b">B, at least <c>(n - 1) * ldb + k</c> elements when k and n are positive.</param>
    /// <param name="ldb">Leading dimension of B; at least <paramref name="k"/>.</param>
    /// <param name="c">C, at least <c>(n - 1) * ldc + m</c> elements when m and n are positive; updated in place.</param>
    /// <param name="ldc">Leading dimension of C; at least <paramref name="m"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative or a leading dimension is too small.</exception>
    /// <exception cref="ArgumentException">A span is too short for its shape, or <paramref name="c"/> overlaps an operand.</exception>
    public static void MultiplyAdd(int m, int n, int k, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc)
    {
        if (!GemmArguments.Validate(m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc))
        {
            return;
        }

        GemmArguments.ThrowIfOverlapping(a, b, c);

        ref float ra = ref MemoryMarshal.GetReference(a);
        ref float rb = ref MemoryMarshal.GetReference(b);
        ref float rc = ref MemoryMarshal.GetReference(c);
        if (Vector512.IsHardwareAccelerated)
        {
            GemmDriver<float, Vector512<float>, Single512Ops>.Run(m, n, k, ref ra, lda, ref rb, ldb, ref rc, ldc);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            GemmDriver<float, Vector256<float>, Single256Ops>.Run(m, n, k, ref ra, lda, ref rb, ldb, ref rc, ldc);
        }
        else
        {
            GemmDriver<float, Vector256<float>, Single256Ops>.RunScalar(m, n, k, ref ra, lda, ref rb, ldb, ref rc, ldc);
        }
    }

    /// <summary>
    /// Computes <c>C += A * B</c> on float operands the way the SW26010 does: the operands widened
    /// to double, the whole k chain computed in double with FMA, and C rounded to float once at
    /// the end (<see cref="ReferenceGemm.MultiplyAddFloatInDouble"/> is its reference).
    /// </summary>
    /// <param name="m">Rows of A and C; zero or positive.</param>
    /// <param name="n">Columns of B and C; zero or positive.</param>
    /// <param name="k">Columns of A and rows of B; zero or positive.</param>
    /// <param name="a">A, at least <c>(k - 1) * lda + m</c> elements when m and k are positive.</param>
    /// <param name="lda">Leading dimension of A; at least <paramref name="m"/>.</param>
    /// <param name="b">B, at least <c>(n - 1) * ldb + k</c> elements when k and n are positive.</param>
    /// <param name="ldb">Leading dimension of B; at least <paramref name="k"/>.</param>
    /// <param name="c">C, at least <c>(n - 1) * ldc + m</c> elements when m and n are positive; updated in place.</param>
    /// <param name="ldc">Leading dimension of C; at least <paramref name="m"/>.</param>
    /// <param name="scratch">
    /// Working memory for the widened operands, at least <see cref="FloatInDoubleScratchLength"/>
    /// elements when m, n and k are positive (unused otherwise); its contents on return are unspecified.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative or a leading dimension is too small.</exception>
    /// <exception cref="ArgumentException">A span, or the scratch, is too short; or <paramref name="c"/> or the scratch overlaps an operand.</exception>
    public static void MultiplyAddFloatInDouble(
        int m, int n, int k, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, Span<double> scratch)
    {
        if (!GemmArguments.Validate(m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc))
        {
            return;
        }

        GemmArguments.ThrowIfOverlapping(a, b, c);

        int needed = FloatInDoubleScratchLength(m, n, k);
        Guard.SpanLength(scratch.Length, needed, "m * k + k * n + m * n", nameof(scratch));
        ReadOnlySpan<byte> scratchBytes = MemoryMarshal.AsBytes(scratch[..needed]);
        if (scratchBytes.Overlaps(MemoryMarshal.AsBytes(a)) || scratchBytes.Overlaps(MemoryMarshal.AsBytes(b)) || scratchBytes.Overlaps(MemoryMarshal.AsBytes(c)))
        {
            Guard.ThrowArgument(nameof(scratch), "scratch overlaps an operand: the widened copies need memory of their own.");
        }

        Span<double> wideA = scratch[..(m * k)];
        Span<double> wideB = scratch.Slice(m * k, k * n);
        Span<double> wideC = scratch.Slice((m * k) + (k * n), m * n);
        for (int p = 0; p < k; p++)
        {
            ElementConvert.ToDouble(a.Slice(p * lda, m), wideA.Slice(p * m, m));
        }

        for (int j = 0; j < n; j++)
        {
            ElementConvert.ToDouble(b.Slice(j * ldb, k), wideB.Slice(j * k, k));
            ElementConvert.ToDouble(c.Slice(j * ldc, m), wideC.Slice(j * m, m));
        }

        MultiplyAdd(m, n, k, wideA, m, wideB, k, wideC, m);

        for (int j = 0; j < n; j++)
        {
            ElementConvert.ToSingle(wideC.Slice(j * m, m), c.Slice(j * ldc, m));
        }
    }

    /// <summary>
    /// The scratch <see cref="MultiplyAddFloatInDouble"/> needs for an (m x n x k) product:
    /// <c>m * k + k * n + m * n</c> doubles (A, B and C widened and packed).
    /// </summary>
    /// <param name="m">Rows of A and C; zero or positive.</param>
    /// <param name="n">Columns of B and C; zero or positive.</param>
    /// <param name="k">Columns of A and rows of B; zero or positive.</param>
    /// <returns>The number of doubles of scratch.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative, or the scratch would exceed <see cref="int.MaxValue"/> elements.</exception>
    public static int FloatInDoubleScratchLength(int m, int n, int k)
    {
        Guard.NonNegative(m);
        Guard.NonNegative(n);
        Guard.NonNegative(k);
        long length = ((long)m * k) + ((long)k * n) + ((long)m * n);
        if (length > Array.MaxLength)
        {
            Guard.ThrowOutOfRange(
                nameof(m),
                m,
                $"m = {Guard.Format(m)}, n = {Guard.Format(n)}, k = {Guard.Format(k)} need m * k + k * n + m * n = {Guard.Format(length)} doubles of scratch, more than a span can hold ({Guard.Format(Array.MaxLength)}).");
        }

        return (int)length;
    }
}
