namespace Swatop.Primitives;

/// <summary>
/// The shape rules of the SW26010 mesh GEMM primitive (swDNN / swGEMM): <c>C (M x N) += A (M x K) * B (K x N)</c>
/// spread SUMMA-style over the 8 x 8 CPE mesh of a core group, each CPE holding an
/// (M/8 x K/8) block of A, a (K/8 x N/8) block of B and an (M/8 x N/8) block of C.
/// </summary>
/// <remarks>
/// The inner kernel keeps a 4 x 4 block of 4-lane vector accumulators, so a CPE's M extent must be
/// a multiple of 16 (four vectors) and its N extent a multiple of 4; over the mesh that makes M a
/// multiple of 128, N a multiple of 32 and K a multiple of 8. Other shapes must be padded up to
/// these quanta (<see cref="PaddedM"/>, <see cref="PaddedN"/>, <see cref="PaddedK"/>).
/// </remarks>
public static class MeshGemmRules
{
    /// <summary>CPEs along each side of the mesh.</summary>
    public const int MeshSize = 8;

    /// <summary>Lanes of the CPE's vector registers (<c>doublev4</c> / <c>floatv4</c>).</summary>
    public const int VectorLanes = 4;

    /// <summary>A CPE's M extent must be a multiple of this: four 4-lane vectors.</summary>
    public const int PerCpeMQuantum = 4 * VectorLanes;

    /// <summary>A CPE's N extent must be a multiple of this: the four accumulator columns.</summary>
    public const int PerCpeNQuantum = 4;

    /// <summary>The whole-mesh M must be a positive multiple of this (<see cref="MeshSize"/> x <see cref="PerCpeMQuantum"/>).</summary>
    public const int MQuantum = MeshSize * PerCpeMQuantum;

    /// <summary>The whole-mesh N must be a positive multiple of this (<see cref="MeshSize"/> x <see cref="PerCpeNQuantum"/>).</summary>
    public const int NQuantum = MeshSize * PerCpeNQuantum;

    /// <summary>The whole-mesh K must be a positive multiple of this (one row of K per CPE of a mesh row).</summary>
    public const int KQuantum = MeshSize;

    /// <summary>Whether (M, N, K) is a shape the mesh GEMM runs without padding.</summary>
    /// <param name="m">Rows of A and C over the whole mesh.</param>
    /// <param name="n">Columns of B and C over the whole mesh.</param>
    /// <param name="k">The reduction extent over the whole mesh.</param>
    /// <returns><see langword="true"/> when <see cref="Violation"/> finds nothing.</returns>
    public static bool IsLegal(int m, int n, int k) => Violation(m, n, k) is null;

    /// <summary>
    /// The first rule (M, then N, then K) that the shape breaks, as a sentence naming the
    /// dimension, its value and the rule; <see langword="null"/> when the shape is legal.
    /// </summary>
    /// <param name="m">Rows of A and C over the whole mesh.</param>
    /// <param name="n">Columns of B and C over the whole mesh.</param>
    /// <param name="k">The reduction extent over the whole mesh.</param>
    /// <returns>The violation, or <see langword="null"/>.</returns>
    public static string? Violation(int m, int n, int k)
    {
        if (m <= 0 || m % MQuantum != 0)
        {
            return $"M = {Guard.Format(m)} must be a positive multiple of {MQuantum} " +
                $"(the per-CPE M extent M/{MeshSize} must be a multiple of {PerCpeMQuantum}: four {VectorLanes}-lane vectors).";
        }

        if (n <= 0 || n % NQuantum != 0)
        {
            return $"N = {Guard.Format(n)} must be a positive multiple of {NQuantum} " +
                $"(the per-CPE N extent N/{MeshSize} must be a multiple of {PerCpeNQuantum}: the four accumulator columns).";
        }

        if (k <= 0 || k % KQuantum != 0)
        {
            return $"K = {Guard.Format(k)} must be a positive multiple of {KQuantum} " +
                $"(K is split into {MeshSize} equal blocks, one per step of the mesh).";
        }

        return null;
    }

    /// <summary>Throws when the shape breaks a rule of the mesh GEMM.</summary>
    /// <param name="m">Rows of A and C over the whole mesh.</param>
    /// <param name="n">Columns of B and C over the whole mesh.</param>
    /// <param name="k">The reduction extent over the whole mesh.</param>
    /// <exception cref="ArgumentOutOfRangeException">The first dimension that breaks its rule, with the rule.</exception>
    public static void ThrowIfIllegal(int m, int n, int k)
    {
        string? violation = Violation(m, n, k);
        if (violation is null)
        {
            return;
        }

        (string name, int value) = violation[0] switch
        {
            'M' => (nameof(m), m),
            'N' => (nameof(n), n),
            _ => (nameof(k), k),
        };
        Guard.ThrowOutOfRange(name, value, violation);
    }

    /// <summary>The smallest legal M at least <paramref name="m"/>: <paramref name="m"/> rounded up to <see cref="MQuantum"/>.</summary>
    /// <param name="m">A positive M.</param>
    /// <returns>The padded M.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="m"/> is not positive or cannot be padded within <see cref="int"/>.</exception>
    public static int PaddedM(int m) => RoundUp(m, MQuantum, nameof(m));

    /// <summary>The smallest legal N at least <paramref name="n"/>: <paramref name="n"/> rounded up to <see cref="NQuantum"/>.</summary>
    /// <param name="n">A positive N.</param>
    /// <returns>The padded N.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is not positive or cannot be padded within <see cref="int"/>.</exception>
    public static int PaddedN(int n) => RoundUp(n, NQuantum, nameof(n));

    /// <summary>The smallest legal K at least <paramref name="k"/>: <paramref name="k"/> rounded up to <see cref="KQuantum"/>.</summary>
    /// <param name="k">A positive K.</param>
    /// <returns>The padded K.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is not positive or cannot be padded within <see cref="int"/>.</exception>
    public static int PaddedK(int k) => RoundUp(k, KQuantum, nameof(k));

    private static int RoundUp(int value, int quantum, string name)
    {
        if (value <= 0)
        {
            Guard.ThrowOutOfRange(name, value, $"{name} = {Guard.Format(value)} must be positive to be padded to a multiple of {quantum}.");
        }

        long padded = ((long)value + quantum - 1) / quantum * quantum;
        if (padded > int.MaxValue)
        {
            Guard.ThrowOutOfRange(name, value, $"{name} = {Guard.Format(value)} rounded up to a multiple of {quantum} exceeds Int32.MaxValue.");
        }

        return (int)padded;
    }
}
