using Swatop.Core;

namespace Swatop.Tests.Describe;

/// <summary>The affine index expressions: arithmetic, merging, range and printing.</summary>
public sealed class AffineExpressionTests
{
    private static readonly Axis Oh = Axis.Index("oh", 4);
    private static readonly Axis Kh = Axis.Reduction("kh", 3);

    [Test]
    public void ConvolutionRowIndexHasTheStatedTermsAndConstant()
    {
        var e = (Oh * 2) + Kh - 1;
        Assert.That(e.Terms.Select(t => (t.Axis.Name, t.Coefficient)), Is.EqualTo(new[] { ("oh", 2L), ("kh", 1L) }));
        Assert.That(e.Constant, Is.EqualTo(-1));
        Assert.That(e.CoefficientOf(Oh), Is.EqualTo(2));
        Assert.That(e.CoefficientOf(Axis.Index("ow", 4)), Is.Zero);
        Assert.That(e.DependsOn(Kh), Is.True);
    }

    [Test]
    public void RangeSpansAllAxisValues()
    {
        // oh*2 + kh - 1 over oh in 0..3, kh in 0..2: from -1 to 6 + 2 - 1 = 7.
        Assert.That(((Oh * 2) + Kh - 1).Range, Is.EqualTo((-1L, 7L)));
        // A negative coefficient lowers the minimum: 5 - kh*3 over kh in 0..2 is 5 - 6 = -1 .. 5.
        Assert.That((AffineExpression.FromConstant(5) + (Kh * -3)).Range, Is.EqualTo((-1L, 5L)));
        Assert.That(AffineExpression.FromConstant(7).Range, Is.EqualTo((7L, 7L)));
    }

    [Test]
    public void TermsOfTheSameAxisMergeAndCancel()
    {
        var merged = AffineExpression.Of(Oh) + (Kh * 2) + (Oh * 3);
        Assert.That(merged.Terms.Select(t => (t.Axis.Name, t.Coefficient)), Is.EqualTo(new[] { ("oh", 4L), ("kh", 2L) }));

        var cancelled = (Oh * 2) + (Oh * -2) + 5;
        Assert.That(cancelled.Terms, Is.Empty);
        Assert.That(cancelled.Constant, Is.EqualTo(5));
    }

    [Test]
    public void ScalingMultipliesTermsAndConstantFromEitherSide()
    {
        var e = 3 * ((Oh * 2) + 1);
        Assert.That(e.CoefficientOf(Oh), Is.EqualTo(6));
        Assert.That(e.Constant, Is.EqualTo(3));
        Assert.That(((Oh + 1) * 0).Terms, Is.Empty);
    }

    [Test]
    public void ExpressionsCompareByValue()
    {
        var first = (Oh * 2) + Kh - 1;
        var second = AffineExpression.Of(Oh) + Kh + AffineExpression.Of(Oh) - 1;
        Assert.That(second, Is.EqualTo(first));
        Assert.That(second.GetHashCode(), Is.EqualTo(first.GetHashCode()));
        Assert.That((Oh * 2) + Kh, Is.Not.EqualTo((Oh * 2) + Kh - 1));
    }

    [Test]
    public void PrintsReadablyAndDeterministically()
    {
        Assert.That(((Oh * 2) + Kh - 1).ToString(), Is.EqualTo("oh*2 + kh - 1"));
        Assert.That(((Kh * -3) + 5).ToString(), Is.EqualTo("-kh*3 + 5"));
        Assert.That(AffineExpression.FromConstant(0).ToString(), Is.EqualTo("0"));
    }

    [Test]
    public void EvaluatesAtAPoint()
    {
        var e = (Oh * 2) + Kh - 1;
        Assert.That(e.Evaluate(new Dictionary<string, long> { ["oh"] = 3, ["kh"] = 2 }), Is.EqualTo(7));
    }
}
