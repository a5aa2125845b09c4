using Swatop.Core.Ir;

namespace Swatop.Tests.Ir;

public class BoundsTests
{
    private static readonly RangeScope Kernel = RangeScope.ForKernel(4);

    private static Interval Of(string expression, RangeScope scope) => Bounds.Of(IrParser.ParseExpression(expression), scope);

    [Test]
    public void Built_ins_range_over_the_mesh_and_the_core_groups()
    {
        Assert.That(Of("row * 8 + col", Kernel), Is.EqualTo(new Interval(0, 63)));
        Assert.That(Of("cg", Kernel), Is.EqualTo(new Interval(0, 3)));
        Assert.That(Of("cg", RangeScope.ForKernel(2)), Is.EqualTo(new Interval(0, 1)));
    }

    [Test]
    public void A_loop_variable_ranges_below_the_largest_extent()
    {
        var scope = Kernel.BindLoop("band", 2).Bind("width", Of("min(4, 7 - band * 4)", Kernel.BindLoop("band", 2)));
        Assert.That(scope.TryGetRange("width", out var width) ? width : default, Is.EqualTo(new Interval(3, 4)));
        var inner = scope.BindLoop("i", IrParser.ParseExpression("width + 2"));
        Assert.That(Of("i", inner), Is.EqualTo(new Interval(0, 5)));
        Assert.That(Of("width + 1 - i", inner), Is.EqualTo(new Interval(0, 5)), "the loop's own bound is a fact");
    }

    [Test]
    public void Like_terms_cancel_and_operators_are_bounded()
    {
        var scope = Kernel.BindLoop("i", 10);
        Assert.That(Of("i + 1 - i", scope), Is.EqualTo(Interval.Exactly(1)));
        Assert.That(Of("i / 4", scope), Is.EqualTo(new Interval(0, 2)));
        Assert.That(Of("i % 4", scope), Is.EqualTo(new Interval(0, 3)));
        Assert.That(Of("i < 10", scope), Is.EqualTo(Interval.Exactly(1)));
        Assert.That(Of("i < 5", scope), Is.EqualTo(Interval.Boolean));
        Assert.That(Of("max(i, 3) - 3", scope), Is.EqualTo(new Interval(0, 6)));
        Assert.That(Of("n", scope), Is.EqualTo(Interval.Unbounded));
    }

    [Test]
    public void Conditions_tighten_the_ranges_of_the_forms_they_test()
    {
        var scope = Kernel.BindLoop("i", 6).BindLoop("kc", 3).Bind("width", new Interval(3, 4));
        Assert.That(Of("i * 64 - kc * 64", scope), Is.EqualTo(new Interval(-128, 320)));
        var guarded = scope.AssumeTrue(IrParser.ParseExpression("0 <= i - kc && i - kc < width"));
        Assert.That(Of("i * 64 - kc * 64", guarded), Is.EqualTo(new Interval(0, 192)));
        var otherwise = scope.AssumeFalse(IrParser.ParseExpression("i < 4"));
        Assert.That(Of("i", otherwise), Is.EqualTo(new Interval(4, 5)));
    }
}
