namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>
/// A binary min-heap of items by <see cref="ReadyKey"/>, earliest first: the part of the
/// scheduler's <see cref="ReadyQueue"/> and the memory controller's
/// <see cref="Timing.RequestQueue"/> that holds what came out of order.
/// </summary>
/// <typeparam name="T">What the heap orders.</typeparam>
internal sealed class KeyedHeap<T>(int capacity)
{
    private Entry[] _entries = new Entry[Math.Max(1, capacity)];

    internal int Count { get; private set; }

    /// <summary>The earliest key; the heap must not be empty.</summary>
    internal ReadyKey TopKey => _entries[0].Key;

    /// <summary>The item with the earliest key; the heap must not be empty.</summary>
    internal T Top => _entries[0].Item;

    /// <summary>The earlier of <paramref name="cycle"/> and the top's cycle (just <paramref name="cycle"/> when the heap is empty).</summary>
    internal double EarlierCycle(double cycle) => Count > 0 ? Math.Min(cycle, _entries[0].Key.Cycle) : cycle;

    internal void Clear()
    {
        Array.Clear(_entries, 0, Count);
        Count = 0;
    }

    internal void Push(ReadyKey key, T item)
    {
        if (Count == _entries.Length)
        {
            Array.Resize(ref _entries, _entries.Length * 2);
        }

        var entry = new Entry(key, item);
        var index = Count++;
        while (index > 0)
        {
            var parent = (index - 1) / 2;
            if (_entries[parent].Key.CompareTo(key) <= 0)
            {
                break;
            }

            _entries[index] = _entries[parent];
            index = parent;
        }

        _entries[index] = entry;
    }

    /// <summary>Removes the item with the earliest key.</summary>
    internal void Pop()
    {
        var last = _entries[--Count];
        _entries[Count] = default;
        if (Count > 0)
        {
            ReplaceTop(last.Key, last.Item);
        }
    }

    /// <summary>Puts <paramref name="item"/> in the top's place and restores the order.</summary>
    internal void ReplaceTop(ReadyKey key, T item)
    {
        var index = 0;
        while (true)
        {
            var child = (2 * index) + 1;
            if (child >= Count)
            {
                break;
            }

            if (child + 1 < Count && _entries[child + 1].Key.CompareTo(_entries[child].Key) < 0)
            {
                child++;
            }

            if (key.CompareTo(_entries[child].Key) <= 0)
            {
                break;
            }

            _entries[index] = _entries[child];
            index = child;
        }

        _entries[index] = new Entry(key, item);
    }

    private readonly record struct Entry(ReadyKey Key, T Item);
}
