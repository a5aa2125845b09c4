using Swatop.Core;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Scheduling;

namespace Swatop.Tests.Scheduling;

/// <summary>The schedule space of small operators: what it enumerates, samples and offers as a default.</summary>
public sealed class ScheduleSpaceTests
{
    private static IEnumerable<TestCaseData> Operators() =>
        SmallOperators.All.Select(spec => new TestCaseData(spec).SetArgDisplayNames(spec.Kind + " " + spec.Expression.Name));

    private static ImplicitGemmSpace Space(OperatorSpec spec) => ImplicitGemmSpace.For(spec, SmallOperators.Limits);

    [TestCaseSource(nameof(Operators))]
    public void Enumerate_yields_only_schedules_the_loop_plan_accepts(OperatorSpec spec)
    {
        var all = Space(spec).Enumerate().ToList();
        Assert.That(all, Is.Not.Empty);
        foreach (var schedule in all)
        {
            var plan = LoopPlan.Create(spec, schedule, SmallOperators.Limits);
            Assert.That(plan.LdmBytes, Is.LessThanOrEqualTo(SmallOperators.Limits.LdmBudgetBytes), schedule.ToString());
        }
    }

    [TestCaseSource(nameof(Operators))]
    public void Enumerate_yields_each_schedule_once_in_the_same_order_every_time(OperatorSpec spec)
    {
        var first = Space(spec).Enumerate().ToList();
        Assert.That(first, Is.Unique);
        Assert.That(Space(spec).Enumerate(), Is.EqualTo(first));
    }

    [Test]
    public void Enumerate_offers_every_mapping_tile_and_split_of_a_gemm()
    {
        var all = Space(SmallOperators.Gemm).Enumerate().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(all.Select(s => s.Mapping).Distinct(), Is.EquivalentTo(GemmMapping.All(SmallOperators.Gemm.Expression)));
            Assert.That(all.Where(s => s.Mapping.M == "m").Select(s => s.TileM).Distinct(), Is.EquivalentTo(new[] { 128, 256 }));
            Assert.That(all.Where(s => s.Mapping.N == "n").Select(s => s.TileN).Distinct(), Is.EquivalentTo(new[] { 32, 64 }));
            Assert.That(all.Select(s => s.TileK).Distinct(), Is.EquivalentTo(new[] { 8, 16, 24 }));
            Assert.That(all.Select(s => (s.CoreGroups, s.SplitAxis)).Distinct(), Is.EquivalentTo(new (int, string?)[] { (1, null) }),
                "no loop of the 130 x 40 GEMM has four iterations to split");
        });
    }

    [Test]
    public void A_smaller_ldm_budget_prunes_exactly_the_schedules_that_do_not_fit()
    {
        var spec = SmallOperators.BatchedGemm;
        var smaller = SmallOperators.Limits with { LdmBudgetBytes = 2 * 1024 };
        var all = Space(spec).Enumerate().ToList();
        var fitting = all.Where(s => LoopPlan.Create(spec, s, SmallOperators.Limits).LdmBytes <= smaller.LdmBudgetBytes).ToList();
        Assert.That(fitting, Has.Count.LessThan(all.Count).And.Count.GreaterThan(0));
        var pruned = ImplicitGemmSpace.For(spec, smaller).Enumerate().ToList();
        Assert.That(pruned, Is.All.Matches<ImplicitGemmSchedule>(s => LoopPlan.Create(spec, s, smaller).LdmBytes <= smaller.LdmBudgetBytes));
        Assert.That(fitting, Is.SubsetOf(pruned), "a point that fits stays a point");
        Assert.That(pruned.Except(fitting), Is.All.Matches<ImplicitGemmSchedule>(s => all.Any(big => big == s with { Operands = big.Operands })),
            "the new points are single-buffered twins of points whose double buffers no longer fit");
    }

    [TestCaseSource(nameof(Operators))]
    public void Sample_draws_the_same_schedules_for_the_same_seed(OperatorSpec spec)
    {
        var space = Space(spec);
        var first = Draw(space, new Random(11), 25);
        Assert.That(Draw(space, new Random(11), 25), Is.EqualTo(first));
        Assert.That(Draw(space, new Random(12), 25), Is.Not.EqualTo(first));
    }

    [TestCaseSource(nameof(Operators))]
    public void Sample_draws_points_of_the_space(OperatorSpec spec)
    {
        var space = Space(spec);
        var all = space.Enumerate().ToHashSet();
        var drawn = Draw(space, new Random(5), 40);
        Assert.That(drawn.Where(s => !all.Contains(s)), Is.Empty);
        Assert.That(drawn.Distinct().Count(), Is.GreaterThan(1));
    }

    /// <summary>
    /// Found by this test: Sample drew among the first 4,096 choices of a shape only, so with more choices than that
    /// (here 5,040 index orders x 4 double-buffering pairs) the later index orders could never be drawn, and every
    /// sampled order began with x0 or x1.
    /// </summary>
    [TestCaseSource(nameof(Operators))]
    public void The_parts_of_a_space_hold_each_point_once(OperatorSpec spec)
    {
        var space = Space(spec);
        var all = space.Enumerate().ToList();
        var parts = Enumerable.Range(0, 3).Select(part => space.EnumeratePlans(part, 3).Select(plan => plan.Schedule).ToList()).ToList();
        Assert.That(parts.SelectMany(p => p), Is.EquivalentTo(all));
        Assert.That(parts, Is.All.Matches<List<ImplicitGemmSchedule>>(part => part.SequenceEqual(all.Where(part.Contains))), "each part keeps the enumeration order");
        Assert.Throws<ArgumentOutOfRangeException>(() => space.EnumeratePlans(3, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => space.EnumeratePlans(0, 0));
    }

    [Test]
    public void Sample_draws_each_decision_among_all_its_choices()
    {
        var space = Space(SmallOperators.Conv);
        var all = space.Enumerate().ToList();
        var drawn = Draw(space, new Random(3), 400);
        Assert.Multiple(() =>
        {
            Assert.That(drawn.Select(s => (s.Mapping, s.TileM, s.TileN, s.TileK, s.WindowAxis, s.Window)).Distinct(),
                Is.EquivalentTo(all.Select(s => (s.Mapping, s.TileM, s.TileN, s.TileK, s.WindowAxis, s.Window)).Distinct()));
            Assert.That(drawn.Select(s => string.Join(" ", s.IndexOrder)).Distinct(), Is.EquivalentTo(all.Select(s => string.Join(" ", s.IndexOrder)).Distinct()));
            Assert.That(drawn.Select(s => string.Join(" ", s.ReductionOrder)).Distinct(), Is.EquivalentTo(all.Select(s => string.Join(" ", s.ReductionOrder)).Distinct()));
            Assert.That(drawn.Select(s => s.Operand(OperandRole.A).Level).Distinct(), Is.EquivalentTo(all.Select(s => s.Operand(OperandRole.A).Level).Distinct()));
            Assert.That(drawn.Select(s => s.Operand(OperandRole.B).Level).Distinct(), Is.EquivalentTo(all.Select(s => s.Operand(OperandRole.B).Level).Distinct()));
            Assert.That(drawn.Select(s => (s.Operand(OperandRole.A).DoubleBuffer, s.Operand(OperandRole.B).DoubleBuffer, s.CoreGroups, s.SplitAxis)).Distinct(),
                Is.EquivalentTo(all.Select(s => (s.Operand(OperandRole.A).DoubleBuffer, s.Operand(OperandRole.B).DoubleBuffer, s.CoreGroups, s.SplitAxis)).Distinct()));
        });
    }

    [TestCaseSource(nameof(Operators))]
    public void Default_wastes_least_on_padding_then_uses_the_most_core_groups_and_double_buffers(OperatorSpec spec)
    {
        var space = Space(spec);
        var chosen = space.Default();
        Assert.DoesNotThrow(() => space.Validate(chosen));
        Assert.That(space.Default(), Is.EqualTo(chosen));
        var all = space.Enumerate().ToList();
        Assert.That(all, Does.Contain(chosen));
        Assert.That(Math.Round(Utilization(spec, chosen), 1), Is.EqualTo(all.Max(s => Math.Round(Utilization(spec, s), 1))));
        var sameShape = all.Where(s => s.Mapping == chosen.Mapping && s.TileM == chosen.TileM && s.TileN == chosen.TileN && s.TileK == chosen.TileK
            && s.WindowAxis == chosen.WindowAxis && s.Window == chosen.Window).ToList();
        Assert.That(chosen.CoreGroups, Is.EqualTo(sameShape.Max(s => s.CoreGroups)));
        var buffers = (chosen.Operand(OperandRole.A).DoubleBuffer ? 1 : 0) + (chosen.Operand(OperandRole.B).DoubleBuffer ? 1 : 0);
        Assert.That(buffers, Is.EqualTo(sameShape.Where(s => s.CoreGroups == chosen.CoreGroups).Max(s => (s.Operand(OperandRole.A).DoubleBuffer ? 1 : 0) + (s.Operand(OperandRole.B).DoubleBuffer ? 1 : 0))));
    }

    /// <summary>The share of the padded M, N, K and window extents that is real work.</summary>
    internal static double Utilization(OperatorSpec spec, ImplicitGemmSchedule schedule)
    {
        var e = spec.Expression;
        static double Share(int extent, int tile) => extent / (double)((extent + tile - 1) / tile * tile);
        var share = Share(e.Axis(schedule.Mapping.M).Extent, schedule.TileM) * Share(e.Axis(schedule.Mapping.N).Extent, schedule.TileN)
            * Share(e.Axis(schedule.Mapping.K).Extent, schedule.TileK);
        return schedule.WindowAxis is null ? share : share * Share(e.Axis(schedule.WindowAxis).Extent, schedule.Window);
    }

    [Test]
    public void Default_of_a_space_with_a_split_uses_every_core_group()
    {
        var spec = Operator.Gemm(600, 40, 20, batch: 4);
        Assert.That(Space(spec).Default().CoreGroups, Is.EqualTo(SmallOperators.Limits.CoreGroups));
    }

    [TestCase(128, 8, 32, 6, 6, 3)]
    [TestCase(128, 8, 32, 6, 3, 3)]
    [TestCase(256, 16, 64, 10, 9, 3)]
    [TestCase(128, 8, 32, 5, 5, 2)]
    public void Swdnn_schedule_is_a_valid_point_of_its_convolutions_space(int batch, int inChannels, int outChannels, int height, int width, int kernel)
    {
        var conv = Operator.Conv2d(batch, inChannels, outChannels, height, width, kernel);
        var schedule = Schedules.SwDnn(conv, SmallOperators.Limits);
        var plan = Space(conv).Validate(schedule);
        Assert.Multiple(() =>
        {
            Assert.That(plan.Window, Is.Not.Null);
            Assert.That(plan.Window!.Output.Name, Is.EqualTo("ow"));
            Assert.That(plan.Window.Tap.Name, Is.EqualTo("kw"));
            Assert.That(plan.SplitLoop!.Var, Is.EqualTo("oh"));
            Assert.That(plan.LdmBytes, Is.LessThanOrEqualTo(SmallOperators.Limits.LdmBudgetBytes));
        });
    }

    [Test]
    public void The_swdnn_schedule_in_blocked_layouts_is_a_point_the_space_enumerates()
    {
        // No border tile: the space keeps the blocked twin of swDNN's plain layouts, which it beats (ScheduleEquivalenceTests).
        var conv = Operator.Conv2d(128, 8, 32, 6, 6, 3);
        var schedule = Schedules.SwDnn(conv, SmallOperators.Limits);
        Assert.That(schedule.ReductionOrder, Is.EqualTo(new[] { "kh", "kw", "ci" }), "ci runs once: whole-channel K tile");
        Assert.That(schedule.BlockedLayouts, Is.False, "swDNN's own layouts");
        var points = Space(conv).Enumerate().ToList();
        Assert.That(points, Does.Contain(schedule with { BlockedLayouts = true }));
        Assert.That(points, Does.Not.Contain(schedule));
        Assert.That(Space(conv).Canonical(schedule), Is.EqualTo(schedule));
    }

    [Test]
    public void A_space_with_no_point_has_no_default()
    {
        var tiny = SmallOperators.Limits with { LdmBudgetBytes = 64 };
        var space = ImplicitGemmSpace.For(SmallOperators.Gemm, tiny);
        Assert.That(space.Enumerate(), Is.Empty);
        Assert.Throws<InvalidOperationException>(() => space.Default());
    }

    /// <summary>Found by this test: Sample failed with an ArgumentOutOfRangeException instead of saying the space is empty.</summary>
    [Test]
    public void A_contraction_without_a_gemm_mapping_has_an_empty_space()
    {
        // C[i][j] = sum_k A[i][j][k] * B[i][j][k]: both operands read both index axes, so neither can be the GEMM's M or N.
        var i = Axis.Index("i", 3);
        var j = Axis.Index("j", 4);
        var k = Axis.Reduction("k", 5);
        var a = TensorDeclaration.Create("A", 3, 4, 5);
        var b = TensorDeclaration.Create("B", 3, 4, 5);
        var c = TensorDeclaration.Create("C", 3, 4);
        var space = Space(Operator.Define(Contraction.Create("rowwise_dot", [i, j], [k], c[i, j], a[i, j, k], b[i, j, k])));
        Assert.That(space.Enumerate(), Is.Empty);
        Assert.That(() => space.Sample(new Random(1)), Throws.InvalidOperationException.With.Message.Contains("no GEMM mapping"));
        Assert.That(() => space.Default(), Throws.InvalidOperationException.With.Message.Contains("empty"));
    }

    private static List<ImplicitGemmSchedule> Draw(ImplicitGemmSpace space, Random random, int count) => [.. Enumerable.Range(0, count).Select(_ => space.Sample(random))];

    [Test]
    public void Double_buffering_with_nothing_to_prefetch_is_left_out_because_it_is_the_single_buffered_kernel()
    {
        var target = Hardware.Sw26010.Target.Sw26010Target.Default;
        var random = new Random(3);
        var twins = 0;
        foreach (var spec in new[] { Operator.Gemm(64, 17, 5, transposeA: true), Operator.Conv2d(2, 8, 16, 9, 9, 3, padding: 1) })
        {
            var space = Space(spec);
            Assert.That(space.Enumerate().Take(3000), Is.All.Matches<ImplicitGemmSchedule>(s => Prefetches(spec, s)));
            for (var i = 0; i < 40; i++)
            {
                var point = space.Sample(random);
                var plan = LoopPlan.Create(spec, point, SmallOperators.Limits);
                var twin = !plan.CanPrefetch(plan.Operand(OperandRole.A)) ? point.WithDoubleBuffer(OperandRole.A, true) : !plan.CanPrefetch(plan.Operand(OperandRole.B)) ? point.WithDoubleBuffer(OperandRole.B, true) : point;
                if (twin == point || !Valid(spec, twin))
                {
                    continue;
                }

                twins++;
                string Body(ImplicitGemmSchedule schedule) => Core.Ir.IrPrinter.Print(Core.Ir.Passes.PassPipeline.Default
                    .Run(spec.WithSchedule(schedule).Lower(target.Limits).Kernel, target.PassContext).Kernel.Body);
                Assert.That(Body(twin), Is.EqualTo(Body(point)), $"{spec.Signature}: {twin}");
            }
        }

        Assert.That(twins, Is.GreaterThan(0), "the sample met operands with nothing to prefetch");
    }

    private static bool Valid(OperatorSpec spec, ImplicitGemmSchedule schedule)
    {
        try
        {
            LoopPlan.Create(spec, schedule, SmallOperators.Limits);
            return true;
        }
        catch (ScheduleException)
        {
            return false;
        }
    }

    private static bool Prefetches(OperatorSpec spec, ImplicitGemmSchedule schedule)
    {
        var plan = LoopPlan.Create(spec, schedule, SmallOperators.Limits);
        return (!schedule.Operand(OperandRole.A).DoubleBuffer || plan.CanPrefetch(plan.Operand(OperandRole.A))) && (!schedule.Operand(OperandRole.B).DoubleBuffer || plan.CanPrefetch(plan.Operand(OperandRole.B)));
    }
}
