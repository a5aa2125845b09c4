using System.Globalization;
using System.Text;

namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>
/// Runs the 64 CPE programs of a core group as coroutines on one host thread, in a deterministic
/// order: the runnable CPE with the earliest clock runs next (ties by the order they became
/// runnable), until it waits for another CPE or yields. <see cref="Horizon"/> tells the memory
/// controller how far every CPE that could still issue a request has come. When no CPE can run
/// and some have not finished, that is a deadlock on the real machine, reported at once with what
/// each CPE waits for.
/// </summary>
internal sealed class CpeScheduler
{
    private readonly ReadyQueue _ready;
    private Cpe? _running;

    internal CpeScheduler(int cpes) => _ready = new ReadyQueue(cpes);

    /// <summary>
    /// The earliest cycle at which a CPE that is running or runnable could issue a DMA. CPEs blocked
    /// on another CPE resume no earlier than the CPE that wakes them, so they do not lower it.
    /// </summary>
    internal double Horizon
    {
        get
        {
            var ready = _ready.EarliestCycle;
            return _running is { } running ? Math.Min(running.Clock.Now, ready) : ready;
        }
    }

    internal void Enqueue(Cpe cpe) => _ready.Enqueue(cpe.IdInGroup, cpe.Clock.Now);

    /// <summary>Makes <paramref name="cpe"/> runnable at <paramref name="cycle"/>, the clock it will read when it resumes.</summary>
    internal void Enqueue(Cpe cpe, double cycle) => _ready.Enqueue(cpe.IdInGroup, cycle);

    /// <summary>Runs <paramref name="program"/> on <paramref name="cpes"/>, the group's CPEs by their index in it.</summary>
    internal void Run(Cpe[] cpes, CpeProgram program, CancellationToken cancellation)
    {
        var context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);

        // The programs resume only on this thread, under this loop: there is no execution context
        // to carry across their awaits, and not capturing one saves every resumption its restore.
        using var noFlow = ExecutionContext.IsFlowSuppressed() ? default : ExecutionContext.SuppressFlow();
        try
        {
            _ready.Clear();
            _running = null;
            var unfinished = cpes.Length;
            foreach (var cpe in cpes)
            {
                cpe.Prepare();
                _ready.Enqueue(cpe.IdInGroup, 0);
            }

            var resumptions = 0;
            while (_ready.TryDequeue(out var index))
            {
                var next = cpes[index];
                if ((++resumptions & 1023) == 0)
                {
                    cancellation.ThrowIfCancellationRequested();
                }

                _running = next;
                if (next.Started)
                {
                    next.Resume();
                }
                else
                {
                    next.Start(program);
                }

                _running = null;
                if (next.CheckFinished())
                {
                    unfinished--;
                }
            }

            if (unfinished > 0)
            {
                throw Deadlock(cpes);
            }
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }

    private static EmulatorException Deadlock(Cpe[] cpes)
    {
        var waiting = cpes.Where(c => !c.Finished).ToList();
        var foreign = waiting.Where(c => c.BlockedOn is null).ToList();
        if (foreign.Count > 0)
        {
            return new EmulatorException(EmulatorDiagnostics.ProgramFault,
                $"The program of {foreign[0]} awaited something that is not an operation of its ICpe ({foreign.Count} CPEs did); CPE programs may await only emulator operations.");
        }

        var message = new StringBuilder();
        message.Append(CultureInfo.InvariantCulture,
            $"Deadlock in CG {cpes[0].Id.CoreGroup}: {waiting.Count} of {cpes.Length} CPEs wait and none can proceed.");
        foreach (var group in waiting.GroupBy(c => c.BlockedOn).Take(8))
        {
            var members = group.ToList();
            var names = string.Join(", ", members.Take(4).Select(c => $"({c.Id.Row}, {c.Id.Column})"));
            var more = members.Count > 4 ? $" and {members.Count - 4} more" : string.Empty;
            message.Append(CultureInfo.InvariantCulture, $" CPE {names}{more}: {group.Key}.");
        }

        var finished = cpes.Length - waiting.Count;
        if (finished > 0)
        {
            message.Append(CultureInfo.InvariantCulture, $" {finished} CPEs had finished.");
        }

        return new DeadlockException(message.ToString(), waiting.Select(c => c.Id).ToList());
    }
}
