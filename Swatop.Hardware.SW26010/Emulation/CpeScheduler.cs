using System.Globalization;
using System.Text;

namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>
/// Runs the 64 CPE programs of a core group as coroutines on one host thread, in a deterministic
/// order: each runs until it waits for another CPE, and a woken CPE is resumed in the order it was
/// woken. When no CPE can run and some have not finished, that is a deadlock on the real machine,
/// reported at once with what each CPE waits for.
/// </summary>
internal sealed class CpeScheduler
{
    private readonly Queue<Cpe> _ready = new();

    internal void Enqueue(Cpe cpe) => _ready.Enqueue(cpe);

    internal void Run(IReadOnlyList<Cpe> cpes, CpeProgram program)
    {
        var context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            _ready.Clear();
            var unfinished = cpes.Count;
            foreach (var cpe in cpes)
            {
                cpe.Start(program);
                if (cpe.CheckFinished())
                {
                    unfinished--;
                }
            }

            while (_ready.TryDequeue(out var next))
            {
                next.Resume();
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

    private static EmulatorException Deadlock(IReadOnlyList<Cpe> cpes)
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
            $"Deadlock in CG {cpes[0].Id.CoreGroup}: {waiting.Count} of {cpes.Count} CPEs wait and none can proceed.");
        foreach (var group in waiting.GroupBy(c => c.BlockedOn).Take(8))
        {
            var members = group.ToList();
            var names = string.Join(", ", members.Take(4).Select(c => $"({c.Id.Row}, {c.Id.Column})"));
            var more = members.Count > 4 ? $" and {members.Count - 4} more" : string.Empty;
            message.Append(CultureInfo.InvariantCulture, $" CPE {names}{more}: {group.Key}.");
        }

        var finished = cpes.Count - waiting.Count;
        if (finished > 0)
        {
            message.Append(CultureInfo.InvariantCulture, $" {finished} CPEs had finished.");
        }

        return new DeadlockException(message.ToString(), waiting.Select(c => c.Id).ToList());
    }
}
