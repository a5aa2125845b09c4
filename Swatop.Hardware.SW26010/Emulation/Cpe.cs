using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Threading.Tasks.Sources;
using Swatop.Hardware.Sw26010.Timing;

namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>
/// One emulated CPE: its LDM, its tallies, and the coroutine its program runs as. A blocking
/// operation suspends the program (a <see cref="CpeWait"/>, which <see cref="ICpe"/> hands out
/// through <see cref="IValueTaskSource"/>); the core group's <see cref="CpeScheduler"/> resumes it
/// when another CPE (or a collective) wakes it.
/// </summary>
internal sealed partial class Cpe : ICpe, IValueTaskSource, IValueTaskSource<Vector256<double>>
{
    private readonly CoreGroup _group;

    // The one pending suspension: the state of the program parked on it (a builder's run, or the
    // continuation its awaiter registered), whether the scheduler has resumed it, and a version
    // that changes with every completed wait (the value tasks' token).
    private CpeProgramRun? _parked;
    private Action<object?>? _continuation;
    private object? _continuationState;
    private bool _resumed;
    private short _version;
    private Vector256<double> _wakeValue;
    private ValueTask _program;
    private DmaRequest? _awaitedRequest;
    private bool _inMeshGemm;
    private string? _blockedOn;
    private CpeClock _clock;

    // Fixed for the chip's life: whether runs skip arithmetic and data movement, and a DMA issue's cost.
    private readonly bool _timingOnly;
    private readonly double _dmaIssueCycles;

    internal Cpe(CoreGroup group, int row, int column)
    {
        _group = group;
        Id = new CpeId(group.Index, row, column);
        IdInGroup = Id.IdInGroup(group.Spec.MeshColumns);
        var checks = group.Options.DmaRaceChecks;
        var checksRaces = checks == DmaRaceChecks.Always || (checks == DmaRaceChecks.FullRuns && !group.Options.TimingOnly);
        Ldm = new Ldm(Id, group.Spec.LdmBytes, checksRaces);
        _timingOnly = group.Options.TimingOnly;
        ReplaysComputeRegions = _timingOnly && !checksRaces && group.Options.ReplayComputeRegions;
        _dmaIssueCycles = group.Spec.Timing.DmaIssueCycles;
    }

    /// <inheritdoc />
    public CpeId Id { get; }

    /// <summary>The core group the CPE belongs to.</summary>
    internal CoreGroup Group => _group;

    /// <inheritdoc />
    public int IdInGroup { get; }

    /// <inheritdoc />
    public Sw26010Spec Spec => _group.Spec;

    /// <inheritdoc />
    public Ldm Ldm { get; }

    /// <inheritdoc />
    public MainMemory Memory => _group.Memory;

    /// <summary>
    /// What the CPE waits for while suspended, for deadlock reports; null while it runs or has
    /// finished. A CPE woken from a mesh GEMM keeps it until it resumes (the last arrival does not
    /// touch the others), and the mesh GEMM's text is made only when it is read.
    /// </summary>
    internal string? BlockedOn => _inMeshGemm ? _group.MeshGemm.Reason(IdInGroup) : _blockedOn;

    internal bool Finished { get; private set; }

    /// <summary>
    /// Whether a compiled kernel's loops that only compute in LDM may be replayed on this CPE rather than run
    /// (<see cref="EmulatorOptions.ReplayComputeRegions"/>): in timing-only runs without race checks, where all
    /// such a loop does is charge the clock and add to the tallies.
    /// </summary>
    internal bool ReplaysComputeRegions { get; }

    /// <summary>How many computing loops this CPE replayed rather than ran in its last program (see <see cref="ReplaysComputeRegions"/>).</summary>
    internal long RegionsReplayed { get; set; }

    internal bool Started { get; private set; }

    /// <summary>The CPE's clock and the account of its cycles.</summary>
    internal ref CpeClock Clock => ref _clock;

    internal Sw26010Timing Timing => _group.Spec.Timing;

    internal ActivityCounters Counters { get; private set; } = new();

    /// <summary>
    /// Clears LDM and tallies and starts <paramref name="program"/>, which runs until it first
    /// suspends. The scheduler has <see cref="Prepare"/>d the CPE (clock at zero, not finished).
    /// </summary>
    internal void Start(CpeProgram program)
    {
        Ldm.Reset();
        Counters = new ActivityCounters();
        RegionsReplayed = 0;
        Started = true;
        _blockedOn = null;

        // A failed run leaves CPEs suspended with their continuations registered; drop them, or
        // the first suspension of the next program finds the source still in use.
        ResetSuspension();
        _wakeValue = default;
        _awaitedRequest = null;
        _inMeshGemm = false;
#pragma warning disable CA2012 // the program's task is stored once and consumed once, by CheckFinished
        try
        {
            _program = program(this);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _program = ValueTask.FromException(e);
        }
#pragma warning restore CA2012
    }

    /// <summary>
    /// Runs the suspended program on until it suspends again or finishes. A CPE waiting for a DMA
    /// reply the controller cannot serve yet (a CPE with an earlier clock could still issue ahead
    /// of it) stays suspended and goes back among the runnable ones.
    /// </summary>
    internal void Resume()
    {
        if (_awaitedRequest is { } request)
        {
            _group.Controller.ServeUpTo(_group.Scheduler.Horizon);
            if (!request.IsServed)
            {
                _group.Scheduler.Enqueue(this);
                return;
            }

            _awaitedRequest = null;
            Clock.WaitUntil(request.CompletionCycle, WaitKind.Dma);
        }

        if (_inMeshGemm)
        {
            _inMeshGemm = false;
            _group.MeshGemm.LastEnd.ApplyTo(ref _clock);
        }

        // The program runs on here, on the scheduler's thread, until it suspends again.
        _blockedOn = null;
        _resumed = true;
        if (_parked is { } parked)
        {
            _parked = null;
            parked.Resume();
            return;
        }

        var continuation = _continuation;
        if (continuation is not null)
        {
            _continuation = null;
            continuation(_continuationState);
        }
    }

    /// <summary>
    /// Checks whether the program has finished; rethrows its failure, wrapped with the CPE's name
    /// unless it is already an emulator error.
    /// </summary>
    internal bool CheckFinished()
    {
        // A program parked in one of this CPE's operations has registered its run or its continuation.
        return _parked is null && _continuation is null && CheckEnded();
    }

    private bool CheckEnded()
    {
        if (Finished || !_program.IsCompleted)
        {
            return Finished;
        }

        Finished = true;
        try
        {
            _program.GetAwaiter().GetResult();
            Ldm.Pending.CheckNoneAtEnd(kernel: null);
        }
        catch (EmulatorException)
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new EmulatorException(EmulatorDiagnostics.ProgramFault, $"The program of {Id} failed: {e.Message}", e);
        }

        return true;
    }

    /// <summary>Whether the scheduler has resumed the pending suspension.</summary>
    internal bool IsResumed => _resumed;

    /// <summary>Suspends the program until <see cref="Wake"/>; <paramref name="reason"/> goes into deadlock reports.</summary>
    internal CpeWait Suspend(string reason)
    {
        _blockedOn = reason;
        _resumed = false;
        return new CpeWait(this);
    }

    /// <summary>
    /// Suspends the program in a mesh GEMM until the last CPE arrives and makes it runnable: it then
    /// takes the call's end (<see cref="MeshGemmCollective.LastEnd"/>) when it resumes.
    /// </summary>
    internal CpeWait SuspendInMeshGemm()
    {
        _inMeshGemm = true;
        _resumed = false;
        return new CpeWait(this);
    }

    /// <summary>Suspends the program until <see cref="Wake"/> hands it a register.</summary>
    internal ValueTask<Vector256<double>> SuspendForValue(string reason)
    {
        _blockedOn = reason;
        _resumed = false;
        return new ValueTask<Vector256<double>>(this, _version);
    }

    /// <summary>The pending suspension as a <see cref="ValueTask"/>, for <see cref="ICpe"/>'s callers.</summary>
    internal ValueTask PendingTask() => new(this, _version);

    /// <summary>Makes the suspended CPE runnable; <paramref name="value"/> is what its pending get returns.</summary>
    internal void Wake(Vector256<double> value = default)
    {
        _blockedOn = null;
        _wakeValue = value;
        _group.Scheduler.Enqueue(this);
    }

    /// <summary>Suspends the CPE until the controller has served <paramref name="request"/>; it stays runnable, so CPEs with earlier clocks run first.</summary>
    internal CpeWait AwaitService(DmaRequest request)
    {
        var suspended = Suspend("waits for a DMA reply");
        _awaitedRequest = request;
        Wake();
        return suspended;
    }

    /// <summary>Parks a suspended run (a builder's method or a compiled kernel's code) on the pending suspension; <see cref="Resume"/> runs it on.</summary>
    internal void Park(CpeProgramRun run)
    {
        CheckUnparked();
        _parked = run;
    }

    /// <summary>Parks an awaiter's continuation on the pending suspension; <see cref="Resume"/> calls it.</summary>
    internal void Park(Action continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        CheckUnparked();
        _continuation = static action => ((Action)action!)();
        _continuationState = continuation;
    }

    /// <summary>Ends a wait that <see cref="Resume"/> has resumed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void EndWait()
    {
        if (!_resumed)
        {
            throw Misuse("the result of a CPE operation was read before the operation completed");
        }

        ResetSuspension();
    }

    /// <summary>Makes a CPE that is not yet started runnable at cycle 0.</summary>
    internal void Prepare()
    {
        Clock.Reset();
        Started = false;
        Finished = false;
    }

    /// <inheritdoc />
    public ReplyWord CreateReplyWord(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new ReplyWord(this, name);
    }

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => Status(token);

    ValueTaskSourceStatus IValueTaskSource<Vector256<double>>.GetStatus(short token) => Status(token);

    // The scheduler resumes every CPE on its own thread, in its own order: neither a captured
    // scheduling context nor a flowed execution context has a part in that.
    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        Park(continuation, state, token);

    void IValueTaskSource<Vector256<double>>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        Park(continuation, state, token);

    void IValueTaskSource.GetResult(short token) => Complete(token);

    Vector256<double> IValueTaskSource<Vector256<double>>.GetResult(short token)
    {
        var value = _wakeValue;
        Complete(token);
        return value;
    }

    private ValueTaskSourceStatus Status(short token)
    {
        CheckToken(token);
        return _resumed ? ValueTaskSourceStatus.Succeeded : ValueTaskSourceStatus.Pending;
    }

    private void Park(Action<object?> continuation, object? state, short token)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        CheckToken(token);
        if (_resumed)
        {
            // Woken before its awaiter got here: go on at once, as a completed wait does.
            continuation(state);
            return;
        }

        CheckUnparked();
        _continuation = continuation;
        _continuationState = state;
    }

    private void CheckUnparked()
    {
        if (_continuation is not null || _parked is not null)
        {
            throw Misuse("a CPE operation's result was awaited twice");
        }
    }

    /// <summary>Ends the wait: the next suspension gets a new token, and the old one is no longer valid.</summary>
    private void Complete(short token)
    {
        CheckToken(token);
        EndWait();
    }

    private void ResetSuspension()
    {
        _version++;
        _resumed = false;
        _continuation = null;
        _continuationState = null;
        _parked = null;
    }

    private void CheckToken(short token)
    {
        if (token != _version)
        {
            throw Misuse("a CPE operation's result was used after it had been consumed");
        }
    }

    private InvalidOperationException Misuse(string what) => new($"{Id}: {what}.");

    /// <inheritdoc />
    public override string ToString() => Id.ToString();
}
