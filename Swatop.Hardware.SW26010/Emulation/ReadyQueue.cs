using System.Numerics;

namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>
/// The runnable CPEs of a core group, by their index in the group, earliest clock first, ties in
/// the order they became runnable (<see cref="ReadyKey"/>). Most CPEs become runnable no earlier
/// than the one before them (the 63 CPEs a mesh GEMM releases all at its end cycle): those go into
/// a first-in first-out run, a ring in constant time; the others go into a binary heap. Taking the
/// smaller of the two heads gives the same order as one priority queue over all of them. A CPE is
/// runnable at most once at a time, so the ring holds the group's CPEs without growing.
/// </summary>
internal sealed class ReadyQueue
{
    private readonly KeyedHeap<int> _heap;
    private Entry[] _run;
    private int _runHead;
    private int _runCount;
    private double _runLast;
    private long _sequence;

    internal ReadyQueue(int capacity)
    {
        _heap = new KeyedHeap<int>(capacity);
        _run = new Entry[(int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, capacity))];
    }

    /// <summary>The earliest clock among the runnable CPEs, or +infinity when there are none.</summary>
    internal double EarliestCycle => _heap.EarlierCycle(_runCount > 0 ? _run[_runHead].Key.Cycle : double.PositiveInfinity);

    internal void Clear()
    {
        _runHead = 0;
        _runCount = 0;
        _heap.Clear();
        _sequence = 0;
    }

    /// <summary>Makes the CPE <paramref name="cpe"/> runnable at <paramref name="cycle"/>, after every CPE made runnable before it at the same cycle.</summary>
    internal void Enqueue(int cpe, double cycle)
    {
        var key = new ReadyKey(cycle, _sequence++);
        if (_runCount == 0 || cycle >= _runLast)
        {
            if (_runCount == _run.Length)
            {
                Grow();
            }

            _run[(_runHead + _runCount) & (_run.Length - 1)] = new Entry(key, cpe);
            _runCount++;
            _runLast = cycle;
        }
        else
        {
            _heap.Push(key, cpe);
        }
    }

    /// <summary>Takes the runnable CPE with the earliest key.</summary>
    internal bool TryDequeue(out int cpe)
    {
        // With the heap empty the run's head is next, or nothing is.
        if (_heap.Count == 0 || (_runCount > 0 && _run[_runHead].Key.CompareTo(_heap.TopKey) < 0))
        {
            if (_runCount == 0)
            {
                cpe = -1;
                return false;
            }

            cpe = _run[_runHead].Cpe;
            _runHead = (_runHead + 1) & (_run.Length - 1);
            _runCount--;
            return true;
        }

        cpe = _heap.Top;
        _heap.Pop();
        return true;
    }

    private void Grow()
    {
        var larger = new Entry[_run.Length * 2];
        for (var i = 0; i < _runCount; i++)
        {
            larger[i] = _run[(_runHead + i) & (_run.Length - 1)];
        }

        _run = larger;
        _runHead = 0;
    }

    private readonly record struct Entry(ReadyKey Key, int Cpe);
}
