namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>How the emulator runs on the host.</summary>
public sealed record EmulatorOptions
{
    /// <summary>Parallel on all the host's cores.</summary>
    public static EmulatorOptions Default { get; } = new();

    /// <summary>Everything on the calling thread.</summary>
    public static EmulatorOptions Sequential { get; } = new() { Mode = ExecutionMode.Sequential };

    /// <summary>Parallel or sequential; results are identical either way.</summary>
    public ExecutionMode Mode { get; init; } = ExecutionMode.Parallel;

    /// <summary>
    /// Skip the arithmetic and the data movement and keep only the clock: the same cycles as a full
    /// run (a kernel's control flow does not depend on its data), much sooner. Outputs are left as they were.
    /// Everything the cycles depend on is still checked (LDM capacity, DMA descriptors, primitive
    /// shapes, deadlocks); the mesh GEMM's operand blocks, which only the arithmetic reads, are
    /// checked by full runs alone.
    /// </summary>
    public bool TimingOnly { get; init; }

    /// <summary>
    /// Which runs check every LDM access of a CPE against its outstanding DMA transfers: a get's range may
    /// not be read or written, a put's source may not be written, and two transfers may not overlap where
    /// one writes, until a wait covers them; a race stops the run with a <see cref="DmaRaceException"/>.
    /// By default runs that move data check and timing-only runs do not (their cost there is in
    /// <c>docs/performance.md</c>, "DMA race checks"). The checks change no cycle and no result.
    /// </summary>
    public DmaRaceChecks DmaRaceChecks { get; init; } = DmaRaceChecks.FullRuns;

    /// <summary>
    /// In timing-only runs without race checks, replay a compiled kernel's loop that only computes in LDM
    /// (fills, element-wise operations, transposes, multiply-accumulates; no DMA, wait, mesh GEMM or swap)
    /// when a CPE of the same core group already ran it with the same values of the variables it reads,
    /// the same turn bits and its buffers at the same LDM addresses: the recorded charges are spent on the
    /// clock one by one, in their order, and the recorded tallies added, which is what running it again
    /// would do, to the bit. On by default; off runs every loop (the tests compare the two).
    /// </summary>
    public bool ReplayComputeRegions { get; init; } = true;

    /// <summary>
    /// Stops a run from outside: the CPE scheduler checks it between CPE resumptions, and a cancelled
    /// run throws <see cref="OperationCanceledException"/> with its memory as it was at that point.
    /// </summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>Host threads a collective primitive may use in parallel mode; by default the host's core count.</summary>
    public int HostThreads { get; init; } = Environment.ProcessorCount;

    /// <summary>Worker threads collectives actually use.</summary>
    internal int CollectiveWorkers => Mode == ExecutionMode.Parallel ? HostThreads : 1;

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">A value is out of range; the message names it.</exception>
    public void Validate()
    {
        if (HostThreads is < 1 or > 1024)
        {
            throw new ArgumentException($"EmulatorOptions.HostThreads = {HostThreads} must be between 1 and 1024.", nameof(HostThreads));
        }

        if (!Enum.IsDefined(Mode))
        {
            throw new ArgumentException($"EmulatorOptions.Mode = {Mode} is not an execution mode.", nameof(Mode));
        }

        if (!Enum.IsDefined(DmaRaceChecks))
        {
            throw new ArgumentException($"EmulatorOptions.DmaRaceChecks = {DmaRaceChecks} is not a choice of runs to check.", nameof(DmaRaceChecks));
        }
    }
}
