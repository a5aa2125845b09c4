namespace Swatop.Hardware.Sw26010.Timing;

/// <summary>
/// Where one CPE's cycles went during a kernel, from its spawn to the kernel's end: computing
/// (primitives, DMA issue, register puts), waiting for DMA replies, waiting for registers (or for
/// the other CPEs of a mesh primitive), waiting at barriers, and idle after it finished.
/// </summary>
public sealed record CpeTimes
{
    /// <summary>Cycles spent computing or issuing.</summary>
    public double ComputeCycles { get; init; }

    /// <summary>Cycles waiting for DMA replies.</summary>
    public double DmaWaitCycles { get; init; }

    /// <summary>Cycles waiting for register communication, including the other CPEs of a mesh GEMM.</summary>
    public double RlcWaitCycles { get; init; }

    /// <summary>Cycles waiting at <c>athread_syn</c> barriers.</summary>
    public double SyncWaitCycles { get; init; }

    /// <summary>Cycles between this CPE's end and the kernel's end.</summary>
    public double IdleCycles { get; init; }

    /// <summary>The cycle, from the spawn, at which the CPE's program ended.</summary>
    public double FinishCycle { get; init; }

    /// <summary>The sum of two CPEs' times (for totals; <see cref="FinishCycle"/> takes the later).</summary>
    public static CpeTimes operator +(CpeTimes left, CpeTimes right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return new CpeTimes
        {
            ComputeCycles = left.ComputeCycles + right.ComputeCycles,
            DmaWaitCycles = left.DmaWaitCycles + right.DmaWaitCycles,
            RlcWaitCycles = left.RlcWaitCycles + right.RlcWaitCycles,
            SyncWaitCycles = left.SyncWaitCycles + right.SyncWaitCycles,
            IdleCycles = left.IdleCycles + right.IdleCycles,
            FinishCycle = Math.Max(left.FinishCycle, right.FinishCycle),
        };
    }

    /// <summary>Named alternative of <c>+</c>.</summary>
    public static CpeTimes Add(CpeTimes left, CpeTimes right) => left + right;
}
