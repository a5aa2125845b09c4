using System.Numerics.Tensors;
using Swatop.Core;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Hardware.Sw26010.Emit.Verification;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;
using Swatop.Tests.Emit;

namespace Swatop.Tests.Pipeline;

/// <summary>
/// Padding as large as PyTorch and ONNX accept: a padding may reach past the kernel, so that border
/// outputs see only padding and are zero. Such operators describe, compute, and emit C like any other.
/// </summary>
public sealed class WidePaddingTests
{
    [Test]
    public void A_padded_pointwise_convolution_grows_its_output_by_the_padding()
    {
        var conv = Operator.Conv2d(2, 16, 24, 9, 9, 1, padding: 1);
        var attributes = (Conv2dAttributes)conv.Attributes;
        Assert.That(conv.Expression.Output.Tensor.Shape, Is.EqualTo(new[] { 2, 24, 11, 11 }));
        Assert.That(attributes.Padding, Is.EqualTo(new Padding2(1, 1, 1, 1)));
    }

    [Test]
    public void Outputs_that_see_only_padding_are_zero_and_the_rest_match_the_reference()
    {
        // A 3 x 3 window padded by 4 above and 3 to the left: its first two output rows and its first output column see only padding.
        var conv = Operator.Conv2d(1, 5, 7, 6, 7, 3, stride: 1, padding: new Padding2(4, 1, 3, 2), elementType: ElementType.Float32);
        var kernel = conv.WithSchedule(ImplicitGemmSpace.For(conv, Sw26010Target.Default.Limits).Default()).Emit(Sw26010Target.Default);
        var input = Tensor.Create(Enumerable.Range(0, 5 * 6 * 7).Select(i => (float)(i % 9) - 4).ToArray(), [1, 5, 6, 7]);
        var weights = Tensor.Create(Enumerable.Range(0, 7 * 5 * 3 * 3).Select(i => (float)(i % 5) - 2).ToArray(), [7, 5, 3, 3]);

        var run = kernel.Run(input, weights);

        var shape = conv.Expression.Output.Tensor.Shape;
        Assert.That(shape, Is.EqualTo(new[] { 1, 7, 9, 10 }));
        var actual = new float[conv.Expression.Output.Tensor.ElementLength];
        run.Output.FlattenTo(actual);
        var expected = ReferenceEvaluator.Evaluate(conv.Expression, input.ToArray(), weights.ToArray());
        Assert.That(actual, Is.EqualTo(expected), "small integers: every order of summation is exact");
        var borderOnly = Enumerable.Range(0, 7).SelectMany(c => Enumerable.Range(0, shape[2]).SelectMany(y => Enumerable.Range(0, shape[3])
            .Where(x => y < 2 || x < 1)
            .Select(x => actual[(((c * shape[2]) + y) * shape[3]) + x]))).ToList();
        Assert.That(borderOnly, Has.Count.EqualTo(7 * ((2 * 10) + 7)));
        Assert.That(borderOnly, Is.All.EqualTo(0f), "outputs whose window sees only padding");
        Assert.That(actual.Any(v => v != 0), "the interior is computed");
    }

    [Test]
    public void Widely_padded_convolutions_emit_C_that_matches_the_emulator_on_the_shim()
    {
        var operators = new[]
        {
            Operator.Conv2d(2, 16, 24, 9, 9, 1, padding: 1),
            Operator.Conv2d(2, 8, 16, 6, 7, 3, stride: new Size2(2, 1), padding: new Padding2(3, 3, 5, 5), elementType: ElementType.Float32),
        };
        foreach (var conv in operators)
        {
            var schedule = ImplicitGemmSpace.For(conv, Sw26010Target.Default.Limits).Default();
            Assert.DoesNotThrow(() => EmittedC.CheckAgainstEmulator(conv, schedule, seed: 7, GccShimOptions.Default), conv.Signature);
        }
    }
}
