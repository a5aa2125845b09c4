using Swatop.Core;

namespace Swatop.Tests.Describe;

/// <summary>The reference evaluator on matrix products and fully connected layers, against hand-computed results.</summary>
public sealed class GemmReferenceTests
{
    // A = [[1, 2, 3], [4, 5, 6]] (2 x 3), B = [[7, 8], [9, 10], [11, 12]] (3 x 2).
    private static readonly double[] A = [1, 2, 3, 4, 5, 6];
    private static readonly double[] At = [1, 4, 2, 5, 3, 6];
    private static readonly double[] B = [7, 8, 9, 10, 11, 12];
    private static readonly double[] Bt = [7, 9, 11, 8, 10, 12];

    // C = A B = [[58, 64], [139, 154]].
    private static readonly double[] C = [58, 64, 139, 154];

    [TestCase(false, false)]
    [TestCase(true, false)]
    [TestCase(false, true)]
    [TestCase(true, true)]
    public void EveryTransposeCombinationGivesTheSameProduct(bool transposeA, bool transposeB)
    {
        var spec = Operator.Gemm(m: 2, n: 2, k: 3, transposeA, transposeB);
        var result = ReferenceEvaluator.Evaluate(spec.Expression, transposeA ? At : A, transposeB ? Bt : B);
        Assert.That(result, Is.EqualTo(C));
    }

    [Test]
    public void BatchedProductsAreIndependent()
    {
        // Batch 1 is batch 0 with A doubled and B negated: C1 = -2 C0.
        double[] a = [.. A, .. A.Select(x => 2 * x)];
        double[] b = [.. B, .. B.Select(x => -x)];
        var result = ReferenceEvaluator.Evaluate(Operator.Gemm(2, 2, 3, batch: 2).Expression, a, b);
        Assert.That(result, Is.EqualTo(new double[] { 58, 64, 139, 154, -116, -128, -278, -308 }));
    }

    [Test]
    public void BatchedTransposedProductMatchesDirectLoops()
    {
        const int batch = 3, m = 5, n = 4, k = 7;
        var a = Tensors.Random(batch * k * m, 1);
        var b = Tensors.Random(batch * n * k, 2);
        var result = ReferenceEvaluator.Evaluate(Operator.Gemm(m, n, k, true, true, batch).Expression, a, b);
        for (var p = 0; p < batch; p++)
        {
            for (var i = 0; i < m; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    var sum = 0.0;
                    for (var q = 0; q < k; q++)
                    {
                        sum = Math.FusedMultiplyAdd(a[Tensors.At([batch, k, m], p, q, i)], b[Tensors.At([batch, n, k], p, j, q)], sum);
                    }

                    Assert.That(result[Tensors.At([batch, m, n], p, i, j)], Is.EqualTo(sum), $"C[{p}][{i}][{j}]");
                }
            }
        }
    }

    [Test]
    public void FullyConnectedMultipliesByTheTransposedWeights()
    {
        // y = x W^T with x = [[1, 2, 3]], W = [[1, 0, 0], [1, 1, 1]]: y = [[1, 6]].
        var spec = Operator.FullyConnected(batch: 1, inFeatures: 3, outFeatures: 2);
        var result = ReferenceEvaluator.Evaluate(spec.Expression, [1.0, 2, 3], [1.0, 0, 0, 1, 1, 1]);
        Assert.That(result, Is.EqualTo(new double[] { 1, 6 }));
    }

    [Test]
    public void FullyConnectedEqualsGemmWithTransposedB()
    {
        var x = Tensors.Random(4 * 9, 3);
        var w = Tensors.Random(5 * 9, 4);
        var fc = ReferenceEvaluator.Evaluate(Operator.FullyConnected(4, 9, 5).Expression, x, w);
        var gemm = ReferenceEvaluator.Evaluate(Operator.Gemm(4, 5, 9, transposeB: true).Expression, x, w);
        Assert.That(fc, Is.EqualTo(gemm));
    }

    [Test]
    public void FloatPathRoundsTheDoublePathOnce()
    {
        var spec = Operator.Gemm(6, 5, 40);
        var a = Tensors.Random(6 * 40, 5).Select(v => (float)v).ToArray();
        var b = Tensors.Random(40 * 5, 6).Select(v => (float)v).ToArray();
        var single = ReferenceEvaluator.Evaluate(spec.Expression, a, b);
        var wide = ReferenceEvaluator.Evaluate(spec.Expression, a.Select(v => (double)v).ToArray(), b.Select(v => (double)v).ToArray());
        Assert.That(single, Is.EqualTo(wide.Select(v => (float)v).ToArray()));
    }

    [Test]
    public void SpansOfTheWrongLengthAreRejected()
    {
        var spec = Operator.Gemm(2, 2, 3);
        var e = Assert.Throws<ArgumentException>(() => ReferenceEvaluator.Evaluate(spec.Expression, new double[5], B));
        Assert.That(e.ParamName, Is.EqualTo("left"));
        Assert.That(e.Message, Does.Contain("left.Length = 5").And.Contain("A[2][3]").And.Contain("exactly 6"));

        var f = Assert.Throws<ArgumentException>(() => ReferenceEvaluator.Evaluate(spec.Expression, new float[6], new float[7]));
        Assert.That(f.ParamName, Is.EqualTo("right"));
        Assert.That(f.Message, Does.Contain("right.Length = 7"));
    }
}
