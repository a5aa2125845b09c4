using System.Collections.Immutable;
using System.Globalization;
using Swatop.Core.Scheduling;
using Swatop.Core.Targets;

namespace Swatop.Core;

/// <summary>
/// One operator of a tuned network as it runs: its kernel (the schedule and its measured time), the layout steps
/// counted in its row (measured), and the epilogue its kernel applies in LDM to each output tile (bias, clamps,
/// residual add: inside the kernel's time, with no pass of its own).
/// </summary>
/// <param name="Name">The node.</param>
/// <param name="Operation">What it computes, e.g. <c>Conv2d k=3x3 s=1x1 p=1,1,1,1 + bias relu</c>.</param>
/// <param name="Schedule">The kernel's schedule.</param>
/// <param name="KernelSeconds">The kernel's measured time.</param>
/// <param name="Steps">The layout steps counted in this row, measured.</param>
/// <param name="Epilogue">The epilogue the kernel applies.</param>
public sealed record LayerProfile(string Name, string Operation, Schedule Schedule, double KernelSeconds, ImmutableArray<StepTime> Steps, Epilogue Epilogue)
{
    /// <summary>The layout steps' time.</summary>
    public double LayoutSeconds => Steps.Sum(s => s.Seconds);

    /// <summary>The kernel and its layout steps.</summary>
    public double EndToEndSeconds => KernelSeconds + LayoutSeconds;

    /// <summary>Equal when every field is, the steps element by element.</summary>
    /// <param name="other">The other layer.</param>
    /// <returns>Whether they are equal.</returns>
    public bool Equals(LayerProfile? other) =>
        other is not null && Name == other.Name && Operation == other.Operation && Schedule.Equals(other.Schedule)
        && KernelSeconds.Equals(other.KernelSeconds) && Steps.SequenceEqual(other.Steps) && Epilogue.Equals(other.Epilogue);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, Schedule, KernelSeconds, Steps.Length, Epilogue);

    /// <summary>
    /// The layer as one line: <c>layer1.0.add: Conv2d k=1x1 ... + bias residual relu: kernel 1.234 ms (implicit-gemm), 2 layout steps 0.100 ms, epilogue bias residual relu</c>.
    /// </summary>
    /// <returns>The text.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Name}: {Operation}: kernel {KernelSeconds * 1e3:F3} ms ({Schedule.Algorithm}), {Steps.Length} layout step{(Steps.Length == 1 ? "" : "s")} {LayoutSeconds * 1e3:F3} ms, epilogue {Epilogue}");
}
