using Swatop.Hardware.Sw26010.Emulation;

namespace Swatop.Hardware.Sw26010.Timing;

/// <summary>
/// The memory controller's pending requests, earliest issue cycle first, ties in issue order
/// (<see cref="ReadyKey"/>). Every queue in it is in order, and the next request is the earliest
/// of their heads. A request issued no earlier than the last of the common run (most are: the
/// CPEs run in clock order) joins that run in constant time. The others join their CPE's own
/// queue, which is in order too since a CPE's clock only moves forward; a binary heap over those
/// queues' first requests has at most 64 entries, however many are pending (a CPE that issues
/// thousands of transfers before it waits makes no difference).
/// </summary>
internal sealed class RequestQueue
{
    private readonly Queue<Entry> _run = new();
    private readonly Queue<Entry>[] _streams;
    private readonly KeyedHeap<int> _heads;
    private double _runLast;
    private long _sequence;

    internal RequestQueue(int cpes)
    {
        _streams = new Queue<Entry>[cpes];
        for (var i = 0; i < cpes; i++)
        {
            _streams[i] = new Queue<Entry>();
        }

        _heads = new KeyedHeap<int>(cpes);
    }

    internal int Count { get; private set; }

    internal void Clear()
    {
        _run.Clear();
        foreach (var stream in _streams)
        {
            stream.Clear();
        }

        _heads.Clear();
        _sequence = 0;
        Count = 0;
    }

    /// <summary>Queues a request of the CPE <paramref name="cpe"/> (its index in the group), issued at <paramref name="cycle"/>.</summary>
    internal void Enqueue(int cpe, DmaRequest request, double cycle)
    {
        var entry = new Entry(request, new ReadyKey(cycle, _sequence++));
        Count++;
        if (_run.Count == 0 || cycle >= _runLast)
        {
            _run.Enqueue(entry);
            _runLast = cycle;
            return;
        }

        var stream = _streams[cpe];
        stream.Enqueue(entry);
        if (stream.Count == 1)
        {
            _heads.Push(entry.Key, cpe);
        }
    }

    /// <summary>Takes the pending request with the earliest key if it was issued at or before <paramref name="horizon"/>.</summary>
    internal bool TryDequeueUpTo(double horizon, out DmaRequest request)
    {
        var fromRun = _run.TryPeek(out var first) && (_heads.Count == 0 || first.Key.CompareTo(_heads.TopKey) < 0);
        if (fromRun ? first.Key.Cycle > horizon : _heads.Count == 0 || _heads.TopKey.Cycle > horizon)
        {
            request = null!;
            return false;
        }

        if (fromRun)
        {
            request = _run.Dequeue().Request;
            Count--;
            return true;
        }

        var cpe = _heads.Top;
        var stream = _streams[cpe];
        request = stream.Dequeue().Request;
        Count--;
        if (stream.TryPeek(out var next))
        {
            _heads.ReplaceTop(next.Key, cpe);
        }
        else
        {
            _heads.Pop();
        }

        return true;
    }

    private readonly record struct Entry(DmaRequest Request, ReadyKey Key);
}
