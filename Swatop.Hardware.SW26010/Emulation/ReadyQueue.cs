namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>
/// The runnable CPEs of a core group, earliest clock first, ties in the order they became
/// runnable (<see cref="ReadyKey"/>). Most CPEs become runnable no earlier than the one before
/// them (the 63 CPEs a mesh GEMM releases all at its end cycle): those go into a first-in
/// first-out run in constant time; the others go into a binary heap. Taking the smaller of the two
/// heads gives the same order as one priority queue over all of them.
/// </summary>
internal sealed class ReadyQueue
{
    private Entry[] _run;
    private int _runHead;
    private int _runCount;
    private Entry[] _heap;
    private int _heapCount;
    private long _sequence;

    internal ReadyQueue(int capacity)
    {
        var size = 1;
        while (size < capacity)
        {
            size *= 2;
        }

        _run = new Entry[size];
        _heap = new Entry[size];
    }

    internal int Count => _runCount + _heapCount;

    /// <summary>The earliest clock among the runnable CPEs, or +infinity when there are none.</summary>
    internal double EarliestCycle
    {
        get
        {
            var run = _runCount > 0 ? _run[_runHead].Key.Cycle : double.PositiveInfinity;
            return _heapCount > 0 ? Math.Min(run, _heap[0].Key.Cycle) : run;
        }
    }

    internal void Clear()
    {
        Array.Clear(_run);
        Array.Clear(_heap);
        _runHead = 0;
        _runCount = 0;
        _heapCount = 0;
        _sequence = 0;
    }

    /// <summary>Makes <paramref name="item"/> runnable at <paramref name="cycle"/>, after every CPE made runnable before it at the same cycle.</summary>
    internal void Enqueue(Cpe item, double cycle)
    {
        var entry = new Entry(item, new ReadyKey(cycle, _sequence++));
        if (_runCount == 0 || _run[(_runHead + _runCount - 1) & (_run.Length - 1)].Key.Cycle <= cycle)
        {
            if (_runCount == _run.Length)
            {
                _run = Grow(_run, _runHead, _runCount);
                _runHead = 0;
            }

            _run[(_runHead + _runCount) & (_run.Length - 1)] = entry;
            _runCount++;
            return;
        }

        if (_heapCount == _heap.Length)
        {
            Array.Resize(ref _heap, _heap.Length * 2);
        }

        SiftUp(_heapCount++, entry);
    }

    /// <summary>Takes the runnable CPE with the earliest key.</summary>
    internal bool TryDequeue(out Cpe item)
    {
        if (_heapCount == 0 || (_runCount > 0 && _run[_runHead].Key.CompareTo(_heap[0].Key) < 0))
        {
            if (_runCount == 0)
            {
                item = null!;
                return false;
            }

            item = _run[_runHead].Item;
            _run[_runHead] = default;
            _runHead = (_runHead + 1) & (_run.Length - 1);
            _runCount--;
            return true;
        }

        item = _heap[0].Item;
        var last = _heap[--_heapCount];
        _heap[_heapCount] = default;
        if (_heapCount > 0)
        {
            SiftDown(last);
        }

        return true;
    }

    private static Entry[] Grow(Entry[] ring, int head, int count)
    {
        var grown = new Entry[ring.Length * 2];
        for (var i = 0; i < count; i++)
        {
            grown[i] = ring[(head + i) & (ring.Length - 1)];
        }

        return grown;
    }

    private void SiftUp(int index, Entry entry)
    {
        while (index > 0)
        {
            var parent = (index - 1) / 2;
            if (_heap[parent].Key.CompareTo(entry.Key) <= 0)
            {
                break;
            }

            _heap[index] = _heap[parent];
            index = parent;
        }

        _heap[index] = entry;
    }

    private void SiftDown(Entry entry)
    {
        var index = 0;
        while (true)
        {
            var child = (2 * index) + 1;
            if (child >= _heapCount)
            {
                break;
            }

            if (child + 1 < _heapCount && _heap[child + 1].Key.CompareTo(_heap[child].Key) < 0)
            {
                child++;
            }

            if (entry.Key.CompareTo(_heap[child].Key) <= 0)
            {
                break;
            }

            _heap[index] = _heap[child];
            index = child;
        }

        _heap[index] = entry;
    }

    private readonly record struct Entry(Cpe Item, ReadyKey Key);
}
