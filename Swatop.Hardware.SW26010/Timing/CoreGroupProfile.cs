using System.Globalization;

namespace Swatop.Hardware.Sw26010.Timing;

/// <summary>
/// The simulated time of a run on one core group: its spawns (each an <c>athread_spawn</c>, the
/// kernel, an <c>athread_join</c> on the MPE), where each CPE's cycles went in the last kernel, and
/// what the memory controller moved.
/// </summary>
public sealed record CoreGroupProfile
{
    /// <summary>The core group.</summary>
    public required int CoreGroup { get; init; }

    /// <summary>Spawn-join pairs run back to back.</summary>
    public required int Spawns { get; init; }

    /// <summary>Cycles of one kernel, from its spawn to its last CPE or DMA reply.</summary>
    public required double KernelCycles { get; init; }

    /// <summary>Cycles of all the spawns on the MPE, spawn and join costs included.</summary>
    public required double ElapsedCycles { get; init; }

    /// <summary>Each CPE's cycles in the last kernel, by athread id.</summary>
    public required IReadOnlyList<CpeTimes> Cpes { get; init; }

    /// <summary>Bytes the memory controller moved in one kernel.</summary>
    public required long DmaBytes { get; init; }

    /// <summary>
    /// Of <see cref="DmaBytes"/>, those moved in blocks of at least 256 bytes that start on a 128-byte boundary
    /// of main memory (<see cref="DmaBlockAlignment"/>), every buffer starting on one.
    /// </summary>
    public long DmaAlignedWideBytes { get; init; }

    /// <summary>The share of <see cref="DmaBytes"/> in <see cref="DmaAlignedWideBytes"/>, 0 to 1 (1 without DMA).</summary>
    public double DmaAlignedWideShare => DmaBytes > 0 ? (double)DmaAlignedWideBytes / DmaBytes : 1;

    /// <summary>Cycles the memory controller was busy in one kernel.</summary>
    public required double ControllerBusyCycles { get; init; }

    /// <summary>The share of one kernel's cycles in which the memory controller was busy, 0 to 1 (0 for a kernel of no cycles): near 1, the kernel waits for DMA.</summary>
    public double ControllerBusyShare => KernelCycles > 0 ? Math.Min(1, ControllerBusyCycles / KernelCycles) : 0;

    /// <summary>
    /// Of <see cref="DmaBytes"/>, those moved to or from the shared (cross-segment) memory, where the framework's tensors
    /// lie: each costs the controller <see cref="DmaTimingModel.CrossSegmentByteFactor"/> times a byte of the group's own memory.
    /// </summary>
    public long DmaSharedBytes { get; init; }

    /// <summary>DMA requests the memory controller served in one kernel.</summary>
    public long DmaRequests { get; init; }

    /// <summary>Contiguous blocks of those requests, each a block cost of the controller's (<see cref="DmaTimingModel"/>).</summary>
    public long DmaBlocks { get; init; }

    /// <summary>The mean contiguous block of one kernel's DMA, in bytes (0 without DMA).</summary>
    public double DmaMeanBlockBytes => DmaBlocks > 0 ? (double)DmaBytes / DmaBlocks : 0;

    /// <summary>Flops of all the spawns.</summary>
    public required long Flops { get; init; }

    /// <summary>The clock the cycles count.</summary>
    public required double ClockHz { get; init; }

    /// <summary>The group's peak flops a second.</summary>
    public required double PeakFlops { get; init; }

    /// <summary>Simulated seconds of all the spawns.</summary>
    public double SimulatedSeconds => ElapsedCycles / ClockHz;

    /// <summary>Simulated GFLOPS over all the spawns.</summary>
    public double Gflops => SimulatedSeconds > 0 ? Flops / SimulatedSeconds / 1e9 : 0;

    /// <summary>Percent of the group's peak.</summary>
    public double PercentOfPeak => SimulatedSeconds > 0 ? 100 * Flops / SimulatedSeconds / PeakFlops : 0;

    /// <summary>Effective DMA bandwidth of one kernel, GB/s.</summary>
    public double DmaGigabytesPerSecond => KernelCycles > 0 ? DmaBytes / (KernelCycles / ClockHz) / 1e9 : 0;

    /// <summary>The 64 CPEs' cycles added up.</summary>
    public CpeTimes Total => Cpes.Aggregate(new CpeTimes(), (sum, times) => sum + times);

    /// <summary>One line: time, GFLOPS, % of peak and the split of CPE cycles.</summary>
    public override string ToString()
    {
        var total = Total;
        var all = total.ComputeCycles + total.DmaWaitCycles + total.RlcWaitCycles + total.SyncWaitCycles + total.IdleCycles;
        double Share(double cycles) => all > 0 ? 100 * cycles / all : 0;
        return string.Create(CultureInfo.InvariantCulture,
            $"CG {CoreGroup}: {SimulatedSeconds * 1e3:F3} ms for {Spawns} spawn(s), {Gflops:F1} GFLOPS ({PercentOfPeak:F1}% of peak); CPE cycles {Share(total.ComputeCycles):F0}% compute, {Share(total.DmaWaitCycles):F0}% DMA wait, {Share(total.RlcWaitCycles):F0}% RLC wait, {Share(total.SyncWaitCycles):F0}% sync, {Share(total.IdleCycles):F0}% idle; DMA {DmaBytes / 1048576.0:F1} MiB a kernel at {DmaGigabytesPerSecond:F1} GB/s, {100 * DmaAlignedWideShare:F0}% of it in 128-byte-aligned blocks of 256 bytes or more; controller busy {100 * ControllerBusyShare:F0}% of the kernel, {DmaRequests} requests of {DmaBlocks} blocks ({DmaMeanBlockBytes:F0} bytes a block), {(DmaBytes > 0 ? 100.0 * DmaSharedBytes / DmaBytes : 0):F0}% of the bytes to or from the shared memory");
    }
}
