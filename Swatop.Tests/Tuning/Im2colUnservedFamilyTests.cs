using Swatop.Core;
using Swatop.Core.Algorithms.Im2col;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Layouts;
using Swatop.Core.Scheduling;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Tests.Tuning;

/// <summary>
/// Explicit im2col's families over GEMM tile shapes whose column matrix the column step cannot lay out hold no point:
/// the ranking takes them without building their GEMM's plans, and the families still hold every point of the space.
/// </summary>
public sealed class Im2colUnservedFamilyTests
{
    private static readonly Sw26010Target Target = Sw26010Target.Default;

    private static IEnumerable<TestCaseData> Layers() =>
    [
        new TestCaseData(Operator.Conv2d(2, 64, 64, 14, 14, 3, padding: 1, elementType: ElementType.Float32)).SetArgDisplayNames("3x3 float"),
        new TestCaseData(Operator.Conv2d(2, 64, 64, 14, 14, 3, padding: 1)).SetArgDisplayNames("3x3 double"),
        new TestCaseData(Operator.Conv2d(2, 48, 64, 10, 10, 3, padding: 1, elementType: ElementType.Float32)).SetArgDisplayNames("3x3 float, 48 channels"),
    ];

    [TestCaseSource(nameof(Layers))]
    public void A_family_whose_gemm_probe_the_column_step_cannot_serve_holds_no_point_of_its_gemm_and_none_is_lost(OperatorSpec spec)
    {
        var space = new Im2colSpace(spec, Target.Limits, PlacementConstraints.None);
        var gemm = ImplicitGemmSpace.For(Im2colAlgorithm.ColumnOperator(spec), Target.Limits).EnumerateFamilies().ToList();
        var families = space.EnumerateFamilies(2).Take(gemm.Count).ToList();
        var unserved = Enumerable.Range(0, gemm.Count).Where(i => families[i].Probe() is LoopPlan).ToList();
        Assert.That(unserved.Where(i => gemm[i].Plans().Any()), Is.Not.Empty, "some family the column step cannot serve has GEMM plans, which the ranking does not build");
        foreach (var i in unserved)
        {
            Assert.That(families[i].Plans(), Is.Empty, $"family {i}");
            Assert.That(gemm[i].Plans().OfType<LoopPlan>().Select(p => Im2colPlan.Around(spec, p, Target.Limits)).OfType<Im2colPlan>(), Is.Empty,
                $"family {i}: no plan of the GEMM's family has a column step that serves it");
        }

        var fromFamilies = space.EnumerateFamilies(2).SelectMany(f => f.Plans()).Select(p => p.Schedule.ToJson()).ToList();
        Assert.That(fromFamilies, Is.EquivalentTo(space.EnumeratePlans().Select(p => p.Schedule.ToJson())), "the families hold each point of the space once");
    }
}
