using Swatop.Core;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Scheduling;

namespace Swatop.Tests.Scheduling;

/// <summary>A space narrowed to one family of schedules (those without merged axes) enumerates, draws and admits that family alone.</summary>
public sealed class FilteredScheduleSpaceTests
{
    private static readonly OperatorSpec Conv = Operator.Conv2d(128, 16, 32, 8, 8, 1);

    private static bool Unmerged(Schedule schedule) => ((ImplicitGemmSchedule)schedule).MergedAxes.IsEmpty;

    private static (ScheduleSpace All, FilteredScheduleSpace Unmerged) Spaces()
    {
        var all = ScheduleSpace.For(Conv, SmallOperators.Limits);
        return (all, new FilteredScheduleSpace(all, Unmerged, "without merged axes"));
    }

    [Test]
    public void It_enumerates_the_points_its_rule_keeps_and_no_other()
    {
        var (all, unmerged) = Spaces();
        var points = all.Enumerate().ToList();
        Assert.That(points.Where(s => !Unmerged(s)), Is.Not.Empty, "the convolution's space merges its output rows and columns");
        Assert.That(unmerged.Enumerate(), Is.EqualTo(points.Where(Unmerged)));
        Assert.That(unmerged.EnumeratePlans(1, 3).Select(p => p.Schedule), Is.EqualTo(all.EnumeratePlans(1, 3).Select(p => p.Schedule).Where(Unmerged)));
    }

    [Test]
    public void Its_draws_and_default_keep_the_rule()
    {
        var (_, unmerged) = Spaces();
        var random = new Random(4);
        var drawn = Enumerable.Range(0, 20).Select(_ => unmerged.Sample(random)).ToList();
        Assert.That(drawn, Is.All.Matches<Schedule>(Unmerged));
        Assert.That(drawn.Select(s => unmerged.Neighbor(s, random)), Is.All.Matches<Schedule>(Unmerged));
        Assert.That(Unmerged(unmerged.Default()));
    }

    [Test]
    public void It_refuses_a_point_of_the_space_that_its_rule_does_not_keep()
    {
        var (all, unmerged) = Spaces();
        var merged = all.Enumerate().First(s => !Unmerged(s));
        ScheduleMust.Fail(() => unmerged.Validate(merged), ScheduleDiagnostics.NotApplicable, "schedule", "without merged axes");
    }
}
