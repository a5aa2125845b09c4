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

    [Test]
    public void A_fact_that_bounds_an_atom_through_itself_ends()
    {
        var d = "min(16, 24 - k * 16) / 8";
        var scope = Kernel.BindLoop("k", 2).AssumeTrue(IrParser.ParseExpression($"max(0, min(19 - k * 16 - row * ({d}), {d})) == {d}"));
        Assert.That(Of(d, scope), Is.EqualTo(new Interval(1, 2)));
    }

    [Test]
    public void Facts_through_min_and_max_become_linear_facts()
    {
        var scope = Kernel.AssumeTrue(IrParser.ParseExpression("max(0, min(17 - row * 16, 16)) == 16 && max(0, min(5 - col, 1)) == 1"));
        Assert.That(Of("row", scope), Is.EqualTo(Interval.Exactly(0)), "16 <= 17 - row * 16");
        Assert.That(Of("col", scope), Is.EqualTo(new Interval(0, 4)), "1 <= 5 - col");
        var loop = Kernel.BindLoop("j", IrParser.ParseExpression("max(0, min(17 - col * 4, 4))"));
        Assert.That(Of("17 - col * 4 - j", loop).Min, Is.EqualTo(1), "the loop runs, so its extent is min(17 - col * 4, 4)");
    }

    [Test]
    public void A_let_is_equal_to_its_value()
    {
        var scope = Kernel.BindLoop("band", 2).BindLet("width", IrParser.ParseExpression("min(4, 5 - band * 4)"));
        Assert.That(Of("width", scope), Is.EqualTo(new Interval(1, 4)));
        Assert.That(Of("5 - band * 4 - width", scope).Min, Is.EqualTo(0));
    }

    [Test]
    public void Linear_bounds_use_all_the_facts_together()
    {
        var scope = Kernel.BindLoop("k", 2).BindLoop("j", IrParser.ParseExpression("max(0, min(3 - col * 4, 4))"))
            .AssumeTrue(IrParser.ParseExpression("0 < max(0, min(3 - k * 8 - row, 1))"));
        var offset = IrParser.ParseExpression("k * 8 + row + col * 44 + j * 11");
        Assert.That(Of("k * 8 + row + col * 44 + j * 11", scope).Max, Is.GreaterThan(24), "one fact at a time");
        Assert.That(LinearBounds.Of(offset, scope), Is.EqualTo(new Interval(0, 24)));
    }

    [Test]
    public void Linear_bounds_know_division_and_remainder_by_a_constant()
    {
        var scope = Kernel.BindLoop("i", 7).BindLoop("kh", 3).AssumeTrue(IrParser.ParseExpression("0 <= i - kh * 2 && (i / 2 - kh < 2 && i % 2 == 0)"));
        Assert.That(LinearBounds.Of(IrParser.ParseExpression("i / 2 * 64 - kh * 64"), scope), Is.EqualTo(new Interval(0, 64)));
        Assert.That(LinearBounds.Of(IrParser.ParseExpression("i - i / 2 * 2"), scope), Is.EqualTo(Interval.Exactly(0)));
    }

    [Test]
    public void Facts_that_cannot_all_hold_give_an_empty_range()
    {
        var scope = Kernel.BindLoop("i", 4).AssumeTrue(IrParser.ParseExpression("i + row * 4 < 0"));
        var range = LinearBounds.Of(IrParser.ParseExpression("i"), scope);
        Assert.That(range.Min, Is.GreaterThan(range.Max));
    }
}
