namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>
/// The runnable CPEs of a core group, earliest clock first, ties in the order they became
/// runnable (<see cref="ReadyKey"/>). Most CPEs become runnable no earlier than the one before
/// them (the 63 CPEs a mesh GEMM releases all at its end cycle): those go into a first-in
/// first-out run in constant time; the others go into a binary heap. Taking the smaller of the two
/// heads gives the same order as one priority queue over all of them.
/// </summary>
internal sealed class ReadyQueue(int capacity)
{
    private readonly Queue<(ReadyKey Key, Cpe Cpe)> _run = new(capacity);
    private readonly KeyedHeap<Cpe> _heap = new(capacity);
    private double _runLast;
    private long _sequence;

    internal int Count => _run.Count + _heap.Count;

    /// <summary>The earliest clock among the runnable CPEs, or +infinity when there are none.</summary>
    internal double EarliestCycle => _heap.EarlierCycle(_run.TryPeek(out var first) ? first.Key.Cycle : double.PositiveInfinity);

    internal void Clear()
    {
        _run.Clear();
        _heap.Clear();
        _sequence = 0;
    }

    /// <summary>Makes <paramref name="cpe"/> runnable at <paramref name="cycle"/>, after every CPE made runnable before it at the same cycle.</summary>
    internal void Enqueue(Cpe cpe, double cycle)
    {
        var key = new ReadyKey(cycle, _sequence++);
        if (_run.Count == 0 || cycle >= _runLast)
        {
            _run.Enqueue((key, cpe));
            _runLast = cycle;
        }
        else
        {
            _heap.Push(key, cpe);
        }
    }

    /// <summary>Takes the runnable CPE with the earliest key.</summary>
    internal bool TryDequeue(out Cpe cpe)
    {
        // With the heap empty the run's head is next, or nothing is.
        if (_heap.Count == 0 || (_run.TryPeek(out var first) && first.Key.CompareTo(_heap.TopKey) < 0))
        {
            var any = _run.TryDequeue(out var head);
            cpe = head.Cpe;
            return any;
        }

        cpe = _heap.Top;
        _heap.Pop();
        return true;
    }
}
