using System.Collections.Immutable;
using Swatop.Core;
using Swatop.Hardware.Sw26010;
using Swatop.Hardware.Sw26010.Tuning;
using Swatop.Primitives;

namespace Swatop.Cli.Reports;

/// <summary>
/// What <c>swatop report --onnx</c> draws and tabulates of a tuned network: its layers in execution order
/// (<see cref="LayerFigures"/>), the nodes left outside the kernels (not timed), and the chip's roof: the peak of
/// its CPEs and the slope of its DMA bandwidth (<see cref="Sw26010Roofline"/>).
/// </summary>
/// <param name="Model">The model's name: its file's, without the extension.</param>
/// <param name="Batch">The batch its inputs take.</param>
/// <param name="ElementType">The network's element type.</param>
/// <param name="Layers">The operators in execution order.</param>
/// <param name="Untimed">The nodes outside the kernels that the target did not time.</param>
/// <param name="PeakFlops">The chip's peak, flops a second.</param>
/// <param name="BytesPerSecond">The roof's slope: the chip's DMA bandwidth, bytes a second.</param>
internal sealed record NetworkFigures(string Model, int Batch, ElementType ElementType, ImmutableArray<LayerFigures> Layers, ImmutableArray<string> Untimed, double PeakFlops, double BytesPerSecond)
{
    /// <summary>The figures of <paramref name="tuned"/>, the model named <paramref name="model"/>, against <paramref name="chip"/>'s roofline.</summary>
    public static NetworkFigures Of(string model, TunedNetwork tuned, Sw26010Spec chip)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tuned);
        ArgumentNullException.ThrowIfNull(chip);
        var graph = tuned.Tuning.Graph;
        var layers = tuned.Tuning.Layers.Select((l, i) => new LayerFigures(
            i + 1, l.Name, l.Operator, l.KernelSeconds, l.LayoutSeconds, Sw26010Roofline.Bytes(l.Operator), Sw26010Roofline.Seconds(l.Operator, chip)));
        var batch = graph.Inputs.IsEmpty || graph.Inputs[0].Rank == 0 ? 1 : graph.Inputs[0].Shape[0];
        return new NetworkFigures(model, batch, graph.ElementType, [.. layers], tuned.Profile.Untimed, chip.ChipPeakFlops, Sw26010Roofline.BytesPerSecond(chip))
        {
            NodeSeconds = tuned.Profile.NodeSeconds,
        };
    }

    /// <summary>The kernels' time.</summary>
    public double KernelSeconds => Layers.Sum(l => l.KernelSeconds);

    /// <summary>The layout steps' time.</summary>
    public double LayoutSeconds => Layers.Sum(l => l.LayoutSeconds);

    /// <summary>The time of the nodes outside the operators (poolings, element-wise nodes that did not fuse), which have no bar of their own.</summary>
    public double NodeSeconds { get; init; }

    /// <summary>What a caller waits for: kernels, layout steps and the other nodes.</summary>
    public double EndToEndSeconds => KernelSeconds + LayoutSeconds + NodeSeconds;

    /// <summary>The operators' flops.</summary>
    public long Flops => Layers.Sum(l => l.Flops);

    /// <summary>The element type as the command line writes it: <c>float32</c> or <c>float64</c>.</summary>
    public string ElementTypeName => ElementType == ElementType.Float32 ? "float32" : "float64";

    /// <summary>The charts' title: the model, its batch and element type.</summary>
    public string Title => $"{Model}, batch {Batch}, {ElementTypeName}";

    /// <summary>The roof at <paramref name="intensity"/> flops a byte: the least of the peak and the bandwidth's slope, in GFLOPS.</summary>
    public double RoofGflops(double intensity) => Math.Min(PeakFlops, intensity * BytesPerSecond) / 1e9;
}
