using Swatop.Core.Algorithms.ImplicitGemm;
using System.Reflection;
using Swatop.Core.Scheduling;

namespace Swatop.Tests.Scheduling;

/// <summary>A schedule is a value: equal decisions make equal schedules with equal hashes, and it prints as the C# that rebuilds it.</summary>
public sealed class ScheduleValueTests
{
    /// <summary>The decisions of an implicit GEMM schedule: its public settable properties.</summary>
    public static IReadOnlyList<string> Decisions { get; } =
        [.. typeof(ImplicitGemmSchedule).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => p.Name)];

    private static ImplicitGemmSchedule Sample() => new()
    {
        Mapping = new GemmMapping("n", "co", "ci"),
        TileM = 128, TileN = 32, TileK = 8,
        IndexOrder = ["ow", "oh", "n", "co"],
        ReductionOrder = ["kh", "ci", "kw"],
        WindowAxis = "ow", Window = 4,
        Operands = [new(OperandRole.A, "ow_in", DoubleBuffer: true), new(OperandRole.B), new(OperandRole.Output)],
        CoreGroups = 4, SplitAxis = "oh",
    };

    [Test]
    public void CSharp_text_is_the_golden_initializer()
    {
        const string expected = """
            new ImplicitGemmSchedule
            {
                Mapping = new GemmMapping("n", "co", "ci"),
                TileM = 128, TileN = 32, TileK = 8,
                IndexOrder = ["ow", "oh", "n", "co"],
                ReductionOrder = ["kh", "ci", "kw"],
                WindowAxis = "ow", Window = 4,
                Operands =
                [
                    new(OperandRole.A, "ow_in", DoubleBuffer: true),
                    new(OperandRole.B, null, DoubleBuffer: false),
                    new(OperandRole.Output, null, DoubleBuffer: false),
                ],
                BlockedLayouts = false,
                MergedAxes = [],
                CoreGroups = 4, SplitAxis = "oh",
            }
            """;
        Assert.That(Sample().ToCSharp().ReplaceLineEndings("\n"), Is.EqualTo(expected.ReplaceLineEndings("\n")));
    }

    [Test]
    public void CSharp_text_sets_every_decision()
    {
        // Output and input margins and the group memory are printed when the schedule has them, so the golden initializer above stays as it was.
        var text = (Sample() with { OutputMargins = new([0, 0, 1, 1], [0, 0, 1, 1]), InputMargins = new("input", [0, 0, 0, 0], [0, 0, 1, 1]), GroupMemory = true }).ToCSharp();
        Assert.That(Decisions, Has.Count.EqualTo(16));
        foreach (var decision in Decisions)
        {
            Assert.That(text, Does.Contain($" {decision} ="), decision);
        }
    }

    [Test]
    public void Text_of_a_schedule_does_not_depend_on_the_culture()
    {
        var previous = Thread.CurrentThread.CurrentCulture;
        try
        {
            Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("ar-SA");
            var arabic = (Sample().ToCSharp(), Sample().ToString(), Sample().ToJson());
            Thread.CurrentThread.CurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
            Assert.That(arabic, Is.EqualTo((Sample().ToCSharp(), Sample().ToString(), Sample().ToJson())));
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = previous;
        }
    }

    [Test]
    public void One_line_text_states_the_decisions()
    {
        Assert.That(Sample().ToString(), Is.EqualTo("M=n N=co K=ci tile 128x32x8 index [ow oh n co] reduce [kh ci kw] window owx4 A@ow_in+db B@top cg 4 on oh"));
    }

    [Test]
    public void One_line_text_of_blocked_layouts_and_overlapped_puts_says_so()
    {
        Assert.That((Sample() with { BlockedLayouts = true }).ToString(), Does.EndWith("cg 4 on oh blocked"));
        Assert.That((Sample().WithDoubleBuffer(OperandRole.Output, true)).ToString(), Does.Contain("A@ow_in+db B@top C+db cg 4"));
    }

    [Test]
    public void Schedules_built_apart_with_equal_decisions_are_equal_and_hash_equal()
    {
        var a = Sample();
        var b = Sample();
        Assert.That(a, Is.Not.SameAs(b));
        Assert.Multiple(() =>
        {
            Assert.That(a, Is.EqualTo(b));
            Assert.That(a == b, Is.True);
            Assert.That(a != b, Is.False);
            Assert.That(a.GetHashCode(), Is.EqualTo(b.GetHashCode()));
            Assert.That(new HashSet<ImplicitGemmSchedule> { a, b }, Has.Count.EqualTo(1));
        });
    }

    /// <summary>The sample with one decision changed, by the decision's name.</summary>
    private static (string Decision, ImplicitGemmSchedule Schedule)[] Variants()
    {
        var s = Sample();
        return
        [
            ("Mapping", s with { Mapping = new GemmMapping("n", "co", "kh") }),
            ("TileM", s with { TileM = 256 }),
            ("TileN", s with { TileN = 64 }),
            ("TileK", s with { TileK = 16 }),
            ("IndexOrder", s with { IndexOrder = ["oh", "ow", "n", "co"] }),
            ("ReductionOrder", s with { ReductionOrder = ["kh", "kw", "ci"] }),
            ("WindowAxis", s with { WindowAxis = null }),
            ("Window", s with { Window = 2 }),
            ("Operands", s.WithLevel(OperandRole.A, null)),
            ("Operands", s.WithLevel(OperandRole.B, "kh")),
            ("Operands", s.WithDoubleBuffer(OperandRole.A, false)),
            ("Operands", s.WithDoubleBuffer(OperandRole.B, true)),
            ("Operands", s.WithDoubleBuffer(OperandRole.Output, true)),
            ("BlockedLayouts", s with { BlockedLayouts = true }),
            ("MergedAxes", s with { MergedAxes = ["oh", "ow"] }),
            ("OutputMargins", s with { OutputMargins = new([0, 0, 1, 1], [0, 0, 1, 1]) }),
            ("InputMargins", s with { InputMargins = new("input", [0, 0, 0, 0], [0, 0, 1, 1]) }),
            ("GroupMemory", s with { GroupMemory = true }),
            ("CoreGroups", s with { CoreGroups = 2 }),
            ("SplitAxis", s with { SplitAxis = "ow" }),
        ];
    }

    private static IEnumerable<TestCaseData> OneDecisionChanged() =>
        Variants().Select((v, i) => new TestCaseData(v.Schedule).SetArgDisplayNames($"{v.Decision} {i}"));

    [TestCaseSource(nameof(OneDecisionChanged))]
    public void A_schedule_differing_in_one_decision_is_not_equal(ImplicitGemmSchedule changed)
    {
        Assert.That(changed, Is.Not.EqualTo(Sample()));
        Assert.That(changed == Sample(), Is.False);
        Assert.That(changed.ToCSharp(), Is.Not.EqualTo(Sample().ToCSharp()));
    }

    [Test]
    public void Every_decision_has_a_variant_in_the_inequality_test() =>
        Assert.That(Variants().Select(v => v.Decision).Distinct(), Is.EquivalentTo(Decisions));

    [Test]
    public void A_schedule_is_not_equal_to_null() => Assert.That(Sample().Equals(null), Is.False);
}
