using System.Collections.Immutable;
using Swatop.Core.Graphs;
using Swatop.Core.Layouts;
using Swatop.Core.Lowering;

namespace Swatop.Core.GraphTuning;

/// <summary>
/// How a value's placement carries through a graph node that is not an operator Swatop tunes (a residual
/// add, a pooling, a flatten), which works element by element in whatever layout its input lies in: its
/// output lies in the same arrangement. An add keeps the placement as it is (both inputs must agree). A
/// pooling keeps the order of the dimensions and the batch's share of each core group, for a placement
/// without padding or blocks; a flatten of trailing unit dimensions drops them. Anything else lies in the
/// framework's layout first.
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
        if (node is AddNode)
        {
            return placement with { Layout = layout with { Tensor = output } };
        }

        var kept = node is FlattenNode ? [.. layout.Order.Where(d => d < output.Rank)] : layout.Order;
        var rank = output.Rank;
        var carried = new TensorLayout(output, kept, [.. new long[rank]], [.. output.Shape.Select(s => (long)s)], [.. new long[rank]]);
        var distribution = placement.Distribution is SplitDistribution split
            ? new SplitDistribution(split.CoreGroups, 0, 1, output.Shape[0], split.Step, split.Chunk)
            : placement.Distribution;
        return LayoutConversion.Holding(new TensorPlacement(carried, distribution));
    }

    /// <summary>Whether <paramref name="node"/> can work on its input where <paramref name="input"/> keeps it.</summary>
    public static bool Accepts(GraphNode node, TensorPlacement? input)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (LayoutConversion.Holding(input) is not { } placement)
        {
            return true;
        }

        if (node is AddNode)
        {
            return true;
        }

        var layout = placement.Layout;
        var plain = layout.Blocks.All(b => b == 0) && layout.Origins.All(o => o == 0) && layout.Lengths.SequenceEqual(placement.Tensor.Shape.Select(s => (long)s));
        var byBatch = placement.Distribution is not SplitDistribution split || split.Dimension == 0 && split.Stride == 1;
        return node switch
        {
            MaxPoolNode or GlobalAveragePoolNode => plain && byBatch,
            FlattenNode flatten => plain && byBatch && flatten.Input.Shape.Skip(flatten.Output.Rank).All(s => s == 1) && flatten.Output.Rank >= 2,
            _ => false,
        };
    }
}
