using Swatop.Core.Layouts;

namespace Swatop.Tests.Layouts;

/// <summary>
/// The language the host's layout rules are written in: it prints as C, parenthesized only where C would
/// read the text otherwise, and evaluates as C does (truncating division, lazy conditionals).
/// </summary>
public sealed class IndexExpressionTests
{
    private static readonly IndexVariable A = new("a"), B = new("b"), C = new("c");

    [Test]
    public void Left_associative_chains_print_without_parentheses()
    {
        Assert.Multiple(() =>
        {
            Assert.That((A / 1 % 256 / 128 / 1).ToString(), Is.EqualTo("a / 1 % 256 / 128 / 1"));
            Assert.That(((A / B * C) + (A % B * C)).ToString(), Is.EqualTo("a / b * c + a % b * c"));
            Assert.That((A - B - C).ToString(), Is.EqualTo("a - b - c"));
        });
    }

    [Test]
    public void Parentheses_appear_where_the_tree_differs_from_how_c_reads_the_text()
    {
        Assert.Multiple(() =>
        {
            Assert.That(((A + B) * C).ToString(), Is.EqualTo("(a + b) * c"));
            Assert.That((A - (B - C)).ToString(), Is.EqualTo("a - (b - c)"));
            Assert.That((A / (B * C)).ToString(), Is.EqualTo("a / (b * c)"));
            Assert.That((IndexExpression.Conditional(A, B, C) + 1).ToString(), Is.EqualTo("(a ? b : c) + 1"));
            Assert.That(IndexExpression.Less(A + 1, B * 2).ToString(), Is.EqualTo("a + 1 < b * 2"));
            Assert.That(IndexExpression.And(IndexExpression.GreaterOrEqual(A, 0), IndexExpression.Less(A, B)).ToString(), Is.EqualTo("a >= 0 && a < b"));
        });
    }

    [Test]
    public void Arrays_print_as_the_printer_is_told()
    {
        var origin = new IndexElement("origin", new IndexVariable("d"));
        Assert.Multiple(() =>
        {
            Assert.That(origin.ToString(), Is.EqualTo("origin[d]"));
            Assert.That((origin + 1).Print(array => $"l->{array}"), Is.EqualTo("l->origin[d] + 1"));
        });
    }

    [Test]
    public void Division_and_remainder_truncate_toward_zero_as_in_c()
    {
        var scope = new Scope(("a", -7), ("b", 2));
        Assert.Multiple(() =>
        {
            Assert.That((A / B).Evaluate(scope), Is.EqualTo(-3));
            Assert.That((A % B).Evaluate(scope), Is.EqualTo(-1));
            Assert.That(IndexExpression.Greater(A, B).Evaluate(scope), Is.Zero);
            Assert.That(IndexExpression.GreaterOrEqual(B, 2).Evaluate(scope), Is.EqualTo(1));
        });
    }

    [Test]
    public void Only_the_branch_taken_and_the_needed_side_of_and_are_evaluated()
    {
        var scope = new Scope(("a", 5), ("b", 0));
        Assert.Multiple(() =>
        {
            Assert.That(IndexExpression.Conditional(IndexExpression.Greater(B, 0), A / B, A * 2).Evaluate(scope), Is.EqualTo(10));
            Assert.That(IndexExpression.And(B, A / B).Evaluate(scope), Is.Zero);
            Assert.That(() => (A / B).Evaluate(scope), Throws.TypeOf<DivideByZeroException>());
        });
    }

    [Test]
    public void An_unbound_name_is_refused_by_the_scope()
    {
        var error = Assert.Throws<ArgumentException>(() => (A + C).Evaluate(new Scope(("a", 1))));
        Assert.That(error!.Message, Does.Contain("'c'"));
    }

    [Test]
    public void Expressions_are_compared_by_value_and_know_the_arrays_they_read()
    {
        var one = new IndexElement("index", 0) / 2;
        var two = new IndexElement("index", 0) / 2;
        Assert.Multiple(() =>
        {
            Assert.That(one, Is.EqualTo(two));
            Assert.That(one.GetHashCode(), Is.EqualTo(two.GetHashCode()));
            Assert.That(one, Is.Not.EqualTo(new IndexElement("index", 1) / 2));
            Assert.That(one.Reads("index"), Is.True);
            Assert.That(one.Reads("origin"), Is.False);
        });
    }

    /// <summary>Variables by name; the arrays hold their subscript times ten.</summary>
    private sealed class Scope(params (string Name, long Value)[] variables) : IIndexScope
    {
        public long Variable(string name) =>
            variables.Where(v => v.Name == name).Select(v => (long?)v.Value).FirstOrDefault() ?? throw new ArgumentException($"'{name}' is not bound.", nameof(name));

        public long Element(string array, long subscript) => subscript * 10;
    }
}
