using Swatop.Core.Ir;
using Swatop.Core.Ir.Passes;
using Swatop.Core.LayoutSteps;
using Swatop.Core.Lowering;
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
    private readonly Sw26010Target _target;
    private readonly Lazy<StepTime> _time;

    internal Sw26010LayoutStep(Sw26010Target target, LayoutStep step, LoopKernel kernel)
    {
        _target = target;
        Step = step;
        Kernel = kernel;
        _compiled = CompiledKernel.Compile(kernel);
        _time = new Lazy<StepTime>(() => Measure(CancellationToken.None));
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
        return new Sw26010LayoutStep(target, step, optimized);
    }

    /// <summary>
    /// The step's time where it runs (<see cref="StepTime.OnMpe"/>): on the MPEs where their time
    /// (<see cref="Sw26010MpeStep"/>) is less than the compute cores', emulated on every core group in timing-only mode
    /// (not emulated at all when the MPEs' time is below a spawn and a join). Measured once.
    /// </summary>
    public StepTime Time => _time.Value;

    /// <summary>Whether the step runs on the MPEs (<see cref="Time"/>): a graph run, a call and the emitted C copy it on the host.</summary>
    public bool RunsOnMpe => Time.OnMpe;

    /// <summary>The step's time where it runs, as <see cref="Time"/>, measured now with <paramref name="cancellation"/>.</summary>
    internal StepTime Measure(CancellationToken cancellation) =>
        Sw26010MpeStep.BelowFloor(_target.Spec, Step) ?? Sw26010MpeStep.Faster(_target.Spec, Step, MeasureOnCpes(cancellation));

    /// <summary>The step's time on the compute cores: every core group of its share emulated in timing-only mode, spawn and join included.</summary>
    internal StepTime MeasureOnCpes(CancellationToken cancellation)
    {
        var chip = new Sw26010Chip(_target.Spec, _target.Options with { TimingOnly = true, Cancellation = cancellation });
        GlobalBuffer Buffer(int group, string name, TensorLayout layout, bool shared)
        {
            var memory = shared ? chip.SharedMemory : chip.CoreGroups[group].Memory;
            return memory.Allocate(name, layout.Elements * Step.ElementBytes);
        }

        var sharedSource = Step.Kind == LayoutStepKind.Pack ? Buffer(0, "source", Step.Source, shared: true) : null;
        var sharedDestination = Step.Kind == LayoutStepKind.Unpack ? Buffer(0, "destination", Step.Destination, shared: true) : null;
        return RunOnCpes(
            chip,
            g => (sharedSource ?? Buffer(g, "source", Step.Source, shared: false), sharedDestination ?? Buffer(g, "destination", Step.Destination, shared: false)),
            _ => true);
    }

    /// <summary>The CPE program of one core group, from <paramref name="source"/> to <paramref name="destination"/>.</summary>
    public CpeProgram Program(GlobalBuffer source, GlobalBuffer destination) =>
        _compiled.Program(new Dictionary<string, GlobalBuffer>(StringComparer.Ordinal)
        {
            [LayoutStepLowering.SourceTensor] = source,
            [LayoutStepLowering.DestinationTensor] = destination,
        });

    /// <summary>
    /// Runs the step on <paramref name="chip"/> where it runs fastest, each core group of its share between its
    /// <paramref name="buffers"/> (source, destination): the step's time as a profile reports it. On a timing-only chip
    /// the compute cores' program is emulated (the groups <paramref name="emulated"/> refuses stand idle) unless the
    /// MPEs' time is below a spawn and a join, and the less of the two times is the step's. A chip that moves data runs
    /// the step where <see cref="Time"/> says: copied by the host (<see cref="HostLayoutCopy"/>, every group), or
    /// emulated on the compute cores. With <paramref name="ran"/>, a chip that moves data runs the groups one after
    /// another and calls it with each group's index once that group's share is done, so the caller can let the group's
    /// source go before the next group's share is written.
    /// </summary>
    internal StepTime Run(Sw26010Chip chip, Func<int, (GlobalBuffer Source, GlobalBuffer Destination)> buffers, Func<int, bool> emulated, Action<int>? ran = null)
    {
        if (chip.Options.TimingOnly)
        {
            return Sw26010MpeStep.BelowFloor(chip.Spec, Step) ?? Sw26010MpeStep.Faster(chip.Spec, Step, RunOnCpes(chip, buffers, emulated));
        }

        if (!RunsOnMpe)
        {
            return ran is null ? RunOnCpes(chip, buffers, emulated) : RunOnCpesInTurn(chip, buffers, emulated, ran);
        }

        var copy = HostLayoutCopy.For(Step);
        for (var g = 0; g < Step.CoreGroups; g++)
        {
            var (source, destination) = buffers(g);
            if (Step.ElementBytes == sizeof(float))
            {
                copy.Copy<int>(g, source.AsSpan<int>(), destination.AsSpan<int>());
            }
            else
            {
                copy.Copy<long>(g, source.AsSpan<long>(), destination.AsSpan<long>());
            }

            ran?.Invoke(g);
        }

        return Time;
    }

    /// <summary>
    /// Runs the step on the compute cores of one core group at a time, the others idle, and calls <paramref name="ran"/> after
    /// each group's share. A group's time does not depend on the others' (each reaches the shared memory through its own
    /// controller), so the step's time is the longest group's, as when they run at once.
    /// </summary>
    private StepTime RunOnCpesInTurn(Sw26010Chip chip, Func<int, (GlobalBuffer Source, GlobalBuffer Destination)> buffers, Func<int, bool> emulated, Action<int> ran)
    {
        var seconds = 0.0;
        for (var g = 0; g < Step.CoreGroups; g++)
        {
            var group = g;
            seconds = Math.Max(seconds, RunOnCpes(chip, buffers, h => h == group && emulated(group)).Seconds);
            ran(g);
        }

        return new StepTime(Step.Name, seconds, Step.Tensor.ElementLength * Step.ElementBytes, OnMpe: false);
    }

    private StepTime RunOnCpes(Sw26010Chip chip, Func<int, (GlobalBuffer Source, GlobalBuffer Destination)> buffers, Func<int, bool> emulated)
    {
        var report = chip.Run(
            group =>
            {
                if (!emulated(group.Index))
                {
                    return _ => ValueTask.CompletedTask;
                }

                var (source, destination) = buffers(group.Index);
                return Program(source, destination);
            },
            Step.CoreGroups);
        return new StepTime(Step.Name, report.Profile.SimulatedSeconds, Step.Tensor.ElementLength * Step.ElementBytes, OnMpe: false);
    }

    /// <summary>The step and its tiling.</summary>
    public override string ToString() => Step.ToString();
}
