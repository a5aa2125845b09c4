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
        var (read, written) = CompulsoryBytes(spec);
        var dma = chip.Timing.Dma;
        return ((read * dma.GetNanosecondsPerByte) + (written * dma.PutNanosecondsPerByte)) * 1e-9 / chip.CoreGroups;
    }

    /// <summary>The bytes the operator must move between main memory and the CPEs: each operand element it reads read once, its output written once.</summary>
    public static double Bytes(OperatorSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var (read, written) = CompulsoryBytes(spec);
        return read + written;
    }

    /// <summary>The operator's flops per byte of <see cref="Bytes"/>: where it sits on the roofline's x axis.</summary>
    public static double ArithmeticIntensity(OperatorSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Flops / Bytes(spec);
    }

    /// <summary>
    /// The roof's slope, in bytes a second: the faster of the DMA model's get and put plateaus, all core groups at once.
    /// At an arithmetic intensity <c>I</c> no operator is bound above <c>min(peak, I</c> times this<c>)</c>: its
    /// traffic time (<see cref="TrafficSeconds"/>) moves every byte at this rate or slower.
    /// </summary>
    public static double BytesPerSecond(Sw26010Spec chip)
    {
        ArgumentNullException.ThrowIfNull(chip);
        var dma = chip.Timing.Dma;
        return chip.CoreGroups / Math.Min(dma.GetNanosecondsPerByte, dma.PutNanosecondsPerByte) * 1e9;
    }

    private static (double Read, double Written) CompulsoryBytes(OperatorSpec spec)
    {
        var e = spec.Expression;
        var bytes = spec.ElementType == ElementType.Float32 ? sizeof(float) : sizeof(double);
        return ((double)(e.Left.ElementsRead() + e.Right.ElementsRead()) * bytes, (double)e.Output.Tensor.ElementLength * bytes);
    }
}
