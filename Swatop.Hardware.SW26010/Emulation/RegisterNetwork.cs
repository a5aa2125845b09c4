using System.Globalization;
using System.Runtime.Intrinsics;
using Swatop.Hardware.Sw26010.Timing;

namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>
/// Register communication of one core group: each CPE has a bounded receive FIFO per bus (row and
/// column). A put waits while a receiver's FIFO is full (a broadcast, while any is); a get waits
/// while its FIFO is empty. Waiting puts are retried, in the order they began, whenever a get on
/// their row or column frees room. In time: a register reaches its receiver a hop after its put;
/// a get takes its receive cycles once the register is there; a put held back by a full buffer
/// goes out when the get that made room happens.
/// </summary>
internal sealed class RegisterNetwork
{
    private readonly int _rows;
    private readonly int _columns;
    private readonly int _depth;
    private readonly double _hop;
    private readonly double _getCycles;
    private readonly Fifo[] _fifos;
    private readonly List<PendingPut>[] _pending;

    internal RegisterNetwork(Sw26010Spec spec)
    {
        _rows = spec.MeshRows;
        _columns = spec.MeshColumns;
        _depth = spec.RlcFifoDepth;
        _hop = spec.Timing.RlcHopCycles;
        _getCycles = spec.Timing.RlcGetCycles;
        _fifos = new Fifo[_rows * _columns * 2];
        for (var i = 0; i < _fifos.Length; i++)
        {
            _fifos[i] = new Fifo();
        }

        _pending = new List<PendingPut>[_rows + _columns];
        for (var i = 0; i < _pending.Length; i++)
        {
            _pending[i] = [];
        }
    }

    internal void Reset()
    {
        foreach (var fifo in _fifos)
        {
            fifo.Items.Clear();
            fifo.Getter = null;
        }

        foreach (var pending in _pending)
        {
            pending.Clear();
        }
    }

    internal ValueTask Put(Cpe sender, RlcBus bus, int destination, Vector256<double> value)
    {
        var line = bus == RlcBus.Row ? sender.Id.Row : sender.Id.Column;
        var self = bus == RlcBus.Row ? sender.Id.Column : sender.Id.Row;
        var lineLength = bus == RlcBus.Row ? _columns : _rows;
        int[] targets = destination == Rlc.Broadcast
            ? [.. Enumerable.Range(0, lineLength).Where(i => i != self).Select(i => FifoIndex(bus, line, i))]
            : [FifoIndex(bus, line, destination)];

        if (HasRoom(targets))
        {
            Deliver(targets, value, sender.Clock.Now + _hop);
            return ValueTask.CompletedTask;
        }

        var put = new PendingPut(sender, targets, value);
        _pending[PendingIndex(bus, line)].Add(put);
        var to = destination == Rlc.Broadcast ? "a broadcast" : string.Create(CultureInfo.InvariantCulture, $"a put to {(bus == RlcBus.Row ? "column" : "row")} {destination}");
        return sender.Suspend($"{to} on its {Name(bus)} bus waits for room in a full receive buffer").AsValueTask();
    }

    internal ValueTask<Vector256<double>> Get(Cpe receiver, RlcBus bus)
    {
        var line = bus == RlcBus.Row ? receiver.Id.Row : receiver.Id.Column;
        var position = bus == RlcBus.Row ? receiver.Id.Column : receiver.Id.Row;
        var fifo = _fifos[FifoIndex(bus, line, position)];
        if (fifo.Items.TryDequeue(out var item))
        {
            receiver.Clock.WaitUntil(item.Arrival, WaitKind.Rlc);
            receiver.Clock.Spend(_getCycles);
            RetryPending(bus, line, receiver.Clock.Now);
            return new ValueTask<Vector256<double>>(item.Value);
        }

        fifo.Getter = receiver;
        return receiver.SuspendForValue($"a get on its {Name(bus)} bus waits for a put that no CPE has made");
    }

    private static string Name(RlcBus bus) => bus == RlcBus.Row ? "row" : "column";

    private int FifoIndex(RlcBus bus, int line, int position)
    {
        var (row, column) = bus == RlcBus.Row ? (line, position) : (position, line);
        return (((row * _columns) + column) * 2) + (bus == RlcBus.Row ? 0 : 1);
    }

    private int PendingIndex(RlcBus bus, int line) => bus == RlcBus.Row ? line : _rows + line;

    private bool HasRoom(int[] targets)
    {
        foreach (var target in targets)
        {
            if (_fifos[target].Items.Count >= _depth)
            {
                return false;
            }
        }

        return true;
    }

    private void Deliver(int[] targets, Vector256<double> value, double arrival)
    {
        foreach (var target in targets)
        {
            var fifo = _fifos[target];
            if (fifo.Getter is { } getter)
            {
                fifo.Getter = null;
                getter.Clock.WaitUntil(arrival, WaitKind.Rlc);
                getter.Clock.Spend(_getCycles);
                getter.Wake(value);
            }
            else
            {
                fifo.Items.Enqueue(new Item(value, arrival));
            }
        }
    }

    /// <summary>Sends the held-back puts of a row or column that now fit, as of <paramref name="cycle"/>, when a get made room.</summary>
    private void RetryPending(RlcBus bus, int line, double cycle)
    {
        var pending = _pending[PendingIndex(bus, line)];
        for (var i = 0; i < pending.Count; i++)
        {
            var put = pending[i];
            if (HasRoom(put.Targets))
            {
                pending.RemoveAt(i--);
                put.Sender.Clock.WaitUntil(cycle, WaitKind.Rlc);
                Deliver(put.Targets, put.Value, put.Sender.Clock.Now + _hop);
                put.Sender.Wake();
            }
        }
    }

    private readonly record struct Item(Vector256<double> Value, double Arrival);

    private sealed class Fifo
    {
        internal Queue<Item> Items { get; } = new();

        internal Cpe? Getter { get; set; }
    }

    private sealed record PendingPut(Cpe Sender, int[] Targets, Vector256<double> Value);
}
