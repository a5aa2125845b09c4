namespace Swatop.Hardware.Sw26010.Timing;

/// <summary>
/// The clock of one CPE and the account of where its cycles went: a value inside its CPE, which
/// hands it out by reference (<see cref="Emulation.Cpe.Clock"/>), so that a CPE's clock shares its memory.
/// </summary>
internal struct CpeClock
{
    private SpendLog? _log;

    /// <summary>Cycles since the spawn.</summary>
    internal double Now { get; private set; }

    internal double Compute { get; private set; }

    internal double DmaWait { get; private set; }

    internal double RlcWait { get; private set; }

    internal double SyncWait { get; private set; }

    internal void Reset()
    {
        _log = null;
        Now = 0;
        Compute = 0;
        DmaWait = 0;
        RlcWait = 0;
        SyncWait = 0;
    }

    /// <summary>Spends <paramref name="cycles"/> computing or issuing.</summary>
    internal void Spend(double cycles)
    {
        Now += cycles;
        Compute += cycles;
        _log?.Add(cycles);
    }

    /// <summary>Logs every charge from now on into <paramref name="log"/>, until <see cref="StopLog"/>.</summary>
    internal void StartLog(SpendLog log) => _log = log;

    /// <summary>Stops logging charges.</summary>
    internal void StopLog() => _log = null;

    /// <summary>Waits until <paramref name="cycle"/>, if it is later than now, charging the wait to <paramref name="kind"/>.</summary>
    internal void WaitUntil(double cycle, WaitKind kind)
    {
        if (cycle <= Now)
        {
            return;
        }

        var waited = cycle - Now;
        Now = cycle;
        switch (kind)
        {
            case WaitKind.Dma:
                DmaWait += waited;
                break;
            case WaitKind.Rlc:
                RlcWait += waited;
                break;
            default:
                SyncWait += waited;
                break;
        }
    }

    internal readonly CpeTimes Snapshot(double kernelEnd) => new()
    {
        ComputeCycles = Compute,
        DmaWaitCycles = DmaWait,
        RlcWaitCycles = RlcWait,
        SyncWaitCycles = SyncWait,
        IdleCycles = Math.Max(0, kernelEnd - Now),
        FinishCycle = Now,
    };
}
