using System.Globalization;

namespace Swatop.Core.Targets;

/// <summary>
/// The time of one kernel run on a target: the kernel itself (spawns to joins), the host-side layout
/// steps around it, and the operator's useful throughput.
/// </summary>
/// <param name="KernelSeconds">Simulated (or measured) seconds of the kernel on the compute cores.</param>
/// <param name="HostSeconds">Seconds of the host steps: packing inputs and unpacking the output.</param>
/// <param name="Flops">The operator's flops (2 per multiply-add, padding not counted).</param>
/// <param name="PeakFlopsPerSecond">The peak of the cores the kernel used.</param>
/// <param name="Details">The target's own account (per core group and per CPE), as text.</param>
public sealed record KernelProfile(double KernelSeconds, double HostSeconds, long Flops, double PeakFlopsPerSecond, string Details)
{
    /// <summary>Kernel and host seconds together.</summary>
    public double Seconds => KernelSeconds + HostSeconds;

    /// <summary>Useful GFLOPS of the kernel alone.</summary>
    public double KernelGflops => KernelSeconds > 0 ? Flops / KernelSeconds / 1e9 : 0;

    /// <summary>Useful GFLOPS including the host steps.</summary>
    public double Gflops => Seconds > 0 ? Flops / Seconds / 1e9 : 0;

    /// <summary>The kernel's useful throughput as a percentage of the peak of the cores it used.</summary>
    public double PeakPercent => KernelSeconds > 0 && PeakFlopsPerSecond > 0 ? 100 * Flops / KernelSeconds / PeakFlopsPerSecond : 0;

    /// <summary>One line: times, GFLOPS, % of peak.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"kernel {KernelSeconds * 1e3:F3} ms ({KernelGflops:F1} GFLOPS, {PeakPercent:F1}% of peak), host steps {HostSeconds * 1e3:F3} ms, total {Seconds * 1e3:F3} ms ({Gflops:F1} GFLOPS)");
}
