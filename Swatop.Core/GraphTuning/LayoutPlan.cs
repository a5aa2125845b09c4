using System.Collections.Immutable;

namespace Swatop.Core.GraphTuning;

/// <summary>
/// A joint layout choice for a graph: which candidate runs each operator node, and the conversions
/// between the nodes that it needs, in execution order.
/// </summary>
/// <param name="Choices">Per operator node: the index of its candidate.</param>
/// <param name="Conversions">The conversions, in the order they run.</param>
/// <param name="EstimatedSeconds">Measured kernels plus the price of the conversions (each step's measured time where the graph tuner measured it, else the cost model's price): what the choice minimized.</param>
public sealed record LayoutPlan(ImmutableDictionary<string, int> Choices, ImmutableArray<PlannedConversion> Conversions, double EstimatedSeconds);
