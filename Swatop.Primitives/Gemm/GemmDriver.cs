using System.Runtime.CompilerServices;

namespace Swatop.Primitives;

/// <summary>
/// The register-blocked column-major GEMM <c>C += A * B</c> over a vector width chosen by
/// <typeparamref name="TOps"/>. Arguments are validated by the caller; the loops index through
/// <see langword="ref"/>s without bounds checks.
/// </summary>
/// <remarks>
/// Every element of C is the sequential fused chain <c>acc = c; acc = fma(a[i, p], b[p, j], acc)</c>
/// for p = 0..k-1, whatever kernel computes it: vector lanes run along M, one accumulator per
/// element, and the k loop is never split. The blocking is 4 vectors along M by 4 columns of N
/// (16 accumulators), then 1 vector by 4 columns, then 4 and 1 vectors by 1 column, then scalar
/// rows for what is left of M.
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
/// <typeparam name="TVector">The vector type.</typeparam>
/// <typeparam name="TOps">The vector operations.</typeparam>
internal static class GemmDriver<T, TVector, TOps>
    where T : unmanaged
    where TVector : struct
    where TOps : struct, IGemmVectorOps<T, TVector>
{
    /// <summary>Columns of N in the register block.</summary>
    private const int BlockColumns = 4;

    /// <summary>Vectors along M in the register block.</summary>
    private const int BlockVectors = 4;

    /// <summary>Runs <c>C += A * B</c>; m, n and k are positive and the operands are in range.</summary>
    public static void Run(int m, int n, int k, ref T a, nint lda, ref T b, nint ldb, ref T c, nint ldc)
    {
        nint w = TOps.Count;
        nint wide = BlockVectors * w;
        nint j = 0;
        for (; j + BlockColumns <= n; j += BlockColumns)
        {
            ref T bj = ref Unsafe.Add(ref b, j * ldb);
            ref T cj = ref Unsafe.Add(ref c, j * ldc);
            nint i = 0;
            for (; i + wide <= m; i += wide)
            {
                Kernel4x4(k, ref Unsafe.Add(ref a, i), lda, ref bj, ldb, ref Unsafe.Add(ref cj, i), ldc);
            }

            for (; i + w <= m; i += w)
            {
                Kernel1x4(k, ref Unsafe.Add(ref a, i), lda, ref bj, ldb, ref Unsafe.Add(ref cj, i), ldc);
            }

            ScalarRows(i, m, BlockColumns, k, ref a, lda, ref bj, ldb, ref cj, ldc);
        }

        for (; j < n; j++)
        {
            ref T bj = ref Unsafe.Add(ref b, j * ldb);
            ref T cj = ref Unsafe.Add(ref c, j * ldc);
            nint i = 0;
            for (; i + wide <= m; i += wide)
            {
                Kernel4x1(k, ref Unsafe.Add(ref a, i), lda, ref bj, ref Unsafe.Add(ref cj, i));
            }

            for (; i + w <= m; i += w)
            {
                Kernel1x1(k, ref Unsafe.Add(ref a, i), lda, ref bj, ref Unsafe.Add(ref cj, i));
            }

            ScalarRows(i, m, 1, k, ref a, lda, ref bj, ldb, ref cj, ldc);
        }
    }

    /// <summary>4 vectors of M by 4 columns of N: 16 accumulators, 4 A vectors, a broadcast B.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Kernel4x4(nint k, ref T a, nint lda, ref T b, nint ldb, ref T c, nint ldc)
    {
        nint w = TOps.Count;
        ref T c0 = ref c;
        ref T c1 = ref Unsafe.Add(ref c0, ldc);
        ref T c2 = ref Unsafe.Add(ref c1, ldc);
        ref T c3 = ref Unsafe.Add(ref c2, ldc);
        ref T b0 = ref b;
        ref T b1 = ref Unsafe.Add(ref b0, ldb);
        ref T b2 = ref Unsafe.Add(ref b1, ldb);
        ref T b3 = ref Unsafe.Add(ref b2, ldb);

        TVector c00 = TOps.Load(ref c0, 0), c10 = TOps.Load(ref c0, w), c20 = TOps.Load(ref c0, 2 * w), c30 = TOps.Load(ref c0, 3 * w);
        TVector c01 = TOps.Load(ref c1, 0), c11 = TOps.Load(ref c1, w), c21 = TOps.Load(ref c1, 2 * w), c31 = TOps.Load(ref c1, 3 * w);
        TVector c02 = TOps.Load(ref c2, 0), c12 = TOps.Load(ref c2, w), c22 = TOps.Load(ref c2, 2 * w), c32 = TOps.Load(ref c2, 3 * w);
        TVector c03 = TOps.Load(ref c3, 0), c13 = TOps.Load(ref c3, w), c23 = TOps.Load(ref c3, 2 * w), c33 = TOps.Load(ref c3, 3 * w);

        for (nint p = 0; p < k; p++)
        {
            TVector a0 = TOps.Load(ref a, 0), a1 = TOps.Load(ref a, w), a2 = TOps.Load(ref a, 2 * w), a3 = TOps.Load(ref a, 3 * w);
            a = ref Unsafe.Add(ref a, lda);

            TVector bp = TOps.Broadcast(Unsafe.Add(ref b0, p));
            c00 = TOps.MultiplyAdd(a0, bp, c00);
            c10 = TOps.MultiplyAdd(a1, bp, c10);
            c20 = TOps.MultiplyAdd(a2, bp, c20);
            c30 = TOps.MultiplyAdd(a3, bp, c30);

            bp = TOps.Broadcast(Unsafe.Add(ref b1, p));
            c01 = TOps.MultiplyAdd(a0, bp, c01);
            c11 = TOps.MultiplyAdd(a1, bp, c11);
            c21 = TOps.MultiplyAdd(a2, bp, c21);
            c31 = TOps.MultiplyAdd(a3, bp, c31);

            bp = TOps.Broadcast(Unsafe.Add(ref b2, p));
            c02 = TOps.MultiplyAdd(a0, bp, c02);
            c12 = TOps.MultiplyAdd(a1, bp, c12);
            c22 = TOps.MultiplyAdd(a2, bp, c22);
            c32 = TOps.MultiplyAdd(a3, bp, c32);

            bp = TOps.Broadcast(Unsafe.Add(ref b3, p));
            c03 = TOps.MultiplyAdd(a0, bp, c03);
            c13 = TOps.MultiplyAdd(a1, bp, c13);
            c23 = TOps.MultiplyAdd(a2, bp, c23);
            c33 = TOps.MultiplyAdd(a3, bp, c33);
        }

        TOps.Store(c00, ref c0, 0); TOps.Store(c10, ref c0, w); TOps.Store(c20, ref c0, 2 * w); TOps.Store(c30, ref c0, 3 * w);
        TOps.Store(c01, ref c1, 0); TOps.Store(c11, ref c1, w); TOps.Store(c21, ref c1, 2 * w); TOps.Store(c31, ref c1, 3 * w);
        TOps.Store(c02, ref c2, 0); TOps.Store(c12, ref c2, w); TOps.Store(c22, ref c2, 2 * w); TOps.Store(c32, ref c2, 3 * w);
        TOps.Store(c03, ref c3, 0); TOps.Store(c13, ref c3, w); TOps.Store(c23, ref c3, 2 * w); TOps.Store(c33, ref c3, 3 * w);
    }

    /// <summary>1 vector of M by 4 columns of N.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Kernel1x4(nint k, ref T a, nint lda, ref T b, nint ldb, ref T c, nint ldc)
    {
        ref T c1 = ref Unsafe.Add(ref c, ldc);
        ref T c2 = ref Unsafe.Add(ref c1, ldc);
        ref T c3 = ref Unsafe.Add(ref c2, ldc);
        ref T b1 = ref Unsafe.Add(ref b, ldb);
        ref T b2 = ref Unsafe.Add(ref b1, ldb);
        ref T b3 = ref Unsafe.Add(ref b2, ldb);
        TVector acc0 = TOps.Load(ref c, 0), acc1 = TOps.Load(ref c1, 0), acc2 = TOps.Load(ref c2, 0), acc3 = TOps.Load(ref c3, 0);

        for (nint p = 0; p < k; p++)
        {
            TVector ap = TOps.Load(ref a, 0);
            a = ref Unsafe.Add(ref a, lda);
            acc0 = TOps.MultiplyAdd(ap, TOps.Broadcast(Unsafe.Add(ref b, p)), acc0);
            acc1 = TOps.MultiplyAdd(ap, TOps.Broadcast(Unsafe.Add(ref b1, p)), acc1);
            acc2 = TOps.MultiplyAdd(ap, TOps.Broadcast(Unsafe.Add(ref b2, p)), acc2);
            acc3 = TOps.MultiplyAdd(ap, TOps.Broadcast(Unsafe.Add(ref b3, p)), acc3);
        }

        TOps.Store(acc0, ref c, 0);
        TOps.Store(acc1, ref c1, 0);
        TOps.Store(acc2, ref c2, 0);
        TOps.Store(acc3, ref c3, 0);
    }

    /// <summary>4 vectors of M by 1 column of N.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Kernel4x1(nint k, ref T a, nint lda, ref T b, ref T c)
    {
        nint w = TOps.Count;
        TVector acc0 = TOps.Load(ref c, 0), acc1 = TOps.Load(ref c, w), acc2 = TOps.Load(ref c, 2 * w), acc3 = TOps.Load(ref c, 3 * w);

        for (nint p = 0; p < k; p++)
        {
            TVector bp = TOps.Broadcast(Unsafe.Add(ref b, p));
            acc0 = TOps.MultiplyAdd(TOps.Load(ref a, 0), bp, acc0);
            acc1 = TOps.MultiplyAdd(TOps.Load(ref a, w), bp, acc1);
            acc2 = TOps.MultiplyAdd(TOps.Load(ref a, 2 * w), bp, acc2);
            acc3 = TOps.MultiplyAdd(TOps.Load(ref a, 3 * w), bp, acc3);
            a = ref Unsafe.Add(ref a, lda);
        }

        TOps.Store(acc0, ref c, 0);
        TOps.Store(acc1, ref c, w);
        TOps.Store(acc2, ref c, 2 * w);
        TOps.Store(acc3, ref c, 3 * w);
    }

    /// <summary>1 vector of M by 1 column of N.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Kernel1x1(nint k, ref T a, nint lda, ref T b, ref T c)
    {
        TVector acc = TOps.Load(ref c, 0);
        for (nint p = 0; p < k; p++)
        {
            acc = TOps.MultiplyAdd(TOps.Load(ref a, 0), TOps.Broadcast(Unsafe.Add(ref b, p)), acc);
            a = ref Unsafe.Add(ref a, lda);
        }

        TOps.Store(acc, ref c, 0);
    }

    /// <summary>Runs <c>C += A * B</c> without vectors, one scalar chain per element of C.</summary>
    public static void RunScalar(int m, int n, int k, ref T a, nint lda, ref T b, nint ldb, ref T c, nint ldc) =>
        ScalarRows(0, m, n, k, ref a, lda, ref b, ldb, ref c, ldc);

    /// <summary>Rows <paramref name="firstRow"/>..m-1 of <paramref name="columns"/> columns, one scalar chain each.</summary>
    private static void ScalarRows(nint firstRow, nint m, nint columns, nint k, ref T a, nint lda, ref T b, nint ldb, ref T c, nint ldc)
    {
        for (nint j = 0; j < columns; j++)
        {
            ref T bj = ref Unsafe.Add(ref b, j * ldb);
            ref T cj = ref Unsafe.Add(ref c, j * ldc);
            for (nint i = firstRow; i < m; i++)
            {
                T acc = Unsafe.Add(ref cj, i);
                ref T ai = ref Unsafe.Add(ref a, i);
                for (nint p = 0; p < k; p++)
                {
                    acc = TOps.MultiplyAdd(Unsafe.Add(ref ai, p * lda), Unsafe.Add(ref bj, p), acc);
                }

                Unsafe.Add(ref cj, i) = acc;
            }
        }
    }
}
