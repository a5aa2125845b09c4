using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Primitives;

namespace Swatop.Hardware.Sw26010.Timing;

/// <summary>
/// The memory controller of one core group: one server for the DMA requests of its 64 CPEs, taken
/// in the order they were issued (by CPE cycle, ties by issue order). A request is served only once
/// every CPE that could still issue an earlier one has moved past it (the scheduler's horizon), so
/// the order is the machine's whatever order the emulator ran the CPEs in.
/// </summary>
internal sealed class MemoryController
{
    private readonly DmaTimingModel _model;
    private readonly double _cyclesPerNanosecond;
    private readonly RequestQueue _pending;
    private double _freeAt;

    internal MemoryController(Sw26010Spec spec)
    {
        _model = spec.Timing.Dma;
        _cyclesPerNanosecond = spec.ClockHz / 1e9;
        _pending = new RequestQueue(spec.CpesPerCoreGroup);
    }

    /// <summary>Bytes served since the last reset.</summary>
    internal long BytesServed { get; private set; }

    /// <summary>Bytes served since the last reset in blocks of at least 256 bytes that start on a 128-byte boundary.</summary>
    internal long AlignedWideBytesServed { get; private set; }

    /// <summary>Of <see cref="BytesServed"/>, those to or from the shared (cross-segment) memory.</summary>
    internal long SharedBytesServed { get; private set; }

    /// <summary>Requests served since the last reset.</summary>
    internal long RequestsServed { get; private set; }

    /// <summary>Contiguous blocks of the requests served since the last reset.</summary>
    internal long BlocksServed { get; private set; }

    /// <summary>Cycles the controller was busy since the last reset.</summary>
    internal double BusyCycles { get; private set; }

    /// <summary>The latest reply cycle of the requests served since the last reset.</summary>
    internal double LastCompletionCycle { get; private set; }

    internal void Reset()
    {
        _pending.Clear();
        _freeAt = 0;
        BytesServed = 0;
        AlignedWideBytesServed = 0;
        SharedBytesServed = 0;
        RequestsServed = 0;
        BlocksServed = 0;
        BusyCycles = 0;
        LastCompletionCycle = 0;
    }

    /// <summary>
    /// Takes a request of the CPE <paramref name="cpe"/> (its index in the group); when no CPE
    /// could still issue one ahead of it (the <paramref name="scheduler"/>'s horizon has passed its
    /// cycle and nothing waits before it), it is served at once.
    /// </summary>
    internal void Submit(int cpe, DmaRequest request, CpeScheduler scheduler)
    {
        if (_pending.Count == 0 && request.IssueCycle <= scheduler.Horizon)
        {
            Serve(request);
            return;
        }

        _pending.Enqueue(cpe, request, request.IssueCycle);
    }

    /// <summary>Serves, in order, every pending request issued at or before <paramref name="horizon"/>.</summary>
    internal void ServeUpTo(double horizon)
    {
        while (_pending.TryDequeueUpTo(horizon, out var request))
        {
            Serve(request);
        }
    }

    private void Serve(DmaRequest request)
    {
        var nanoseconds = DmaPrimitive.ServiceNanoseconds(_model, request.IsGet, request.Blocks, request.Bytes, request.CrossSegment);
        var service = nanoseconds * _cyclesPerNanosecond;
        var start = Math.Max(request.IssueCycle, _freeAt);
        _freeAt = start + service;
        BusyCycles += service;
        BytesServed += request.Bytes;
        AlignedWideBytesServed += (long)request.AlignedWideBlocks * request.BlockBytes;
        SharedBytesServed += request.CrossSegment ? request.Bytes : 0;
        RequestsServed++;
        BlocksServed += request.Blocks;
        request.CompletionCycle = _freeAt + (_model.LatencyNanoseconds * _cyclesPerNanosecond);
        LastCompletionCycle = Math.Max(LastCompletionCycle, request.CompletionCycle);
    }
}
