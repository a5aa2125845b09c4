using System.Globalization;
using System.Runtime.Intrinsics;

namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>The CPE's register communication and barriers.</summary>
internal sealed partial class Cpe
{
    /// <inheritdoc />
    public ValueTask RlcPut(RlcBus bus, int destination, Vector256<double> value)
    {
        var length = bus switch
        {
            RlcBus.Row => Spec.MeshColumns,
            RlcBus.Column => Spec.MeshRows,
            _ => throw new ArgumentOutOfRangeException(nameof(bus), bus, "The bus must be Row or Column."),
        };
        var self = bus == RlcBus.Row ? Id.Column : Id.Row;
        if (destination != Rlc.Broadcast && (destination < 0 || destination >= length || destination == self))
        {
            var what = bus == RlcBus.Row ? "column" : "row";
            throw new EmulatorException(EmulatorDiagnostics.RlcRouteRefused, string.Create(CultureInfo.InvariantCulture,
                $"{Id}: register put on its {what} bus to {what} {destination}: the destination must be another {what} 0..{length - 1} of the mesh, or {Rlc.Broadcast} to broadcast."));
        }

        Counters.RlcPuts++;
        Clock.Spend(Timing.RlcPutCycles);
        return _group.Network.Put(this, bus, destination, value);
    }

    /// <inheritdoc />
    public ValueTask RlcSend(CpeId target, Vector256<double> value)
    {
        if (target.CoreGroup != Id.CoreGroup || target == Id || (target.Row != Id.Row && target.Column != Id.Column))
        {
            var why = target == Id ? "a CPE does not send to itself"
                : target.CoreGroup != Id.CoreGroup ? "register communication stays inside a core group"
                : "register communication runs only along a row or a column";
            throw new EmulatorException(EmulatorDiagnostics.RlcRouteRefused, $"{Id} cannot send a register to {target}: {why}.");
        }

        return target.Row == Id.Row ? RlcPut(RlcBus.Row, target.Column, value) : RlcPut(RlcBus.Column, target.Row, value);
    }

    /// <inheritdoc />
    public ValueTask<Vector256<double>> RlcGet(RlcBus bus)
    {
        if (bus is not (RlcBus.Row or RlcBus.Column))
        {
            throw new ArgumentOutOfRangeException(nameof(bus), bus, "The bus must be Row or Column.");
        }

        Counters.RlcGets++;
        return _group.Network.Get(this, bus);
    }

    /// <inheritdoc />
    public ValueTask Synchronize(SyncScope scope) => _group.Barriers.Arrive(this, scope);
}
