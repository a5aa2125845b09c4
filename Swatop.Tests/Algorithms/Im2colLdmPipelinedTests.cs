using System.Numerics.Tensors;
using Swatop.Core;
using Swatop.Core.Algorithms.Im2col;
using Swatop.Core.Layouts;
using Swatop.Core.Scheduling;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Emit.Verification;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Hardware.Sw26010.Tuning;
using Swatop.Primitives;
using Swatop.Tests.Emit;

namespace Swatop.Tests.Algorithms;

/// <summary>
/// The column block in LDM with its tap blocks pipelined (overlapped puts and more than one tap block): each tap block's
/// input rows and weights gotten during the block before, the weights in one strided get a CPE, into a doubled buffer.
/// The form that reads a stride-2 layer's NCHW input in place and writes NCHW, with many channels and no layout step.
/// </summary>
public sealed class Im2colLdmPipelinedTests
{
    private static readonly Sw26010Target Target = Sw26010Target.Default;

    private static IEnumerable<TestCaseData> Shapes()
    {
        yield return new TestCaseData(Operator.Conv2d(2, 16, 32, 12, 12, 3, stride: 2, padding: 1), new Im2colLdmSchedule { RowsPerCpe = 1, OutBlock = 32, InBlock = 48, OverlapPuts = true })
            .SetName("A double 3 x 3 stride-2 convolution, padding 1, three whole tap blocks");
        yield return new TestCaseData(Operator.Conv2d(3, 20, 40, 13, 11, 3, stride: 2, padding: 1), new Im2colLdmSchedule { RowsPerCpe = 2, OutBlock = 32, InBlock = 64, OverlapPuts = true, CoreGroups = 2, SplitAxis = "n" })
            .SetName("Odd sizes, stride 2, padding 1: a shorter last tap block, a partial output block, two core groups sharing three images");
        yield return new TestCaseData(Operator.Conv2d(2, 24, 64, 9, 9, 1, stride: 2, elementType: ElementType.Float32), new Im2colLdmSchedule { RowsPerCpe = 1, OutBlock = 32, InBlock = 8, OverlapPuts = true })
            .SetName("A float 1 x 1 stride-2 convolution in three tap blocks of 8 and two output blocks");
        yield return new TestCaseData(Operator.Conv2d(2, 12, 32, 14, 14, 3, stride: 2, padding: 1).WithEpilogue(EpilogueStep.Bias(), EpilogueStep.Relu()),
                new Im2colLdmSchedule { RowsPerCpe = 3, OutBlock = 32, InBlock = 32, OverlapPuts = true })
            .SetName("A stride-2 convolution with a fused bias and ReLU, four tap blocks, a tile past the output's rows");
    }

    [TestCaseSource(nameof(Shapes))]
    public void A_pipelined_column_block_kernel_on_the_emulator_matches_the_reference(OperatorSpec spec, Im2colLdmSchedule schedule)
    {
        var plan = (Im2colLdmPlan)Im2colAlgorithm.Instance.Plan(spec, schedule, Target.Limits);
        Assert.That(plan.TapBlocks, Is.GreaterThan(1));
        Assert.That(plan.PipelinesWeights, Is.True);
        var check = EmittedC.CheckAgainstEmulator(spec, schedule, seed: 3, GccShimOptions.Default);
        Assert.That(check.Comparison.Passed, check.Comparison.ToString());
    }

    [Test]
    public void A_pipelined_stride_2_kernel_reads_and_writes_nchw_with_no_layout_step_and_matches_the_reference()
    {
        var spec = Operator.Conv2d(2, 16, 32, 11, 11, 3, stride: 2, padding: 1);
        var kernel = spec.WithSchedule(new Im2colLdmSchedule { RowsPerCpe = 2, OutBlock = 32, InBlock = 56, OverlapPuts = true }).Emit(Target);
        var (left, right) = ReferenceOperands.Draw(spec.Expression, 7);
        var shapes = spec.Expression.Inputs.Select(i => i.Tensor.Shape.Select(s => (nint)s).ToArray()).ToArray();
        var run = kernel.Run(Tensor.Create(left, shapes[0]), Tensor.Create(right, shapes[1]));
        var output = new double[spec.Expression.Output.Tensor.ElementLength];
        run.Output.FlattenTo(output);
        Assert.That(ReferenceComparison.Compare(spec.Expression, spec.ElementType, left, right, output).Passed, Is.True);
        Assert.That(run.Profile.Steps, Is.Empty, "the input is read where it lies, in NCHW, and the output written so");
    }

    [Test]
    public void Only_overlapped_puts_with_more_than_one_tap_block_pipeline_the_weights_and_their_buffer_doubles()
    {
        var spec = Operator.Conv2d(2, 16, 32, 12, 12, 3, stride: 2, padding: 1);
        Im2colLdmPlan Plan(Im2colLdmSchedule s) => (Im2colLdmPlan)Im2colAlgorithm.Instance.Plan(spec, s, Target.Limits);
        var pipelined = Plan(new Im2colLdmSchedule { RowsPerCpe = 1, OutBlock = 32, InBlock = 48, OverlapPuts = true });
        var waited = Plan(new Im2colLdmSchedule { RowsPerCpe = 1, OutBlock = 32, InBlock = 48 });
        var oneBlock = Plan(new Im2colLdmSchedule { RowsPerCpe = 1, OutBlock = 32, InBlock = 144, OverlapPuts = true });
        Assert.That((pipelined.PipelinesWeights, waited.PipelinesWeights, oneBlock.PipelinesWeights), Is.EqualTo((true, false, false)));
        Assert.That(pipelined.WeightBufferElements, Is.EqualTo(2 * pipelined.WeightElements));
        Assert.That(waited.WeightBufferElements, Is.EqualTo(waited.WeightElements));
        Assert.That(pipelined.LdmBytes, Is.GreaterThan(waited.LdmBytes), "the accumulators and the weights kept twice");
        Assert.That(new Im2colLdmSpace(spec, Target.Limits, PlacementConstraints.None).EnumeratePlans().Cast<Im2colLdmPlan>().Any(p => p.PipelinesWeights), Is.True,
            "the space offers the pipelined form for a stride-2 layer with many taps");
    }

    [Test]
    public void The_space_leaves_out_a_pipelined_point_whose_doubled_buffers_exceed_ldm()
    {
        var spec = Operator.Conv2d(1, 128, 128, 56, 56, 3, stride: 2, padding: 1);
        foreach (var plan in new Im2colLdmSpace(spec, Target.Limits, PlacementConstraints.None).EnumeratePlans().Cast<Im2colLdmPlan>())
        {
            Assert.That(plan.LdmBytes, Is.LessThanOrEqualTo(Target.Limits.LdmBudgetBytes), plan.Schedule.ToString());
        }

        var tooBig = new Im2colLdmSchedule { RowsPerCpe = 4, OutBlock = 128, InBlock = 576, OverlapPuts = true };
        var error = Assert.Throws<ScheduleException>(() => Im2colAlgorithm.Instance.Plan(spec, tooBig, Target.Limits));
        Assert.That(error!.Id, Is.EqualTo(ScheduleDiagnostics.LdmOverflow));
    }
}
