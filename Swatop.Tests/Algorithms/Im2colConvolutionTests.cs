using System.Numerics.Tensors;
using Swatop.Core;
using Swatop.Core.Algorithms.Im2col;
using Swatop.Core.Scheduling;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Tests.Algorithms;

/// <summary>Explicit im2col on the emulator against the reference: the column step, then the mesh GEMM over the column matrix.</summary>
public sealed class Im2colConvolutionTests
{
    private static IEnumerable<TestCaseData> Shapes()
    {
        yield return new TestCaseData(Operator.Conv2d(2, 3, 16, 17, 17, 7, stride: 2, padding: 3), 1).SetName("A conv1-like double convolution: 3 channels, 7 x 7, stride 2");
        yield return new TestCaseData(Operator.Conv2d(4, 3, 16, 17, 17, 7, stride: 2, padding: 3, elementType: ElementType.Float32), 4).SetName("A conv1-like float convolution on four core groups");
        yield return new TestCaseData(Operator.Conv2d(2, 8, 8, 9, 9, 3, padding: 1), 1).SetName("A double 3 x 3 convolution, padded");
        yield return new TestCaseData(Operator.Conv2d(4, 4, 8, 12, 11, 3, padding: 2, dilation: 2, elementType: ElementType.Float32), 4).SetName("A dilated float convolution on four core groups");
        yield return new TestCaseData(Operator.Conv2d(2, 12, 6, 11, 10, 3, stride: 2, padding: 1, groups: 3), 1).SetName("A grouped convolution of stride 2");
        yield return new TestCaseData(Operator.Conv2d(2, 8, 16, 9, 9, 1, stride: 2), 1).SetName("A 1 x 1 convolution of stride 2");
        yield return new TestCaseData(Operator.Conv2d(2, 4, 8, 10, 9, new Size2(3, 5), stride: new Size2(1, 3), padding: new Padding2(0, 2, 2, 1)), 1).SetName("A rectangular window, strides and padding");
    }

    [TestCaseSource(nameof(Shapes))]
    public void An_im2col_kernel_on_the_emulator_matches_the_reference(OperatorSpec spec, int coreGroups)
    {
        var space = Im2colAlgorithm.Instance.Space(spec, Sw26010Target.Default.Limits, Core.Layouts.PlacementConstraints.None);
        var schedule = space.Enumerate().FirstOrDefault(s => s.CoreGroups == coreGroups) ?? space.Default();
        Assert.That(schedule.CoreGroups, Is.EqualTo(coreGroups), "the space offers the core groups asked for");
        AssertMatchesReference(spec, schedule, seed: 11);
    }

    [Test]
    public void Im2col_kernels_of_random_convolutions_and_schedules_match_the_reference()
    {
        var random = new Random(2026);
        var limits = Sw26010Target.Default.Limits;
        for (var i = 0; i < 6; i++)
        {
            var kernel = random.Next(1, 4);
            var stride = random.Next(1, 3);
            var dilation = random.Next(1, 3);
            var groups = random.Next(1, 3);
            var spec = Operator.Conv2d(random.Next(1, 3), groups * random.Next(1, 4), groups * random.Next(1, 5), random.Next(5, 10), random.Next(5, 10), kernel,
                stride: stride, padding: random.Next(0, 2), dilation: dilation, groups: groups, elementType: random.Next(2) == 0 ? ElementType.Float32 : ElementType.Float64);
            if (!Im2colAlgorithm.Instance.AppliesTo(spec))
            {
                continue;
            }

            var schedule = Im2colAlgorithm.Instance.Space(spec, limits, Core.Layouts.PlacementConstraints.None).Sample(random);
            AssertMatchesReference(spec, schedule, seed: i);
        }
    }

    private static void AssertMatchesReference(OperatorSpec spec, Schedule schedule, int seed)
    {
        var kernel = spec.WithSchedule(schedule).Emit(Sw26010Target.Default);
        var (left, right) = ReferenceOperands.Draw(spec.Expression, seed);
        var shapes = spec.Expression.Inputs.Select(i => i.Tensor.Shape.Select(s => (nint)s).ToArray()).ToArray();
        if (spec.ElementType == ElementType.Float64)
        {
            var run = kernel.Run(Tensor.Create(left, shapes[0]), Tensor.Create(right, shapes[1]));
            var output = new double[spec.Expression.Output.Tensor.ElementLength];
            run.Output.FlattenTo(output);
            var comparison = ReferenceComparison.Compare(spec.Expression, spec.ElementType, left, right, output);
            Assert.That(comparison.Passed, $"{spec} under {schedule}: {comparison}");
            Assert.That(run.Profile.Flops, Is.EqualTo(spec.Flops));
            Assert.That(run.Profile.Steps.Select(s => s.Name), Does.Contain("pack input"));
        }
        else
        {
            float[] l = [.. left.Select(v => (float)v)], r = [.. right.Select(v => (float)v)];
            var run = kernel.Run(Tensor.Create(l, shapes[0]), Tensor.Create(r, shapes[1]));
            var output = new float[spec.Expression.Output.Tensor.ElementLength];
            run.Output.FlattenTo(output);
            var comparison = ReferenceComparison.Compare(spec.Expression, spec.ElementType, l, r, output);
            Assert.That(comparison.Passed, $"{spec} under {schedule}: {comparison}");
        }
    }
}
