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
/// (<see cref="LayoutPlanner"/>, each conversion step priced by the target's cost model until measured: the steps of
/// each plan are measured on the target and the layouts planned again, until a plan's steps are all measured, so that
/// the choice minimises measured time), twice more after adding,
/// for each conversion the plan runs into an operator (or unpacks at once from an operator's output), a candidate
/// that reads the value where it lies, and for each conversion from an operator's output into a kernel's placement, a
/// candidate of its producer that writes it there (padded, or searched for that arrangement);
/// then the layouts planned once more with each concatenation that may be a view priced at nothing and its producers
/// writing the framework's layout, the faster plan kept, and each concatenation whose producers can write its parts in
/// place made a view (<see cref="ConcatViews"/>, measured);
/// then every node that is neither an operator nor a view timed as the plan runs it:
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
    /// <param name="concatViews">Whether a concatenation may become a view, its producers writing its parts in place (<see cref="ConcatView"/>); false keeps every concatenation a copy.</param>
    /// <exception cref="ArgumentException">The target has no cost model.</exception>
    public static GraphTuningResult Tune(this OperatorGraph graph, ITarget target, TuningOptions? options = null, IProgress<GraphTuningProgress>? progress = null, bool concatViews = true)
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

        // The plan is priced with every step measured so far and the cost model's price of the others; Settle measures the
        // steps each plan runs and plans again until the plan's own steps are all measured.
        // A step's time says where it runs (StepTime.OnMpe): the target times it on the compute cores or the MPE, whichever is faster.
        var measured = new Dictionary<LayoutStep, StepTime>();
        var estimated = new Dictionary<LayoutStep, double>();
        StepTime MeasuredStep(LayoutStep step)
        {
            var key = step with { Name = string.Empty };
            if (!measured.TryGetValue(key, out var time))
            {
                options.Cancellation.ThrowIfCancellationRequested();
                measured[key] = time = target.MeasureStep(step, options.Cancellation);
            }

            return time with { Name = step.Name };
        }

        double Measure(LayoutStep step) => MeasuredStep(step).Seconds;

        double Price(LayoutStep step)
        {
            var key = step with { Name = string.Empty };
            if (measured.TryGetValue(key, out var time))
            {
                return time.Seconds;
            }

            if (!estimated.TryGetValue(key, out var seconds))
            {
                estimated[key] = seconds = model.EstimateStep(step);
            }

            return seconds;
        }

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
            GraphTuningResult.IsView(node) ? 0 : NodeTime(node, inputs, Timed, OnHost, Price)?.Seconds ?? 0;

        LayoutPlanner Planner() => new(graph, node => candidates[node.Spec], Price, NodePrice);
        LayoutPlan Settled() => Settle(Planner, step => measured.ContainsKey(step with { Name = string.Empty }), Price, Measure);

        progress?.Report(new GraphTuningProgress(operators, operators, "planning layouts"));
        var plan = Settled();
        var tried = new HashSet<(OperatorSpec, string, string)>();
        for (var round = 0; round < RefinementRounds; round++)
        {
            var readers = AddReaders(graph, plan, candidates, tried, target, options);
            if (!(AddWriters(graph, plan, candidates, tried, target, options) | readers))
            {
                break;
            }

            plan = Settled();
        }

        // A second plan prices each concatenation that may be a view at nothing, its producers writing the framework's
        // layout (the kernels that take output margins); the better of the two, measured with the views made, is kept.
        LayoutPlan? viewPlan = null;
        if (concatViews)
        {
            var (writers, free) = ConcatViews.FrameworkWriters(graph, candidates, target, options);
            if (free.Count > 0)
            {
                LayoutPlanner ViewPlanner() => new(
                    graph, node => writers.TryGetValue(node.Name, out var list) ? list : candidates[node.Spec], Price,
                    (node, inputs) => free.Contains(node.Name) ? 0 : NodePrice(node, inputs));
                var planned = Settle(ViewPlanner, step => measured.ContainsKey(step with { Name = string.Empty }), Price, Measure);
                viewPlan = planned with
                {
                    Choices = planned.Choices.ToImmutableDictionary(
                        pair => pair.Key,
                        pair => writers.TryGetValue(pair.Key, out var list) ? candidates[graph.OperatorNodes.First(n => n.Name == pair.Key).Spec].IndexOf(list[pair.Value]) : pair.Value,
                        StringComparer.Ordinal),
                };
            }
        }

        progress?.Report(new GraphTuningProgress(operators, operators, "measuring steps"));
        var frameworkPlan = Planner().Plan(frameworkOnly: true);
        var framework = Layers(graph, frameworkPlan, candidates, MeasuredStep);
        var frameworkNodes = NodeTimes(graph, frameworkPlan, candidates, Timed, OnHost, Measure);
        var frameworkSeconds = Total(framework, frameworkNodes);

        // A concatenation whose producers can write its parts in place becomes a view (ConcatViews), in the plan chosen; the
        // framework-only plan is what the joint one is never slower than, and may take views too.
        ConcatViews.Outcome Viewed(LayoutPlan planned) => concatViews
            ? ConcatViews.Apply(graph, planned, candidates, NodeTimes(graph, planned, candidates, Timed, OnHost, Measure), Measure, target, options.Cancellation)
            : new ConcatViews.Outcome(planned, [], []);
        var jointViewed = Viewed(plan);
        var joint = Layers(graph, jointViewed.Plan, candidates, MeasuredStep);
        var jointNodes = NodeTimes(graph, jointViewed.Plan, candidates, Timed, OnHost, Measure, jointViewed.Views);
        if (viewPlan is not null)
        {
            var viewed = Viewed(viewPlan);
            var (viewLayers, viewNodes) = (Layers(graph, viewed.Plan, candidates, MeasuredStep), NodeTimes(graph, viewed.Plan, candidates, Timed, OnHost, Measure, viewed.Views));
            if (Total(viewLayers, viewNodes) < Total(joint, jointNodes))
            {
                (jointViewed, joint, jointNodes) = (viewed, viewLayers, viewNodes);
            }
        }
        var frameworkViewed = new ConcatViews.Outcome(frameworkPlan, [], []);
        if (Total(joint, jointNodes) > frameworkSeconds)
        {
            frameworkViewed = Viewed(frameworkPlan);
            framework = Layers(graph, frameworkViewed.Plan, candidates, MeasuredStep);
            frameworkNodes = NodeTimes(graph, frameworkViewed.Plan, candidates, Timed, OnHost, Measure, frameworkViewed.Views);
        }

        var (layers, chosen, nodes) = Total(joint, jointNodes) <= Total(framework, frameworkNodes) ? (joint, jointViewed, jointNodes) : (framework, frameworkViewed, frameworkNodes);
        return new GraphTuningResult(graph, target, layers, chosen.Plan, frameworkSeconds, clock.Elapsed)
        {
            NodeTimes = nodes,
            ConcatViews = chosen.Views,
            ConcatRefusals = chosen.Refusals,
        };
    }

    /// <summary>
    /// The times of the nodes that are neither operators nor views as <paramref name="plan"/> runs them
    /// (<see cref="NodeTime"/>, the steps measured), in execution order; a node the target does not time is left out, and a
    /// concatenation of <paramref name="views"/> takes 0 seconds.
    /// </summary>
    internal static ImmutableArray<StepTime> NodeTimes(
        OperatorGraph graph, LayoutPlan plan, IReadOnlyDictionary<OperatorSpec, ImmutableArray<OperatorCandidate>> candidates,
        Func<GraphNode, StepTime?> timed, Func<GraphNode, StepTime?> onHost, Func<LayoutStep, double> measure, ImmutableArray<ConcatView> views = default)
    {
        var inputs = PlanHoldings.Inputs(graph, plan, node => candidates[node.Spec][plan.Choices[node.Name]]);
        var viewed = views.IsDefault ? [] : views.Select(v => v.Node).ToHashSet(StringComparer.Ordinal);
        return [.. graph.Nodes
            .Where(n => n is not OperatorNode && !GraphTuningResult.IsView(n))
            .Select(n => viewed.Contains(n.Name) ? new StepTime(n.Name, 0, 0, OnMpe: false) : NodeTime(n, inputs[n.Name], timed, onHost, measure))
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

    /// <summary>
    /// The plan of least measured time among those <paramref name="planner"/> chooses in turn: each plan's steps not yet
    /// measured (<paramref name="isMeasured"/> false) are measured by <paramref name="measure"/>, then a new planner, pricing them
    /// as measured, plans again; until a plan runs no step it had to price (its own cost is then measured, and no plan
    /// the planner saw is cheaper, since every earlier plan's steps are measured too) or after
    /// <see cref="SettleRounds"/> plans.
    /// </summary>
    private static LayoutPlan Settle(Func<LayoutPlanner> planner, Func<LayoutStep, bool> isMeasured, Func<LayoutStep, double> price, Func<LayoutStep, double> measure)
    {
        LayoutPlan? best = null;
        var bestSeconds = double.PositiveInfinity;
        for (var round = 1; ; round++)
        {
            var plan = planner().Plan();
            var steps = plan.Steps;
            var priced = steps.Count(s => !isMeasured(s));
            var seconds = plan.EstimatedSeconds - steps.Sum(price) + steps.Sum(measure);
            if (seconds <= bestSeconds)
            {
                (best, bestSeconds) = (plan, seconds);
            }

            if (priced == 0 || round == SettleRounds)
            {
                return best!;
            }
        }
    }

    /// <summary>How many plans <see cref="Settle"/> measures at most before it keeps the fastest of them.</summary>
    private const int SettleRounds = 16;

    /// <summary>Rounds of <see cref="AddReaders"/>: each makes some conversions of the previous plan unnecessary, if a kernel that reads the value as it lies is fast enough.</summary>
    private const int RefinementRounds = 2;

    /// <summary>
    /// For each conversion <paramref name="plan"/> runs from a kernel's placement into an operator, a
    /// candidate of that operator that reads the value where it lies: for a reorder that only trims the value, the chosen
    /// schedule reading it wider (<see cref="OperatorCandidates.ReadingWider"/>); otherwise, or when that does not fit, the
    /// fastest kernel that reads it there (<see cref="OperatorCandidates.Reading"/>); each operator and placement tried once;
    /// whether any was added.
    /// </summary>
    private static bool AddReaders(
        OperatorGraph graph, LayoutPlan plan, Dictionary<OperatorSpec, ImmutableArray<OperatorCandidate>> candidates,
        HashSet<(OperatorSpec, string, string)> tried, ITarget target, TuningOptions options)
    {
        var added = false;
        foreach (var conversion in plan.Conversions)
        {
            var first = conversion.Steps[0];
            if (first.Kind == LayoutStepKind.Pack || graph.Nodes.FirstOrDefault(n => n.Name == conversion.Consumer) is not OperatorNode node)
            {
                continue;
            }

            // An operator's own output, unpacked at once, is no input of it: the operators that read it next may read it
            // where the operator left it. An epilogue's residual is read where the output lies.
            IEnumerable<OperatorNode> consumers = node.Output.Name != conversion.Value ? [node]
                : graph.OperatorNodes.Where(n => n.Output.Name != conversion.Value && n.Activations.Any(o => o.Value.Name == conversion.Value));
            foreach (var consumer in consumers)
            {
                if (consumer.Activations.FirstOrDefault(o => o.Value.Name == conversion.Value) is not { } operand
                    || consumer.Spec.Expression.Inputs.FirstOrDefault(i => i.Tensor.Name == operand.Tensor) is not { } input)
                {
                    continue;
                }

                var holding = new Layouts.TensorPlacement(first.Source with { Tensor = input.Tensor }, first.Share);
                if (!tried.Add((consumer.Spec, operand.Tensor, LayoutConversion.KeyOf(holding))))
                {
                    continue;
                }

                // A step that only trims the value: the chosen kernel may read it where it lies, the extra positions ignored.
                var wider = conversion.Steps.Length == 1 && first.Kind == LayoutStepKind.Reorder && plan.Choices.TryGetValue(consumer.Name, out var choice)
                    ? OperatorCandidates.ReadingWider(consumer.Spec, candidates[consumer.Spec][choice], operand.Tensor, holding, target, options.Cancellation)
                    : null;
                if ((wider ?? OperatorCandidates.Reading(consumer.Spec, operand.Tensor, holding, target, options)) is { } reader)
                {
                    candidates[consumer.Spec] = candidates[consumer.Spec].Add(reader);
                    added = true;
                }
            }
        }

        return added;
    }

    /// <summary>
    /// For each conversion <paramref name="plan"/> runs from an operator's output into a kernel's placement, a candidate of
    /// the producer that leaves its output there: for a reorder that only pads the value, the chosen schedule between zero
    /// margins (<see cref="OperatorCandidates.Writing"/>); otherwise (other channel blocks or batch blocking, a pack of
    /// what the producer wrote in the framework's layout) the fastest kernel that writes that arrangement, then given the
    /// margins (<see cref="OperatorCandidates.WritingAs"/>); each operator and placement tried once; whether any was added.
    /// </summary>
    private static bool AddWriters(
        OperatorGraph graph, LayoutPlan plan, Dictionary<OperatorSpec, ImmutableArray<OperatorCandidate>> candidates,
        HashSet<(OperatorSpec, string, string)> tried, ITarget target, TuningOptions options)
    {
        var added = false;
        foreach (var conversion in plan.Conversions)
        {
            if (conversion.Steps[^1] is not { Kind: not LayoutStepKind.Unpack } step
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
            var writer = (conversion.Steps.Length == 1 && step.Kind == LayoutStepKind.Reorder ? OperatorCandidates.Writing(producer.Spec, chosen, wanted, target, options.Cancellation) : null)
                ?? OperatorCandidates.WritingAs(producer.Spec, wanted, target, options);
            if (writer is not null && !candidates[producer.Spec].Contains(writer))
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
    internal static ImmutableArray<GraphLayer> Layers(
        OperatorGraph graph, LayoutPlan plan, IReadOnlyDictionary<OperatorSpec, ImmutableArray<OperatorCandidate>> candidates, Func<LayoutStep, StepTime> measure)
    {
        var layers = graph.OperatorNodes.Select(node =>
        {
            var candidate = candidates[node.Spec][plan.Choices[node.Name]];
            var steps = plan.Conversions
                .Where(c => c.Layer == node.Name)
                .SelectMany(c => c.Running)
                .Select(measure);
            return new GraphLayer(node.Name, node.Operation, node.Spec, candidate, [.. steps]);
        });
        return [.. layers];
    }
}
