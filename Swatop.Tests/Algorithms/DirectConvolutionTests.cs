using System.Numerics.Tensors;
using Swatop.Core;
using Swatop.Core.Algorithms.Direct;
using Swatop.Core.Scheduling;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Tests.Algorithms;

/// <summary>The direct convolution on the emulator against the reference, on depthwise and small-group convolutions.</summary>
public sealed class DirectConvolutionTests
{
    private static IEnumerable<TestCaseData> Shapes()
    {
        yield return new TestCaseData(Operator.Conv2d(2, 8, 8, 9, 9, 3, padding: 1, groups: 8), new DirectSchedule { TileRows = 4 }).SetName("A depthwise 3 x 3 double convolution, padded");
        yield return new TestCaseData(Operator.Conv2d(2, 8, 8, 9, 9, 3, padding: 1, groups: 8, elementType: ElementType.Float32), new DirectSchedule { TileRows = 3, TileGroups = 2 }).SetName("A depthwise 3 x 3 float convolution, padded");
        yield return new TestCaseData(Operator.Conv2d(3, 6, 6, 11, 10, 3, stride: 2, padding: 1, groups: 6), new DirectSchedule { TileRows = 2 }).SetName("A depthwise convolution of stride 2");
        yield return new TestCaseData(Operator.Conv2d(2, 4, 8, 12, 12, 3, padding: 2, dilation: 2, groups: 4, elementType: ElementType.Float32), new DirectSchedule { TileRows = 5, TileGroups = 2 }).SetName("A dilated depthwise convolution with two outputs a channel");
        yield return new TestCaseData(Operator.Conv2d(2, 12, 6, 7, 8, 3, padding: 1, groups: 3), new DirectSchedule { TileRows = 7, TileGroups = 3 }).SetName("A grouped convolution of 4 input and 2 output channels a group");
        yield return new TestCaseData(Operator.Conv2d(4, 16, 16, 5, 5, 5, padding: 2, groups: 16), new DirectSchedule { TileRows = 1, CoreGroups = 4, SplitAxis = "n" }).SetName("A depthwise 5 x 5 convolution on four core groups");
        yield return new TestCaseData(Operator.Conv2d(3, 4, 4, 6, 4, 3, padding: 2, groups: 4), new DirectSchedule { TileRows = 3, CoreGroups = 2, SplitAxis = "n" }).SetName("A narrow depthwise convolution whose windows reach past both sides, on two core groups");
    }

    private static IEnumerable<TestCaseData> Epilogues()
    {
        var depthwise = Operator.Conv2d(2, 8, 8, 9, 9, 3, stride: 2, padding: 1, groups: 8);
        yield return new TestCaseData(depthwise.WithEpilogue(Epilogue.Of(EpilogueStep.Bias(), EpilogueStep.Relu6())), new DirectSchedule { TileRows = 2, TileGroups = 2 })
            .SetName("A depthwise convolution of stride 2 with a bias and a ReLU6, in double");
        yield return new TestCaseData(depthwise.WithElementType(ElementType.Float32).WithEpilogue(Epilogue.Of(EpilogueStep.Bias(), EpilogueStep.Clip(-0.05, 0.05))), new DirectSchedule { TileRows = 3, CoreGroups = 2, SplitAxis = "n" })
            .SetName("A depthwise float convolution with a bias and a clamp, on two core groups");
        yield return new TestCaseData(Operator.Conv2d(2, 12, 6, 7, 8, 3, padding: 1, groups: 3).WithEpilogue(Epilogue.Of(EpilogueStep.Clip(double.NegativeInfinity, 0.01), EpilogueStep.Bias())), new DirectSchedule { TileRows = 7, TileGroups = 3 })
            .SetName("A grouped convolution with an upper clamp, then a bias");
    }

    [TestCaseSource(nameof(Epilogues))]
    public void A_direct_kernel_applies_its_epilogue_as_the_reference_does(OperatorSpec spec, DirectSchedule schedule)
    {
        var inputs = ReferenceOperands.Draw(spec, seed: 7);
        var kernel = spec.WithSchedule(schedule).Emit(Sw26010Target.Default);
        var (comparison, output) = ReferenceRun.Of(kernel, spec, inputs);

        Assert.Multiple(() =>
        {
            Assert.That(comparison.Passed, comparison.ToString());
            if (spec.Epilogue.Steps[^1] is ClipStep clip)
            {
                double Rounded(double bound) => spec.ElementType == ElementType.Float32 ? (float)bound : bound;
                Assert.That(output.Count(v => v == Rounded(clip.Min) || v == Rounded(clip.Max)), Is.GreaterThan(0), "the clamp bounds some outputs");
            }
        });
    }

    [Test]
    public void The_direct_convolution_does_not_take_a_residual_add()
    {
        var spec = Operator.Conv2d(2, 8, 8, 9, 9, 3, padding: 1, groups: 8);
        Assert.Multiple(() =>
        {
            Assert.That(DirectAlgorithm.Instance.AppliesTo(spec.WithEpilogue(Epilogue.Of(EpilogueStep.Bias(), EpilogueStep.Relu6()))), Is.True);
            Assert.That(DirectAlgorithm.Instance.AppliesTo(spec.WithEpilogue(Epilogue.Of(EpilogueStep.ResidualAdd()))), Is.False);
            Assert.That(DirectAlgorithm.WhyNot(spec.WithEpilogue(Epilogue.Of(EpilogueStep.Bias(), EpilogueStep.ResidualAdd()))), Does.Contain("no residual add"));
        });
    }

    [TestCaseSource(nameof(Shapes))]
    public void A_direct_kernel_on_the_emulator_matches_the_reference(OperatorSpec spec, DirectSchedule schedule)
    {
        var kernel = spec.WithSchedule(schedule).Emit(Sw26010Target.Default);
        var (left, right) = ReferenceOperands.Draw(spec.Expression, seed: 11);
        var shapes = spec.Expression.Inputs.Select(i => i.Tensor.Shape.Select(s => (nint)s).ToArray()).ToArray();
        if (spec.ElementType == ElementType.Float64)
        {
            var run = kernel.Run(Tensor.Create(left, shapes[0]), Tensor.Create(right, shapes[1]));
            var output = new double[spec.Expression.Output.Tensor.ElementLength];
            run.Output.FlattenTo(output);
            var comparison = ReferenceComparison.Compare(spec.Expression, spec.ElementType, left, right, output);
            Assert.That(comparison.Passed, comparison.ToString());
            Assert.That(run.Profile.Flops, Is.EqualTo(spec.Flops));
        }
        else
        {
            float[] l = [.. left.Select(v => (float)v)], r = [.. right.Select(v => (float)v)];
            var run = kernel.Run(Tensor.Create(l, shapes[0]), Tensor.Create(r, shapes[1]));
            var output = new float[spec.Expression.Output.Tensor.ElementLength];
            run.Output.FlattenTo(output);
            var comparison = ReferenceComparison.Compare(spec.Expression, spec.ElementType, l, r, output);
            Assert.That(comparison.Passed, comparison.ToString());
            Assert.That(run.Profile.Flops, Is.EqualTo(spec.Flops));
        }
    }
}
