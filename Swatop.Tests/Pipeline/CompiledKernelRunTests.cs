using Swatop.Core.Algorithms.ImplicitGemm;
using System.Numerics.Tensors;
using Swatop.Core;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Tests.Pipeline;

/// <summary>A compiled kernel takes tensors in the framework's layout and refuses others by name.</summary>
public sealed class CompiledKernelRunTests
{
    private static readonly OperatorSpec Conv = Operator.Conv2d(2, 3, 4, 5, 6, 3, padding: 1, elementType: ElementType.Float32);

    private static Core.Targets.ICompiledKernel Kernel() =>
        Conv.WithSchedule(ImplicitGemmSpace.For(Conv, Sw26010Target.Default.Limits).Default()).Emit(Sw26010Target.Default);

    [Test]
    public void The_output_comes_back_in_the_framework_layout_with_a_profile()
    {
        var input = Tensor.Create(Enumerable.Range(0, 2 * 3 * 5 * 6).Select(i => (float)(i % 7) - 3).ToArray(), [2, 3, 5, 6]);
        var weights = Tensor.Create(Enumerable.Range(0, 4 * 3 * 3 * 3).Select(i => (float)(i % 5) - 2).ToArray(), [4, 3, 3, 3]);
        var run = Kernel().Run(input, weights);
        Assert.That(run.Output.Lengths.ToArray(), Is.EqualTo(new nint[] { 2, 4, 5, 6 }));
        var expected = ReferenceEvaluator.Evaluate(Conv.Expression, input.ToArray(), weights.ToArray());
        var actual = new float[expected.Length];
        run.Output.FlattenTo(actual);
        Assert.That(actual, Is.EqualTo(expected), "small integers: every order of summation is exact");
        Assert.That(run.Profile.KernelSeconds, Is.GreaterThan(0));
        Assert.That(run.Profile.Flops, Is.EqualTo(Conv.Flops));
    }

    [Test]
    public void A_tensor_of_the_wrong_shape_is_refused_with_both_shapes()
    {
        var input = Tensor.Create(new float[2 * 3 * 6 * 5], [2, 3, 6, 5]);
        var weights = Tensor.Create(new float[4 * 3 * 3 * 3], [4, 3, 3, 3]);
        var e = Assert.Throws<ArgumentException>(() => Kernel().Run(input, weights));
        Assert.That(e!.ParamName, Is.EqualTo("left"));
        Assert.That(e.Message, Does.Contain("[2, 3, 6, 5]").And.Contain("[2, 3, 5, 6]"));
    }

    [Test]
    public void Tensors_of_the_wrong_element_type_are_refused()
    {
        var input = Tensor.Create(new double[2 * 3 * 5 * 6], [2, 3, 5, 6]);
        var weights = Tensor.Create(new double[4 * 3 * 3 * 3], [4, 3, 3, 3]);
        var e = Assert.Throws<ArgumentException>(() => Kernel().Run(input, weights));
        Assert.That(e!.Message, Does.Contain("Float32").And.Contain("Float64"));
    }
}
