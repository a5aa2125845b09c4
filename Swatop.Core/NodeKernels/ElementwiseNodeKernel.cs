using System.Collections.Immutable;
using System.Globalization;
using Swatop.Core.Graphs;
using Swatop.Primitives;

namespace Swatop.Core.NodeKernels;

/// <summary>
/// An element-wise node that did not fuse into a kernel's epilogue (an add, a clamp, a per-channel bias or scale) as a
/// streaming kernel of the compute cores: its inputs and output in the framework's layout (in the memory the framework
/// shares), dealt in runs to every CPE of <see cref="CoreGroups"/> core groups. The output's shape is
/// <c>Batch x Channels x Inner</c> (the trailing dimensions flattened). Lowered by <see cref="ElementwiseNodeLowering"/>;
/// its reference is the node's (<see cref="GraphReference"/>). Compared by value.
/// </summary>
/// <param name="Name">Names the kernel in profiles and in C (an identifier is derived from it).</param>
/// <param name="Kind">What each element gets.</param>
/// <param name="ElementType">The element type.</param>
/// <param name="Batch">The output's first dimension.</param>
/// <param name="Channels">Its second dimension (1 for a tensor of rank 1).</param>
/// <param name="Inner">The product of the dimensions after the second.</param>
/// <param name="Minimum">A clamp's minimum (negative infinity for none); 0 for the other kinds.</param>
/// <param name="Maximum">A clamp's maximum (positive infinity for none); 0 for the other kinds.</param>
/// <param name="CoreGroups">The core groups that run it, each on its share of the runs.</param>
public sealed record ElementwiseNodeKernel(
    string Name, ElementwiseNodeKind Kind, ElementType ElementType, int Batch, int Channels, long Inner, double Minimum, double Maximum, int CoreGroups)
{
    /// <summary>Elements of the output (and of each input that is not a per-channel constant).</summary>
    public long Elements => (long)Batch * Channels * Inner;

    /// <summary>Bytes of one element.</summary>
    public int ElementBytes => ElementType == ElementType.Float32 ? sizeof(float) : sizeof(double);

    /// <summary>Whether the kernel reads a second tensor: the add's right input, or the per-channel constants.</summary>
    public bool HasSecondInput => Kind != ElementwiseNodeKind.Clip;

    /// <summary>The elements of the second input: the output's for an add, one a channel for a bias or a scale, none for a clamp.</summary>
    public long SecondElements => Kind switch
    {
        ElementwiseNodeKind.Add => Elements,
        ElementwiseNodeKind.Clip => 0,
        _ => Channels,
    };

    /// <summary>The bytes the kernel reads and writes at least: each input once and the output once.</summary>
    public long Bytes => ((2 * Elements) + SecondElements) * ElementBytes;

    /// <summary>
    /// The kernel of <paramref name="node"/> on <paramref name="coreGroups"/> core groups, or <see langword="null"/> when the
    /// node is not an add, a clamp, a per-channel bias or a per-channel scale.
    /// </summary>
    /// <param name="node">The node.</param>
    /// <param name="elementType">The graph's element type.</param>
    /// <param name="coreGroups">The core groups that run it, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="coreGroups"/> is below 1.</exception>
    public static ElementwiseNodeKernel? For(GraphNode node, ElementType elementType, int coreGroups)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentOutOfRangeException.ThrowIfLessThan(coreGroups, 1);
        return node switch
        {
            AddNode add => Of(add.Name, ElementwiseNodeKind.Add, add.Output.Shape, 0, 0),
            ClipNode clip => Of(clip.Name, ElementwiseNodeKind.Clip, clip.Output.Shape, clip.Min, clip.Max),
            BiasAddNode bias => Of(bias.Name, ElementwiseNodeKind.BiasAdd, bias.Output.Shape, 0, 0),
            ChannelScaleNode scale => Of(scale.Name, ElementwiseNodeKind.ChannelScale, scale.Output.Shape, 0, 0),
            _ => null,
        };

        ElementwiseNodeKernel Of(string name, ElementwiseNodeKind kind, ImmutableArray<int> shape, double min, double max)
        {
            var inner = 1L;
            for (var d = 2; d < shape.Length; d++)
            {
                inner *= shape[d];
            }

            return new(name, kind, elementType, shape[0], shape.Length > 1 ? shape[1] : 1, inner, min, max, coreGroups);
        }
    }

    /// <summary>E.g. <c>res: add of 128 x 512 x 784 on 4 core groups</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Name}: {Kind switch { ElementwiseNodeKind.Add => "add", ElementwiseNodeKind.Clip => $"clip [{Minimum}, {Maximum}]", ElementwiseNodeKind.BiasAdd => "bias add", _ => "channel scale" }} of {Batch} x {Channels} x {Inner} on {CoreGroups} core group{(CoreGroups == 1 ? "" : "s")}");
}
