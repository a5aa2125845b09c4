using System.Globalization;
using Swatop.Core.Graphs;
using Swatop.Primitives;

namespace Swatop.Core.NodeKernels;

/// <summary>
/// A pooling node as a kernel of the compute cores: its input and output in the framework's layout (NCHW, in the
/// memory the framework shares), the channel planes (<c>N * C</c>) dealt to every CPE of <see cref="CoreGroups"/> core
/// groups. Lowered by <see cref="PoolingLowering"/>; its reference is the node's (<see cref="GraphReference"/>).
/// Compared by value.
/// </summary>
/// <param name="Name">Names the kernel in profiles and in C (an identifier is derived from it).</param>
/// <param name="Kind">What each window gives.</param>
/// <param name="ElementType">The element type.</param>
/// <param name="Planes">The channel planes, <c>N * C</c>.</param>
/// <param name="Height">The input's height.</param>
/// <param name="Width">The input's width.</param>
/// <param name="Window">The window's height and width (a global pooling's is the whole plane).</param>
/// <param name="Stride">The step between windows.</param>
/// <param name="Padding">The implicit padding above and below, left and right.</param>
/// <param name="CountIncludePad">An average's divisor: the whole window (true) or its elements inside the input.</param>
/// <param name="CoreGroups">The core groups that run it, each on its share of the planes.</param>
public sealed record PoolingKernel(
    string Name, PoolingKind Kind, ElementType ElementType, int Planes, int Height, int Width, Size2 Window, Size2 Stride, Size2 Padding, bool CountIncludePad, int CoreGroups)
{
    /// <summary>The output's height: <c>(Height + 2 * Padding.Height - Window.Height) / Stride.Height + 1</c>.</summary>
    public int OutHeight => ((Height + (2 * Padding.Height) - Window.Height) / Stride.Height) + 1;

    /// <summary>The output's width, likewise.</summary>
    public int OutWidth => ((Width + (2 * Padding.Width) - Window.Width) / Stride.Width) + 1;

    /// <summary>Elements of the input.</summary>
    public long InputElements => (long)Planes * Height * Width;

    /// <summary>Elements of the output.</summary>
    public long OutputElements => (long)Planes * OutHeight * OutWidth;

    /// <summary>Bytes of one element.</summary>
    public int ElementBytes => ElementType == ElementType.Float32 ? sizeof(float) : sizeof(double);

    /// <summary>The bytes the kernel reads and writes at least: the input once and the output once.</summary>
    public long Bytes => (InputElements + OutputElements) * ElementBytes;

    /// <summary>
    /// The kernel of <paramref name="node"/> on <paramref name="coreGroups"/> core groups, or <see langword="null"/> when the
    /// node is not a pooling (a max, an average or a global average pooling).
    /// </summary>
    /// <param name="node">The node.</param>
    /// <param name="elementType">The graph's element type.</param>
    /// <param name="coreGroups">The core groups that run it, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="coreGroups"/> is below 1.</exception>
    public static PoolingKernel? For(GraphNode node, ElementType elementType, int coreGroups)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentOutOfRangeException.ThrowIfLessThan(coreGroups, 1);
        var none = new Size2(0, 0);
        return node switch
        {
            MaxPoolNode max => Of(max.Name, PoolingKind.Max, max.Input, max.Kernel, max.Stride, max.Padding, countIncludePad: false),
            AveragePoolNode average => Of(average.Name, PoolingKind.Average, average.Input, average.Kernel, average.Stride, average.Padding, average.CountIncludePad),
            GlobalAveragePoolNode global => Of(global.Name, PoolingKind.GlobalAverage, global.Input, new Size2(global.Input.Shape[2], global.Input.Shape[3]), new Size2(1, 1), none, countIncludePad: true),
            _ => null,
        };

        PoolingKernel Of(string name, PoolingKind kind, GraphValue input, Size2 window, Size2 stride, Size2 padding, bool countIncludePad) =>
            new(name, kind, elementType, input.Shape[0] * input.Shape[1], input.Shape[2], input.Shape[3], window, stride, padding, countIncludePad, coreGroups);
    }

    /// <summary>E.g. <c>pool: max 3x3 s2x2 p1x1 of 8192 planes 112x112 -&gt; 56x56 on 4 core groups</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Name}: {Kind switch { PoolingKind.Max => "max", PoolingKind.Average => CountIncludePad ? "average (padding counted)" : "average", _ => "global average" }} {Window.Height}x{Window.Width} s{Stride.Height}x{Stride.Width} p{Padding.Height}x{Padding.Width} of {Planes} planes {Height}x{Width} -> {OutHeight}x{OutWidth} on {CoreGroups} core group{(CoreGroups == 1 ? "" : "s")}");
}
