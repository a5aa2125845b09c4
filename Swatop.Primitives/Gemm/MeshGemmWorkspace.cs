namespace Swatop.Primitives;

/// <summary>
/// The LDM workspace a CPE's mesh GEMM needs beyond its A, B and C blocks, so that a kernel's LDM plan
/// can hold it. In each SUMMA step the kernel streams the broadcast blocks in panels of
/// <see cref="PanelK"/> reduction indices: it stages one panel of the step's B block (the panel's rows,
/// <c>N/8</c> wide) and one 16-row strip of the step's A panel in double, and keeps a 4 x 4 block of
/// vector accumulators in registers over the panel. Every A and B vector is broadcast once per step,
/// as the emulator counts the register traffic. A float kernel also holds its C block widened to
/// double for the whole call, so that C is rounded to float once, at the end, as the emulator does.
/// </summary>
public static class MeshGemmWorkspace
{
    /// <summary>Reduction indices per streamed panel (fewer when the per-CPE K extent is smaller).</summary>
    public const int PanelK = 4;

    /// <summary>Doubles of the workspace for per-CPE blocks of <paramref name="blockM"/> x <paramref name="blockK"/> (A) and <paramref name="blockK"/> x <paramref name="blockN"/> (B).</summary>
    /// <param name="blockM">M / 8: the CPE's rows of A and C.</param>
    /// <param name="blockN">N / 8: the CPE's columns of B and C.</param>
    /// <param name="blockK">K / 8: the CPE's reduction extent per step.</param>
    /// <param name="type">The element type of the kernel.</param>
    /// <returns>Zero when any extent is zero (no mesh GEMM).</returns>
    /// <exception cref="ArgumentOutOfRangeException">An extent is negative.</exception>
    public static long Doubles(long blockM, long blockN, long blockK, ElementType type)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(blockM);
        ArgumentOutOfRangeException.ThrowIfNegative(blockN);
        ArgumentOutOfRangeException.ThrowIfNegative(blockK);
        if (blockM == 0 || blockN == 0 || blockK == 0)
        {
            return 0;
        }

        var panel = Math.Min(PanelK, blockK);
        var streamed = panel * (blockN + MeshGemmRules.PerCpeMQuantum);
        return type == ElementType.Float32 ? streamed + (blockM * blockN) : streamed;
    }

    /// <summary>The workspace in elements of <paramref name="type"/> (two floats hold a double).</summary>
    /// <inheritdoc cref="Doubles" />
    public static long Elements(long blockM, long blockN, long blockK, ElementType type) =>
        type == ElementType.Float32 ? 2 * Doubles(blockM, blockN, blockK, type) : Doubles(blockM, blockN, blockK, type);
}
