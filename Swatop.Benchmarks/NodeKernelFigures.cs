using System.Globalization;
using Swatop.Core.Graphs;
using Swatop.Hardware.Sw26010;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Benchmarks;

/// <summary>
/// An unfused add and a concatenation of ResNet-50's stage-2 output size (128 x 512 x 28 x 28 in double) as CPE kernels:
/// each kernel emulated in timing-only mode on the 4 core groups, against its DMA plateau (the busiest group's share of
/// the bytes read at the DMA model's get rate and written at its put rate, shared-memory bytes at the cross-segment
/// factor) and the MPE estimate. <c>dotnet run -c Release --project Swatop.Benchmarks -- node-kernels</c>.
/// </summary>
public static class NodeKernelFigures
{
    /// <summary>Measures both nodes and prints one line each.</summary>
    public static void Run()
    {
        var target = Sw26010Target.Default;
        var b = new GraphBuilder("stage2", ElementType.Float64);
        var x = b.Input("x", 128, 512, 28, 28);
        var y = b.Input("y", 128, 512, 28, 28);
        b.Output(b.Add("add", x, y));
        b.Output(b.Concat("cat", 1, x, y));
        var graph = b.Build();
        Console.WriteLine("node,bytes_in,bytes_out,kernel_ms,plateau_ms,kernel_over_plateau,mpe_ms");
        foreach (var node in graph.Nodes)
        {
            var kernel = Sw26010NodeKernel.For(target, node, graph.ElementType) ?? throw new InvalidOperationException($"no kernel for {node.Name}");
            var chip = new Sw26010Chip(target.Spec, target.Options with { TimingOnly = true });
            var buffers = new Dictionary<string, GlobalBuffer>(StringComparer.Ordinal);
            var bytesIn = 0L;
            foreach (var (tensor, value) in kernel.Reads)
            {
                buffers[tensor] = chip.SharedMemory.Allocate(tensor, value.ElementLength * sizeof(double));
                bytesIn += value.ElementLength * sizeof(double);
            }

            var bytesOut = node.Output.ElementLength * sizeof(double);
            buffers[kernel.DestinationTensor] = chip.SharedMemory.Allocate(kernel.DestinationTensor, bytesOut);
            var time = kernel.Run(chip, buffers);
            var dma = target.Spec.Timing.Dma;
            var groups = target.Spec.CoreGroups;
            var plateau = ((bytesIn / (double)groups * dma.GetNanosecondsPerByte) + (bytesOut / (double)groups * dma.PutNanosecondsPerByte)) * dma.CrossSegmentByteFactor * 1e-9;
            var mpe = Sw26010NodeTiming.MpeSeconds(target.Spec, node, graph.ElementType);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{node.Name},{bytesIn},{bytesOut},{time.Seconds * 1e3:F3},{plateau * 1e3:F3},{time.Seconds / plateau:F3},{mpe * 1e3:F3}"));
        }
    }
}
