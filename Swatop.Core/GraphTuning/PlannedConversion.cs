using System.Collections.Immutable;
using Swatop.Core.LayoutSteps;

namespace Swatop.Core.GraphTuning;

/// <summary>
/// The layout steps that bring graph value <paramref name="Value"/> to where <paramref name="Consumer"/>
/// reads it, and the operator node whose row their time is counted in (<paramref name="Layer"/>): the
/// consumer itself when it is an operator, else the operator that produced the value.
/// </summary>
/// <param name="Value">The graph value moved.</param>
/// <param name="Consumer">The node that reads it, or <see cref="GraphOutput"/> for the graph's caller.</param>
/// <param name="Layer">The operator node whose row counts the steps.</param>
/// <param name="Steps">The steps, in order.</param>
public sealed record PlannedConversion(string Value, string Consumer, string Layer, ImmutableArray<LayoutStep> Steps)
{
    /// <summary>The consumer name of a conversion for the graph's caller, who reads outputs in the framework's layout.</summary>
    public const string GraphOutput = "(graph output)";
}
