using Swatop.Core;
using Swatop.Core.Algorithms.Im2col;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Layouts;
using Swatop.Core.Scheduling;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Hardware.Sw26010.Tuning;

namespace Swatop.Tests.Tuning;

/// <summary>
/// The analytic model prices a kernel's transfers as the memory controller serves them: the requests and blocks of
/// border tiles as the boundary pass lowers them (a request a valid column, nothing for a CPE outside the axis), and
/// explicit im2col's column matrix where the column step lays it out, in each core group's own memory.
/// </summary>
public sealed class Sw26010CostModelTransferTests
{
    private static readonly Sw26010Target Target = Sw26010Target.Default;

    private static IEnumerable<TestCaseData> Layers() =>
    [
        // One output channel a group and K = 3 of a tile of 8: most CPEs' blocks lie outside the axes.
        new TestCaseData(Operator.Conv2d(16, 16, 16, 14, 14, 3, padding: 1, groups: 16), ImplicitGemmSchedule.AlgorithmName).SetArgDisplayNames("depthwise, implicit GEMM"),

        // The column matrix's 196 output positions and 144 rows cut in border tiles; the GEMM reads it in its plain order.
        new TestCaseData(Operator.Conv2d(16, 16, 32, 14, 14, 3, padding: 1), Im2colSchedule.AlgorithmName).SetArgDisplayNames("3 x 3, explicit im2col"),
    ];

    [TestCaseSource(nameof(Layers))]
    public void The_model_s_dma_seconds_are_the_controller_s_busy_time_for_the_model_s_best_kernels(OperatorSpec spec, string algorithm)
    {
        var model = new Sw26010CostModel(Target.Spec);
        var best = ScheduleSpace.For(spec, Target.Limits, null, algorithm).EnumeratePlans()
            .OrderBy(plan => model.Estimate(plan, TuningObjective.Kernel)).Take(3).ToList();
        Assert.That(best, Has.Count.EqualTo(3));
        foreach (var plan in best)
        {
            var account = plan.Accept<CostAccount>(model);
            var kernel = (Sw26010Kernel)spec.WithSchedule(plan.Schedule).Emit(Target);
            var group = kernel.MeasureReport().Profile.CoreGroups[0];
            Assert.That(account.HiddenDmaSeconds + account.ExposedDmaSeconds, Is.EqualTo(group.ControllerBusyCycles / Target.Spec.ClockHz).Within(1e-9).Percent, $"controller seconds of {plan.Schedule}");
        }
    }

    [Test]
    public void The_model_reads_explicit_im2col_s_column_matrix_from_the_core_group_s_own_memory()
    {
        var spec = Operator.Conv2d(16, 16, 32, 14, 14, 3, padding: 1);
        var model = new Sw26010CostModel(Target.Spec);
        var plans = Im2colAlgorithm.Instance.Space(spec, Target.Limits, PlacementConstraints.None).EnumeratePlans().Cast<Im2colPlan>().ToList();
        Assert.That(plans, Is.Not.Empty);
        Assert.That(plans.All(p => !p.Columns.Layout.IsIdentity), Is.True, "the column matrix is laid out by the column step");

        // Where the GEMM reads the column matrix in its plain order, the GEMM alone would reach it in the shared memory,
        // at twice a byte's cost; its bytes are the same either way.
        var inPlace = plans.Where(p => p.Gemm.Placements[0].Layout.IsIdentity).ToList();
        Assert.That(inPlace, Is.Not.Empty, "plans whose GEMM reads the column matrix in its plain order");
        foreach (var plan in inPlace)
        {
            var (kernel, gemm) = (plan.Accept<CostAccount>(model), model.Account(plan.Gemm));
            Assert.That(kernel.GetBytes, Is.EqualTo(gemm.GetBytes));
            Assert.That(kernel.HiddenDmaSeconds + kernel.ExposedDmaSeconds, Is.LessThan(gemm.HiddenDmaSeconds + gemm.ExposedDmaSeconds), $"{plan.Schedule}");
        }
    }
}
