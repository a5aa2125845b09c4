using Swatop.Core.Graphs;
using Swatop.Core.Ir;
using Swatop.Core.NodeKernels;
using Swatop.Core.Targets;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Execution;
using Swatop.Primitives;

namespace Swatop.Hardware.Sw26010.Target;

/// <summary>
/// A graph node that is not an operator as a kernel of the compute cores: a pooling (<see cref="PoolingKernel"/>,
/// lowered by <see cref="PoolingLowering"/>), optimized by the passes of a layout step
/// (<see cref="Sw26010LayoutStep.Pipeline"/>) and compiled for the emulator. Every core group of the chip runs it, each
/// on its share of the planes, from a buffer of the shared memory to another, both in the framework's layout.
/// </summary>
public sealed class Sw26010NodeKernel
{
    private readonly CompiledKernel _compiled;

    private Sw26010NodeKernel(PoolingKernel pooling, LoopKernel kernel)
    {
        Pooling = pooling;
        Kernel = kernel;
        _compiled = CompiledKernel.Compile(kernel);
    }

    /// <summary>The pooling it computes.</summary>
    public PoolingKernel Pooling { get; }

    /// <summary>The optimized loop kernel every CPE runs.</summary>
    public LoopKernel Kernel { get; }

    /// <summary>The core groups that run it.</summary>
    public int CoreGroups => Pooling.CoreGroups;

    /// <summary>
    /// The kernel of <paramref name="node"/> for <paramref name="target"/>, or <see langword="null"/> when the node has none:
    /// it is not a pooling, or one row's (one plane's, for a global pooling) buffers do not fit the LDM budget.
    /// </summary>
    public static Sw26010NodeKernel? For(Sw26010Target target, GraphNode node, ElementType elementType)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(node);
        if (PoolingKernel.For(node, elementType, target.Spec.CoreGroups) is not { } pooling)
        {
            return null;
        }

        LoopKernel lowered;
        try
        {
            lowered = PoolingLowering.Lower(pooling, target.Limits);
        }
        catch (NotSupportedException)
        {
            return null;
        }

        var optimized = Sw26010LayoutStep.Pipeline.Run(lowered, target.PassContext.ForCoreGroups(pooling.CoreGroups)).Kernel;
        return new Sw26010NodeKernel(pooling, optimized);
    }

    /// <summary>The CPE program of one core group, from <paramref name="source"/> (the input) to <paramref name="destination"/> (the output).</summary>
    public CpeProgram Program(GlobalBuffer source, GlobalBuffer destination) =>
        _compiled.Program(new Dictionary<string, GlobalBuffer>(StringComparer.Ordinal)
        {
            [PoolingLowering.SourceTensor] = source,
            [PoolingLowering.DestinationTensor] = destination,
        });

    /// <summary>Runs the kernel on <paramref name="chip"/> from <paramref name="source"/> to <paramref name="destination"/> (both in its shared memory): its time as a profile reports it.</summary>
    internal StepTime Run(Sw26010Chip chip, GlobalBuffer source, GlobalBuffer destination)
    {
        var report = chip.Run(_ => Program(source, destination), CoreGroups);
        return new StepTime(Pooling.Name, report.Profile.SimulatedSeconds, Pooling.Bytes, OnMpe: false);
    }

    /// <summary>The pooling.</summary>
    public override string ToString() => Pooling.ToString();
}
