using Swatop.Core.Ir;
using Swatop.Core.Ir.Passes;
using Swatop.Core.LayoutSteps;
using Swatop.Core.Targets;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Execution;

namespace Swatop.Hardware.Sw26010.Target;

/// <summary>
/// A layout step compiled for the SW26010: lowered to the loop IR (<see cref="LayoutStepLowering"/>),
/// optimized by the same pass pipeline as every kernel, and compiled for the emulator. Each core group
/// of the step's share runs it between a buffer of its own memory and one of the shared memory (or two
/// of its own).
/// </summary>
public sealed class Sw26010LayoutStep
{
    private readonly CompiledKernel _compiled;

    internal Sw26010LayoutStep(LayoutStep step, LoopKernel kernel)
    {
        Step = step;
        Kernel = kernel;
        _compiled = CompiledKernel.Compile(kernel);
    }

    /// <summary>
    /// The passes a step goes through: simplification, boundary handling and LDM planning. A step has no
    /// reuse to hoist, and its 64 CPEs keep the memory controller busy without double buffering (see
    /// <see cref="LayoutStepLowering"/>). The verifier is left out: its bounds analysis cannot follow
    /// a split share's border tiles (their extent depends on the core group), so it refuses steps that are
    /// in bounds; every transfer is still checked when it runs, by the emulator and by the shim.
    /// </summary>
    public static PassPipeline Pipeline { get; } = PassPipeline.Create("simplify", "boundary", "simplify", "plan-ldm");

    /// <summary>The step.</summary>
    public LayoutStep Step { get; }

    /// <summary>The optimized loop kernel every CPE of a core group runs.</summary>
    public LoopKernel Kernel { get; }

    /// <summary>Lowers, optimizes and compiles <paramref name="step"/> for <paramref name="target"/>.</summary>
    /// <exception cref="NotSupportedException">The step's share cuts a dimension a step cannot split.</exception>
    public static Sw26010LayoutStep Compile(Sw26010Target target, LayoutStep step)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(step);
        var lowered = LayoutStepLowering.Lower(step, target.Limits);
        var optimized = Pipeline.Run(lowered, target.PassContext.ForCoreGroups(step.CoreGroups)).Kernel;
        return new Sw26010LayoutStep(step, optimized);
    }

    /// <summary>The CPE program of one core group, from <paramref name="source"/> to <paramref name="destination"/>.</summary>
    public CpeProgram Program(GlobalBuffer source, GlobalBuffer destination) =>
        _compiled.Program(new Dictionary<string, GlobalBuffer>(StringComparer.Ordinal)
        {
            [LayoutStepLowering.SourceTensor] = source,
            [LayoutStepLowering.DestinationTensor] = destination,
        });

    /// <summary>
    /// Runs the step on <paramref name="chip"/>, each core group of its share with its program from
    /// <paramref name="program"/> (the groups <paramref name="emulated"/> refuses stand idle): the step's time
    /// as a profile reports it.
    /// </summary>
    internal StepTime Run(Sw26010Chip chip, Func<int, CpeProgram> program, Func<int, bool> emulated)
    {
        var report = chip.Run(group => emulated(group.Index) ? program(group.Index) : _ => ValueTask.CompletedTask, Step.CoreGroups);
        return new StepTime(Step.Name, report.Profile.SimulatedSeconds, Step.Tensor.ElementLength * Step.ElementBytes, OnMpe: false);
    }

    /// <summary>The step and its tiling.</summary>
    public override string ToString() => Step.ToString();
}
