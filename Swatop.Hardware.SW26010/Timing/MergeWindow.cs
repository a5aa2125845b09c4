namespace Swatop.Hardware.Sw26010.Timing;

/// <summary>
/// The blocks the memory controller served most recently, by the address just past each: a new
/// block that starts at one of those addresses continues that stream and is merged into it.
/// </summary>
internal sealed class MergeWindow
{
    private readonly long[] _ends;
    private readonly Dictionary<long, int> _counts;
    private int _next;
    private int _filled;

    internal MergeWindow(int capacity)
    {
        _ends = new long[capacity];
        _counts = new Dictionary<long, int>(capacity);
    }

    internal void Clear()
    {
        _counts.Clear();
        _next = 0;
        _filled = 0;
    }

    /// <summary>Records the block [<paramref name="start"/>, <paramref name="end"/>) and says whether it continues a recent one.</summary>
    internal bool Continues(long start, long end)
    {
        if (_ends.Length == 0)
        {
            return false;
        }

        var continues = _counts.ContainsKey(start);
        if (_filled == _ends.Length)
        {
            var evicted = _ends[_next];
            if (--_counts[evicted] == 0)
            {
                _counts.Remove(evicted);
            }
        }
        else
        {
            _filled++;
        }

        _ends[_next] = end;
        _counts[end] = _counts.TryGetValue(end, out var count) ? count + 1 : 1;
        _next = (_next + 1) % _ends.Length;
        return continues;
    }
}
