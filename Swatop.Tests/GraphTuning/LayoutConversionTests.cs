using Swatop.Core;
using Swatop.Core.GraphTuning;
using Swatop.Core.Layouts;
using Swatop.Core.LayoutSteps;
using Swatop.Core.Lowering;
using Swatop.Primitives;

namespace Swatop.Tests.GraphTuning;

/// <summary>
/// The steps between where a value lies and where a consumer reads it: none when they agree, a pack or an
/// unpack at the framework's edge, a reorder in each group's memory when the groups hold the same elements,
/// and a trip through the framework's layout when they do not.
/// </summary>
public sealed class LayoutConversionTests
{
    private static readonly TensorDeclaration Tensor = new("x", [8, 4, 6]);

    private static readonly TensorLayout Permuted = new(Tensor, [2, 1, 0], [0, 0, 0], [8, 4, 6], [0, 0, 0]);

    private static readonly TensorLayout Padded = new(Tensor, [2, 1, 0], [0, 0, 1], [8, 4, 8], [0, 0, 0]);

    private static readonly SplitDistribution ByBatch = new(4, 0, 1, 8, 1, 2);

    private static IEnumerable<LayoutStepKind> Kinds(TensorPlacement? from, TensorPlacement? to) =>
        LayoutConversion.Steps("x", from, to, ElementType.Float64).Select(s => s.Kind);

    [Test]
    public void Nothing_moves_between_placements_that_agree_or_between_framework_layouts()
    {
        var placement = new TensorPlacement(Permuted, ByBatch);
        var renamed = new TensorPlacement(Permuted with { Tensor = new TensorDeclaration("input", Tensor.Shape) }, new SplitDistribution(4, 0, 1, 8, 2, 1));
        var identity = new TensorPlacement(TensorLayout.RowMajor(Tensor), ByBatch);
        Assert.Multiple(() =>
        {
            Assert.That(Kinds(placement, renamed), Is.Empty, "the same arrangement on the same groups, whatever the names and the split loop's steps");
            Assert.That(Kinds(null, null), Is.Empty);
            Assert.That(Kinds(null, identity), Is.Empty, "a kernel that reads the framework's layout reads it in place");
            Assert.That(LayoutConversion.KeyOf(identity), Is.EqualTo(LayoutConversion.KeyOf(null)));
        });
    }

    [Test]
    public void The_framework_edge_packs_and_unpacks_and_placements_that_disagree_are_reordered_or_go_through_the_framework()
    {
        var split = new TensorPlacement(Permuted, ByBatch);
        var paddedSplit = new TensorPlacement(Padded, ByBatch);
        var paddedWhole = new TensorPlacement(Padded, Distribution.Replicated(4));
        Assert.Multiple(() =>
        {
            Assert.That(Kinds(null, split), Is.EqualTo(new[] { LayoutStepKind.Pack }));
            Assert.That(Kinds(split, null), Is.EqualTo(new[] { LayoutStepKind.Unpack }));
            Assert.That(Kinds(split, paddedSplit), Is.EqualTo(new[] { LayoutStepKind.Reorder }), "each group holds its images: it pads them where they lie");
            Assert.That(Kinds(split, paddedWhole), Is.EqualTo(new[] { LayoutStepKind.Unpack, LayoutStepKind.Pack }), "a group reaches no other group's memory");
            Assert.That(LayoutConversion.Steps("x", split, paddedSplit, ElementType.Float64)[0].Name, Is.EqualTo("reorder x"));
        });
    }

    [Test]
    public void A_reorder_keeps_the_shape_and_each_groups_elements()
    {
        var other = new TensorPlacement(new TensorLayout(new TensorDeclaration("y", [8, 4, 5]), [0, 1, 2], [0, 0, 0], [8, 4, 5], [0, 0, 0]), ByBatch);
        Assert.Multiple(() =>
        {
            Assert.That(() => LayoutStep.Reorder("r", new TensorPlacement(Permuted, ByBatch), other, ElementType.Float64), Throws.ArgumentException.With.Message.Contains("keeps the tensor's shape"));
            Assert.That(() => LayoutStep.Reorder("r", new TensorPlacement(Permuted, ByBatch), new TensorPlacement(Padded, Distribution.Replicated(4)), ElementType.Float64),
                Throws.ArgumentException.With.Message.Contains("keeps each core group's elements where they are"));
        });
    }
}
