using System.Collections.Immutable;
using System.Globalization;

namespace Swatop.Core.Targets;

/// <summary>
/// The time a caller waits for one run of a kernel on a target, end to end: the layout steps that bring
/// its inputs into the kernel's layouts and its output back into the framework's (<see cref="Steps"/>),
/// and the kernel itself; with the operator's useful throughput both ways.
/// </summary>
/// <param name="KernelSeconds">Simulated (or measured) seconds of the kernel on the compute cores, spawn to join.</param>
/// <param name="Steps">The layout steps around the kernel, in the order they run; empty when the kernel reads and writes the framework's tensors as they are.</param>
/// <param name="Flops">The operator's flops (2 per multiply-add, padding not counted).</param>
/// <param name="PeakFlopsPerSecond">The peak of the cores the kernel used.</param>
/// <param name="Details">The target's own account (per core group and per CPE), as text.</param>
public sealed record KernelProfile(double KernelSeconds, ImmutableArray<StepTime> Steps, long Flops, double PeakFlopsPerSecond, string Details)
{
    /// <summary>
    /// The one-off steps of the prepare step that packed the constant inputs (a layer's weights) before the
    /// calls, apart from <see cref="Steps"/>: a framework pays them once, not per call. Empty when nothing was prepared.
    /// </summary>
    public ImmutableArray<StepTime> PrepareSteps { get; init; } = [];

    /// <summary>Seconds of the one-off prepare steps together.</summary>
    public double PrepareSeconds => PrepareSteps.Sum(s => s.Seconds);

    /// <summary>Seconds of the layout steps together.</summary>
    public double LayoutSeconds => Steps.Sum(s => s.Seconds);

    /// <summary>What the caller waits for: the layout steps and the kernel.</summary>
    public double EndToEndSeconds => KernelSeconds + LayoutSeconds;

    /// <summary>Useful GFLOPS of the kernel alone.</summary>
    public double KernelGflops => KernelSeconds > 0 ? Flops / KernelSeconds / 1e9 : 0;

    /// <summary>Useful GFLOPS end to end.</summary>
    public double Gflops => EndToEndSeconds > 0 ? Flops / EndToEndSeconds / 1e9 : 0;

    /// <summary>The kernel's useful throughput as a percentage of the peak of the cores it used.</summary>
    public double PeakPercent => KernelSeconds > 0 && PeakFlopsPerSecond > 0 ? 100 * Flops / KernelSeconds / PeakFlopsPerSecond : 0;

    /// <summary>Whether <paramref name="other"/> has the same times, steps, flops, peak and details.</summary>
    public bool Equals(KernelProfile? other) =>
        other is not null && KernelSeconds == other.KernelSeconds && Steps.SequenceEqual(other.Steps) && PrepareSteps.SequenceEqual(other.PrepareSteps)
        && Flops == other.Flops && PeakFlopsPerSecond == other.PeakFlopsPerSecond && Details == other.Details;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(KernelSeconds, Steps.Length, PrepareSteps.Length, Flops, PeakFlopsPerSecond, Details);

    /// <summary>One line: end to end first, then the kernel, then the layout steps.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"end to end {EndToEndSeconds * 1e3:F3} ms ({Gflops:F1} GFLOPS): kernel {KernelSeconds * 1e3:F3} ms ({KernelGflops:F1} GFLOPS, {PeakPercent:F1}% of peak), layout steps {LayoutSeconds * 1e3:F3} ms{(Steps.IsEmpty ? "" : $" ({string.Join("; ", Steps)})")}{(PrepareSteps.IsEmpty ? "" : $"; prepared once in {PrepareSeconds * 1e3:F3} ms")}");
}
