using System.Collections.Immutable;
using Swatop.Core.LayoutSteps;

namespace Swatop.Core.GraphTuning;

/// <summary>
/// A joint layout choice for a graph: which candidate runs each operator node, and the conversions
/// between the nodes that it needs, in execution order.
/// </summary>
/// <param name="Choices">Per operator node: the index of its candidate.</param>
/// <param name="Conversions">The conversions, in the order they run; one that another's copy serves runs only its <see cref="PlannedConversion.Running"/> steps.</param>
/// <param name="EstimatedSeconds">Measured kernels plus the price of the conversions' running steps (each step's measured time where the graph tuner measured it, else the cost model's price): what the choice minimized.</param>
public sealed record LayoutPlan(ImmutableDictionary<string, int> Choices, ImmutableArray<PlannedConversion> Conversions, double EstimatedSeconds)
{
    /// <summary>The steps the plan runs, in order: each conversion's <see cref="PlannedConversion.Running"/> steps (a copy shared by several consumers is made once).</summary>
    public ImmutableArray<LayoutStep> Steps => [.. Conversions.SelectMany(c => c.Running)];
}
