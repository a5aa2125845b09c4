using System.Numerics.Tensors;
using Swatop.Core;
using Swatop.Core.Algorithms.Im2col;
using Swatop.Core.Layouts;
using Swatop.Core.Scheduling;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Tests.Algorithms;

/// <summary>Explicit im2col with the column block built in LDM inside the GEMM, on the emulator against the reference: no column step, no layout step.</summary>
public sealed class Im2colLdmConvolutionTests
{
    private static IEnumerable<TestCaseData> Shapes()
    {
        yield return new TestCaseData(Operator.Conv2d(2, 3, 16, 17, 17, 7, stride: 2, padding: 3), new Im2colLdmSchedule { RowsPerCpe = 1, OutBlock = 32, InBlock = 152 })
            .SetName("A conv1-like double convolution: 3 channels, 7 x 7, stride 2, one tap block");
        yield return new TestCaseData(Operator.Conv2d(4, 3, 16, 17, 17, 7, stride: 2, padding: 3, elementType: ElementType.Float32),
                new Im2colLdmSchedule { RowsPerCpe = 1, OutBlock = 32, InBlock = 48, CoreGroups = 4, SplitAxis = "n" })
            .SetName("A conv1-like float convolution in four tap blocks on four core groups");
        yield return new TestCaseData(Operator.Conv2d(2, 8, 8, 9, 9, 3, padding: 1), new Im2colLdmSchedule { RowsPerCpe = 2, OutBlock = 32, InBlock = 72 })
            .SetName("A double 3 x 3 convolution, padded, two rows a CPE, a tile past the output's rows");
        yield return new TestCaseData(Operator.Conv2d(3, 4, 40, 12, 11, 3, padding: 2, dilation: 2, elementType: ElementType.Float32),
                new Im2colLdmSchedule { RowsPerCpe = 1, OutBlock = 32, InBlock = 16, CoreGroups = 2, SplitAxis = "n" })
            .SetName("A dilated float convolution, two output blocks, three tap blocks, two core groups sharing three images");
        yield return new TestCaseData(Operator.Conv2d(2, 12, 6, 11, 10, 3, stride: 2, padding: 1, groups: 3), new Im2colLdmSchedule { RowsPerCpe = 3, OutBlock = 32, InBlock = 40 })
            .SetName("A grouped double convolution of stride 2");
        yield return new TestCaseData(Operator.Conv2d(2, 4, 8, 10, 9, new Size2(3, 5), stride: new Size2(1, 3), padding: new Padding2(0, 2, 2, 1)),
                new Im2colLdmSchedule { RowsPerCpe = 2, OutBlock = 32, InBlock = 24 })
            .SetName("A rectangular window, strides and padding");
        yield return new TestCaseData(Operator.Conv2d(3, 3, 16, 17, 17, 7, stride: 2, padding: 3), new Im2colLdmSchedule { RowsPerCpe = 1, OutBlock = 32, InBlock = 152, OverlapPuts = true })
            .SetName("A conv1-like double convolution, puts overlapped with the next tile");
        yield return new TestCaseData(Operator.Conv2d(3, 4, 40, 12, 11, 3, padding: 2, elementType: ElementType.Float32),
                new Im2colLdmSchedule { RowsPerCpe = 2, OutBlock = 32, InBlock = 16, OverlapPuts = true, CoreGroups = 2, SplitAxis = "n" })
            .SetName("A float convolution, puts overlapped across tiles, output blocks and an odd tile count");
        yield return new TestCaseData(Operator.Conv2d(2, 8, 16, 9, 9, 1, stride: 2), new Im2colLdmSchedule { RowsPerCpe = 1, OutBlock = 32, InBlock = 8 })
            .SetName("A 1 x 1 convolution of stride 2");
        yield return new TestCaseData(Operator.Conv2d(3, 3, 40, 20, 19, 5, stride: 2, padding: 2, elementType: ElementType.Float32),
                new Im2colLdmSchedule { RowsPerCpe = 1, OutBlock = 32, InBlock = 80, OverlapPuts = true, CoreGroups = 2, SplitAxis = "n" })
            .SetName("A float convolution, input rows prefetched across images and output blocks, two core groups sharing three images");
    }

    [TestCaseSource(nameof(Shapes))]
    public void A_column_block_in_ldm_kernel_on_the_emulator_matches_the_reference(OperatorSpec spec, Im2colLdmSchedule schedule) => AssertMatchesReference(spec, schedule, seed: 11);

    [Test]
    public void Column_block_kernels_of_random_convolutions_and_schedules_match_the_reference()
    {
        var random = new Random(2027);
        var limits = Sw26010Target.Default.Limits;
        var checkedKernels = 0;
        for (var i = 0; i < 8; i++)
        {
            var kernel = random.Next(1, 4);
            var groups = random.Next(1, 3);
            var spec = Operator.Conv2d(random.Next(1, 4), groups * random.Next(1, 4), groups * random.Next(1, 40), random.Next(5, 12), random.Next(5, 12), kernel,
                stride: random.Next(1, 3), padding: random.Next(0, 2), dilation: random.Next(1, 3), groups: groups, elementType: random.Next(2) == 0 ? ElementType.Float32 : ElementType.Float64);
            if (Im2colLdmPlan.WhyNot(spec) is not null)
            {
                continue;
            }

            var schedule = new Im2colLdmSpace(spec, limits, PlacementConstraints.None).Sample(random);
            AssertMatchesReference(spec, schedule, seed: i);
            checkedKernels++;
        }

        Assert.That(checkedKernels, Is.GreaterThanOrEqualTo(5), "most drawn convolutions are checked");
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
            Assert.That(run.Profile.Steps, Is.Empty, "the column block is built inside the kernel: no column step, no layout step");
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
