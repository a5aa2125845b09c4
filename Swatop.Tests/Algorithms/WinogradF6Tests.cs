using Swatop.Core;
using Swatop.Core.Algorithms.Winograd;
using Swatop.Core.Algorithms.WinogradGemm;
using Swatop.Core.Algorithms.WinogradMesh;
using Swatop.Core.Layouts;
using Swatop.Core.Scheduling;
using Swatop.Hardware.Sw26010.Emit.Verification;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Hardware.Sw26010.Tuning;
using Swatop.Primitives;
using Swatop.Tests.Emit;

namespace Swatop.Tests.Algorithms;

/// <summary>
/// F(6 x 6, 3 x 3) (<see cref="WinogradTransforms.F6"/>), built in the composite Winograd in double: its transforms, its
/// rounding bound, its kernels on the emulator and through the shim within that bound, its price, and where it is refused.
/// </summary>
public sealed class WinogradF6Tests
{
    private static readonly OperatorSpec Layer = Operator.Conv2d(8, 32, 64, 14, 14, 3, padding: 1);

    [TestCase(2)]
    [TestCase(4)]
    [TestCase(6)]
    public void The_transforms_compute_the_correlation_of_a_filter_row_with_an_input_row(int m)
    {
        // y_i = sum_k g_k d_(i+k) for every g and d: sum_j A^T[i][j] G[j][k] B^T[j][l] is 1 where l = i + k, else 0.
        var t = WinogradTransforms.For(m);
        int alpha = t.Alpha;
        Assert.That(t.BT.Length, Is.EqualTo(alpha * alpha));
        Assert.That(t.G.Length, Is.EqualTo(alpha * 3));
        Assert.That(t.AT.Length, Is.EqualTo(m * alpha));
        for (var i = 0; i < m; i++)
        {
            for (var k = 0; k < 3; k++)
            {
                for (var l = 0; l < alpha; l++)
                {
                    var sum = 0.0;
                    for (var j = 0; j < alpha; j++)
                    {
                        sum += t.AT[(i * alpha) + j] * t.G[(j * 3) + k] * t.BT[(j * alpha) + l];
                    }

                    Assert.That(sum, Is.EqualTo(l == i + k ? 1.0 : 0.0).Within(1e-13), $"i = {i}, k = {k}, l = {l}");
                }
            }
        }
    }

    [Test]
    public void F6_s_b_and_a_entries_are_dyadic_and_only_g_is_rounded()
    {
        static bool Dyadic(double x) => (float)x == x && Math.Abs((x * 64) - Math.Round(x * 64)) == 0;
        Assert.That(WinogradTransforms.F6.BT.All(Dyadic), Is.True, "B^T");
        Assert.That(WinogradTransforms.F6.AT.All(Dyadic), Is.True, "A^T");
        Assert.That(WinogradTransforms.F6.G.Any(x => !Dyadic(x)), Is.True, "G has 2/9, 1/90, ...");
        Assert.That(WinogradTransforms.F6.Roundings(64), Is.EqualTo(40 + 64));
        Assert.That(WinogradTransforms.F4.Roundings(64), Is.EqualTo(32 + 64));
        Assert.That(WinogradTransforms.F2.Roundings(64), Is.EqualTo(22 + 64));
    }

    [TestCase(2, 7.111, 7.112, 7.111)]
    [TestCase(4, 28.44, 256.0, 76.56)]
    [TestCase(6, 104.49, 508.76, 228.35)]
    public void With_equal_magnitudes_the_bound_over_the_direct_sum_grows_with_the_tile(int m, double least, double most, double mean)
    {
        // One tile of ones, one channel: the bound over gamma(n) against the direct convolution's sum of 9 magnitudes.
        var spec = Operator.Conv2d(1, 1, 1, m + 2, m + 2, 3);
        var conv = (Conv2dAttributes)spec.Attributes;
        var input = Enumerable.Repeat(1.0, (m + 2) * (m + 2)).ToArray();
        var weights = Enumerable.Repeat(1.0, 9).ToArray();
        var gamma = WinogradErrorBound.Gamma(WinogradTransforms.For(m).Roundings(1), ElementType.Float64);
        var ratios = WinogradErrorBound.Bound(conv, m, ElementType.Float64, input, weights).Select(b => b / gamma / 9).ToArray();
        Assert.That(ratios, Has.Length.EqualTo(m * m));
        Assert.That(ratios.Min(), Is.EqualTo(least).Within(0.01));
        Assert.That(ratios.Max(), Is.EqualTo(most).Within(0.01));
        Assert.That(ratios.Average(), Is.EqualTo(mean).Within(0.01));
    }

    [Test]
    public void An_output_off_by_more_than_the_f6_bound_is_a_mismatch_and_one_within_it_is_not()
    {
        var spec = Operator.Conv2d(1, 2, 2, 8, 8, 3, padding: 1);
        var conv = (Conv2dAttributes)spec.Attributes;
        var inputs = ReferenceOperands.Draw(spec, seed: 3);
        var output = ReferenceEvaluator.Evaluate(spec.Expression, inputs[0], inputs[1]);
        var bound = WinogradErrorBound.Bound(conv, 6, ElementType.Float64, inputs[0], inputs[1]);
        var magnitude = ReferenceEvaluator.Evaluate(spec.Expression, inputs[0].Select(Math.Abs).ToArray(), inputs[1].Select(Math.Abs).ToArray());
        var allowed = bound[7] + (ReferenceComparison.ToleranceFor(ElementType.Float64, 2 * 9) * magnitude[7]);
        Assert.That(bound[7], Is.GreaterThan(WinogradErrorBound.Bound(conv, 4, ElementType.Float64, inputs[0], inputs[1])[7]), "F(6x6)'s bound is wider than F(4x4)'s");
        Assert.That(WinogradComparison.Compare(spec, 6, inputs, output).Passed, Is.True);

        var within = (double[])output.Clone();
        within[7] += 0.5 * bound[7];
        Assert.That(WinogradComparison.Compare(spec, 6, inputs, within).Passed, Is.True, "half the bound off");

        output[7] += 2 * allowed;
        var comparison = WinogradComparison.Compare(spec, 6, inputs, output);
        Assert.That(comparison.Mismatches, Is.EqualTo(1));
        Assert.That(comparison.WorstIndex, Is.EqualTo(7));
    }

    private static IEnumerable<TestCaseData> Shapes()
    {
        yield return new TestCaseData(Operator.Conv2d(2, 8, 32, 9, 9, 3, padding: 1), new WinogradGemmSchedule { OutputTile = 6, TileColumns = 1, Segments = 8, OutBlock = 32, InBlock = 8, GemmIn = 8 })
            .SetName("Composite F(6x6) double, padded, 9 x 9 output, tiles cut at the border");
        yield return new TestCaseData(Operator.Conv2d(1, 16, 64, 14, 14, 3), new WinogradGemmSchedule { OutputTile = 6, TileColumns = 1, Segments = 8, OutBlock = 32, InBlock = 8, GemmIn = 16 })
            .SetName("Composite F(6x6) double, unpadded, two transform blocks a mesh GEMM call, two output blocks");
        yield return new TestCaseData(Operator.Conv2d(1, 8, 32, 10, 11, 3, padding: 2), new WinogradGemmSchedule { OutputTile = 6, TileColumns = 3, Segments = 4, OutBlock = 32, InBlock = 8, GemmIn = 8 })
            .SetName("Composite F(6x6) double, padding 2, 12 x 13 output, a segment spanning the row");
        yield return new TestCaseData(Operator.Conv2d(3, 16, 64, 8, 8, 3, padding: 1, groups: 2), new WinogradGemmSchedule { OutputTile = 6, TileColumns = 1, Segments = 8, OutBlock = 32, InBlock = 8, GemmIn = 8, CoreGroups = 2, SplitAxis = "n" })
            .SetName("Composite F(6x6) double, two groups, on two core groups sharing three images");
        yield return new TestCaseData(Operator.Conv2d(4, 16, 96, 13, 13, 3, padding: 1), new WinogradGemmSchedule { OutputTile = 6, TileColumns = 3, Segments = 4, OutBlock = 32, InBlock = 8, GemmIn = 16, TilesByInputBlock = true, SumsByPosition = true, OverlapSumPuts = true, CoreGroups = 4, SplitAxis = "n" })
            .SetName("Composite F(6x6) double, on four core groups, V by input block, M by position, C blocks put under the next calls, three output blocks");
    }

    [TestCaseSource(nameof(Shapes))]
    public void A_composite_f6_kernel_on_the_emulator_matches_the_reference_within_its_bound(OperatorSpec spec, WinogradGemmSchedule schedule) => WinogradEmulatorCheck.Check(spec, schedule, seed: 11);

    [Test]
    public void Random_3x3_convolutions_with_random_composite_f6_schedules_match_the_reference_within_the_bound()
    {
        var random = new Random(23);
        for (var i = 0; i < 4; i++)
        {
            var groups = random.Next(1, 3);
            var spec = Operator.Conv2d(random.Next(1, 4), groups * 8 * random.Next(1, 3), groups * 32, random.Next(3, 15), random.Next(3, 15), 3,
                padding: random.Next(0, 3), groups: groups);
            var space = new WinogradGemmSpace(spec, Sw26010Target.Default.Limits, PlacementConstraints.None, [6]);
            var schedule = (WinogradGemmSchedule)space.Sample(random);
            Assert.That(schedule.OutputTile, Is.EqualTo(6));
            WinogradEmulatorCheck.Check(spec, schedule, seed: i);
        }
    }

    private static IEnumerable<TestCaseData> Kernels()
    {
        yield return new TestCaseData(Operator.Conv2d(2, 8, 32, 9, 9, 3, padding: 1), new WinogradGemmSchedule { OutputTile = 6, TileColumns = 1, Segments = 8, OutBlock = 32, InBlock = 8, GemmIn = 8, CoreGroups = 2, SplitAxis = "n" })
            .SetName("A double composite F(6x6, 3x3) convolution on two core groups");
        yield return new TestCaseData(Operator.Conv2d(1, 16, 64, 13, 13, 3, padding: 2, groups: 2), new WinogradGemmSchedule { OutputTile = 6, TileColumns = 3, Segments = 4, OutBlock = 32, InBlock = 8, GemmIn = 8, TilesByInputBlock = true, SumsByPosition = true, OverlapSumPuts = true })
            .SetName("A double grouped composite F(6x6, 3x3) convolution, padding 2, new layouts, C blocks put under the next calls");
    }

    [TestCaseSource(nameof(Kernels))]
    public void A_composite_f6_kernel_built_against_the_shim_matches_the_reference_and_the_emulator(OperatorSpec spec, WinogradGemmSchedule schedule)
    {
        var check = EmittedC.CheckAgainstEmulator(spec, schedule, seed: 5, GccShimOptions.Default);
        Assert.That(check.Comparison.Passed, check.Comparison.ToString());
    }

    [TestCase(3, 4, 32, 8, 32, true, true)]
    [TestCase(1, 8, 64, 8, 16, false, false)]
    [TestCase(3, 4, 64, 8, 32, true, false)]
    public void The_price_of_a_composite_f6_plan_is_within_a_tenth_of_the_emulators_time(int columns, int segments, int outBlock, int inBlock, int gemmIn, bool laidOut, bool overlap)
    {
        var target = Sw26010Target.Default;
        var schedule = new WinogradGemmSchedule
        {
            OutputTile = 6, TileColumns = columns, Segments = segments, OutBlock = outBlock, InBlock = inBlock, GemmIn = gemmIn, TilesByInputBlock = laidOut, SumsByPosition = laidOut,
            OverlapSumPuts = overlap, CoreGroups = 4, SplitAxis = "n",
        };
        var plan = (WinogradGemmPlan)WinogradGemmAlgorithm.Instance.Plan(Layer, schedule, target.Limits);
        var account = new Sw26010CostModel(target.Spec).Account(plan);
        var measured = Layer.WithSchedule(schedule).Emit(target).Measure().KernelSeconds;
        Assert.That(account.Seconds / measured, Is.InRange(0.9, 1.1), $"estimate {account.Seconds * 1e3:F4} ms, emulator {measured * 1e3:F4} ms");
    }

    [TestCase(1, 8, false)]
    [TestCase(1, 8, true)]
    public void The_bytes_the_model_counts_for_f6_are_those_the_emulator_moves(int columns, int segments, bool laidOut)
    {
        var layer = Operator.Conv2d(3, 16, 64, 7, 7, 3, padding: 1);
        var schedule = new WinogradGemmSchedule { OutputTile = 6, TileColumns = columns, Segments = segments, OutBlock = 32, InBlock = 8, GemmIn = 16, TilesByInputBlock = laidOut, SumsByPosition = laidOut, OverlapSumPuts = laidOut };
        var plan = (WinogradGemmPlan)WinogradGemmAlgorithm.Instance.Plan(layer, schedule, Sw26010Target.Default.Limits);
        var account = new Sw26010CostModel(Sw26010Target.Default.Spec).Account(plan);
        var report = ((Sw26010Kernel)layer.WithSchedule(schedule).Emit(Sw26010Target.Default)).MeasureReport();
        Assert.That(account.GetBytes, Is.EqualTo((double)report.Total.DmaGetBytes), "the bytes got");
        Assert.That(account.PutBytes, Is.EqualTo((double)report.Total.DmaPutBytes), "the bytes put");
    }

    [Test]
    public void The_default_space_lists_tiles_2_and_4_and_a_space_asked_for_tile_6_lists_it_in_double_only_where_it_fits()
    {
        var limits = Sw26010Target.Default.Limits;
        var defaults = new WinogradGemmSpace(Layer, limits, PlacementConstraints.None).EnumeratePlans().Cast<WinogradGemmPlan>().ToList();
        Assert.That(defaults.Select(p => p.Schedule.OutputTile).Distinct(), Is.EquivalentTo(new[] { 2, 4 }), "F(6x6) pays on no layer measured, so it is asked for, not listed");

        var plans = new WinogradGemmSpace(Layer, limits, PlacementConstraints.None, [4, 6]).EnumeratePlans().Cast<WinogradGemmPlan>().ToList();
        Assert.That(plans.Select(p => p.Schedule.OutputTile).Distinct(), Is.EquivalentTo(new[] { 4, 6 }));
        Assert.That(plans.Where(p => p.Schedule.OutputTile == 6).Max(p => p.LdmBytes), Is.LessThanOrEqualTo(limits.LdmBudgetBytes));

        var single = Operator.Conv2d(8, 32, 64, 14, 14, 3, padding: 1, elementType: ElementType.Float32);
        var floats = new WinogradGemmSpace(single, limits, PlacementConstraints.None, [4, 6]).EnumeratePlans().Cast<WinogradGemmPlan>().ToList();
        Assert.That(floats.Select(p => p.Schedule.OutputTile).Distinct(), Is.EquivalentTo(new[] { 4 }));

        // 512 input channels: an output channel's 64 positions of 64 local channels (32 KB) leave too little LDM beside them.
        var deep = Operator.Conv2d(8, 512, 512, 14, 14, 3, padding: 1);
        Assert.That(new WinogradGemmSpace(deep, limits, PlacementConstraints.None, [6]).EnumeratePlans(), Is.Empty);
        Assert.Throws<ArgumentException>(() => _ = new WinogradGemmSpace(Layer, limits, PlacementConstraints.None, [3]));
        Assert.That(() => _ = new WinogradGemmSpace(Layer, limits, PlacementConstraints.None, [4, 0]), Throws.ArgumentException.With.Message.Contains("tiles contains 0"));
    }

    [Test]
    public void Forcing_tile_6_in_float_is_refused_naming_the_tile_and_the_rule()
    {
        var single = Operator.Conv2d(8, 32, 64, 14, 14, 3, padding: 1, elementType: ElementType.Float32);
        var schedule = new WinogradGemmSchedule { OutputTile = 6, TileColumns = 1, Segments = 8, OutBlock = 32, InBlock = 8, GemmIn = 8 };
        var error = Assert.Throws<ScheduleException>(() => WinogradGemmAlgorithm.Instance.Plan(single, schedule, Sw26010Target.Default.Limits));
        Assert.That(error!.Id, Is.EqualTo(ScheduleDiagnostics.IllegalTile));
        Assert.That(error.Message, Does.StartWith($"{ScheduleDiagnostics.IllegalTile}: OutputTile = 6").And.Contain("double"));
    }

    [Test]
    public void Forcing_tile_6_on_the_fused_or_per_cpe_winograd_is_refused_naming_the_composite()
    {
        var limits = Sw26010Target.Default.Limits;
        var fused = Assert.Throws<ScheduleException>(() => WinogradMeshAlgorithm.Instance.Plan(Layer, new WinogradMeshSchedule { OutputTile = 6, TileColumns = 1, Segments = 8, OutBlock = 32, InBlock = 8 }, limits));
        Assert.That(fused!.Id, Is.EqualTo(ScheduleDiagnostics.IllegalTile));
        Assert.That(fused.Message, Does.StartWith($"{ScheduleDiagnostics.IllegalTile}: OutputTile = 6").And.Contain("'winograd-gemm'"));
        var perCpe = Assert.Throws<ScheduleException>(() => WinogradAlgorithm.Instance.Plan(Layer, new WinogradSchedule { OutputTile = 6, TileColumns = 1, OutBlock = 8, InBlock = 8 }, limits));
        Assert.That(perCpe!.Id, Is.EqualTo(ScheduleDiagnostics.IllegalTile));
        Assert.That(perCpe.Message, Does.StartWith($"{ScheduleDiagnostics.IllegalTile}: OutputTile = 6").And.Contain("'winograd-gemm'"));
    }

    [Test]
    public void A_tile_6_schedule_whose_buffers_pass_the_ldm_budget_is_refused()
    {
        var schedule = new WinogradGemmSchedule { OutputTile = 6, TileColumns = 3, Segments = 16, OutBlock = 64, InBlock = 32, GemmIn = 32 };
        var error = Assert.Throws<ScheduleException>(() => WinogradGemmAlgorithm.Instance.Plan(Layer, schedule, Sw26010Target.Default.Limits));
        Assert.That(error!.Id, Is.EqualTo(ScheduleDiagnostics.LdmOverflow));
        Assert.That(error.Message, Does.Contain("OutputTile = 6"));
    }

    [Test]
    public void A_tile_6_schedule_round_trips_through_json()
    {
        var schedule = new WinogradGemmSchedule { OutputTile = 6, TileColumns = 3, Segments = 4, OutBlock = 32, InBlock = 8, GemmIn = 16, TilesByInputBlock = true, SumsByPosition = true };
        Assert.That(Schedule.FromJson(schedule.ToJson()), Is.EqualTo(schedule));
        Assert.That(schedule.ToString(), Does.Contain("F(6x6,3x3)"));
    }
}
