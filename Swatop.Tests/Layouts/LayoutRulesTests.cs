using Swatop.Core.Algorithms.ImplicitGemm;
using System.Collections.Immutable;
using Swatop.Core;
using Swatop.Core.Layouts;
using Swatop.Core.Lowering;
using Swatop.Core.Scheduling;

namespace Swatop.Tests.Layouts;

/// <summary>
/// The one definition of where a framework element lies in a layout: it prints as C, and its two ways of
/// evaluation (element by element, and the per-dimension tables the host permute walks) agree on every
/// element, padding and blocks included.
/// </summary>
public sealed class LayoutRulesTests
{
    private static readonly TargetLimits Limits = Swatop.Hardware.Sw26010.Target.Sw26010Target.Default.Limits;

    [Test]
    public void The_rules_read_as_the_host_file_prints_them()
    {
        static string C(IndexExpression rule) => rule.Print(array => LayoutTable.Find(array) is null ? array : $"l->{array}");
        Assert.Multiple(() =>
        {
            Assert.That(C(LayoutRules.PositionOf), Is.EqualTo("index[d] + l->origin[d]"));
            Assert.That(C(LayoutRules.Inside), Is.EqualTo("position >= 0 && position < l->length[d]"));
            Assert.That(C(LayoutRules.Place), Is.EqualTo("l->block[d] > 0 ? p / l->block[d] * l->outer[d] + p % l->block[d] * l->stride[d] : p * l->stride[d]"));
        });
    }

    [Test]
    public void The_tables_are_the_layouts_members_in_the_host_files_order()
    {
        var layout = Blocked();
        Assert.Multiple(() =>
        {
            Assert.That(LayoutTable.All.Select(t => t.Name), Is.EqualTo(new[] { "shape", "origin", "length", "stride", "block", "outer" }));
            Assert.That(LayoutTable.Shape.ValuesOf(layout), Is.EqualTo(layout.Tensor.Shape.Select(s => (long)s)));
            Assert.That(LayoutTable.Origin.ValuesOf(layout), Is.EqualTo(layout.Origins));
            Assert.That(LayoutTable.Length.ValuesOf(layout), Is.EqualTo(layout.Lengths));
            Assert.That(LayoutTable.Stride.ValuesOf(layout), Is.EqualTo(layout.Strides));
            Assert.That(LayoutTable.Block.ValuesOf(layout), Is.EqualTo(layout.Blocks));
            Assert.That(LayoutTable.Outer.ValuesOf(layout), Is.EqualTo(layout.OuterStrides));
            Assert.That(LayoutTable.Find("stride"), Is.SameAs(LayoutTable.Stride));
            Assert.That(LayoutTable.Find("index"), Is.Null);
        });
    }

    [Test]
    public void A_blocked_element_lies_where_its_block_and_its_place_inside_it_say()
    {
        // Output [128][32][3][3] of the blocked pointwise convolution: n in blocks of 16, co in blocks of 4.
        var layout = Blocked();
        long[] index = [37, 9, 2, 1];
        var expected = 0L;
        for (var d = 0; d < index.Length; d++)
        {
            var p = index[d] + layout.Origins[d];
            expected += layout.IsBlocked(d) ? (p / layout.Blocks[d] * layout.OuterStrides[d]) + (p % layout.Blocks[d] * layout.Strides[d]) : p * layout.Strides[d];
        }

        Assert.That(layout.OffsetOf(index), Is.EqualTo(expected));
    }

    [Test]
    public void The_per_dimension_tables_sum_to_every_elements_offset_padding_included()
    {
        foreach (var layout in new[] { Blocked(), Padded() })
        {
            var along = Enumerable.Range(0, layout.Tensor.Rank).Select(layout.OffsetsAlong).ToArray();
            var outside = 0;
            foreach (var index in Indices(layout.Tensor.Shape))
            {
                var offset = layout.OffsetOf(index);
                var parts = index.Select((i, d) => along[d][(int)i]).ToArray();
                var summed = parts.Any(p => p < 0) ? -1 : parts.Sum();
                Assert.That(summed, Is.EqualTo(offset), $"{layout.Tensor.Name}[{string.Join(", ", index)}]");
                outside += offset < 0 ? 1 : 0;
            }

            Assert.That(outside, Is.Zero, "a framework element the kernel reads is always held");
        }
    }

    [Test]
    public void Offsets_along_a_dimension_mark_what_the_layout_does_not_hold()
    {
        // The padded convolution input: rows -1 .. 5 are held (origin 1, length 7), so the 5 framework rows are all inside.
        var layout = Padded();
        Assert.Multiple(() =>
        {
            Assert.That(layout.OffsetsAlong(2), Is.EqualTo(new long[] { 42, 84, 126, 168, 210 }));
            Assert.That(() => layout.OffsetsAlong(4), Throws.TypeOf<ArgumentOutOfRangeException>());
        });

        // A layout shorter than its tensor (built by hand) does not hold the last index.
        var tensor = TensorDeclaration.Create("t", 4);
        var shorter = new TensorLayout(tensor, [0], [0L], [3L], [0L]);
        Assert.That(shorter.OffsetsAlong(0), Is.EqualTo(new long[] { 0, 1, 2, -1 }));
        Assert.That(shorter.OffsetOf([3]), Is.EqualTo(-1));
    }

    /// <summary>The output of a pointwise convolution in blocked layouts (blocks of 16 batch and 4 channel positions).</summary>
    internal static TensorLayout Blocked()
    {
        var conv = Operator.Conv2d(128, 16, 32, 3, 3, 1);
        var schedule = new ImplicitGemmSchedule
        {
            Mapping = new GemmMapping("n", "co", "ci"), TileM = 128, TileN = 32, TileK = 8,
            IndexOrder = ["oh", "ow", "n", "co"], ReductionOrder = ["ci", "kh", "kw"], BlockedLayouts = true,
        };
        return KernelLowering.Lower(conv, schedule, Limits).Layouts["output"];
    }

    /// <summary>The input of a padded strided convolution (origins 1, lengths 7 in the spatial dimensions).</summary>
    internal static TensorLayout Padded()
    {
        var conv = Operator.Conv2d(2, 3, 4, 5, 6, 3, stride: 2, padding: 1);
        var schedule = new ImplicitGemmSchedule
        {
            Mapping = new GemmMapping("n", "co", "ci"), TileM = 128, TileN = 32, TileK = 8,
            IndexOrder = ["n", "co", "oh", "ow"], ReductionOrder = ["ci", "kh", "kw"],
        };
        return KernelLowering.Lower(conv, schedule, Limits).Layouts["input"];
    }

    private static IEnumerable<long[]> Indices(ImmutableArray<int> shape)
    {
        var index = new long[shape.Length];
        while (true)
        {
            yield return (long[])index.Clone();
            var d = shape.Length - 1;
            while (d >= 0 && ++index[d] >= shape[d])
            {
                index[d] = 0;
                d--;
            }

            if (d < 0)
            {
                yield break;
            }
        }
    }
}
