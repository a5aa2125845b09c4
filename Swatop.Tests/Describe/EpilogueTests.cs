using Swatop.Core;

namespace Swatop.Tests.Describe;

/// <summary>Every operator carries an epilogue, the empty one from the builders, which leaves its signature and equality as they were.</summary>
public sealed class EpilogueTests
{
    [Test]
    public void Builders_give_the_empty_epilogue()
    {
        OperatorSpec[] specs = [Operator.Gemm(4, 5, 6), Operator.FullyConnected(2, 3, 4), Operator.Conv2d(1, 2, 3, 5, 5, 3)];
        Assert.That(specs.Select(s => s.Epilogue), Is.All.SameAs(Epilogue.None));
        Assert.That(Epilogue.None.IsEmpty, Is.True);
        Assert.That(Epilogue.None.ToString(), Is.EqualTo("none"));
    }

    [Test]
    public void The_empty_epilogue_adds_nothing_to_the_signature() =>
        Assert.That(Operator.Gemm(4, 5, 6).Signature, Is.EqualTo("gemm b=1 m=4 n=5 k=6 ta=0 tb=0 float64"));

    [Test]
    public void A_contraction_lists_its_inputs_left_then_right()
    {
        var expression = Operator.Gemm(4, 5, 6).Expression;
        Assert.That(expression.Inputs, Is.EqualTo(new[] { expression.Left, expression.Right }));
    }
}
