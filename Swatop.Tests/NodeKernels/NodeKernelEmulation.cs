using System.Numerics;
using Swatop.Hardware.Sw26010;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Target;

namespace Swatop.Tests.NodeKernels;

/// <summary>A node kernel run on every core group of a chip that computes (not timing only), its tensors in the shared memory.</summary>
internal static class NodeKernelEmulation
{
    /// <summary>
    /// The output of <paramref name="kernel"/> of <paramref name="target"/> over <paramref name="inputs"/> (one a tensor it
    /// reads, in the order of <see cref="Sw26010NodeKernel.Reads"/>), <paramref name="outputLength"/> elements; the run must take time.
    /// </summary>
    public static T[] Run<T>(Sw26010Target target, Sw26010NodeKernel kernel, IReadOnlyList<T[]> inputs, long outputLength)
        where T : unmanaged, INumber<T>
    {
        Assert.That(inputs, Has.Count.EqualTo(kernel.Reads.Length), "an input a tensor the kernel reads");
        var chip = new Sw26010Chip(target.Spec, target.Options with { TimingOnly = false });
        var buffers = new Dictionary<string, GlobalBuffer>(StringComparer.Ordinal);
        foreach (var ((tensor, _), data) in kernel.Reads.Zip(inputs))
        {
            buffers[tensor] = chip.SharedMemory.Allocate<T>(tensor, data.Length);
            data.CopyTo(buffers[tensor].AsSpan<T>());
        }

        var destination = chip.SharedMemory.Allocate<T>("y", outputLength);
        buffers[kernel.DestinationTensor] = destination;
        Assert.That(kernel.Run(chip, buffers).Seconds, Is.GreaterThan(0));
        return destination.AsSpan<T>().ToArray();
    }
}
