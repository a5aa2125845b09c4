using Swatop.Core;

namespace Swatop.Cli.Reports;

/// <summary>
/// One operator of a tuned network as the report shows it: its measured kernel and layout steps, and where its
/// kernel sits against the chip's roofline (<see cref="Hardware.Sw26010.Tuning.Sw26010Roofline"/>).
/// </summary>
/// <param name="Number">Its place in execution order, from 1: the label of its point on the roofline.</param>
/// <param name="Name">The node.</param>
/// <param name="Operator">The operator, its fused epilogue included.</param>
/// <param name="KernelSeconds">The kernel's measured time (its fused epilogue inside).</param>
/// <param name="LayoutSeconds">The measured layout steps counted in its row.</param>
/// <param name="Bytes">The bytes its kernel must move between main memory and the CPEs.</param>
/// <param name="RooflineSeconds">The least time any schedule of it can take on the chip.</param>
internal sealed record LayerFigures(int Number, string Name, OperatorSpec Operator, double KernelSeconds, double LayoutSeconds, double Bytes, double RooflineSeconds)
{
    /// <summary>The operator's floating-point operations.</summary>
    public long Flops => Operator.Flops;

    /// <summary>What the layer adds to the network's time: its kernel and its layout steps.</summary>
    public double EndToEndSeconds => KernelSeconds + LayoutSeconds;

    /// <summary>The kernel's attained flops a second, in GFLOPS: the point's height on the roofline.</summary>
    public double Gflops => KernelSeconds > 0 ? Flops / KernelSeconds / 1e9 : 0;

    /// <summary>Flops per byte of main-memory traffic: the point's place on the roofline's x axis.</summary>
    public double ArithmeticIntensity => Flops / Bytes;

    /// <summary>The most GFLOPS any schedule of the operator can attain on the chip.</summary>
    public double RooflineGflops => Flops / RooflineSeconds / 1e9;

    /// <summary>The epilogue the kernel applies in LDM: <c>bias relu</c>, or <c>none</c>.</summary>
    public string Epilogue => Operator.Epilogue.ToString();
}
