using Swatop.Core;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Lowering;
using Swatop.Core.Scheduling;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Hardware.Sw26010.Tuning;

namespace Swatop.Tests.Scheduling;

/// <summary>
/// A schedule names its algorithm; an operator's space is the union of the spaces of the algorithms that
/// apply to it, and every schedule is checked, written, lowered and priced by its own algorithm.
/// </summary>
public sealed class ScheduleAlgorithmTests
{
    private static IEnumerable<TestCaseData> Operators() =>
        SmallOperators.All.Where(spec => ScheduleAlgorithms.For(spec).Count() == 1).Select(spec => new TestCaseData(spec).SetArgDisplayNames(spec.Kind + " " + spec.Expression.Name));

    [Test]
    public void Every_algorithm_is_listed_once_by_the_name_its_schedules_carry()
    {
        Assert.That(ScheduleAlgorithms.Names, Is.EqualTo(new[] { "implicit-gemm", "direct", "winograd", "im2col", "winograd-mesh", "winograd-gemm" }));
        Assert.That(ScheduleAlgorithms.Of(Schedules.SwDnn(SmallOperators.SwDnnConv, SmallOperators.Limits)), Is.SameAs(ImplicitGemmAlgorithm.Instance));
    }

    [TestCaseSource(nameof(Operators))]
    public void The_space_of_an_operator_is_the_union_of_its_algorithms_spaces(OperatorSpec spec)
    {
        var union = ScheduleSpace.For(spec, SmallOperators.Limits);
        var gemm = ImplicitGemmSpace.For(spec, SmallOperators.Limits);
        var others = union.Spaces.Skip(1).Sum(space => space.Enumerate().Count());
        Assert.That(union.Spaces, Has.Length.EqualTo(ScheduleAlgorithms.For(spec).Count()));
        Assert.That(union.Spaces[0], Is.TypeOf<ImplicitGemmSpace>());
        Assert.That(union.Enumerate().Take(gemm.Enumerate().Count()), Is.EqualTo(gemm.Enumerate()));
        Assert.That(Enumerable.Range(0, 3).SelectMany(part => union.EnumeratePlans(part, 3)).Count(), Is.EqualTo(gemm.Enumerate().Count() + others));
        Assert.That(union.Default(), Is.EqualTo(gemm.Default()));
        if (union.Spaces.Length == 1)
        {
            Assert.That(union.Sample(new Random(5)), Is.EqualTo(gemm.Sample(new Random(5))), "one algorithm: the same draws");
        }
    }

    [Test]
    public void An_operator_no_algorithm_applies_to_has_an_empty_space_that_says_why()
    {
        var (i, j, k) = (Axis.Index("i", 3), Axis.Index("j", 4), Axis.Reduction("k", 5));
        var (a, b, c) = (TensorDeclaration.Create("A", 3, 4, 5), TensorDeclaration.Create("B", 3, 4, 5), TensorDeclaration.Create("C", 3, 4));
        var spec = Operator.Define(Contraction.Create("rowwise_dot", [i, j], [k], c[i, j], a[i, j, k], b[i, j, k]));
        var space = ScheduleSpace.For(spec, SmallOperators.Limits);
        Assert.That(space.Spaces, Is.Empty);
        Assert.That(space.Enumerate(), Is.Empty);
        Assert.That(() => space.Default(), Throws.InvalidOperationException.With.Message.Contains("no algorithm applies"));
        Assert.That(() => space.Sample(new Random(1)), Throws.InvalidOperationException.With.Message.Contains("no algorithm applies"));
        ScheduleMust.Fail(() => space.Canonical(Schedules.SwDnn(SmallOperators.SwDnnConv, SmallOperators.Limits)), ScheduleDiagnostics.NotApplicable, "Algorithm", "implicit-gemm");
    }

    [TestCaseSource(nameof(Operators))]
    public void Validating_lowering_and_pricing_go_through_the_schedules_algorithm(OperatorSpec spec)
    {
        var target = Sw26010Target.Default;
        var schedule = ScheduleSpace.For(spec, target.Limits).Default();
        var plan = ScheduleSpace.For(spec, target.Limits).Validate(schedule);
        Assert.That(plan, Is.TypeOf<LoopPlan>());
        Assert.That(KernelLowering.Lower(plan).Plan, Is.SameAs(plan));
        Assert.That(target.CostModel!.Estimate(plan, TuningObjective.Kernel), Is.EqualTo(new Sw26010CostModel(target.Spec).Account((LoopPlan)plan).Seconds));
    }

    [Test]
    public void A_plan_is_a_value_its_with_steps_copy()
    {
        var schedule = ImplicitGemmSpace.For(SmallOperators.Gemm, SmallOperators.Limits).Enumerate().First(s => s.Operands.All(o => !o.DoubleBuffer));
        var plan = LoopPlan.Create(SmallOperators.Gemm, schedule, SmallOperators.Limits);
        var doubled = plan.WithBuffering([true, false, false]);
        Assert.That(doubled, Is.Not.Null.And.Not.SameAs(plan));
        Assert.Multiple(() =>
        {
            Assert.That(plan.Operand(OperandRole.A).DoubleBuffer, Is.False, "the original plan is unchanged");
            Assert.That(plan.Schedule, Is.EqualTo(schedule));
            Assert.That(doubled!.Operand(OperandRole.A).DoubleBuffer, Is.True);
            Assert.That(doubled.Schedule, Is.EqualTo(schedule.WithDoubleBuffer(OperandRole.A, true)));
            Assert.That(doubled.LdmBytes, Is.GreaterThan(plan.LdmBytes));
        });
    }

    [Test]
    public void Trying_a_plan_reports_the_broken_rule_without_throwing()
    {
        var gemm = ImplicitGemmSpace.For(SmallOperators.Gemm, SmallOperators.Limits).Default();
        var broken = new (ImplicitGemmSchedule Schedule, string Id)[]
        {
            (gemm with { Mapping = new GemmMapping("n", "m", "x") }, ScheduleDiagnostics.IllegalMapping),
            (gemm with { TileM = 100 }, ScheduleDiagnostics.IllegalTile),
            (gemm with { IndexOrder = ["m"] }, ScheduleDiagnostics.IllegalLoopOrder),
            (gemm with { Window = 2 }, ScheduleDiagnostics.IllegalWindow),
            (gemm.WithLevel(OperandRole.A, "nowhere"), ScheduleDiagnostics.IllegalDmaLevel),
            (gemm with { CoreGroups = 9 }, ScheduleDiagnostics.IllegalSplit),
            (gemm with { Operands = [new(OperandRole.A)] }, ScheduleDiagnostics.IllegalOperands),
        };
        foreach (var (schedule, id) in broken)
        {
            ScheduleException? error = null;
            Assert.That(() => LoopPlan.TryCreate(SmallOperators.Gemm, schedule, SmallOperators.Limits, out error), Throws.Nothing, id);
            Assert.That(error?.Id, Is.EqualTo(id), schedule.ToString());
        }
    }

    [Test]
    public void Sws0011_operand_decisions_must_name_each_operand_once_and_give_the_output_no_level()
    {
        var gemm = ImplicitGemmSpace.For(SmallOperators.Gemm, SmallOperators.Limits).Default();
        void Check(ImplicitGemmSchedule schedule) => LoopPlan.Create(SmallOperators.Gemm, schedule, SmallOperators.Limits);
        ScheduleMust.Fail(() => Check(gemm with { Operands = [new(OperandRole.A), new(OperandRole.Output)] }),
            ScheduleDiagnostics.IllegalOperands, "Operands", "each of A, B, Output exactly once");
        ScheduleMust.Fail(() => Check(gemm with { Operands = [new(OperandRole.A), new(OperandRole.A), new(OperandRole.B), new(OperandRole.Output)] }),
            ScheduleDiagnostics.IllegalOperands, "Operands", "exactly once");
        ScheduleMust.Fail(() => Check(gemm.WithLevel(OperandRole.Output, "k_t")),
            ScheduleDiagnostics.IllegalOperands, "Operands", "output's level is 'k_t'", "must be null");
    }

    [Test]
    public void Operand_decisions_are_kept_in_role_order_whatever_order_they_are_given_in()
    {
        var gemm = ImplicitGemmSpace.For(SmallOperators.Gemm, SmallOperators.Limits).Default();
        var shuffled = gemm with { Operands = [.. gemm.Operands.Reverse()] };
        Assert.That(shuffled.Operands.Select(o => o.Role), Is.EqualTo(ImplicitGemmSchedule.Roles));
        Assert.That(shuffled, Is.EqualTo(gemm));
    }
}
