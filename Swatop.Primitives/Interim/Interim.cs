#pragma warning disable CS1591, SA1402, IDE0011, IDE0055
// Interim stand-ins, replaced by the real kernels before merge.
namespace Swatop.Primitives;

public static class GemmKernel
{
    public static void MultiplyAdd(int m, int n, int k, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, Span<double> c, int ldc)
    {
        for (var j = 0; j < n; j++)
            for (var i = 0; i < m; i++)
            {
                var acc = c[i + (j * ldc)];
                for (var p = 0; p < k; p++) acc = Math.FusedMultiplyAdd(a[i + (p * lda)], b[p + (j * ldb)], acc);
                c[i + (j * ldc)] = acc;
            }
    }
}

public static class ReferenceGemm
{
    public static void MultiplyAdd(int m, int n, int k, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, Span<double> c, int ldc) => GemmKernel.MultiplyAdd(m, n, k, a, lda, b, ldb, c, ldc);

    public static void MultiplyAddFloatInDouble(int m, int n, int k, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc)
    {
        for (var j = 0; j < n; j++)
            for (var i = 0; i < m; i++)
            {
                double acc = c[i + (j * ldc)];
                for (var p = 0; p < k; p++) acc = Math.FusedMultiplyAdd(a[i + (p * lda)], b[p + (j * ldb)], acc);
                c[i + (j * ldc)] = (float)acc;
            }
    }
}

public static class MeshGemmRules
{
    public const int MeshSize = 8;
    public static string? Violation(int m, int n, int k) =>
        m <= 0 || m % 128 != 0 ? $"M = {m} must be a positive multiple of 128" :
        n <= 0 || n % 32 != 0 ? $"N = {n} must be a positive multiple of 32" :
        k <= 0 || k % 8 != 0 ? $"K = {k} must be a positive multiple of 8" : null;
}

public static class StridedCopy
{
    public static void Gather(ReadOnlySpan<byte> source, Span<byte> destination, int totalBytes, int blockBytes, int gapBytes)
    {
        for (int o = 0, s = 0; o < totalBytes; o += blockBytes, s += blockBytes + gapBytes) source.Slice(s, blockBytes).CopyTo(destination.Slice(o, blockBytes));
    }

    public static void Scatter(ReadOnlySpan<byte> source, Span<byte> destination, int totalBytes, int blockBytes, int gapBytes)
    {
        for (int o = 0, s = 0; o < totalBytes; o += blockBytes, s += blockBytes + gapBytes) source.Slice(o, blockBytes).CopyTo(destination.Slice(s, blockBytes));
    }
}

public static class BlockFill
{
    public static void Fill(Span<double> d, double v) => d.Fill(v);
    public static void Fill(Span<float> d, float v) => d.Fill(v);
}

public static class ElementConvert
{
    public static void ToDouble(ReadOnlySpan<float> s, Span<double> d) { for (var i = 0; i < s.Length; i++) d[i] = s[i]; }
    public static void ToSingle(ReadOnlySpan<double> s, Span<float> d) { for (var i = 0; i < s.Length; i++) d[i] = (float)s[i]; }
}
