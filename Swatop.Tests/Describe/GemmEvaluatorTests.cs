using Swatop.Core;
using Swatop.Primitives;
using Swatop.Tests.Pipeline;

namespace Swatop.Tests.Describe;

public class GemmEvaluatorTests
{
    [Test]
    public void It_agrees_with_the_plain_reference_on_random_operators()
    {
        var random = new Random(7);
        for (var i = 0; i < 60; i++)
        {
            var spec = RandomOperators.Draw(random);
            var e = spec.Expression;
            var left = Values(random, e.Left.Tensor.ElementLength);
            var right = Values(random, e.Right.Tensor.ElementLength);
            var plain = ReferenceEvaluator.Evaluate(e, left, right);
            var comparison = ReferenceComparison.Compare(e, ElementType.Float64, left, right, plain);
            Assert.That(comparison.Passed, Is.True, $"{spec.Signature}: {comparison}");
            Assert.That(comparison.WorstError, Is.LessThan(1e-14), spec.Signature);
        }
    }

    [Test]
    public void Float_operands_are_summed_in_double_and_rounded_once()
    {
        var spec = Operator.Conv2d(2, 4, 6, 7, 5, 3, padding: new Padding2(1, 1, 1, 1), elementType: ElementType.Float32);
        var random = new Random(3);
        var left = Values(random, spec.Expression.Left.Tensor.ElementLength).Select(v => (float)v).ToArray();
        var right = Values(random, spec.Expression.Right.Tensor.ElementLength).Select(v => (float)v).ToArray();
        var fast = GemmEvaluator.Evaluate(spec.Expression, left, right);
        var plain = ReferenceEvaluator.Evaluate(spec.Expression, left, right);
        Assert.That(fast.Zip(plain).Count(p => Math.Abs(p.First - p.Second) > 1e-6 * (Math.Abs(p.Second) + 1e-3)), Is.Zero);
    }

    [Test]
    public void A_wrong_element_is_named_with_its_value_and_bound()
    {
        var spec = Operator.Gemm(3, 4, 5);
        var e = spec.Expression;
        var random = new Random(1);
        var left = Values(random, e.Left.Tensor.ElementLength);
        var right = Values(random, e.Right.Tensor.ElementLength);
        var actual = GemmEvaluator.Evaluate(e, left, right);
        actual[7] += 1e-3;
        var comparison = ReferenceComparison.Compare(e, ElementType.Float64, left, right, actual);
        Assert.That(comparison.Passed, Is.False);
        Assert.That(comparison.Mismatches, Is.EqualTo(1));
        Assert.That(comparison.WorstIndex, Is.EqualTo(7));
        Assert.That(comparison.ToString(), Does.Contain("1 of 12 elements").And.Contain("element 7"));
    }

    [Test]
    public void Operands_of_the_wrong_length_are_refused_by_name()
    {
        var e = Operator.Gemm(3, 4, 5).Expression;
        var ex = Assert.Throws<ArgumentException>(() => GemmEvaluator.Evaluate(e, new double[14], new double[20]));
        Assert.That(ex.ParamName, Is.EqualTo("left"));
        Assert.That(ex.Message, Does.Contain("14").And.Contain("15"));
    }

    private static double[] Values(Random random, long count) => [.. Enumerable.Range(0, (int)count).Select(_ => random.NextDouble() - 0.5)];
}
