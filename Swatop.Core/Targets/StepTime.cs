using System.Globalization;

namespace Swatop.Core.Targets;

/// <summary>
/// The time of one step around a kernel: packing an input into the kernel's layout, unpacking the output
/// into the framework's, or a reorder between two kernels.
/// </summary>
/// <param name="Name">The step, e.g. <c>pack input</c>.</param>
/// <param name="Seconds">Its simulated (or measured) seconds.</param>
/// <param name="Bytes">Framework bytes it moves.</param>
/// <param name="OnMpe">Whether the MPE runs it (where that is faster than the compute cores); otherwise the CPEs do.</param>
public sealed record StepTime(string Name, double Seconds, long Bytes, bool OnMpe)
{
    /// <summary>E.g. <c>pack input 1.234 ms on the CPEs (51.4 MB)</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Name} {Seconds * 1e3:F3} ms on the {(OnMpe ? "MPE" : "CPEs")} ({Bytes / 1e6:F1} MB)");
}
