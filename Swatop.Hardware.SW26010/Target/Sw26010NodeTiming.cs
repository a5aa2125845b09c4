using Swatop.Core.Graphs;
using Swatop.Core.Targets;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Primitives;

namespace Swatop.Hardware.Sw26010.Target;

/// <summary>
/// The time of a graph node that is not an operator, as <see cref="Sw26010Target.MeasureNode"/> gives it: its CPE kernel
/// (<see cref="Sw26010NodeKernel"/>: a pooling, an unfused element-wise node, a concatenation, a softmax) emulated in timing-only mode on every core group, where it has one; the MPE's time for
/// the node's bytes and flops (<see cref="MpeSeconds"/>); the faster of the two.
/// </summary>
internal static class Sw26010NodeTiming
{
    /// <summary>The time of <paramref name="node"/> on <paramref name="target"/>: its CPE kernel's or the MPE's, whichever is less.</summary>
    public static StepTime Measure(Sw26010Target target, GraphNode node, ElementType elementType, CancellationToken cancellation)
    {
        var mpe = OnMpe(target.Spec, node, elementType);
        if (Sw26010NodeKernel.For(target, node, elementType) is not { } kernel)
        {
            return mpe;
        }

        var chip = new Sw26010Chip(target.Spec, target.Options with { TimingOnly = true, Cancellation = cancellation });
        var bytes = elementType == ElementType.Float32 ? sizeof(float) : sizeof(double);
        var buffers = new Dictionary<string, GlobalBuffer>(StringComparer.Ordinal);
        foreach (var (tensor, value) in kernel.Reads)
        {
            buffers[tensor] = chip.SharedMemory.Allocate(tensor, value.ElementLength * bytes);
        }

        buffers[kernel.DestinationTensor] = chip.SharedMemory.Allocate(kernel.DestinationTensor, node.Output.ElementLength * bytes);
        var cpes = kernel.Run(chip, buffers);
        return cpes.Seconds <= mpe.Seconds ? cpes : mpe;
    }

    /// <summary>The time of <paramref name="node"/> on the MPE, named after it (<see cref="MpeSeconds"/>).</summary>
    public static StepTime OnMpe(Sw26010Spec spec, GraphNode node, ElementType elementType) =>
        new(node.Name, MpeSeconds(spec, node, elementType), BytesOf(node, elementType), OnMpe: true);

    /// <summary>
    /// The MPE's seconds for <paramref name="node"/>: its bytes (every input read once, the output written once) at the
    /// MPE's streaming rate plus its flops at the MPE's rate (<see cref="Timing.Sw26010Timing.MpeBytesPerCycle"/>,
    /// <see cref="Timing.Sw26010Timing.MpeFlopsPerCycle"/>: assumptions, no public figure).
    /// </summary>
    public static double MpeSeconds(Sw26010Spec spec, GraphNode node, ElementType elementType)
    {
        var work = new MpeWork(BytesOf(node, elementType), FlopsOf(node));
        var timing = spec.Timing;
        return ((work.Bytes / timing.MpeBytesPerCycle) + (work.Flops / timing.MpeFlopsPerCycle)) / spec.ClockHz;
    }

    /// <summary>The bytes a node reads and writes: each distinct input once, the output once.</summary>
    public static long BytesOf(GraphNode node, ElementType elementType)
    {
        var bytes = elementType == ElementType.Float32 ? sizeof(float) : sizeof(double);
        return (node.Inputs.Distinct().Sum(v => v.ElementLength) + node.Output.ElementLength) * bytes;
    }

    /// <summary>
    /// The flops of a node: a window's elements per pooled output, one per element of an add, a bias or a scale, two of a
    /// clamp; a softmax's maximum, exponential, sum and quotient counted as 24 per element (an assumption: an
    /// exponential's polynomial of about 20); none for a copy.
    /// </summary>
    private static long FlopsOf(GraphNode node)
    {
        var output = node.Output.ElementLength;
        return node switch
        {
            MaxPoolNode max => output * max.Kernel.Height * max.Kernel.Width,
            AveragePoolNode average => output * average.Kernel.Height * average.Kernel.Width,
            GlobalAveragePoolNode global => global.Input.ElementLength,
            AddNode or BiasAddNode or ChannelScaleNode => output,
            ClipNode => 2 * output,
            SoftmaxNode => 24 * output,
            _ => 0,
        };
    }
}
