using System.Diagnostics;

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
    private Task<CoreGroupRunReport>? _running;

    internal CoreGroup(int index, Sw26010Spec spec, EmulatorOptions options)
    {
        Index = index;
        Spec = spec;
        Options = options;
        Memory = new MainMemory(index, spec.MemoryBytesPerCoreGroup, spec.DmaAlignmentBytes);
        Mpe = new Mpe(Memory);
        Scheduler = new CpeScheduler();
        Network = new RegisterNetwork(spec);
        Barriers = new BarrierSet(spec);
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
    /// Starts <paramref name="program"/> on all CPEs of the group. In parallel mode it runs on a host
    /// thread of its own from now on; in sequential mode it runs inside <see cref="Join"/>.
    /// </summary>
    /// <exception cref="EmulatorException">SWE0012 when a program is already spawned and not joined.</exception>
    public void Spawn(CpeProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        if (_spawned is not null)
        {
            throw new EmulatorException(EmulatorDiagnostics.InvalidRunState,
                $"CG {Index}: spawn while a spawned program has not been joined; athread runs one kernel at a time per core group.");
        }

        _spawned = program;
        if (Options.Mode == ExecutionMode.Parallel)
        {
            _running = Task.Factory.StartNew(() => Execute(program), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
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
            return _running is { } running ? running.GetAwaiter().GetResult() : Execute(program);
        }
        finally
        {
            _spawned = null;
            _running = null;
        }
    }

    /// <summary>Spawns <paramref name="program"/> and joins it.</summary>
    public CoreGroupRunReport Run(CpeProgram program)
    {
        Spawn(program);
        return Join();
    }

    private CoreGroupRunReport Execute(CpeProgram program)
    {
        var clock = Stopwatch.StartNew();
        Network.Reset();
        Barriers.Reset();
        MeshGemm.Reset();
        Scheduler.Run(_cpes, program);
        return new CoreGroupRunReport(Index, [.. _cpes.Select(c => c.Counters.Snapshot())], clock.Elapsed);
    }
}
