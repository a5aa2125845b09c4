using Swatop.Core;
using Swatop.Core.Algorithms.Im2col;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Hardware.Sw26010.Tuning;

namespace Swatop.Tests.Algorithms;

/// <summary>The cost model's price of a column-block kernel held against the emulator's time of it.</summary>
internal static class ColumnBlockPrice
{
    /// <summary>
    /// Asserts that the model's DMA seconds of <paramref name="spec"/> under <paramref name="schedule"/> are the first core
    /// group's controller busy time, and its kernel estimate the emulator's time, each within <paramref name="percent"/> per cent.
    /// </summary>
    public static void AssertAsTimed(OperatorSpec spec, Im2colLdmSchedule schedule, double percent)
    {
        var target = Sw26010Target.Default;
        var model = new Sw26010CostModel(target.Spec);
        var plan = Im2colAlgorithm.Instance.Plan(spec, schedule, target.Limits);
        var account = plan.Accept<CostAccount>(model);
        var report = ((Sw26010Kernel)spec.WithSchedule(schedule).Emit(target)).MeasureReport();
        var group = report.Profile.CoreGroups[0];
        Assert.That(account.HiddenDmaSeconds + account.ExposedDmaSeconds, Is.EqualTo(group.ControllerBusyCycles / target.Spec.ClockHz).Within(percent).Percent, "DMA seconds");
        Assert.That(model.Estimate(plan, TuningObjective.Kernel), Is.EqualTo(report.Profile.SimulatedSeconds).Within(percent).Percent, "kernel seconds");
    }
}
