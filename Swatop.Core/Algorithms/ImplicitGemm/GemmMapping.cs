namespace Swatop.Core.Algorithms.ImplicitGemm;

/// <summary>
/// Which axes of a contraction the mesh GEMM's M, N and K walk. The operand holding the M axis
/// is the GEMM's A (M x K), the one holding the N axis its B (K x N); every other axis is a loop
/// around the GEMM. For a convolution with the batch on M this is swDNN's mapping: M = n, N = co, K = ci.
/// </summary>
/// <param name="M">An index axis read by exactly one operand (the A operand) and the output.</param>
/// <param name="N">An index axis read by the other operand (the B operand) and the output.</param>
/// <param name="K">A reduction axis read by both operands.</param>
public sealed record GemmMapping(string M, string N, string K)
{
    /// <summary>The mapping as text, <c>M=n N=co K=ci</c>.</summary>
    public override string ToString() => $"M={M} N={N} K={K}";

    /// <summary>Every legal mapping of <paramref name="expression"/>, in a deterministic order.</summary>
    public static IReadOnlyList<GemmMapping> All(Contraction expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var result = new List<GemmMapping>();
        foreach (var k in expression.ReductionAxes.Where(a => Reads(expression.Left, a) && Reads(expression.Right, a)))
        {
            foreach (var (aSide, bSide) in new[] { (expression.Left, expression.Right), (expression.Right, expression.Left) })
            {
                foreach (var m in expression.IndexAxes.Where(a => Reads(aSide, a) && !Reads(bSide, a)))
                {
                    foreach (var n in expression.IndexAxes.Where(a => Reads(bSide, a) && !Reads(aSide, a)))
                    {
                        result.Add(new GemmMapping(m.Name, n.Name, k.Name));
                    }
                }
            }
        }

        return result;
    }

    /// <summary>Why this mapping does not fit <paramref name="expression"/>, or <see langword="null"/> when it does.</summary>
    public string? Violation(Contraction expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        return All(expression).Contains(this)
            ? null
            : $"mapping {this} is not one of the contraction's: M must be an index axis read by one operand only, N one read by the other operand only, K a reduction axis both read (legal: {string.Join("; ", All(expression))}).";
    }

    /// <summary>
    /// The operands of <paramref name="expression"/> under this mapping, in the order of
    /// <see cref="ImplicitGemmSchedule.Roles"/>: A (the input that reads M), B, the output.
    /// </summary>
    internal TensorAccess[] OperandsOf(Contraction expression) =>
        Reads(expression.Left, expression.Axis(M)) ? [expression.Left, expression.Right, expression.Output] : [expression.Right, expression.Left, expression.Output];

    /// <summary>Whether the access reads the axis.</summary>
    internal static bool Reads(TensorAccess access, Axis axis) => access.Indices.Any(index => index.DependsOn(axis));
}
