using System.Collections.Immutable;
using Swatop.Core.LayoutSteps;

namespace Swatop.Core.GraphTuning;

/// <summary>
/// The layout steps that bring graph value <paramref name="Value"/> to where <paramref name="Consumer"/>
/// reads it, and the operator node whose row their time is counted in (<paramref name="Layer"/>): the
/// consumer itself when it is an operator, else the operator that produced the value. A value read by several
/// consumers in one placement is converted once: the first <see cref="Shared"/> steps already ran (for an earlier
/// consumer, or the value's producer left it where they lead), so the consumer reads their result and only
/// <see cref="Running"/> run and cost time.
/// </summary>
/// <param name="Value">The graph value moved.</param>
/// <param name="Consumer">The node that reads it, or <see cref="GraphOutput"/> for the graph's caller.</param>
/// <param name="Layer">The operator node whose row counts the steps.</param>
/// <param name="Steps">The steps from where the value lies to where the consumer reads it, in order.</param>
public sealed record PlannedConversion(string Value, string Consumer, string Layer, ImmutableArray<LayoutStep> Steps)
{
    /// <summary>The consumer name of a conversion for the graph's caller, who reads outputs in the framework's layout.</summary>
    public const string GraphOutput = "(graph output)";

    /// <summary>
    /// How many of the leading <see cref="Steps"/> do not run for this consumer: the value already lies where the last of
    /// them leads (an earlier conversion of it made that copy, or its producer wrote it there), and the rest start from
    /// that copy. Zero by default; <see cref="Steps"/>' length when the consumer reads a copy as it is.
    /// </summary>
    public int Shared { get; init; }

    /// <summary>The steps that run for this consumer (and cost time): <see cref="Steps"/> less the <see cref="Shared"/> ones.</summary>
    public ImmutableArray<LayoutStep> Running => Steps[Shared..];

    /// <summary>Whether the consumer reads a copy as it is, and nothing runs for it.</summary>
    public bool IsShared => Shared == Steps.Length;
}
