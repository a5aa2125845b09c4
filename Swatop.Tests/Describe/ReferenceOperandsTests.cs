using Swatop.Core;
using Swatop.Primitives;

namespace Swatop.Tests.Describe;

/// <summary>The seeded operands of a check: a float operator's drawn as floats are the doubles' values rounded, for every input.</summary>
public sealed class ReferenceOperandsTests
{
    [Test]
    public void Operands_drawn_as_floats_are_the_drawn_doubles_rounded_epilogue_inputs_included([Values(1, 7)] int seed)
    {
        var spec = Operator.Conv2d(2, 3, 4, 5, 6, 3, padding: 1, elementType: ElementType.Float32).WithEpilogue(EpilogueStep.Bias(), EpilogueStep.ResidualAdd());
        var doubles = ReferenceOperands.Draw(spec, seed);
        var floats = ReferenceOperands.DrawFloat(spec, seed);

        var inputs = spec.Inputs.ToList();
        Assert.That(floats, Has.Length.EqualTo(inputs.Count).And.Length.EqualTo(doubles.Length).And.Length.EqualTo(4));
        for (var i = 0; i < floats.Length; i++)
        {
            Assert.That(floats[i], Is.EqualTo(doubles[i].Select(x => (float)x).ToArray()), $"input {i} ('{inputs[i].Name}')");
        }
    }
}
