using Swatop.Core;
using Swatop.Core.Graphs;
using Swatop.Core.GraphTuning;
using Swatop.Core.LayoutSteps;
using Swatop.Core.Lowering;
using Swatop.Core.Scheduling;
using Swatop.Core.Targets;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Tests.GraphTuning;

/// <summary>
/// The joint layout choice minimises measured time: the graph tuner measures the steps each plan runs and plans again
/// until the plan's own steps are all measured, so a cost model that misprices the steps does not decide the plan.
/// </summary>
public sealed class MeasuredStepPlanTests
{
    [Test]
    public void A_graph_planned_under_step_prices_twice_the_emulators_ends_with_a_plan_whose_cost_is_measured()
    {
        var target = new MispricedTarget(Sw26010Target.Default, factor: 2);

        var tuned = GraphTunerTests.SmallResidualNetwork(size: GraphTunerTests.FlowingSize).Tune(target, new TuningOptions { Trials = 4, Seed = 3 });

        var measured = tuned.EndToEndSeconds;
        Assert.That(tuned.Plan.Conversions, Is.Not.Empty, "the plan of this size converts values");
        Assert.That(tuned.EndToEndSeconds, Is.LessThanOrEqualTo(tuned.FrameworkSeconds));
        Assert.That(tuned.Plan.EstimatedSeconds, Is.EqualTo(measured).Within(1e-9).Percent,
            $"the plan's cost counts its steps as measured, not as priced (twice it); each layer on its own: {tuned.FrameworkSeconds}");
    }

    /// <summary>The default SW26010 target, but its cost model prices every layout step at <paramref name="factor"/> times its own price.</summary>
    private sealed class MispricedTarget(Sw26010Target inner, double factor) : ITarget
    {
        public string Name => inner.Name;

        public string Signature => inner.Signature;

        public TargetLimits Limits => inner.Limits;

        public ICostModel? CostModel { get; } = new MispricedModel(inner.CostModel!, factor);

        public ICompiledKernel Compile(LoweredKernel lowered, Microsoft.Extensions.Logging.ILogger? logger = null) => inner.Compile(lowered, logger);

        public StepTime MeasureStep(LayoutStep layoutStep, CancellationToken cancellation = default) => inner.MeasureStep(layoutStep, cancellation);

        public StepTime? MeasureNode(GraphNode node, ElementType elementType, CancellationToken cancellation = default) => inner.MeasureNode(node, elementType, cancellation);

        public StepTime? MeasureNodeOnHost(GraphNode node, ElementType elementType) => inner.MeasureNodeOnHost(node, elementType);
    }

    private sealed class MispricedModel(ICostModel inner, double factor) : ICostModel
    {
        public string Name => inner.Name;

        public double Estimate(SchedulePlan plan, TuningObjective objective = TuningObjective.EndToEnd) => inner.Estimate(plan, objective);

        public double LowerBound(PlanFamily family, TuningObjective objective = TuningObjective.EndToEnd) => inner.LowerBound(family, objective);

        public double EstimateStep(LayoutStep layoutStep) => inner.EstimateStep(layoutStep) * factor;
    }
}
