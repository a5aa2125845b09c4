using Swatop.Core;
using Swatop.Primitives;

namespace Swatop.Hardware.Sw26010.Tuning;

/// <summary>
/// The least time an operator can take on the chip, whatever its schedule: the larger of its flops at
/// the CPEs' peak and its compulsory traffic (each operand element the operator reads read once, see
/// <see cref="TensorAccess.ElementsRead"/>; the output written once) at the plateau bandwidth of the
/// DMA model's gets and puts, all core groups at once. A tuned kernel's
/// time over this bound says how much a better schedule could still win.
/// </summary>
public static class Sw26010Roofline
{
    /// <summary>The bound of <paramref name="spec"/> on <paramref name="chip"/>, in seconds.</summary>
    public static double Seconds(OperatorSpec spec, Sw26010Spec chip)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(chip);
        return Math.Max(ComputeSeconds(spec, chip), TrafficSeconds(spec, chip));
    }

    /// <summary>The operator's flops at the chip's peak, in seconds.</summary>
    public static double ComputeSeconds(OperatorSpec spec, Sw26010Spec chip)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(chip);
        return spec.Flops / chip.ChipPeakFlops;
    }

    /// <summary>The operator's compulsory bytes at the DMA plateau bandwidth of all core groups, in seconds.</summary>
    public static double TrafficSeconds(OperatorSpec spec, Sw26010Spec chip)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(chip);
        var e = spec.Expression;
        var bytes = spec.ElementType == ElementType.Float32 ? sizeof(float) : sizeof(double);
        var dma = chip.Timing.Dma;
        var read = (e.Left.ElementsRead() + e.Right.ElementsRead()) * bytes * dma.GetNanosecondsPerByte;
        var written = e.Output.Tensor.ElementLength * bytes * dma.PutNanosecondsPerByte;
        return (read + written) * 1e-9 / chip.CoreGroups;
    }
}
