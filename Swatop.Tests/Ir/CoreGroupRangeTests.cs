using System.Numerics.Tensors;
using Swatop.Core;
using Swatop.Core.Ir;
using Swatop.Core.Ir.Passes;
using Swatop.Hardware.Sw26010.Target;

namespace Swatop.Tests.Ir;

/// <summary>
/// The built-in <c>cg</c> ranges over the core groups a kernel runs on, the schedule's, not the
/// target's: a schedule on 2 or 3 of the chip's 4 core groups compiles for the 4-group target and runs.
/// </summary>
public sealed class CoreGroupRangeTests
{
    [Test]
    public void For_core_groups_narrows_the_range_of_cg()
    {
        var context = Sw26010Target.Default.PassContext;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(context.GroupCount, Is.EqualTo(4));
            Assert.That(context.ForCoreGroups(2).GroupCount, Is.EqualTo(2));
            Assert.That(context.ForCoreGroups(2).LdmBudgetBytes, Is.EqualTo(context.LdmBudgetBytes));
            Assert.That(context.ForCoreGroups(4), Is.SameAs(context));
        }
    }

    [TestCase(0)]
    [TestCase(5)]
    public void For_core_groups_rejects_a_count_outside_the_target(int groups)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Sw26010Target.Default.PassContext.ForCoreGroups(groups));
        Assert.That(error.ParamName, Is.EqualTo("coreGroups"));
        Assert.That(error.Message, Does.Contain($"coreGroups = {groups} must be between 1 and the target's 4 core groups"));
    }

    [TestCase(2)]
    [TestCase(3)]
    public void A_schedule_on_fewer_core_groups_compiles_and_runs_on_the_four_group_target(int groups)
    {
        var spec = Operator.Gemm(128 * groups, 40, 16);
        var schedule = Lowering.GemmLoweringGoldenTests.Schedule with { CoreGroups = groups };
        var kernel = (Sw26010Kernel)spec.WithSchedule(schedule).Emit(Sw26010Target.Default);
        var (left, right) = ReferenceOperands.Draw(spec.Expression, seed: 3);
        var run = kernel.Run(Tensor.Create(left, [128 * groups, 16]), Tensor.Create(right, [16, 40]));
        var output = new double[128 * groups * 40];
        run.Output.FlattenTo(output);
        Assert.That(ReferenceComparison.Compare(spec.Expression, spec.ElementType, left, right, output).Passed);

        // Taking cg over the whole chip, the verifier sees core groups that never run reading past A.
        var lowered = spec.WithSchedule(schedule).Lower(Sw26010Target.Default.Limits);
        var error = Assert.Throws<IrException>(() => PassPipeline.Default.Run(lowered.Kernel, Sw26010Target.Default.PassContext));
        Assert.That(error.Message, Does.StartWith("SWI0009").And.Contain("'A' has"));
    }
}
