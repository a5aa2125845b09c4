namespace Swatop.Core;

/// <summary>
/// The attributes of a (batched) matrix product <c>C[b][m][n] = sum_k A[b][m][k] * B[b][k][n]</c>,
/// row-major, as built by <see cref="Operator.Gemm"/>. Checked when created.
/// </summary>
/// <param name="Batch">The number of independent products, at least one; one means 2-D tensors without a batch dimension.</param>
/// <param name="M">The rows of A and C.</param>
/// <param name="N">The columns of B and C.</param>
/// <param name="K">The reduced dimension: columns of A, rows of B.</param>
/// <param name="TransposeA">A is stored <c>[b][k][m]</c> rather than <c>[b][m][k]</c>.</param>
/// <param name="TransposeB">B is stored <c>[b][n][k]</c> rather than <c>[b][k][n]</c>.</param>
public sealed record GemmAttributes(int Batch, int M, int N, int K, bool TransposeA, bool TransposeB) : OperatorAttributes
{
    private readonly bool checkedValues = Check(Batch, M, N, K);

    /// <summary>The number of independent products; one means 2-D tensors.</summary>
    public int Batch { get; } = Batch;

    /// <summary>The rows of A and C.</summary>
    public int M { get; } = M;

    /// <summary>The columns of B and C.</summary>
    public int N { get; } = N;

    /// <summary>The reduced dimension.</summary>
    public int K { get; } = K;

    /// <summary>A is stored <c>[b][k][m]</c>.</summary>
    public bool TransposeA { get; } = TransposeA;

    /// <summary>B is stored <c>[b][n][k]</c>.</summary>
    public bool TransposeB { get; } = TransposeB;

    /// <inheritdoc />
    internal override string Signature =>
        $"gemm b={Batch} m={M} n={N} k={K} ta={(TransposeA ? 1 : 0)} tb={(TransposeB ? 1 : 0)}";

    /// <summary>Checks the sizes with the builder's parameter names.</summary>
    internal static bool Check(int batch, int m, int n, int k)
    {
        DescribeGuard.Size(batch, nameof(batch), "batch count");
        DescribeGuard.Size(m, nameof(m), "row count (m)");
        DescribeGuard.Size(n, nameof(n), "column count (n)");
        DescribeGuard.Size(k, nameof(k), "reduction length (k)");
        DescribeGuard.ElementCount(nameof(m), "A", batch, m, k);
        DescribeGuard.ElementCount(nameof(n), "B", batch, k, n);
        DescribeGuard.ElementCount(nameof(m), "C", batch, m, n);
        return true;
    }
}
