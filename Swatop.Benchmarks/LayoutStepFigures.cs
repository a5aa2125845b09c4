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
        var pack = step.Kind == LayoutStepKind.Pack;
        var shared = pack ? chip.SharedMemory.Allocate<byte>("source", step.Source.Elements * step.ElementBytes)
            : chip.SharedMemory.Allocate<byte>("destination", step.Destination.Elements * step.ElementBytes);
        var own = Enumerable.Range(0, step.CoreGroups)
            .Select(g => chip.CoreGroups[g].Memory.Allocate<byte>(pack ? "destination" : "source", (pack ? step.Destination : step.Source).Elements * step.ElementBytes))
            .ToArray();
        var report = chip.Run(group => pack ? compiled.Program(shared, own[group.Index]) : compiled.Program(own[group.Index], shared), step.CoreGroups);
        var busy = report.Profile.CoreGroups.Max(g => g.KernelCycles > 0 ? g.ControllerBusyCycles / g.KernelCycles : 0);
        return (report.Profile.SimulatedSeconds, busy);
    }

    /// <summary>One line of the table: name, tiling, step ms, MB, plateau ms, ratio, model ms, controller busy %.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"| {Case.Name} | {Tiling} | {StepSeconds * 1e3:F3} | {Bytes / 1e6:F1} | {PlateauSeconds * 1e3:F3} | {Ratio:F2} | {ModelSeconds * 1e3:F3} | {ControllerBusy * 100:F1} |");

    private static LayoutStepFigures Measure(LayoutStepCase layoutCase)
    {
        var target = Sw26010Target.Default;
        var step = layoutCase.Step();
        var compiled = Sw26010LayoutStep.Compile(target, step);
        var pack = step.Kind == LayoutStepKind.Pack;
        var (seconds, busy) = Emulate(target, compiled);
        var tiling = LayoutStepTiling.For(step, target.Limits.LdmBudgetBytes);
        var plateau = LayoutStepPlateau.Seconds(target.Spec, step, sourceShared: pack, destinationShared: !pack);
        var model = LayoutStepCost.Seconds(target.Spec, step, tiling, sourceShared: pack, destinationShared: !pack);
        return new LayoutStepFigures(layoutCase, tiling, seconds, LayoutStepPlateau.Bytes(step), plateau, model, busy);
    }
}
