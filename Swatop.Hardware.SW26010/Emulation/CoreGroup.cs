using System.Diagnostics;
using Swatop.Hardware.Sw26010.Timing;

namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>
/// One core group: its main memory, its MPE and its 8 x 8 mesh of CPEs. <see cref="Spawn"/> starts a
/// CPE program on all 64 CPEs (<c>athread_spawn</c>), <see cref="Join"/> waits for it
/// (<c>athread_join</c>).
/// </summary>
public sealed class CoreGroup
{
    private readonly Cpe[] _cpes;
    private CpeProgram? _spawned;
    private int _spawns;
    private Task<CoreGroupRunReport>? _running;

    internal CoreGroup(int index, Sw26010Spec spec, EmulatorOptions options)
    {
        Index = index;
        Spec = spec;
        Options = options;
        Memory = new MainMemory(index, spec.MemoryBytesPerCoreGroup, spec.DmaAlignmentBytes);
        Mpe = new Mpe(Memory, spec.Timing);
        Scheduler = new CpeScheduler(spec.CpesPerCoreGroup);
        Network = new RegisterNetwork(spec);
        Barriers = new BarrierSet(spec);
        Controller = new MemoryController(spec);
        _cpes = new Cpe[spec.CpesPerCoreGroup];
        for (var id = 0; id < _cpes.Length; id++)
        {
            _cpes[id] = new Cpe(this, id / spec.MeshColumns, id % spec.MeshColumns);
        }

        MeshGemm = new MeshGemmCollective(this);
    }

    /// <summary>The group's index on the chip.</summary>
    public int Index { get; }

    /// <summary>The chip's description.</summary>
    public Sw26010Spec Spec { get; }

    /// <summary>How the emulator runs on the host.</summary>
    public EmulatorOptions Options { get; }

    /// <summary>The group's main memory.</summary>
    public MainMemory Memory { get; }

    /// <summary>The group's management core.</summary>
    public Mpe Mpe { get; }

    /// <summary>True between <see cref="Spawn"/> and <see cref="Join"/>.</summary>
    public bool IsSpawned => _spawned is not null;

    internal IReadOnlyList<Cpe> Cpes => _cpes;

    internal CpeScheduler Scheduler { get; }

    internal RegisterNetwork Network { get; }

    internal BarrierSet Barriers { get; }

    internal MeshGemmCollective MeshGemm { get; }

    internal MemoryController Controller { get; }

    /// <summary>The LDM of the CPE at (<paramref name="row"/>, <paramref name="column"/>), for inspection between runs.</summary>
    public Ldm LdmOf(int row, int column)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Spec.MeshRows);
        ArgumentOutOfRangeException.ThrowIfNegative(column);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(column, Spec.MeshColumns);
        return _cpes[(row * Spec.MeshColumns) + column].Ldm;
    }

    /// <summary>
    /// Starts <paramref name="program"/> on all CPEs of the group. In parallel mode it runs on a
    /// thread-pool thread from now on (a thread made for each spawn cost more than a small
    /// timing-only kernel); in sequential mode it runs inside <see cref="Join"/>. With
    /// <paramref name="spawns"/> above one, the MPE spawns and joins it that many times back to back
    /// (as swDNN's timing did, 100 times), and the join reports them all.
    /// </summary>
    /// <exception cref="EmulatorException">SWE0012 when a program is already spawned and not joined.</exception>
    public void Spawn(CpeProgram program, int spawns = 1)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentOutOfRangeException.ThrowIfLessThan(spawns, 1);
        ThrowIfSpawned("spawn");
        _spawned = program;
        _spawns = spawns;
        if (Options.Mode == ExecutionMode.Parallel)
        {
            _running = Task.Run(() => Execute(program, spawns));
        }
    }

    /// <summary>Waits for the spawned program and reports what its CPEs did; rethrows the first rule it broke.</summary>
    /// <exception cref="EmulatorException">SWE0012 when nothing was spawned, or whatever rule the program broke.</exception>
    public CoreGroupRunReport Join()
    {
        var program = _spawned ?? throw new EmulatorException(EmulatorDiagnostics.InvalidRunState,
            $"CG {Index}: join without a spawned program.");
        try
        {
            return _running is { } running ? running.GetAwaiter().GetResult() : Execute(program, _spawns);
        }
        finally
        {
            _spawned = null;
            _running = null;
        }
    }

    /// <summary>
    /// Spawns <paramref name="program"/> (<paramref name="spawns"/> times back to back) and joins it,
    /// on the calling thread: nothing else runs meanwhile, so no thread of its own is needed
    /// (collectives still spread over the host's cores in parallel mode).
    /// </summary>
    /// <exception cref="EmulatorException">SWE0012 when a program is spawned and not joined, or whatever rule the program broke.</exception>
    public CoreGroupRunReport Run(CpeProgram program, int spawns = 1)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentOutOfRangeException.ThrowIfLessThan(spawns, 1);
        ThrowIfSpawned("run");
        return Execute(program, spawns);
    }

    private void ThrowIfSpawned(string action)
    {
        if (_spawned is not null)
        {
            throw new EmulatorException(EmulatorDiagnostics.InvalidRunState,
                $"CG {Index}: {action} while a spawned program has not been joined; athread runs one kernel at a time per core group.");
        }
    }

    private CoreGroupRunReport Execute(CpeProgram program, int spawns)
    {
        var clock = Stopwatch.StartNew();
        var timing = Spec.Timing;
        double elapsed = 0, kernel = 0;
        long flops = 0;
        for (var spawn = 0; spawn < spawns; spawn++)
        {
            // Nothing carries over from one spawn to the next (LDM, buffers, controller and clocks
            // start afresh), so a timing-only spawn after the first would repeat it to the cycle:
            // it is counted rather than run again. A full run recomputes, as the data may differ.
            if (spawn == 0 || !Options.TimingOnly)
            {
                kernel = ExecuteOnce(program);
            }

            elapsed += timing.SpawnCycles + kernel + timing.JoinCycles;
            flops += _cpes.Sum(c => c.Counters.Flops);
        }

        var profile = new CoreGroupProfile
        {
            CoreGroup = Index,
            Spawns = spawns,
            KernelCycles = kernel,
            ElapsedCycles = elapsed,
            Cpes = [.. _cpes.Select(c => c.Clock.Snapshot(kernel))],
            DmaBytes = Controller.BytesServed,
            DmaAlignedWideBytes = Controller.AlignedWideBytesServed,
            ControllerBusyCycles = Controller.BusyCycles,
            DmaSharedBytes = Controller.SharedBytesServed,
            DmaRequests = Controller.RequestsServed,
            DmaBlocks = Controller.BlocksServed,
            Flops = flops,
            ClockHz = Spec.ClockHz,
            PeakFlops = Spec.CoreGroupPeakFlops,
        };
        return new CoreGroupRunReport(Index, [.. _cpes.Select(c => c.Counters.Snapshot())], clock.Elapsed, profile);
    }

    /// <summary>Runs one kernel and returns its cycles: until the last CPE ends and the last DMA reply arrives.</summary>
    private double ExecuteOnce(CpeProgram program)
    {
        Network.Reset();
        Barriers.Reset();
        MeshGemm.Reset();
        Controller.Reset();
        Scheduler.Run(_cpes, program, Options.Cancellation);
        MeshGemm.AddTallies();

        // Transfers nobody waited for still finish before the join returns.
        Controller.ServeUpTo(double.PositiveInfinity);
        return Math.Max(_cpes.Max(c => c.Clock.Now), Controller.LastCompletionCycle);
    }
}
