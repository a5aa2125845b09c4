using System.Collections.Immutable;
using System.Diagnostics;
using Swatop.Core.Graphs;
using Swatop.Core.LayoutSteps;
using Swatop.Core.Targets;
using Swatop.Core.Tuning;

namespace Swatop.Core.GraphTuning;

/// <summary>
/// Tunes a graph of operators for a target: each distinct operator once (through the tuning database when
/// one is given), its candidates measured (<see cref="OperatorCandidates"/>); then the layouts jointly
/// (<see cref="LayoutPlanner"/>, conversions priced by the target's cost model); then every chosen
/// conversion measured. Should the measured joint choice come out slower than calling each layer on its own
/// in the framework's layout, that is what the result holds instead.
/// </summary>
public static class GraphTuner
{
    /// <summary>Tunes <paramref name="graph"/> for <paramref name="target"/>.</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="target">The target; it must have a cost model, which prices the layout choices.</param>
    /// <param name="options">How each operator is tuned (strategy, trials, database, logging, cancellation); the objective is the kernel's, since the graph chooses the layouts.</param>
    /// <exception cref="ArgumentException">The target has no cost model.</exception>
    public static GraphTuningResult Tune(this OperatorGraph graph, ITarget target, TuningOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(target);
        var model = target.CostModel
            ?? throw new ArgumentException($"Target '{target.Name}' has no cost model: a graph's layout choice is priced by one.", nameof(target));
        options ??= TuningOptions.Default;
        var clock = Stopwatch.StartNew();
        var candidates = new Dictionary<OperatorSpec, ImmutableArray<OperatorCandidate>>();
        foreach (var distinct in graph.DistinctOperators)
        {
            candidates[distinct.Spec] = OperatorCandidates.For(distinct.Spec, target, options).Candidates;
        }

        var planner = new LayoutPlanner(graph, node => candidates[node.Spec], model.EstimateStep);
        var measured = new Dictionary<LayoutStep, double>();
        double Measure(LayoutStep step)
        {
            var key = step with { Name = string.Empty };
            if (!measured.TryGetValue(key, out var seconds))
            {
                measured[key] = seconds = target.MeasureStep(step, options.Cancellation).Seconds;
            }

            return seconds;
        }

        var joint = Layers(graph, planner.Plan(), candidates, Measure);
        var framework = Layers(graph, planner.Plan(frameworkOnly: true), candidates, Measure);
        var frameworkSeconds = framework.Layers.Sum(l => l.EndToEndSeconds);
        var chosen = joint.Layers.Sum(l => l.EndToEndSeconds) <= frameworkSeconds ? joint : framework;
        return new GraphTuningResult(graph, target, chosen.Layers, chosen.Plan, frameworkSeconds, clock.Elapsed);
    }

    /// <summary>The rows of <paramref name="plan"/>, its conversions measured.</summary>
    private static (ImmutableArray<GraphLayer> Layers, LayoutPlan Plan) Layers(
        OperatorGraph graph, LayoutPlan plan, Dictionary<OperatorSpec, ImmutableArray<OperatorCandidate>> candidates, Func<LayoutStep, double> measure)
    {
        var layers = graph.OperatorNodes.Select(node =>
        {
            var candidate = candidates[node.Spec][plan.Choices[node.Name]];
            var steps = plan.Conversions
                .Where(c => c.Layer == node.Name)
                .SelectMany(c => c.Steps)
                .Select(s => new StepTime(s.Name, measure(s), s.Tensor.ElementLength * s.ElementBytes, OnMpe: false));
            return new GraphLayer(node.Name, node.Operation, node.Spec, candidate, [.. steps]);
        });
        return ([.. layers], plan);
    }
}
