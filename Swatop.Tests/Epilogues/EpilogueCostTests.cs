using Swatop.Core;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Hardware.Sw26010;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Hardware.Sw26010.Tuning;
using Swatop.Primitives;

namespace Swatop.Tests.Epilogues;

/// <summary>
/// An epilogue's operands take LDM and time: the plan counts their buffers, the space offers no schedule whose
/// buffers with them overflow the LDM, the cost model prices their gets and element-wise calls, and the emulator's
/// kernel with an epilogue takes longer than without it.
/// </summary>
public sealed class EpilogueCostTests
{
    private static readonly OperatorSpec Plain = Operator.Conv2d(8, 32, 64, 14, 14, 3, padding: 1, elementType: ElementType.Float32);

    private static readonly OperatorSpec Fused = Plain.WithEpilogue(EpilogueStep.Bias(), EpilogueStep.ResidualAdd(), EpilogueStep.Relu());

    [Test]
    public void The_plan_counts_the_epilogues_buffers_in_the_LDM()
    {
        var limits = Sw26010Target.Default.Limits;
        var schedule = ImplicitGemmSpace.For(Plain, limits).Default();
        var plain = LoopPlan.Create(Plain, schedule, limits);
        var fused = LoopPlan.Create(Fused, schedule, limits);
        var residual = fused.Operand(Core.Scheduling.OperandRole.Residual);
        var bias = fused.Operand(Core.Scheduling.OperandRole.Bias);
        Assert.Multiple(() =>
        {
            Assert.That(fused.KernelOperands.Skip(2).Select(o => o.Access.Tensor.Name), Is.EqualTo(new[] { "bias", "residual", "output" }), "after the GEMM's A and B");
            Assert.That(fused.LdmBytes, Is.GreaterThanOrEqualTo(plain.LdmBytes + ((residual.BufferElements + bias.BufferElements) * 4)));
            Assert.That(residual.BufferElements, Is.EqualTo(fused.Output.BufferElements), "a residual tile for each output tile of the window");
        });
    }

    [Test]
    public void The_space_offers_no_schedule_that_overflows_the_LDM_with_the_epilogue()
    {
        var limits = Sw26010Target.Default.Limits;
        var plans = ImplicitGemmSpace.For(Fused, limits).EnumeratePlans().Take(400).ToList();
        Assert.That(plans, Is.Not.Empty);
        Assert.That(plans.Select(p => p.LdmBytes), Has.All.LessThanOrEqualTo(limits.LdmBudgetBytes));
        Assert.That(plans.Select(p => p.EpilogueOperands.Length), Has.All.EqualTo(2));
    }

    [Test]
    public void The_cost_model_and_the_emulator_price_the_epilogue()
    {
        var target = Sw26010Target.Default;
        var model = new Sw26010CostModel(Sw26010Spec.Default);
        var schedule = ImplicitGemmSpace.For(Plain, target.Limits).Default();
        var clipOnly = Plain.WithEpilogue(EpilogueStep.Relu());
        double Modelled(OperatorSpec spec) => model.Estimate(LoopPlan.Create(spec, schedule, target.Limits), Core.Tuning.TuningObjective.Kernel);
        double Emulated(OperatorSpec spec) => spec.WithSchedule(schedule).Emit(target).Measure().KernelSeconds;
        Assert.Multiple(() =>
        {
            Assert.That(Modelled(clipOnly), Is.GreaterThan(Modelled(Plain)));
            Assert.That(Modelled(Fused), Is.GreaterThan(Modelled(clipOnly)));
            Assert.That(model.Account(LoopPlan.Create(Fused, schedule, target.Limits)).GetBytes, Is.GreaterThan(model.Account(LoopPlan.Create(Plain, schedule, target.Limits)).GetBytes));
            Assert.That(Emulated(Fused), Is.GreaterThan(Emulated(Plain)));
        });
    }
}
