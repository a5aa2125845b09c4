using System.Buffers;
using System.Numerics.Tensors;
using Swatop.Core;

namespace Swatop.Tests.Describe;

/// <summary>A kernel run's output tensor compared where it lies: the same verdict as its flat array's, and a strided view refused.</summary>
public sealed class ReferenceComparisonTensorTests
{
    private static IEnumerable<TestCaseData> Operators()
    {
        yield return new TestCaseData(Operator.Gemm(3, 4, 5)).SetName("A GEMM's dense output is judged as its flat array is");
        yield return new TestCaseData(Operator.Gemm(3, 4, 5, batch: 3)).SetName("A batched GEMM's dense output is judged as its flat array is");
        yield return new TestCaseData(Operator.Conv2d(2, 4, 6, 7, 5, 3)).SetName("A convolution's dense output is judged as its flat array is");
    }

    [TestCaseSource(nameof(Operators))]
    public void A_dense_tensor_is_judged_as_its_flat_array_is(OperatorSpec spec)
    {
        var inputs = ReferenceOperands.Draw(spec, 2);
        var actual = GemmEvaluator.Evaluate(spec.Expression, inputs[0], inputs[1]);
        actual[7] += 1e-3;
        var lengths = spec.Expression.Output.Tensor.Shape.Select(l => (nint)l).ToArray();

        var fromTensor = ReferenceComparison.Compare(spec, inputs, Tensor.Create(actual, lengths));
        var fromArray = ReferenceComparison.Compare(spec, inputs, actual);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(fromTensor, Is.EqualTo(fromArray));
            Assert.That(fromTensor.Mismatches, Is.EqualTo(1));
            Assert.That(fromTensor.WorstIndex, Is.EqualTo(7));
        }
    }

    [Test]
    public void A_strided_tensor_is_refused_by_name()
    {
        var spec = Operator.Gemm(3, 4, 5);
        var inputs = ReferenceOperands.Draw(spec, 2);
        var wide = Tensor.Create(new double[3 * 8], [3, 8]);
        var strided = wide.Slice([new NRange(0, 3), new NRange(0, 4)]);

        var ex = Assert.Throws<ArgumentException>(() => ReferenceComparison.Compare(spec, inputs, strided));

        Assert.That(ex!.ParamName, Is.EqualTo("actual"));
        Assert.That(ex.Message, Does.Contain("strided").And.Contain("dense"));
    }
}
