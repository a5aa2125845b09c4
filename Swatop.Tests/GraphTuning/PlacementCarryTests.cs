using Swatop.Core;
using Swatop.Core.Graphs;
using Swatop.Core.GraphTuning;
using Swatop.Core.Layouts;
using Swatop.Core.Lowering;
using Swatop.Primitives;

namespace Swatop.Tests.GraphTuning;

/// <summary>A value's placement through the nodes that are not operators: kept where they work element by element, dropped to the framework's layout where they cannot.</summary>
public sealed class PlacementCarryTests
{
    private static readonly OperatorGraph Graph = BuildGraph();

    private static OperatorGraph BuildGraph()
    {
        var b = new GraphBuilder("carry", ElementType.Float64);
        var x = b.Input("x", 8, 16, 6, 6);
        var pooled = b.MaxPool("pool", x, kernel: 2);
        var summed = b.Add("sum", pooled, b.Input("y", 8, 16, 3, 3));
        var flat = b.Flatten("flatten", b.GlobalAveragePool("gap", summed));
        return b.Output(flat).Build();
    }

    /// <summary>Batch and channels blocked by 4, rows and columns plain, in that order outermost: the batch-innermost kind of layout kernels keep.</summary>
    private static TensorPlacement Blocked(int size, Distribution distribution)
    {
        var tensor = new TensorDeclaration("x", [8, 16, size, size]);
        return new TensorPlacement(new TensorLayout(tensor, [2, 3, 0, 1], [0, 0, 0, 0], [8, 16, size, size], [4, 4, 0, 0]), distribution);
    }

    [Test]
    public void A_pooling_reads_only_the_framework_s_layout_and_an_add_keeps_the_placement()
    {
        var byBatch = new SplitDistribution(4, 0, 1, 8, 1, 2);
        var byRows = new SplitDistribution(4, 2, 1, 6, 1, 2);
        var summed = PlacementCarry.Through(Graph.Node("sum"), Blocked(3, byBatch));
        Assert.Multiple(() =>
        {
            Assert.That(PlacementCarry.Accepts(Graph.Node("pool"), Blocked(6, byBatch)), Is.False, "its kernel reads the framework's layout");
            Assert.That(PlacementCarry.Accepts(Graph.Node("pool"), Blocked(6, byRows)), Is.False);
            Assert.That(PlacementCarry.Accepts(Graph.Node("gap"), Blocked(3, Distribution.Replicated(4))), Is.False);
            Assert.That(PlacementCarry.Through(Graph.Node("pool"), Blocked(6, byBatch)), Is.Null);
            Assert.That(PlacementCarry.Through(Graph.Node("pool"), null), Is.Null, "the framework's layout stays");
            Assert.That(summed, Is.Not.Null);
            Assert.That(summed!.Layout.HasSameArrangement(Blocked(3, byBatch).Layout), Is.True, "an add keeps the placement");
            Assert.That(summed.Distribution, Is.EqualTo(byBatch));
        });
    }

    [Test]
    public void A_flatten_drops_the_unit_dimensions_of_a_blocked_placement()
    {
        var flat = PlacementCarry.Through(Graph.Node("flatten"), Blocked(1, Distribution.Replicated(4)));
        Assert.Multiple(() =>
        {
            Assert.That(flat, Is.Not.Null);
            Assert.That(flat!.Tensor.Shape, Is.EqualTo(new[] { 8, 16 }));
            Assert.That(flat.Layout.Order, Is.EqualTo(new[] { 0, 1 }));
            Assert.That(flat.Layout.Blocks, Is.EqualTo(new long[] { 4, 4 }));
        });
    }
}
