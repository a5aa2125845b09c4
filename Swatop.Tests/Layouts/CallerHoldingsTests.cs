using Swatop.Core;
using Swatop.Core.Layouts;
using Swatop.Core.Scheduling;

namespace Swatop.Tests.Layouts;

/// <summary>Where a single operator's caller keeps each activation, by the target's <see cref="CallerMemory"/>.</summary>
public sealed class CallerHoldingsTests
{
    private static readonly TargetLimits Shared = new(4, 56 * 1024);
    private static readonly TargetLimits InGroups = Shared with { CallerMemory = CallerMemory.CoreGroups };

    [Test]
    public void A_caller_of_the_shared_memory_holds_every_activation_in_the_framework_layout()
    {
        var spec = Operator.Conv2d(8, 16, 16, 7, 7, 3, padding: 1);
        var holdings = CallerHoldings.For(spec, Shared);
        Assert.That(holdings.Keys, Is.EquivalentTo(new[] { "input", "output" }), "the weights are a constant, prepared once");
        Assert.That(holdings.Values, Is.All.Null);
    }

    [Test]
    public void A_caller_in_the_core_groups_holds_each_groups_share_of_the_batch_row_major_in_its_memory()
    {
        var spec = Operator.Conv2d(8, 16, 16, 7, 7, 3, padding: 1);
        var holdings = CallerHoldings.For(spec, InGroups);
        var share = new SplitDistribution(4, 0, 1, 8, 1, 2);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(holdings.Keys, Is.EquivalentTo(new[] { "input", "output" }));
            Assert.That(holdings["input"]!.Distribution, Is.EqualTo(share));
            Assert.That(holdings["output"]!.Distribution, Is.EqualTo(share));
            Assert.That(holdings["input"]!.IsRowMajorInCoreGroups, Is.True);
            Assert.That(holdings["input"]!.Layout.IsIdentity, Is.False, "it lies in the groups' memories, not the shared memory");
            Assert.That(holdings["input"]!.Layout.OffsetOf([5, 3, 6, 2]), Is.EqualTo((((5L * 16) + 3) * 7 + 6) * 7 + 2), "at the framework's offset");
        }
    }

    [Test]
    public void A_gemms_right_operand_which_the_batch_does_not_index_lies_whole_in_every_group()
    {
        var spec = Operator.Gemm(64, 32, 16);
        var holdings = CallerHoldings.For(spec, InGroups);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(holdings["A"]!.Distribution, Is.EqualTo(new SplitDistribution(4, 0, 1, 64, 1, 16)));
            Assert.That(holdings["B"]!.Distribution, Is.EqualTo(Distribution.Replicated(4)));
            Assert.That(holdings["C"]!.Distribution, Is.EqualTo(new SplitDistribution(4, 0, 1, 64, 1, 16)));
        }
    }

    [Test]
    public void An_operator_with_fewer_images_than_core_groups_is_called_as_from_the_shared_memory()
    {
        var holdings = CallerHoldings.For(Operator.Conv2d(2, 16, 16, 7, 7, 3, padding: 1), InGroups);
        Assert.That(holdings.Values, Is.All.Null);
    }

    [Test]
    public void Each_group_holds_its_images_the_last_fewer_or_none()
    {
        var spec = Operator.Conv2d(6, 2, 2, 3, 3, 1);
        var input = CallerHoldings.For(spec, InGroups)["input"]!;
        var image = 2 * 3 * 3;
        var parts = Enumerable.Range(0, 4).Select(g => CallerHoldings.ElementsOf(input, g)).ToArray();
        Assert.That(parts, Is.EqualTo(new[] { (0L, 2L * image), (2L * image, 2L * image), (4L * image, 2L * image), (6L * image, 0L) }));
    }

    [Test]
    public void The_elements_of_a_holding_not_row_major_in_the_groups_are_refused()
    {
        var spec = Operator.Conv2d(8, 2, 2, 3, 3, 1);
        var framework = new TensorPlacement(Core.Lowering.TensorLayout.RowMajor(spec.Expression.Left.Tensor), Distribution.Replicated(4));
        var refused = Assert.Throws<ArgumentException>(() => CallerHoldings.ElementsOf(framework, 0))!;
        Assert.That(refused.ParamName, Is.EqualTo("holding"));
    }

    [Test]
    public void Row_major_layouts_in_the_groups_match_whatever_their_shapes_and_only_on_the_same_groups()
    {
        var nchw = new TensorDeclaration("x", [8, 4, 3, 5]);
        var merged = new TensorDeclaration("x", [8, 4, 15]);
        var share = new SplitDistribution(4, 0, 1, 8, 1, 2);
        var a = new TensorPlacement(Core.Lowering.TensorLayout.RowMajorInCoreGroups(nchw), share);
        var b = new TensorPlacement(Core.Lowering.TensorLayout.RowMajorInCoreGroups(merged), share);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(a.Matches(b), Is.True);
            Assert.That(a.Matches(b with { Distribution = new SplitDistribution(2, 0, 1, 8, 1, 4) }), Is.False);
            Assert.That(a.Matches(new TensorPlacement(Core.Lowering.TensorLayout.RowMajor(merged), share)), Is.False, "the framework's layout lies in the shared memory");
            Assert.That(Core.GraphTuning.LayoutConversion.KeyOf(a), Is.EqualTo(Core.GraphTuning.LayoutConversion.KeyOf(b)));
        }
    }
}
