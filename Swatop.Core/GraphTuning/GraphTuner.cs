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
/// (<see cref="LayoutPlanner"/>, conversions priced by the target's cost model), twice more after adding,
/// for each conversion the plan runs into an operator, a candidate that reads the value where it lies, and for each
/// reorder that only pads a value, a candidate of its producer that writes it padded;
/// then every chosen conversion measured, and every node that is neither an operator nor a view timed as the plan runs it:
/// by the target where its inputs lie in the framework's layout (<see cref="ITarget.MeasureNode"/>), else on the host with
/// the steps around it (<see cref="ITarget.MeasureNodeOnHost"/>, <see cref="HostNodeSteps"/>); the planner prices nodes the
/// same way. Should the measured joint choice come out slower than calling each layer on its own in the framework's
/// layout, that is what the result holds instead.
/// </summary>
public static class GraphTuner
{
    /// <summary>Tunes <paramref name="graph"/> for <paramref name="target"/>.</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="target">The target; it must have a cost model, which prices the layout choices.</param>
    /// <param name="options">How each operator is tuned (strategy, trials, database, logging, cancellation); the objective is the kernel's, since the graph chooses the layouts.</param>
    /// <param name="progress">Told as each distinct operator starts tuning, then as the layouts are planned and the steps measured.</param>
    /// <exception cref="ArgumentException">The target has no cost model.</exception>
    public static GraphTuningResult Tune(this OperatorGraph graph, ITarget target, TuningOptions? options = null, IProgress<GraphTuningProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(target);
        var model = target.CostModel
            ?? throw new ArgumentException($"Target '{target.Name}' has no cost model: a graph's layout choice is priced by one.", nameof(target));
        options ??= TuningOptions.Default;
        var clock = Stopwatch.StartNew();
        var candidates = new Dictionary<OperatorSpec, ImmutableArray<OperatorCandidate>>();
        var operators = graph.DistinctOperators.Length;
        foreach (var (distinct, index) in graph.DistinctOperators.Select((d, i) => (d, i)))
        {
            progress?.Report(new GraphTuningProgress(index + 1, operators, distinct.Spec.Signature));
            candidates[distinct.Spec] = OperatorCandidates.For(distinct.Spec, target, options);
        }

        progress?.Report(new GraphTuningProgress(operators, operators, "planning layouts"));

        // A node that is not an operator costs its time where the plan leaves its input: its kernel of the compute cores
        // (or the MPE, where faster) in the framework's layout; in a kernel's placement, the host and the steps around it.
        var timed = new Dictionary<string, StepTime?>(StringComparer.Ordinal);
        StepTime? Timed(GraphNode node)
        {
            if (!timed.TryGetValue(node.Name, out var time))
            {
                timed[node.Name] = time = target.MeasureNode(node, graph.ElementType, options.Cancellation);
            }

            return time;
        }

        StepTime? OnHost(GraphNode node) => target.MeasureNodeOnHost(node, graph.ElementType);

        double NodePrice(GraphNode node, ImmutableArray<Layouts.TensorPlacement?> inputs) =>
            GraphTuningResult.IsView(node) ? 0 : NodeTime(node, inputs, Timed, OnHost, model.EstimateStep)?.Seconds ?? 0;

        var planner = new LayoutPlanner(graph, node => candidates[node.Spec], model.EstimateStep, NodePrice);
        var plan = planner.Plan();
        var tried = new HashSet<(OperatorSpec, string, string)>();
        for (var round = 0; round < RefinementRounds; round++)
        {
            var readers = AddReaders(graph, plan, candidates, tried, target, options);
            if (!(AddWriters(graph, plan, candidates, tried, target, options) | readers))
            {
                break;
            }

            plan = planner.Plan();
        }

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

        progress?.Report(new GraphTuningProgress(operators, operators, "measuring steps"));
        var joint = Layers(graph, plan, candidates, Measure);
        var jointNodes = NodeTimes(graph, plan, candidates, Timed, OnHost, Measure);
        var frameworkPlan = planner.Plan(frameworkOnly: true);
        var framework = Layers(graph, frameworkPlan, candidates, Measure);
        var frameworkNodes = NodeTimes(graph, frameworkPlan, candidates, Timed, OnHost, Measure);
        var frameworkSeconds = Total(framework, frameworkNodes);
        var (layers, chosen, nodes) = Total(joint, jointNodes) <= frameworkSeconds ? (joint, plan, jointNodes) : (framework, frameworkPlan, frameworkNodes);
        return new GraphTuningResult(graph, target, layers, chosen, frameworkSeconds, clock.Elapsed) { NodeTimes = nodes };
    }

    /// <summary>
    /// The times of the nodes that are neither operators nor views as <paramref name="plan"/> runs them
    /// (<see cref="NodeTime"/>, the steps measured), in execution order; a node the target does not time is left out.
    /// </summary>
    internal static ImmutableArray<StepTime> NodeTimes(
        OperatorGraph graph, LayoutPlan plan, IReadOnlyDictionary<OperatorSpec, ImmutableArray<OperatorCandidate>> candidates,
        Func<GraphNode, StepTime?> timed, Func<GraphNode, StepTime?> onHost, Func<LayoutStep, double> measure)
    {
        var inputs = PlanHoldings.Inputs(graph, plan, node => candidates[node.Spec][plan.Choices[node.Name]]);
        return [.. graph.Nodes
            .Where(n => n is not OperatorNode && !GraphTuningResult.IsView(n))
            .Select(n => NodeTime(n, inputs[n.Name], timed, onHost, measure))
            .OfType<StepTime>()];
    }

    /// <summary>
    /// The time of <paramref name="node"/> where its distinct activations lie (<paramref name="inputs"/>): in the framework's
    /// layout, as the target times it (<paramref name="timed"/>: its kernel of the compute cores, or the MPE where faster);
    /// else the host's time (<paramref name="onHost"/>, <see cref="ITarget.MeasureNodeOnHost"/>) plus the steps around it (<see cref="HostNodeSteps"/>,
    /// each priced by <paramref name="price"/>), on the MPE. <see langword="null"/> when the target does not time the node.
    /// </summary>
    internal static StepTime? NodeTime(
        GraphNode node, ImmutableArray<Layouts.TensorPlacement?> inputs, Func<GraphNode, StepTime?> timed, Func<GraphNode, StepTime?> onHost, Func<LayoutStep, double> price)
    {
        var steps = HostNodeSteps.Of(node, inputs, node.Output.ElementType);
        if (steps.IsEmpty)
        {
            return timed(node);
        }

        return onHost(node) is { } host
            ? host with { Seconds = host.Seconds + steps.Sum(price) }
            : null;
    }

    /// <summary>Rounds of <see cref="AddReaders"/>: each makes some conversions of the previous plan unnecessary, if a kernel that reads the value as it lies is fast enough.</summary>
    private const int RefinementRounds = 2;

    /// <summary>
    /// For each conversion <paramref name="plan"/> runs from a kernel's placement into an operator, a
    /// candidate of that operator that reads the value where it lies (<see cref="OperatorCandidates.Reading"/>),
    /// each operator and placement tried once; whether any was added.
    /// </summary>
    private static bool AddReaders(
        OperatorGraph graph, LayoutPlan plan, Dictionary<OperatorSpec, ImmutableArray<OperatorCandidate>> candidates,
        HashSet<(OperatorSpec, string, string)> tried, ITarget target, TuningOptions options)
    {
        var added = false;
        foreach (var conversion in plan.Conversions)
        {
            var first = conversion.Steps[0];
            if (first.Kind == LayoutStepKind.Pack || graph.Nodes.FirstOrDefault(n => n.Name == conversion.Consumer) is not OperatorNode consumer)
            {
                continue;
            }

            // The operator's own output, unpacked at once, is no input of it; an epilogue's residual is read where the output lies.
            if (consumer.Activations.FirstOrDefault(o => o.Value.Name == conversion.Value) is not { } operand
                || consumer.Spec.Expression.Inputs.FirstOrDefault(i => i.Tensor.Name == operand.Tensor) is not { } input)
            {
                continue;
            }

            var tensor = input.Tensor;
            var holding = new Layouts.TensorPlacement(first.Source with { Tensor = tensor }, first.Share);
            if (!tried.Add((consumer.Spec, operand.Tensor, LayoutConversion.KeyOf(holding))))
            {
                continue;
            }

            if (OperatorCandidates.Reading(consumer.Spec, operand.Tensor, holding, target, options) is { } reader)
            {
                candidates[consumer.Spec] = candidates[consumer.Spec].Add(reader);
                added = true;
            }
        }

        return added;
    }

    /// <summary>
    /// For each reorder <paramref name="plan"/> runs from an operator's output into a consumer that reads it padded (the
    /// same arrangement, wider), a candidate of the producer that writes its output there, between zero margins
    /// (<see cref="OperatorCandidates.Writing"/>), each operator and placement tried once; whether any was added.
    /// </summary>
    private static bool AddWriters(
        OperatorGraph graph, LayoutPlan plan, Dictionary<OperatorSpec, ImmutableArray<OperatorCandidate>> candidates,
        HashSet<(OperatorSpec, string, string)> tried, ITarget target, TuningOptions options)
    {
        var added = false;
        foreach (var conversion in plan.Conversions)
        {
            if (conversion.Steps is not [{ Kind: LayoutStepKind.Reorder } step]
                || graph.OperatorNodes.FirstOrDefault(n => n.Output.Name == conversion.Value) is not { } producer)
            {
                continue;
            }

            var output = producer.Spec.Expression.Output.Tensor;
            var wanted = new Layouts.TensorPlacement(step.Destination with { Tensor = output }, step.Share);
            if (!tried.Add((producer.Spec, output.Name, LayoutConversion.KeyOf(wanted))))
            {
                continue;
            }

            options.Cancellation.ThrowIfCancellationRequested();
            var chosen = candidates[producer.Spec][plan.Choices[producer.Name]];
            if (OperatorCandidates.Writing(producer.Spec, chosen, wanted, target, options.Cancellation) is { } writer)
            {
                candidates[producer.Spec] = candidates[producer.Spec].Add(writer);
                added = true;
            }
        }

        return added;
    }

    /// <summary>The end-to-end seconds of <paramref name="layers"/>, summed as <see cref="GraphTuningResult.EndToEndSeconds"/> sums them, so that the two compare exactly.</summary>
    private static double Total(ImmutableArray<GraphLayer> layers, ImmutableArray<StepTime> nodes) =>
        layers.Sum(l => l.KernelSeconds) + layers.Sum(l => l.LayoutSeconds) + nodes.Sum(n => n.Seconds);

    /// <summary>The rows of <paramref name="plan"/>, its conversions measured.</summary>
    private static ImmutableArray<GraphLayer> Layers(
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
        return [.. layers];
    }
}
