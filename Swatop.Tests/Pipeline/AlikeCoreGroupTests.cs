using Swatop.Core;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Scheduling;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Target;

namespace Swatop.Tests.Pipeline;

/// <summary>
/// A timing-only measurement emulates one of the core groups whose shares are alike and copies its
/// report to the others: checked against emulating every group, to the cycle and the count.
/// </summary>
public sealed class AlikeCoreGroupTests
{
    private static readonly Sw26010Target Target = Sw26010Target.Default;

    /// <summary>Splits with alike shares, a border tile in the last share, and a shorter last share all occur among these.</summary>
    private static IEnumerable<OperatorSpec> Operators() =>
    [
        Operator.Conv2d(128, 16, 64, 12, 12, 3, padding: 1),
        Operator.Conv2d(128, 8, 40, 19, 17, 3, stride: 2, padding: 1),
        Operator.Gemm(1024, 96, 40),
        Operator.Gemm(1000, 96, 40),
    ];

    [TestCaseSource(nameof(Operators))]
    public void Groups_reported_from_a_twin_match_the_groups_emulated(OperatorSpec spec)
    {
        var space = ImplicitGemmSpace.For(spec, Target.Limits);
        var random = new Random(17);
        var split = 0;
        var (alike, unlike) = (0, 0);
        for (var i = 0; i < 60 && split < 6; i++)
        {
            var schedule = space.Sample(random);
            if (schedule.CoreGroups == 1)
            {
                continue;
            }

            split++;
            var kernel = (Sw26010Kernel)spec.WithSchedule(schedule).Emit(Target);
            if (kernel.Lowered.Plan.SplitSharesAlike)
            {
                alike++;
            }
            else
            {
                unlike++;
            }

            var (shortcut, every) = (kernel.MeasureReport(), kernel.MeasureReport(everyGroup: true));
            Assert.That(shortcut.CoreGroups.Select(Summary), Is.EqualTo(every.CoreGroups.Select(Summary)), schedule.ToString());
            Assert.That(shortcut.Profile.ElapsedCycles, Is.EqualTo(every.Profile.ElapsedCycles), schedule.ToString());
        }

        Assert.That(split, Is.GreaterThan(0), "the sample met schedules over several core groups");
        TestContext.Out.WriteLine($"{alike} with shares alike, {unlike} with the last share unlike");
    }

    [Test]
    public void Shares_are_unlike_where_the_last_one_is_shorter_or_holds_a_border_tile()
    {
        static bool Alike(int m, int groups) => LoopPlan.Create(Operator.Gemm(m, 96, 40), new ImplicitGemmSchedule
        {
            Mapping = new GemmMapping("m", "n", "k"), TileM = 128, TileN = 96, TileK = 40,
            IndexOrder = ["m", "n"], ReductionOrder = ["k"], CoreGroups = groups, SplitAxis = groups > 1 ? "m" : null,
        }, Target.Limits).SplitSharesAlike;
        Assert.Multiple(() =>
        {
            Assert.That(Alike(1024, 4), Is.True, "8 whole tiles in shares of 2");
            Assert.That(Alike(1000, 4), Is.False, "8 tiles in shares of 2, the last a border tile (1000 = 7 x 128 + 104)");
            Assert.That(Alike(1152, 2), Is.False, "9 whole tiles in shares of 5 and 4");
            Assert.That(Alike(1000, 1), Is.True, "one group");
        });
    }

    private static (int Group, double Cycles, CpeActivity Total) Summary(CoreGroupRunReport report) =>
        (report.CoreGroup, report.Profile.ElapsedCycles, report.Total);
}
