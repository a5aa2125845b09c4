using System.Globalization;
using Swatop.Core.Graphs;
using Swatop.Primitives;

namespace Swatop.Core.NodeKernels;

/// <summary>
/// A softmax along a tensor's innermost dimensions as a kernel of the compute cores: its input and output in the
/// framework's layout (in the memory the framework shares), <see cref="Rows"/> rows of <see cref="Length"/> contiguous
/// elements, each normalized on its own (the classifier's last axis). Lowered by <see cref="SoftmaxLowering"/>; its
/// reference is the node's (<see cref="NodeReference{T}"/>, with <see cref="Math.Exp"/>). Compared by value.
/// </summary>
/// <param name="Name">Names the kernel in profiles and in C (an identifier is derived from it).</param>
/// <param name="ElementType">The element type.</param>
/// <param name="Rows">The rows: the product of the dimensions before the axis.</param>
/// <param name="Length">The elements a row: the axis's length.</param>
/// <param name="CoreGroups">The core groups that run it, each on its share of the rows.</param>
public sealed record SoftmaxKernel(string Name, ElementType ElementType, long Rows, int Length, int CoreGroups)
{
    /// <summary>Elements of the input and of the output.</summary>
    public long Elements => Rows * Length;

    /// <summary>Bytes of one element.</summary>
    public int ElementBytes => ElementType == ElementType.Float32 ? sizeof(float) : sizeof(double);

    /// <summary>The bytes the kernel reads and writes: the input once and the output once.</summary>
    public long Bytes => 2 * Elements * ElementBytes;

    /// <summary>
    /// The kernel of <paramref name="node"/> on <paramref name="coreGroups"/> core groups, or <see langword="null"/> when the
    /// node is not a softmax or its axis is not the innermost one that is longer than 1 (its rows would not be contiguous).
    /// </summary>
    /// <param name="node">The node.</param>
    /// <param name="elementType">The graph's element type.</param>
    /// <param name="coreGroups">The core groups that run it, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="coreGroups"/> is below 1.</exception>
    public static SoftmaxKernel? For(GraphNode node, ElementType elementType, int coreGroups)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentOutOfRangeException.ThrowIfLessThan(coreGroups, 1);
        if (node is not SoftmaxNode softmax)
        {
            return null;
        }

        var shape = softmax.Input.Shape;
        for (var d = softmax.Axis + 1; d < shape.Length; d++)
        {
            if (shape[d] != 1)
            {
                return null;
            }
        }

        var length = shape[softmax.Axis];
        return new SoftmaxKernel(softmax.Name, elementType, softmax.Input.ElementLength / length, length, coreGroups);
    }

    /// <summary>E.g. <c>prob: softmax of 128 rows of 1000 on 4 core groups</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Name}: softmax of {Rows} row{(Rows == 1 ? "" : "s")} of {Length} on {CoreGroups} core group{(CoreGroups == 1 ? "" : "s")}");
}
