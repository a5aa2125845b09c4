using System.Collections.Immutable;
using Swatop.Core.Layouts;
using Swatop.Core.Scheduling;
using Swatop.Core.Targets;

namespace Swatop.Core.GraphTuning;

/// <summary>
/// One way to run an operator in a graph: a schedule, its kernel's measured time, and where that kernel
/// reads each input and leaves its output (<see langword="null"/> for the framework's layout, read or
/// written in place: <see cref="LayoutConversion.Holding"/>).
/// </summary>
/// <param name="Schedule">The schedule.</param>
/// <param name="Profile">Its measured call on its own: the kernel, and the layout steps a caller that keeps every tensor in the framework's layout waits for (constants prepared).</param>
/// <param name="Inputs">Per input tensor of the operator: where the kernel reads it.</param>
/// <param name="Output">Where the kernel leaves its output.</param>
public sealed record OperatorCandidate(Schedule Schedule, KernelProfile Profile, ImmutableDictionary<string, TensorPlacement?> Inputs, TensorPlacement? Output)
{
    /// <summary>The kernel's measured time alone.</summary>
    public double KernelSeconds => Profile.KernelSeconds;

    /// <summary>The kernel and the layout steps of a caller that keeps every tensor in the framework's layout.</summary>
    public double StandaloneSeconds => Profile.EndToEndSeconds;

    /// <summary>Equal when the schedules, the profiles and every tensor's placement are.</summary>
    public bool Equals(OperatorCandidate? other) =>
        other is not null && Schedule.Equals(other.Schedule) && Profile.Equals(other.Profile) && Equals(Output, other.Output)
        && Inputs.Count == other.Inputs.Count && Inputs.All(pair => other.Inputs.TryGetValue(pair.Key, out var placement) && Equals(pair.Value, placement));

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Schedule, Profile.KernelSeconds, Inputs.Count);
}
