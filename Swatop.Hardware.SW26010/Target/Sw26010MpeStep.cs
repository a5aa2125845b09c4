using Swatop.Core.LayoutSteps;
using Swatop.Core.Lowering;
using Swatop.Core.Targets;

namespace Swatop.Hardware.Sw26010.Target;

/// <summary>
/// A layout step timed as the MPEs would take it (<see cref="HostLayoutCopy"/>): each core group's MPE copies the
/// elements its group moves, the groups in parallel (one process a core group, as the emitted kernels launch), so the
/// step takes the busiest group's time: its elements' bytes read once and written once at
/// <see cref="Timing.Sw26010Timing.MpeBytesPerCycle"/>, with a penalty for a strided side that does not fit the MPE's
/// cache. The MPE runs a step where that is less than the compute cores' time for it (a small step, for which a spawn
/// and a join dominate); a column step has no host copy and stays on the compute cores.
/// </summary>
/// <remarks>
/// The copy walks the framework tensor in row-major order, so a side whose layout is the framework's order (padding
/// allowed, no blocks) is read or written in runs, and a permuted or blocked side is visited at a stride. The time
/// model gives the MPE no stride penalty of its own; the one used here is derived from its caches: while a group's
/// share fits the MPE's L2 (<see cref="CacheBytes"/>, 256 KB, the reference page's), every line the strided walk
/// touches stays cached until its other elements are used, so a strided side streams like a run; beyond it, each
/// element of the strided side costs a whole line (<see cref="LineBytes"/>, 64 bytes: an assumption, no public
/// figure gives the MPE's line). Past the L2 the compute cores win anyway (a step of 256 KB takes the MPE at least
/// 64 microseconds, the compute cores about a third of that), so the penalty decides little.
/// </remarks>
public static class Sw26010MpeStep
{
    /// <summary>Bytes of the MPE's L2 cache: 256 KB (Dongarra, 2016; <c>shared/reference/sw26010.md</c>).</summary>
    public const long CacheBytes = 256 * 1024;

    /// <summary>Bytes of an MPE cache line: 64. Assumption: no public figure.</summary>
    public const long LineBytes = 64;

    /// <summary>
    /// The least time the compute cores take for any step: a spawn and a join
    /// (<see cref="Timing.Sw26010Timing.SpawnCycles"/> and <see cref="Timing.Sw26010Timing.JoinCycles"/>, which the
    /// emulator charges every step). A step whose MPE time is below it runs on the MPE without being emulated.
    /// </summary>
    public static double CpeFloorSeconds(Sw26010Spec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return (spec.Timing.SpawnCycles + spec.Timing.JoinCycles) / spec.ClockHz;
    }

    /// <summary>
    /// The MPEs' seconds for <paramref name="step"/> (see the class), or <see langword="null"/> for a step the host
    /// cannot perform (<see cref="HostLayoutCopy.Supports"/>).
    /// </summary>
    public static double? Seconds(Sw26010Spec spec, LayoutStep step)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(step);
        if (!HostLayoutCopy.Supports(step))
        {
            return null;
        }

        var elements = HostLayoutCopy.For(step).GroupElements.Max();
        var bytes = (double)elements * step.ElementBytes;
        var strided = bytes > CacheBytes ? (double)LineBytes / step.ElementBytes : 1.0;
        var read = bytes * (InWalkOrder(step.Source) ? 1.0 : strided);
        var written = bytes * (InWalkOrder(step.Destination) ? 1.0 : strided);
        return (read + written) / spec.Timing.MpeBytesPerCycle / spec.ClockHz;
    }

    /// <summary>
    /// <paramref name="cpes"/> (the compute cores' time for <paramref name="step"/>) or, where the MPEs' is less, the
    /// MPEs' time (<see cref="StepTime.OnMpe"/> true).
    /// </summary>
    public static StepTime Faster(Sw26010Spec spec, LayoutStep step, StepTime cpes)
    {
        ArgumentNullException.ThrowIfNull(cpes);
        return Seconds(spec, step) is { } mpe && mpe < cpes.Seconds ? cpes with { Seconds = mpe, OnMpe = true } : cpes;
    }

    /// <summary>
    /// The MPEs' time for <paramref name="step"/> when it is below <see cref="CpeFloorSeconds"/> (so the MPE runs it
    /// whatever the compute cores' time), else <see langword="null"/>: the compute cores' time decides.
    /// </summary>
    public static StepTime? BelowFloor(Sw26010Spec spec, LayoutStep step) =>
        Seconds(spec, step) is { } mpe && mpe < CpeFloorSeconds(spec) ? OnMpe(step, mpe) : null;

    /// <summary>The step's time on the MPEs: <paramref name="seconds"/>, named after it, with its framework bytes.</summary>
    internal static StepTime OnMpe(LayoutStep step, double seconds) =>
        new(step.Name, seconds, step.Tensor.ElementLength * step.ElementBytes, OnMpe: true);

    /// <summary>Whether a copy in the framework's row-major order walks <paramref name="layout"/> in runs: its dimensions in the framework's order, none blocked.</summary>
    private static bool InWalkOrder(TensorLayout layout) =>
        layout.Order.SequenceEqual(Enumerable.Range(0, layout.Tensor.Rank)) && layout.Blocks.All(b => b == 0);
}
