using Swatop.Hardware.Sw26010.Timing;

namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>The <c>athread_syn</c> barriers of a core group: one per row, one per column, one for the whole mesh.</summary>
internal sealed class BarrierSet
{
    private readonly int _rows;
    private readonly int _columns;
    private readonly List<Cpe>[] _waiting;
    private readonly string[] _reasons;
    private readonly double _syncCycles;

    internal BarrierSet(Sw26010Spec spec)
    {
        _rows = spec.MeshRows;
        _columns = spec.MeshColumns;
        _syncCycles = spec.Timing.SyncCycles;
        _waiting = new List<Cpe>[_rows + _columns + 1];
        _reasons = new string[_waiting.Length];
        for (var i = 0; i < _waiting.Length; i++)
        {
            _waiting[i] = [];
            var name = i < _rows ? $"row {i}" : i < _rows + _columns ? $"column {i - _rows}" : "the mesh";
            _reasons[i] = $"waits at the athread_syn barrier of {name} for CPEs that never arrive";
        }
    }

    internal void Reset()
    {
        foreach (var list in _waiting)
        {
            list.Clear();
        }
    }

    internal ValueTask Arrive(Cpe cpe, SyncScope scope)
    {
        var (index, members) = scope switch
        {
            SyncScope.Row => (cpe.Id.Row, _columns),
            SyncScope.Column => (_rows + cpe.Id.Column, _rows),
            SyncScope.Array => (_rows + _columns, _rows * _columns),
            _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, "The scope must be Row, Column or Array."),
        };

        cpe.Counters.Synchronizations++;
        var waiting = _waiting[index];
        if (waiting.Count + 1 < members)
        {
            waiting.Add(cpe);
            return cpe.Suspend(_reasons[index]).AsValueTask();
        }

        // Everyone leaves together, a barrier's latency after the last arrival.
        var release = waiting.Aggregate(cpe.Clock.Now, (latest, other) => Math.Max(latest, other.Clock.Now)) + _syncCycles;
        cpe.Clock.WaitUntil(release, WaitKind.Sync);
        foreach (var other in waiting)
        {
            other.Clock.WaitUntil(release, WaitKind.Sync);
            other.Wake();
        }

        waiting.Clear();
        return ValueTask.CompletedTask;
    }
}
