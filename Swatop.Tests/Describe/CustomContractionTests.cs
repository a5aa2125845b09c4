using Swatop.Core;
using Swatop.Primitives;

namespace Swatop.Tests.Describe;

/// <summary>Operators defined directly by a contraction.</summary>
public sealed class CustomContractionTests
{
    private const int Batch = 2, I = 3, J = 4, K = 2, L = 3;

    /// <summary><c>C[b][i][j] = sum_k,l A[b][i][k][l] * B[b][k][l][j]</c>.</summary>
    private static Contraction BatchedDoubleContraction()
    {
        var b = Axis.Index("b", Batch);
        var i = Axis.Index("i", I);
        var j = Axis.Index("j", J);
        var k = Axis.Reduction("k", K);
        var l = Axis.Reduction("l", L);
        var a = TensorDeclaration.Create("A", Batch, I, K, L);
        var bb = TensorDeclaration.Create("B", Batch, K, L, J);
        var c = TensorDeclaration.Create("C", Batch, I, J);
        return Contraction.Create("bikl_bklj", [b, i, j], [k, l], c[b, i, j], a[b, i, k, l], bb[b, k, l, j]);
    }

    [Test]
    public void DefinedOperatorIsCustom()
    {
        var spec = Operator.Define(BatchedDoubleContraction(), ElementType.Float32);
        Assert.That(spec.Kind, Is.EqualTo(OperatorKind.Custom));
        Assert.That(spec.Attributes, Is.TypeOf<CustomAttributes>());
        Assert.That(spec.ElementType, Is.EqualTo(ElementType.Float32));
        Assert.That(spec.Flops, Is.EqualTo(2L * Batch * I * J * K * L));
    }

    [Test]
    public void BatchedDoubleContractionMatchesDirectLoops()
    {
        var expression = BatchedDoubleContraction();
        var a = Tensors.Random(Batch * I * K * L, 51);
        var b = Tensors.Random(Batch * K * L * J, 52);
        var result = ReferenceEvaluator.Evaluate(expression, a, b);
        for (var p = 0; p < Batch; p++)
        {
            for (var i = 0; i < I; i++)
            {
                for (var j = 0; j < J; j++)
                {
                    var sum = 0.0;
                    for (var k = 0; k < K; k++)
                    {
                        for (var l = 0; l < L; l++)
                        {
                            sum = Math.FusedMultiplyAdd(a[Tensors.At([Batch, I, K, L], p, i, k, l)], b[Tensors.At([Batch, K, L, J], p, k, l, j)], sum);
                        }
                    }

                    Assert.That(result[Tensors.At([Batch, I, J], p, i, j)], Is.EqualTo(sum), $"C[{p}][{i}][{j}]");
                }
            }
        }
    }

    [Test]
    public void FlattenedOutputDimensionIsAMixedRadixNumber()
    {
        // C[i*J + j] = sum_k A[i][k] * B[k][j]: the output flattens i and j into one dimension.
        var i = Axis.Index("i", 2);
        var j = Axis.Index("j", 3);
        var k = Axis.Reduction("k", 2);
        var c = TensorDeclaration.Create("C", 6);
        var expression = Contraction.Create(
            "flat", [i, j], [k], c[(i * 3) + j], TensorDeclaration.Create("A", 2, 2)[i, k], TensorDeclaration.Create("B", 2, 3)[k, j]);
        var result = ReferenceEvaluator.Evaluate(expression, [1.0, 2, 3, 4], [1.0, 0, 1, 0, 1, 1]);
        Assert.That(result, Is.EqualTo(new double[] { 1, 2, 3, 3, 4, 7 }));
    }

    [Test]
    public void ReadsBeyondTheTensorAreZero()
    {
        // y[i] = sum_k x[i + k - 1] * w[k]: a 1-D convolution whose borders read outside x.
        var i = Axis.Index("i", 3);
        var k = Axis.Reduction("k", 3);
        var expression = Contraction.Create(
            "conv1d", [i], [k], TensorDeclaration.Create("y", 3)[i], TensorDeclaration.Create("x", 3)[i + k - 1], TensorDeclaration.Create("w", 3)[k]);
        Assert.That(expression.Left.IsInBounds, Is.False);
        var result = ReferenceEvaluator.Evaluate(expression, [1.0, 2, 3], [1.0, 10, 100]);
        Assert.That(result, Is.EqualTo(new double[] { 210, 321, 32 }));
    }

    [Test]
    public void ContractionsCompareByValueAndPrint()
    {
        var first = BatchedDoubleContraction();
        var second = BatchedDoubleContraction();
        Assert.That(second, Is.EqualTo(first));
        Assert.That(
            BatchedDoubleContraction().ToString(),
            Does.StartWith("bikl_bklj: C[b][i][j] = sum(k, l) A[b][i][k][l] * B[b][k][l][j] for b:2 i:3 j:4 k:2(r) l:3(r)"));
    }
}
