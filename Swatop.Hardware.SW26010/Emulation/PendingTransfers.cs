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
/// A handful of intervals in issue order: kernels keep a few transfers in flight, so a check is a
/// short loop over byte ranges, and none at all while nothing is outstanding (the common case at a
/// compute primitive). Nothing is recorded when the checks are off.
/// </remarks>
internal sealed class PendingTransfers
{
    private readonly CpeId _owner;
    private readonly bool _enabled;
    private Entry[] _entries = new Entry[8];
    private int _count;

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
    }

    /// <summary>Checks that a primitive or the program may read <paramref name="span"/> now.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Read(LdmSpan span, string operation)
    {
        if (_count != 0)
        {
            Check(span.Buffer, span.LdmByteOffset, span.ByteLength, writes: false, transfer: false, operation, site: null, detail: null);
        }
    }

    /// <summary>Checks that a primitive or the program may write <paramref name="span"/> now.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Write(LdmSpan span, string operation)
    {
        if (_count != 0)
        {
            Check(span.Buffer, span.LdmByteOffset, span.ByteLength, writes: true, transfer: false, operation, site: null, detail: null);
        }
    }

    /// <summary>Checks a vector or scalar access of <paramref name="bytes"/> bytes at LDM address <paramref name="address"/> of <paramref name="buffer"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Access(LdmBuffer buffer, int address, int bytes, bool writes, string operation)
    {
        if (_count != 0)
        {
            Check(buffer, address, bytes, writes, transfer: false, operation, site: null, detail: null);
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
        }

        _entries[_count++] = new Entry(start, start + length, isGet, reply, reply.Issued, reply.Generation, span.Buffer, site);
    }

    /// <summary>A wait for <paramref name="count"/> replies on <paramref name="reply"/>: the transfers it covers are no longer outstanding.</summary>
    internal void Cover(ReplyWord reply, int count)
    {
        var kept = 0;
        var generation = reply.Generation;
        for (var i = 0; i < _count; i++)
        {
            ref var entry = ref _entries[i];
            if (!ReferenceEquals(entry.Reply, reply) || entry.Generation != generation || entry.Sequence >= count)
            {
                _entries[kept++] = entry;
            }
        }

        Array.Clear(_entries, kept, _count - kept);
        _count = kept;
    }

    private void Check(LdmBuffer buffer, int start, int length, bool writes, bool transfer, string operation, object? site, object? detail)
    {
        var end = start + length;
        for (var i = 0; i < _count; i++)
        {
            ref var entry = ref _entries[i];
            if (start < entry.End && entry.Start < end && (entry.IsGet || writes))
            {
                var id = transfer ? EmulatorDiagnostics.OverlappingTransfers
                    : entry.IsGet ? EmulatorDiagnostics.PendingGetTouched
                    : EmulatorDiagnostics.PendingPutSourceWritten;
                var conflicting = new LdmAccess(operation, buffer.Name, start, end, writes, site?.ToString()?.TrimEnd(),
                    detail is ReplyWord word ? Describe(word, word.Issued, word.Generation) : null);
                throw new DmaRaceException(id, _owner, kernel: null, Describe(entry), conflicting);
            }
        }
    }

    private static LdmAccess Describe(in Entry entry) =>
        new(entry.IsGet ? "DMA get" : "DMA put", entry.Buffer.Name, entry.Start, entry.End, entry.IsGet, entry.Site?.ToString()?.TrimEnd(),
            Describe(entry.Reply, entry.Sequence, entry.Generation));

    private static string Describe(ReplyWord reply, int sequence, int generation) =>
        generation == reply.Generation
            ? string.Create(CultureInfo.InvariantCulture, $"reply word '{reply.Name}', transfer {sequence + 1} since the word's reset")
            : string.Create(CultureInfo.InvariantCulture, $"reply word '{reply.Name}', transfer {sequence + 1} before a reset of the word that came ahead of any wait covering it, so no wait can cover it now");

    /// <summary>An outstanding transfer: its LDM bytes, direction, reply word and place among the word's transfers since its reset.</summary>
    private readonly record struct Entry(int Start, int End, bool IsGet, ReplyWord Reply, int Sequence, int Generation, LdmBuffer Buffer, object? Site);
}
