using System.Collections.Concurrent;
using System.Globalization;
using Swatop.Core.LayoutSteps;
using Swatop.Hardware.Sw26010;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Hardware.Sw26010.Tuning;

namespace Swatop.Benchmarks;

/// <summary>
/// What one layout step costs on the emulated chip against what it must cost: the step's simulated time
/// (timing only, every core group emulated, spawn and join included), the bytes its busiest core group
/// moves, their plateau time (<see cref="LayoutStepPlateau"/>), the ratio of the two, and the cost model's price.
/// </summary>
/// <param name="Case">The case.</param>
/// <param name="Tiling">The step's tiling.</param>
/// <param name="StepSeconds">The emulator's time of the step.</param>
/// <param name="Bytes">Bytes the busiest core group reads (and writes).</param>
/// <param name="PlateauSeconds">Those bytes at the DMA model's plateau, cross-segment bytes at their factor.</param>
/// <param name="ModelSeconds">The cost model's price of the step.</param>
/// <param name="ControllerBusy">The share of the busiest core group's kernel time its memory controller was serving DMA.</param>
public sealed record LayoutStepFigures(LayoutStepCase Case, LayoutStepTiling Tiling, double StepSeconds, long Bytes, double PlateauSeconds, double ModelSeconds, double ControllerBusy)
{
    private static readonly ConcurrentDictionary<string, LayoutStepFigures> Measured = new(StringComparer.Ordinal);

    /// <summary>The step's time over the plateau's.</summary>
    public double Ratio => StepSeconds / PlateauSeconds;

    /// <summary>The figures of <paramref name="layoutCase"/>, measured once a process (they are deterministic).</summary>
    public static LayoutStepFigures Of(LayoutStepCase layoutCase)
    {
        ArgumentNullException.ThrowIfNull(layoutCase);
        return Measured.GetOrAdd(layoutCase.Name, _ => Measure(layoutCase));
    }

    /// <summary>Emulates the step once, timing only: the simulated seconds and the busiest controller's busy share.</summary>
    public static (double Seconds, double ControllerBusy) Emulate(Sw26010Target target, Sw26010LayoutStep compiled)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(compiled);
        var step = compiled.Step;
        var chip = new Sw26010Chip(target.Spec, target.Options with { TimingOnly = true });
        var (sourceShared, destinationShared) = SharedSides(step);
        GlobalBuffer Buffer(int group, string name, long elements, bool shared) =>
            shared ? chip.SharedMemory.Allocate<byte>(name, elements * step.ElementBytes) : chip.CoreGroups[group].Memory.Allocate<byte>(name, elements * step.ElementBytes);
        var sharedSource = sourceShared ? Buffer(0, "source", step.Source.Elements, shared: true) : null;
        var sharedDestination = destinationShared ? Buffer(0, "destination", step.Destination.Elements, shared: true) : null;
        var sources = Enumerable.Range(0, step.CoreGroups).Select(g => sharedSource ?? Buffer(g, "source", step.Source.Elements, shared: false)).ToArray();
        var destinations = Enumerable.Range(0, step.CoreGroups).Select(g => sharedDestination ?? Buffer(g, "destination", step.Destination.Elements, shared: false)).ToArray();
        var report = chip.Run(group => compiled.Program(sources[group.Index], destinations[group.Index]), step.CoreGroups);
        var busy = report.Profile.CoreGroups.Max(g => g.KernelCycles > 0 ? g.ControllerBusyCycles / g.KernelCycles : 0);
        return (report.Profile.SimulatedSeconds, busy);
    }

    /// <summary>Which sides of <paramref name="step"/> lie in the shared memory: a pack's source, an unpack's destination, neither of a reorder's.</summary>
    public static (bool Source, bool Destination) SharedSides(LayoutStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return (step.Kind == LayoutStepKind.Pack, step.Kind == LayoutStepKind.Unpack);
    }

    /// <summary>One line of the table: name, tiling, step ms, MB, plateau ms, ratio, model ms, controller busy %.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"| {Case.Name} | {Tiling} | {StepSeconds * 1e3:F3} | {Bytes / 1e6:F1} | {PlateauSeconds * 1e3:F3} | {Ratio:F2} | {ModelSeconds * 1e3:F3} | {ControllerBusy * 100:F1} |");

    private static LayoutStepFigures Measure(LayoutStepCase layoutCase)
    {
        var target = Sw26010Target.Default;
        var step = layoutCase.Step();
        var compiled = Sw26010LayoutStep.Compile(target, step);
        var (sourceShared, destinationShared) = SharedSides(step);
        var (seconds, busy) = Emulate(target, compiled);
        var tiling = LayoutStepTiling.For(step, target.Limits.LdmBudgetBytes);
        var plateau = LayoutStepPlateau.Seconds(target.Spec, step, sourceShared, destinationShared);
        var model = LayoutStepCost.Seconds(target.Spec, step, tiling, sourceShared, destinationShared);
        return new LayoutStepFigures(layoutCase, tiling, seconds, LayoutStepPlateau.Bytes(step), plateau, model, busy);
    }
}
