namespace Swatop.Primitives;

/// <summary>
/// The LDM workspace a kernel's LDM plan reserves for a CPE's mesh GEMM beyond its A, B and C blocks. The
/// emitted kernel sends its operands register to register, so of the workspace it uses only what a float
/// kernel needs: its C block widened to double for the whole call (<c>M/8 x N/8</c> doubles), so that C is
/// rounded to float once, at the end, as the emulator does. The reservation also holds the panel of B and
/// the strip of A (<see cref="PanelK"/> reduction indices, <c>N/8 + 16</c> doubles each) that the kernel
/// once staged in LDM; it is kept at that size so the plans, and the schedule space built on them, stay
/// as they are: shrinking it would leave that LDM to larger tiles.
/// </summary>
public static class MeshGemmWorkspace
{
    /// <summary>Reduction indices of the reserved panel (fewer when the per-CPE K extent is smaller).</summary>
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
