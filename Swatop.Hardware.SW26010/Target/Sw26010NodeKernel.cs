using System.Collections.Immutable;
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
/// lowered by <see cref="PoolingLowering"/>), an element-wise node that did not fuse (<see cref="ElementwiseNodeKernel"/>,
/// <see cref="ElementwiseNodeLowering"/>), a concatenation (<see cref="ConcatKernel"/>, <see cref="ConcatLowering"/>) or a
/// softmax along its innermost axis (<see cref="SoftmaxKernel"/>, <see cref="SoftmaxLowering"/>),
/// optimized by the passes of a layout step (<see cref="Sw26010LayoutStep.Pipeline"/>) and compiled for the emulator.
/// Every core group of the chip runs it, each on its share of the work, from buffers of the shared memory to another, all
/// in the framework's layout.
/// </summary>
public sealed class Sw26010NodeKernel
{
    private readonly CompiledKernel _compiled;

    private Sw26010NodeKernel(string name, string description, LoopKernel kernel, int coreGroups, long bytes, ImmutableArray<(string Tensor, GraphValue Value)> reads, string destination)
    {
        Name = name;
        Description = description;
        Kernel = kernel;
        CoreGroups = coreGroups;
        Bytes = bytes;
        Reads = reads;
        DestinationTensor = destination;
        _compiled = CompiledKernel.Compile(kernel);
    }

    /// <summary>The node's name.</summary>
    public string Name { get; }

    /// <summary>What the kernel computes, e.g. <c>pool: max 3x3 s2x2 p1x1 of 8192 planes 112x112 -&gt; 56x56 on 4 core groups</c>.</summary>
    public string Description { get; }

    /// <summary>The optimized loop kernel every CPE runs.</summary>
    public LoopKernel Kernel { get; }

    /// <summary>The core groups that run it.</summary>
    public int CoreGroups { get; }

    /// <summary>The bytes it reads and writes at least: each input once and the output once.</summary>
    public long Bytes { get; }

    /// <summary>The kernel tensors it reads, each with the node's input (an activation or a constant) bound to it.</summary>
    public ImmutableArray<(string Tensor, GraphValue Value)> Reads { get; }

    /// <summary>The kernel tensor it writes: the node's output.</summary>
    public string DestinationTensor { get; }

    /// <summary>
    /// The kernel of <paramref name="node"/> for <paramref name="target"/>, or <see langword="null"/> when the node has none:
    /// it is not a pooling, an add, a clamp, a per-channel bias or scale, a concatenation or a softmax along its innermost
    /// axis, or its buffers for one unit of work (one plane of a global pooling, one output row of a windowed one, the
    /// constants of a per-channel node, two copies of a softmax's row) do not fit the LDM budget.
    /// </summary>
    public static Sw26010NodeKernel? For(Sw26010Target target, GraphNode node, ElementType elementType)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(node);
        var groups = target.Spec.CoreGroups;
        string description;
        long bytes;
        Func<LoopKernel> lower;
        ImmutableArray<(string Tensor, GraphValue Value)> reads;
        string destination;
        if (PoolingKernel.For(node, elementType, groups) is { } pooling)
        {
            (description, bytes, lower, destination) = (pooling.ToString(), pooling.Bytes, () => PoolingLowering.Lower(pooling, target.Limits), PoolingLowering.DestinationTensor);
            reads = [(PoolingLowering.SourceTensor, node.Inputs[0])];
        }
        else if (ElementwiseNodeKernel.For(node, elementType, groups) is { } elementwise)
        {
            (description, bytes, lower, destination) = (elementwise.ToString(), elementwise.Bytes, () => ElementwiseNodeLowering.Lower(elementwise, target.Limits), ElementwiseNodeLowering.DestinationTensor);
            reads = elementwise.HasSecondInput
                ? [(ElementwiseNodeLowering.SourceTensor, node.Inputs[0]), (ElementwiseNodeLowering.SecondTensor, node.Inputs[1])]
                : [(ElementwiseNodeLowering.SourceTensor, node.Inputs[0])];
        }
        else if (ConcatKernel.For(node, elementType, groups) is { } concat)
        {
            (description, bytes, lower, destination) = (concat.ToString(), concat.Bytes, () => ConcatLowering.Lower(concat, target.Limits), ConcatLowering.DestinationTensor);
            reads = [.. node.Inputs.Select((v, i) => (ConcatKernel.PartTensor(i), v))];
        }
        else if (SoftmaxKernel.For(node, elementType, groups) is { } softmax)
        {
            (description, bytes, lower, destination) = (softmax.ToString(), softmax.Bytes, () => SoftmaxLowering.Lower(softmax, target.Limits), SoftmaxLowering.DestinationTensor);
            reads = [(SoftmaxLowering.SourceTensor, node.Inputs[0])];
        }
        else
        {
            return null;
        }

        LoopKernel lowered;
        try
        {
            lowered = lower();
        }
        catch (NotSupportedException)
        {
            return null;
        }

        var optimized = Sw26010LayoutStep.Pipeline.Run(lowered, target.PassContext.ForCoreGroups(groups)).Kernel;
        return new Sw26010NodeKernel(node.Name, description, optimized, groups, bytes, reads, destination);
    }

    /// <summary>The CPE program of one core group, with each kernel tensor bound to its buffer in <paramref name="buffers"/>.</summary>
    public CpeProgram Program(IReadOnlyDictionary<string, GlobalBuffer> buffers) => _compiled.Program(buffers);

    /// <summary>The CPE program of one core group of a kernel with one input, from <paramref name="source"/> (the input) to <paramref name="destination"/> (the output).</summary>
    public CpeProgram Program(GlobalBuffer source, GlobalBuffer destination) => Program(Bind(source, destination));

    /// <summary>Runs the kernel on <paramref name="chip"/> with each kernel tensor bound to its buffer in <paramref name="buffers"/> (all in its shared memory): its time as a profile reports it.</summary>
    internal StepTime Run(Sw26010Chip chip, IReadOnlyDictionary<string, GlobalBuffer> buffers)
    {
        var report = chip.Run(_ => Program(buffers), CoreGroups);
        return new StepTime(Name, report.Profile.SimulatedSeconds, Bytes, OnMpe: false);
    }

    /// <summary>Runs a kernel with one input on <paramref name="chip"/> from <paramref name="source"/> to <paramref name="destination"/>: its time as a profile reports it.</summary>
    internal StepTime Run(Sw26010Chip chip, GlobalBuffer source, GlobalBuffer destination) => Run(chip, Bind(source, destination));

    /// <summary>What it computes.</summary>
    public override string ToString() => Description;

    private Dictionary<string, GlobalBuffer> Bind(GlobalBuffer source, GlobalBuffer destination)
    {
        if (Reads.Length != 1)
        {
            throw new InvalidOperationException($"Node kernel '{Name}' reads {Reads.Length} tensors; bind each by name.");
        }

        return new Dictionary<string, GlobalBuffer>(StringComparer.Ordinal) { [Reads[0].Tensor] = source, [DestinationTensor] = destination };
    }
}
