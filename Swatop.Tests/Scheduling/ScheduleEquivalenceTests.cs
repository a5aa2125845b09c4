using Swatop.Core;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Scheduling;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Target;

namespace Swatop.Tests.Scheduling;

/// <summary>
/// The space keeps one point of each class of schedules that run alike, and leaves out the choices
/// another point beats outright: checked on the emulator, not only on the rules.
/// </summary>
public sealed class ScheduleEquivalenceTests
{
    private static readonly Sw26010Target Target = Sw26010Target.Default;

    /// <summary>No border tile: every tile of every axis is full, so visiting them in another order changes nothing.</summary>
    private static readonly OperatorSpec EvenConv = Operator.Conv2d(128, 16, 64, 8, 8, 3, padding: 1);

    private static ImplicitGemmSpace Space(OperatorSpec spec) => ImplicitGemmSpace.For(spec, Target.Limits);

    [Test]
    public void Seven_loops_both_operands_read_keep_one_order()
    {
        var spec = SmallOperators.SevenBatchAxes();
        var space = Space(spec);
        string[] declared = [.. spec.Expression.IndexAxes.Select(a => a.Name)];
        Assert.That(space.Enumerate().Select(s => s.IndexOrder), Is.All.EqualTo(declared));
        var point = space.Enumerate().First();
        Assert.That(space.Canonical(point with { IndexOrder = [.. declared.Reverse()] }), Is.EqualTo(point));
    }

    [Test]
    public void Interchangeable_loops_issue_the_same_transfers_and_gemm_calls_in_the_same_cycles()
    {
        var space = Space(EvenConv);
        var random = new Random(7);
        var compared = 0;
        for (var i = 0; i < 30 && compared < 6; i++)
        {
            var point = space.Sample(random);
            var moved = Permutations(point.IndexOrder).Select(order => point with { IndexOrder = [.. order] })
                .FirstOrDefault(other => !other.IndexOrder.SequenceEqual(point.IndexOrder) && space.Canonical(other) == point);
            if (moved is null)
            {
                continue;
            }

            compared++;
            var (expected, actual) = (Report(EvenConv, point), Report(EvenConv, moved));
            Assert.That(Counts(actual), Is.EqualTo(Counts(expected)), $"{moved} against {point}");
            Assert.That(actual.Profile.ElapsedCycles, Is.EqualTo(expected.Profile.ElapsedCycles), $"{moved} against {point}");
        }

        Assert.That(compared, Is.GreaterThan(0), "the sample met points with interchangeable loops");
    }

    [Test]
    public void A_level_on_a_loop_the_operand_does_not_read_moves_out_and_fetches_no_more()
    {
        var space = Space(EvenConv);
        var random = new Random(5);
        var compared = 0;
        for (var i = 0; i < 60 && compared < 6; i++)
        {
            var point = space.Sample(random);
            var plan = LoopPlan.Create(EvenConv, point, Target.Limits);
            var unread = plan.ReductionLoops.FirstOrDefault(l => l.Extent > 1 && !plan.DependsOn(plan.Operand(OperandRole.B).Access, l));
            if (unread is null || !Fits(EvenConv, point.WithLevel(OperandRole.B, unread.Var)) || unread.Var == point.Operand(OperandRole.B).Level)
            {
                continue;
            }

            compared++;
            var wasted = point.WithLevel(OperandRole.B, unread.Var);
            var written = space.Canonical(wasted);
            Assert.That(written.Operand(OperandRole.B).Level, Is.Not.EqualTo(unread.Var));
            var (outside, inside) = (Counts(Report(EvenConv, written)), Counts(Report(EvenConv, wasted)));
            Assert.That(outside.GemmCalls, Is.EqualTo(inside.GemmCalls));
            Assert.That(outside.GetBytes, Is.LessThanOrEqualTo(inside.GetBytes), $"{written} against {wasted}");
        }

        Assert.That(compared, Is.GreaterThan(0), "the sample met operands with a loop they do not read");
    }

    [TestCaseSource(typeof(SmallOperators), nameof(SmallOperators.All))]
    public void Single_buffering_stays_only_where_the_double_buffers_do_not_fit_or_have_nothing_to_overlap(OperatorSpec spec)
    {
        foreach (var point in Space(spec).Enumerate().Take(2000))
        {
            var plan = LoopPlan.Create(spec, point, Target.Limits);
            if (!point.Operand(OperandRole.A).DoubleBuffer && plan.CanPrefetch(plan.Operand(OperandRole.A)))
            {
                Assert.That(Fits(spec, point.WithDoubleBuffer(OperandRole.A, true)), Is.False, point.ToString());
            }

            if (!point.Operand(OperandRole.B).DoubleBuffer && plan.CanPrefetch(plan.Operand(OperandRole.B)))
            {
                Assert.That(Fits(spec, point.WithDoubleBuffer(OperandRole.B, true)), Is.False, point.ToString());
            }

            if (!point.Operand(OperandRole.Output).DoubleBuffer && plan.CanOverlapPuts)
            {
                Assert.That(Fits(spec, point.WithDoubleBuffer(OperandRole.Output, true)), Is.False, point.ToString());
            }

            Assert.That(!point.Operand(OperandRole.Output).DoubleBuffer || plan.CanOverlapPuts, point.ToString());
        }
    }

    [TestCaseSource(typeof(SmallOperators), nameof(SmallOperators.All))]
    public void One_core_group_stays_only_where_no_split_over_all_of_them_is_valid(OperatorSpec spec)
    {
        var groups = Target.Limits.CoreGroups;
        foreach (var point in Space(spec).Enumerate().Where(s => s.CoreGroups == 1).Take(500))
        {
            var split = point.IndexOrder.Where(axis => Fits(spec, point.WithOperands(o => o with { DoubleBuffer = o.Role == OperandRole.Output && o.DoubleBuffer }) with { CoreGroups = groups, SplitAxis = axis }));
            Assert.That(split, Is.Empty, point.ToString());
        }
    }

    [Test]
    public void Blocked_layouts_without_border_tiles_move_the_same_bytes_in_fewer_blocks_and_no_more_cycles()
    {
        var space = Space(EvenConv);
        var random = new Random(11);
        var compared = 0;
        for (var i = 0; i < 200 && compared < 6; i++)
        {
            var point = space.Sample(random);
            var e = space.Validate(point).View.Expression; // a folded point names the view's axes
            var whole = e.Axis(point.Mapping.M).Extent % point.TileM == 0 && e.Axis(point.Mapping.N).Extent % point.TileN == 0 && e.Axis(point.Mapping.K).Extent % point.TileK == 0;
            if (!point.BlockedLayouts || !whole)
            {
                continue;
            }

            compared++;
            var plain = point with { BlockedLayouts = false };
            Assert.That(space.Canonical(plain), Is.EqualTo(plain), "the plain twin is written as the space writes its points");
            var (blocked, original) = (Report(EvenConv, point), Report(EvenConv, plain));
            var (b, o) = (Counts(blocked), Counts(original));
            Assert.Multiple(() =>
            {
                Assert.That((b.Gets, b.Puts, b.GetBytes, b.PutBytes, b.GemmCalls), Is.EqualTo((o.Gets, o.Puts, o.GetBytes, o.PutBytes, o.GemmCalls)), point.ToString());
                Assert.That(blocked.Total.DmaBlocks, Is.LessThan(original.Total.DmaBlocks), point.ToString());
                Assert.That(blocked.Profile.ElapsedCycles, Is.LessThanOrEqualTo(original.Profile.ElapsedCycles), point.ToString());
            });
        }

        Assert.That(compared, Is.GreaterThan(0), "the sample met blocked points without border tiles");
    }

    [Test]
    public void Overlapped_puts_move_the_same_bytes_in_no_more_cycles()
    {
        var space = Space(EvenConv);
        var random = new Random(13);
        var compared = 0;
        for (var i = 0; i < 100 && compared < 6; i++)
        {
            var point = space.Sample(random);
            if (!point.Operand(OperandRole.Output).DoubleBuffer)
            {
                continue;
            }

            compared++;
            var (overlapped, waited) = (Report(EvenConv, point), Report(EvenConv, point.WithDoubleBuffer(OperandRole.Output, false)));
            Assert.Multiple(() =>
            {
                Assert.That(Counts(overlapped), Is.EqualTo(Counts(waited)), point.ToString());
                Assert.That(overlapped.Profile.ElapsedCycles, Is.LessThanOrEqualTo(waited.Profile.ElapsedCycles), point.ToString());
            });
        }

        Assert.That(compared, Is.GreaterThan(0), "the sample met points with overlapped puts");
    }

    [Test]
    public void Plain_layouts_stay_only_where_blocking_would_run_border_tiles_whole()
    {
        var e = EvenConv.Expression;
        foreach (var point in Space(EvenConv).Enumerate().Where(s => !s.BlockedLayouts).Take(2000))
        {
            var border = e.Axis(point.Mapping.M).Extent % point.TileM != 0 || e.Axis(point.Mapping.N).Extent % point.TileN != 0 || e.Axis(point.Mapping.K).Extent % point.TileK != 0;
            Assert.That(border || !LoopPlan.Create(EvenConv, point, Target.Limits).CanBlockLayouts, Is.True, point.ToString());
        }
    }

    [Test]
    public void Tile_shapes_that_pad_to_more_than_twice_the_least_padded_work_are_left_out()
    {
        var spec = Operator.Conv2d(128, 3, 64, 30, 30, 7, stride: 2, padding: 3);
        var points = Space(spec).Enumerate().ToList();
        var worst = points.Min(s => ScheduleSpaceTests.Utilization(spec, s));
        var best = points.Max(s => ScheduleSpaceTests.Utilization(spec, s));
        Assert.That(worst * ImplicitGemmSpace.PaddingLimit, Is.GreaterThanOrEqualTo(best));
        Assert.That(points.Select(s => s.Mapping.K).Distinct(), Does.Not.Contain("ci"), "3 input channels pad to the mesh GEMM's K of 8");
    }

    private static (long Gets, long Puts, long GetBytes, long PutBytes, long GemmCalls) Counts(ChipRunReport report)
    {
        var total = report.Total;
        return (total.DmaGets, total.DmaPuts, total.DmaGetBytes, total.DmaPutBytes, total.MeshGemmCalls);
    }

    private static ChipRunReport Report(OperatorSpec spec, ImplicitGemmSchedule schedule) => ((Sw26010Kernel)spec.WithSchedule(schedule).Emit(Target)).MeasureReport();

    private static bool Fits(OperatorSpec spec, ImplicitGemmSchedule schedule) =>
        LoopPlan.TryCreate(spec, schedule, Target.Limits, out _) is not null;

    private static IEnumerable<string[]> Permutations(IReadOnlyList<string> items) =>
        items.Count <= 1 ? [[.. items]]
            : items.SelectMany((first, i) => Permutations([.. items.Where((_, j) => j != i)]).Select(rest => (string[])[first, .. rest]));
}
