using System.Collections.Immutable;
using Swatop.Core.Graphs;
using Swatop.Core.Layouts;
using Swatop.Core.Lowering;

namespace Swatop.Core.GraphTuning;

/// <summary>
/// How a value's placement carries through a graph node that is not an operator Swatop tunes (a residual
/// add, a pooling, a flatten), which works element by element in whatever layout its input lies in: its
/// output lies in the same arrangement. An add, a per-channel bias or scale and a clamp keep the placement
/// as it is (an add's inputs must agree). A
/// flatten of trailing unit dimensions drops them: the order, blocks and padding of every dimension it keeps stay,
/// and a dimension it drops must be plain there (neither blocked, padded nor split over the groups). Anything else
/// (a pooling, whose kernel reads and writes the framework's layout, a concatenation, a softmax, a reshape) lies in
/// the framework's layout first.
/// </summary>
public static class PlacementCarry
{
    /// <summary>
    /// The placement of <paramref name="node"/>'s output when its (first) input lies in
    /// <paramref name="input"/>, or <see langword="null"/> when the output lies in the framework's layout
    /// (the input must then be there too, see <see cref="Accepts"/>).
    /// </summary>
    public static TensorPlacement? Through(GraphNode node, TensorPlacement? input)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (LayoutConversion.Holding(input) is not { } placement || !Accepts(node, placement))
        {
            return null;
        }

        var output = new TensorDeclaration(placement.Tensor.Name, node.Output.Shape);
        var layout = placement.Layout;
        if (node is AddNode or BiasAddNode or ChannelScaleNode or ClipNode)
        {
            return placement with { Layout = layout with { Tensor = output } };
        }

        var rank = output.Rank;
        var kept = node is FlattenNode ? [.. layout.Order.Where(d => d < rank)] : layout.Order;
        var carried = new TensorLayout(
            output,
            kept,
            [.. Enumerable.Range(0, rank).Select(d => Changes(placement, output, d) ? 0 : layout.Origins[d])],
            [.. Enumerable.Range(0, rank).Select(d => Changes(placement, output, d) ? output.Shape[d] : layout.Lengths[d])],
            [.. Enumerable.Range(0, rank).Select(d => layout.Blocks[d])]);
        return LayoutConversion.Holding(new TensorPlacement(carried, placement.Distribution));
    }

    /// <summary>Whether <paramref name="node"/> can work on its input where <paramref name="input"/> keeps it.</summary>
    public static bool Accepts(GraphNode node, TensorPlacement? input)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (LayoutConversion.Holding(input) is not { } placement || node is AddNode or BiasAddNode or ChannelScaleNode or ClipNode)
        {
            return true;
        }

        var output = node.Output;
        bool Plain(int d) =>
            placement.Layout.Blocks[d] == 0 && placement.Layout.Origins[d] == 0 && placement.Layout.Lengths[d] == placement.Tensor.Shape[d]
            && (placement.Distribution is not SplitDistribution split || split.Dimension != d);
        var shrunk = Enumerable.Range(0, placement.Tensor.Rank).Where(d => d >= output.Rank || placement.Tensor.Shape[d] != output.Shape[d]);
        return node switch
        {
            FlattenNode => output.Rank >= 2 && placement.Tensor.Shape.Skip(output.Rank).All(s => s == 1) && shrunk.All(Plain),
            _ => false,
        };
    }

    /// <summary>Whether dimension <paramref name="d"/> changes length from <paramref name="placement"/>'s tensor to <paramref name="output"/>.</summary>
    private static bool Changes(TensorPlacement placement, TensorDeclaration output, int d) => placement.Tensor.Shape[d] != output.Shape[d];
}
