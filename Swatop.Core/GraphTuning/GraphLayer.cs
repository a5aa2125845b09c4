using System.Collections.Immutable;
using Swatop.Core.Scheduling;
using Swatop.Core.Targets;

namespace Swatop.Core.GraphTuning;

/// <summary>
/// One operator node of a tuned graph as it runs: its schedule, its kernel's measured time, and the
/// measured layout steps counted in its row (those that bring its inputs to where its kernel reads them,
/// and those that bring its output to a node that is not an operator, or to the graph's caller).
/// </summary>
/// <param name="Name">The node.</param>
/// <param name="Operation">What it computes, e.g. <c>Conv2d k=3x3 s=1x1 p=1,1,1,1</c>.</param>
/// <param name="Operator">The operator.</param>
/// <param name="Candidate">The chosen candidate: the schedule, its kernel's measured time, where it reads and leaves its tensors.</param>
/// <param name="Steps">The layout steps counted in this row, measured.</param>
public sealed record GraphLayer(string Name, string Operation, OperatorSpec Operator, OperatorCandidate Candidate, ImmutableArray<StepTime> Steps)
{
    /// <summary>The chosen schedule.</summary>
    public Schedule Schedule => Candidate.Schedule;

    /// <summary>The kernel's measured time.</summary>
    public double KernelSeconds => Candidate.KernelSeconds;

    /// <summary>The layout steps' time.</summary>
    public double LayoutSeconds => Steps.Sum(s => s.Seconds);

    /// <summary>What the layer adds to the graph's time: its kernel and its layout steps.</summary>
    public double EndToEndSeconds => KernelSeconds + LayoutSeconds;

    /// <summary>Equal when every field is, the steps element by element.</summary>
    public bool Equals(GraphLayer? other) =>
        other is not null && Name == other.Name && Operation == other.Operation && Operator.Equals(other.Operator) && Candidate.Equals(other.Candidate)
        && Steps.SequenceEqual(other.Steps);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, Schedule, KernelSeconds, Steps.Length);
}
