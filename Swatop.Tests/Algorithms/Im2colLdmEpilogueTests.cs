using System.Numerics.Tensors;
using Swatop.Core;
using Swatop.Core.Algorithms.Im2col;
using Swatop.Core.Scheduling;
using Swatop.Hardware.Sw26010;
using Swatop.Hardware.Sw26010.Emit.Verification;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Hardware.Sw26010.Tuning;
using Swatop.Primitives;
using Swatop.Tests.Emit;

namespace Swatop.Tests.Algorithms;

/// <summary>
/// Explicit im2col with the column block in LDM applies the operator's bias and clamps to its accumulators in LDM before
/// the puts: on the emulator and through gcc and the shim as the reference does, priced by the cost model, and a
/// residual add refused naming the step.
/// </summary>
public sealed class Im2colLdmEpilogueTests
{
    private static readonly OperatorSpec Conv1Like = Operator.Conv2d(2, 3, 16, 17, 17, 7, stride: 2, padding: 3);

    private static IEnumerable<TestCaseData> Epilogues()
    {
        yield return new TestCaseData(Conv1Like.WithEpilogue(EpilogueStep.Bias(), EpilogueStep.Relu()), new Im2colLdmSchedule { RowsPerCpe = 1, OutBlock = 32, InBlock = 152 })
            .SetName("A conv1-like double convolution with a bias and a ReLU, one tap block");
        yield return new TestCaseData(Operator.Conv2d(3, 4, 40, 12, 11, 3, padding: 2, elementType: ElementType.Float32).WithEpilogue(EpilogueStep.Bias(), EpilogueStep.Relu()),
                new Im2colLdmSchedule { RowsPerCpe = 2, OutBlock = 32, InBlock = 16, OverlapPuts = true, CoreGroups = 2, SplitAxis = "n" })
            .SetName("A float convolution with a bias and a ReLU, two output blocks (the last partial), puts overlapped, two core groups");
        yield return new TestCaseData(Operator.Conv2d(2, 12, 6, 11, 10, 3, stride: 2, padding: 1, groups: 3).WithEpilogue(EpilogueStep.Clip(double.NegativeInfinity, 0.01), EpilogueStep.Bias()),
                new Im2colLdmSchedule { RowsPerCpe = 3, OutBlock = 32, InBlock = 40 })
            .SetName("A grouped double convolution with an upper clamp, then a bias");
        yield return new TestCaseData(Operator.Conv2d(3, 3, 40, 20, 19, 5, stride: 2, padding: 2, elementType: ElementType.Float32).WithEpilogue(EpilogueStep.Bias(), EpilogueStep.Clip(-0.05, 0.05)),
                new Im2colLdmSchedule { RowsPerCpe = 1, OutBlock = 32, InBlock = 80, OverlapPuts = true, CoreGroups = 2, SplitAxis = "n" })
            .SetName("A float convolution with a bias and a clamp, input rows prefetched");
    }

    [TestCaseSource(nameof(Epilogues))]
    public void A_column_block_kernel_applies_its_epilogue_as_the_reference_does(OperatorSpec spec, Im2colLdmSchedule schedule)
    {
        var inputs = ReferenceOperands.Draw(spec, seed: 7);
        var kernel = spec.WithSchedule(schedule).Emit(Sw26010Target.Default);
        var (comparison, output) = ReferenceRun.Of(kernel, spec, inputs);

        double Rounded(double bound) => spec.ElementType == ElementType.Float32 ? (float)bound : bound;
        Assert.Multiple(() =>
        {
            Assert.That(comparison.Passed, $"{spec} under {schedule}: {comparison}");
            if (spec.Epilogue.Steps[^1] is ClipStep clip)
            {
                Assert.That(output.Count(v => v == Rounded(clip.Min) || v == Rounded(clip.Max)), Is.GreaterThan(0), "the clamp bounds some outputs");
                Assert.That(output.Count(v => v != Rounded(clip.Min) && v != Rounded(clip.Max)), Is.GreaterThan(0), "the clamp leaves some outputs");
            }
        });
    }

    [Test]
    public void A_column_block_kernel_with_a_bias_and_a_ReLU_built_against_the_shim_matches_the_reference_and_the_emulator()
    {
        var spec = Operator.Conv2d(3, 4, 40, 12, 11, 3, padding: 2, dilation: 2, elementType: ElementType.Float32).WithEpilogue(EpilogueStep.Bias(), EpilogueStep.Relu());
        var schedule = new Im2colLdmSchedule { RowsPerCpe = 2, OutBlock = 32, InBlock = 16, OverlapPuts = true, CoreGroups = 2, SplitAxis = "n" };
        var check = EmittedC.CheckAgainstEmulator(spec, schedule, seed: 5, GccShimOptions.Default);
        Assert.That(check.Comparison.Passed, check.Comparison.ToString());
        var slave = EmittedC.Kernel(spec, schedule).Sources.Files.Single(f => f.Key == "slave.c").Value;
        Assert.That(slave, Does.Contain(Im2colLdmPlan.BufferBias), "the bias is gotten into LDM");
    }

    [Test]
    public void The_plan_and_the_cost_model_count_the_bias_and_the_clamp()
    {
        var limits = Sw26010Target.Default.Limits;
        var model = new Sw26010CostModel(Sw26010Spec.Default);
        var schedule = new Im2colLdmSchedule { RowsPerCpe = 1, OutBlock = 32, InBlock = 152 };
        var plain = Im2colLdmPlan.Create(Conv1Like, schedule, limits);
        var relu = Im2colLdmPlan.Create(Conv1Like.WithEpilogue(EpilogueStep.Relu()), schedule, limits);
        var fused = Im2colLdmPlan.Create(Conv1Like.WithEpilogue(EpilogueStep.Bias(), EpilogueStep.Relu()), schedule, limits);
        Assert.Multiple(() =>
        {
            Assert.That(fused.HasBias && !relu.HasBias, Is.True);
            Assert.That(fused.LdmBytes, Is.GreaterThanOrEqualTo(plain.LdmBytes + (fused.BiasElements * fused.ElementBytes)));
            Assert.That(relu.LdmBytes, Is.EqualTo(plain.LdmBytes), "a clamp needs no buffer");
            Assert.That(fused.Placements.Select(p => p.Layout.Tensor.Name), Is.EqualTo(new[] { "input", "weights", "bias", "output" }));
            Assert.That(model.Account(relu).ComputeSeconds, Is.GreaterThan(model.Account(plain).ComputeSeconds));
            Assert.That(model.Account(fused).ComputeSeconds, Is.GreaterThan(model.Account(relu).ComputeSeconds));
            Assert.That(model.Account(fused).GetBytes, Is.GreaterThan(model.Account(plain).GetBytes), "the bias is gotten");
            Assert.That(model.Account(fused).Seconds, Is.GreaterThan(model.Account(plain).Seconds));
        });
    }

    [Test]
    public void A_residual_add_is_refused_naming_the_step()
    {
        var residual = Conv1Like.WithEpilogue(EpilogueStep.Bias(), EpilogueStep.ResidualAdd(), EpilogueStep.Relu());
        var schedule = new Im2colLdmSchedule { RowsPerCpe = 1, OutBlock = 32, InBlock = 152 };
        var error = Assert.Throws<ScheduleException>(() => Im2colAlgorithm.Instance.Plan(residual, schedule, Sw26010Target.Default.Limits));
        Assert.That(error!.Id, Is.EqualTo(ScheduleDiagnostics.NotApplicable));
        Assert.That(error.Message, Does.Contain("im2col-ldm").And.Contain("no residual add").And.Contain(ResidualAddStep.Name));
        Assert.That(Im2colLdmPlan.WhyNot(Conv1Like.WithEpilogue(EpilogueStep.Bias(), EpilogueStep.Relu())), Is.Null);
    }
}
