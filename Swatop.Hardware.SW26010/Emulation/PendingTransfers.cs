using System.Globalization;
using System.Runtime.CompilerServices;

namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>
/// The DMA transfers of one CPE that are outstanding: issued, and not yet covered by a wait on their
/// reply word. Every LDM access of the CPE is checked against them (the race rules of
/// <see cref="DmaRaceException"/>): a get's range may not be touched, a put's source may not be
/// written, and two outstanding transfers may not overlap where one writes. A wait for
/// <c>n</c> replies covers the first <c>n</c> transfers issued against its word since the word's last
/// reset; a transfer whose word is reset before such a wait stays outstanding (nothing can cover it).
/// </summary>
/// <remarks>
/// Byte intervals kept in order of their first byte, with the longest one's length and the hulls of all
/// of them and of the gets. A check that falls outside the hull it concerns (a write: all; a read: the
/// gets) ends there; otherwise a binary search finds the last interval that starts before the access
/// ends, and the check walks back only as far as an interval could still reach the access. Outstanding
/// intervals rarely overlap (only two puts may), so a check looks at one or two of them however many a
/// kernel keeps in flight, and a kernel issues a run of transfers into consecutive LDM, so recording
/// one appends it. The intervals lie apart from the rest of what is known of each transfer (its reply
/// word, statement, buffer), which only a wait and a report read: 64 CPEs take turns on a host thread,
/// and a check should touch as little memory as it can. Nothing is checked while nothing is outstanding,
/// and nothing is recorded when the checks are off.
/// </remarks>
internal sealed class PendingTransfers
{
    private readonly CpeId _owner;
    private readonly bool _enabled;
    private Entry[] _entries = new Entry[8];

    // Interval i is [_ranges[2i], _ranges[2i + 1] >> 1); the low bit of the second says whether it is a get.
    private int[] _ranges = new int[16];
    private int _count;
    private int _longest;

    // The hulls of the intervals and of the gets' (empty while low >= high).
    private int _low = int.MaxValue, _high = int.MinValue, _getLow = int.MaxValue, _getHigh = int.MinValue;

    internal PendingTransfers(CpeId owner, bool enabled)
    {
        _owner = owner;
        _enabled = enabled;
    }

    /// <summary>Transfers outstanding now.</summary>
    internal int Count => _count;

    /// <summary>Forgets every transfer: a new program starts.</summary>
    internal void Clear()
    {
        Array.Clear(_entries, 0, _count);
        _count = 0;
        _longest = 0;
        _low = _getLow = int.MaxValue;
        _high = _getHigh = int.MinValue;
    }

    /// <summary>Checks that a primitive or the program may read <paramref name="span"/> now.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Read(LdmSpan span, string operation)
    {
        if (_count != 0)
        {
            Check(span.Buffer, span.LdmByteOffset, span.ByteLength, writes: false, transfer: false, operation, site: null, reply: null);
        }
    }

    /// <summary>Checks that a primitive or the program may write <paramref name="span"/> now.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Write(LdmSpan span, string operation)
    {
        if (_count != 0)
        {
            Check(span.Buffer, span.LdmByteOffset, span.ByteLength, writes: true, transfer: false, operation, site: null, reply: null);
        }
    }

    /// <summary>Checks a vector or scalar access of <paramref name="bytes"/> bytes at LDM address <paramref name="address"/> of <paramref name="buffer"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Access(LdmBuffer buffer, int address, int bytes, bool writes, string operation)
    {
        if (_count != 0)
        {
            Check(buffer, address, bytes, writes, transfer: false, operation, site: null, reply: null);
        }
    }

    /// <summary>
    /// Checks a transfer about to be issued against the outstanding ones and records it: a get writes
    /// <paramref name="span"/>, a put reads it. <paramref name="site"/> names its statement in reports.
    /// </summary>
    internal void Issue(LdmSpan span, bool isGet, ReplyWord reply, object? site)
    {
        if (!_enabled)
        {
            return;
        }

        int start = span.LdmByteOffset, length = span.ByteLength;
        if (_count != 0)
        {
            Check(span.Buffer, start, length, writes: isGet, transfer: true, isGet ? "DMA get" : "DMA put", site, reply);
        }

        if (_count == _entries.Length)
        {
            Array.Resize(ref _entries, 2 * _entries.Length);
            Array.Resize(ref _ranges, 2 * _ranges.Length);
        }

        // In order of the first byte: at the end, unless it starts before the last one.
        var end = start + length;
        var at = _count == 0 || _ranges[2 * (_count - 1)] <= start ? _count : StartingAtOrAfter(start);
        if (at < _count)
        {
            Array.Copy(_entries, at, _entries, at + 1, _count - at);
            Array.Copy(_ranges, 2 * at, _ranges, 2 * (at + 1), 2 * (_count - at));
        }

        _entries[at] = new Entry(isGet, reply, reply.Issued, reply.Generation, span.Buffer, site);
        _ranges[2 * at] = start;
        _ranges[(2 * at) + 1] = (end << 1) | (isGet ? 1 : 0);
        _count++;
        _longest = Math.Max(_longest, length);
        _low = Math.Min(_low, start);
        _high = Math.Max(_high, end);
        if (isGet)
        {
            _getLow = Math.Min(_getLow, start);
            _getHigh = Math.Max(_getHigh, end);
        }
    }

    /// <summary>A wait for <paramref name="count"/> replies on <paramref name="reply"/>: the transfers it covers are no longer outstanding.</summary>
    internal void Cover(ReplyWord reply, int count)
    {
        if (_count == 0)
        {
            return;
        }

        var kept = 0;
        var generation = reply.Generation;
        _longest = 0;
        _low = _getLow = int.MaxValue;
        _high = _getHigh = int.MinValue;
        for (var i = 0; i < _count; i++)
        {
            ref var entry = ref _entries[i];
            if (ReferenceEquals(entry.Reply, reply) && entry.Generation == generation && entry.Sequence < count)
            {
                continue;
            }

            int start = _ranges[2 * i], end = _ranges[(2 * i) + 1] >> 1;
            _entries[kept] = entry;
            _ranges[2 * kept] = start;
            _ranges[(2 * kept) + 1] = _ranges[(2 * i) + 1];
            kept++;
            _longest = Math.Max(_longest, end - start);
            _low = Math.Min(_low, start);
            _high = Math.Max(_high, end);
            if (entry.IsGet)
            {
                _getLow = Math.Min(_getLow, start);
                _getHigh = Math.Max(_getHigh, end);
            }
        }

        Array.Clear(_entries, kept, _count - kept);
        _count = kept;
    }

    /// <summary>
    /// Checks that nothing is outstanding where a program ends (compiled kernel <paramref name="kernel"/>, or a hand-written
    /// program when null): a transfer no wait covered would land after the CPE returned.
    /// </summary>
    /// <exception cref="DmaRaceException">SWE0017, naming the first transfer still outstanding.</exception>
    internal void CheckNoneAtEnd(string? kernel)
    {
        if (_count != 0)
        {
            var entry = _entries[0];
            var end = new LdmAccess("the end of the program", entry.Buffer.Name, _ranges[0], _ranges[1] >> 1, Writes: false, Statement: null,
                string.Create(CultureInfo.InvariantCulture, $"{_count} transfer{(_count == 1 ? "" : "s")} outstanding"));
            throw new DmaRaceException(EmulatorDiagnostics.TransferOutstandingAtEnd, _owner, kernel, Describe(entry, _ranges[0], _ranges[1] >> 1), end);
        }
    }

    /// <summary>The index of the first interval that starts at or after <paramref name="start"/> (<see cref="_count"/> when none does).</summary>
    private int StartingAtOrAfter(int start)
    {
        int low = 0, high = _count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (_ranges[2 * middle] < start)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private void Check(LdmBuffer buffer, int start, int length, bool writes, bool transfer, string operation, object? site, ReplyWord? reply)
    {
        // Intervals that start at or after the access's end cannot overlap it; walking back, an interval
        // that starts a longest length or more before the access's start cannot reach it, nor can any before it.
        var end = start + length;
        if (writes ? end <= _low || _high <= start : end <= _getLow || _getHigh <= start)
        {
            return;
        }

        var ranges = _ranges;
        for (var i = StartingAtOrAfter(end) - 1; i >= 0; i--)
        {
            if (ranges[2 * i] + _longest <= start)
            {
                return;
            }

            var tail = ranges[(2 * i) + 1];
            if (start < tail >> 1 && ((tail & 1) != 0 || writes))
            {
                ref var entry = ref _entries[i];
                var id = transfer ? EmulatorDiagnostics.OverlappingTransfers
                    : entry.IsGet ? EmulatorDiagnostics.PendingGetTouched
                    : EmulatorDiagnostics.PendingPutSourceWritten;
                var conflicting = new LdmAccess(operation, buffer.Name, start, end, writes, site?.ToString()?.TrimEnd(),
                    reply is null ? null : Describe(reply, reply.Issued, reply.Generation));
                throw new DmaRaceException(id, _owner, kernel: null, Describe(entry, ranges[2 * i], tail >> 1), conflicting);
            }
        }
    }

    private static LdmAccess Describe(in Entry entry, int start, int end) =>
        new(entry.IsGet ? "DMA get" : "DMA put", entry.Buffer.Name, start, end, entry.IsGet, entry.Site?.ToString()?.TrimEnd(),
            Describe(entry.Reply, entry.Sequence, entry.Generation));

    private static string Describe(ReplyWord reply, int sequence, int generation) =>
        generation == reply.Generation
            ? string.Create(CultureInfo.InvariantCulture, $"reply word '{reply.Name}', transfer {sequence + 1} since the word's reset")
            : string.Create(CultureInfo.InvariantCulture, $"reply word '{reply.Name}', transfer {sequence + 1} before a reset of the word that came ahead of any wait covering it, so no wait can cover it now");

    /// <summary>What a wait and a report need of an outstanding transfer: its direction, reply word and place among the word's transfers since its reset, its buffer and statement.</summary>
    private readonly record struct Entry(bool IsGet, ReplyWord Reply, int Sequence, int Generation, LdmBuffer Buffer, object? Site);
}
