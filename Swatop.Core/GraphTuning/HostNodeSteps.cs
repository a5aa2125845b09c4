using System.Collections.Immutable;
using Swatop.Core.Graphs;
using Swatop.Core.Layouts;
using Swatop.Core.LayoutSteps;
using Swatop.Primitives;

namespace Swatop.Core.GraphTuning;

/// <summary>
/// The layout steps around a node that is not an operator when a plan leaves an activation it reads in a kernel's
/// placement: a node kernel of the compute cores reads the framework's layout, so the host evaluates such a node, and
/// the emitted network gives it its inputs in the framework's layout (each placed activation unpacked) and packs its
/// output into the placement <see cref="PlacementCarry"/> gives it. Those steps and the host's time are what the node costs.
/// </summary>
public static class HostNodeSteps
{
    /// <summary>
    /// The steps around <paramref name="node"/> when its distinct activations lie in <paramref name="inputs"/> (in input
    /// order, <see langword="null"/> for the framework's layout): none when every one lies in the framework's layout.
    /// </summary>
    /// <param name="node">The node, not an operator.</param>
    /// <param name="inputs">Where each distinct activation it reads lies.</param>
    /// <param name="elementType">The graph's element type.</param>
    /// <exception cref="ArgumentException"><paramref name="inputs"/> does not have one placement per distinct activation of the node.</exception>
    public static ImmutableArray<LayoutStep> Of(GraphNode node, ImmutableArray<TensorPlacement?> inputs, ElementType elementType)
    {
        ArgumentNullException.ThrowIfNull(node);
        var activations = node.Inputs.Where(v => !v.IsConstant).Distinct().ToList();
        if (inputs.IsDefault || inputs.Length != activations.Count)
        {
            throw new ArgumentException(
                $"Node '{node.Name}' reads {activations.Count} distinct activations, but {(inputs.IsDefault ? 0 : inputs.Length)} placements were given: one a distinct activation, in input order.",
                nameof(inputs));
        }

        if (inputs.All(p => LayoutConversion.Holding(p) is null))
        {
            return [];
        }

        // The same steps a plan's conversions run: each placed activation into the framework's layout, the output back.
        var unpacks = activations.SelectMany((value, i) => LayoutConversion.Steps(value.Name, inputs[i], null, elementType));
        var pack = LayoutConversion.Steps(node.Output.Name, null, PlacementCarry.Through(node, inputs[0]), elementType);
        return [.. unpacks, .. pack];
    }
}
