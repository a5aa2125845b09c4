using System.Collections.Immutable;
using Swatop.Core.Graphs;
using Swatop.Core.Layouts;
using Swatop.Core.LayoutSteps;

namespace Swatop.Core.GraphTuning;

/// <summary>
/// Where a layout plan leaves the activations that each node reads, walked as the graph run and the emitted network run
/// the plan: a graph input lies in the framework's layout; an operator's kernel leaves its output where its candidate
/// keeps it; a node that is not an operator leaves its output where <see cref="PlacementCarry"/> carries its first input's
/// placement; before each node the plan's conversions for it move its inputs.
/// </summary>
public static class PlanHoldings
{
    /// <summary>
    /// Per node, by name: where each distinct activation it reads lies when it runs, in input order
    /// (<see langword="null"/> for the framework's layout).
    /// </summary>
    /// <param name="graph">The graph.</param>
    /// <param name="plan">The plan.</param>
    /// <param name="candidate">The candidate the plan chose for an operator node.</param>
    public static ImmutableDictionary<string, ImmutableArray<TensorPlacement?>> Inputs(OperatorGraph graph, LayoutPlan plan, Func<OperatorNode, OperatorCandidate> candidate)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(candidate);
        var holdings = graph.Inputs.ToDictionary(v => v.Name, _ => (TensorPlacement?)null, StringComparer.Ordinal);
        TensorPlacement? Converted(string value, string consumer)
        {
            var held = holdings[value];
            foreach (var step in plan.Conversions.Where(c => c.Value == value && c.Consumer == consumer).SelectMany(c => c.Steps))
            {
                held = step.Kind == LayoutStepKind.Unpack ? null : new TensorPlacement(step.Destination, step.Share);
            }

            return LayoutConversion.Holding(held);
        }

        var inputs = ImmutableDictionary.CreateBuilder<string, ImmutableArray<TensorPlacement?>>(StringComparer.Ordinal);
        foreach (var node in graph.Nodes)
        {
            var activations = node.Inputs.Where(v => !v.IsConstant).Distinct().ToList();
            ImmutableArray<TensorPlacement?> read = [.. activations.Select(v => Converted(v.Name, node.Name))];
            inputs[node.Name] = read;
            if (node is OperatorNode op)
            {
                holdings[op.Output.Name] = LayoutConversion.Holding(candidate(op).Output);
                holdings[op.Output.Name] = Converted(op.Output.Name, op.Name);
            }
            else
            {
                holdings[node.Output.Name] = read.IsEmpty ? null : PlacementCarry.Through(node, read[0]);
            }
        }

        return inputs.ToImmutable();
    }
}
