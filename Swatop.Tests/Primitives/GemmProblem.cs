namespace Swatop.Tests.PrimitiveKernels;

/// <summary>
/// A random column-major GEMM problem: sizes, leading dimensions with slack, operand arrays with
/// slack at the end, and values of mixed signs and magnitudes so that any reordering or splitting
/// of the k chain changes the rounding.
/// </summary>
internal sealed record GemmProblem(int M, int N, int K, int Lda, int Ldb, int Ldc, double[] A, double[] B, double[] C)
{
    /// <summary>Draws a problem with sizes in 0..<paramref name="maxSize"/> from <paramref name="random"/>.</summary>
    public static GemmProblem Random(Random random, int maxSize)
    {
        int m = random.Next(maxSize + 1);
        int n = random.Next(maxSize + 1);
        int k = random.Next(maxSize + 1);
        return Create(random, m, n, k, slack: random.Next(2) == 0 ? 0 : random.Next(1, 9));
    }

    /// <summary>A problem of the given sizes with leading dimensions <paramref name="slack"/> larger than needed.</summary>
    public static GemmProblem Create(Random random, int m, int n, int k, int slack)
    {
        int lda = m + slack;
        int ldb = k + slack;
        int ldc = m + slack;
        return new GemmProblem(
            m, n, k, lda, ldb, ldc,
            Values(random, (k * lda) + slack),
            Values(random, (n * ldb) + slack),
            Values(random, (n * ldc) + slack));
    }

    /// <summary>A in single precision (each value rounded to float).</summary>
    public float[] SingleA => ToSingle(A);

    /// <summary>B in single precision.</summary>
    public float[] SingleB => ToSingle(B);

    /// <summary>C in single precision.</summary>
    public float[] SingleC => ToSingle(C);

    /// <inheritdoc/>
    public override string ToString() => $"m={M} n={N} k={K} lda={Lda} ldb={Ldb} ldc={Ldc}";

    private static double[] Values(Random random, int length)
    {
        var values = new double[length];
        for (int i = 0; i < length; i++)
        {
            // Mantissas in [-1, 1) scaled by 2^-6..2^6: mixed signs and magnitudes, no overflow.
            values[i] = Math.ScaleB((random.NextDouble() * 2) - 1, random.Next(-6, 7));
        }

        return values;
    }

    private static float[] ToSingle(double[] values) => Array.ConvertAll(values, x => (float)x);
}
