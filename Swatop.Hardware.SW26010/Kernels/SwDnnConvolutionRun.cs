using Swatop.Hardware.Sw26010.Emulation;

namespace Swatop.Hardware.Sw26010.Kernels;

/// <summary>What <see cref="SwDnnConvolution.Run"/> produced: the gathered output and what each spawn did.</summary>
/// <param name="Output">The whole output tensor, <c>[Ro][Co][No][B]</c>, gathered from the core groups after the last spawn.</param>
/// <param name="Spawns">One report per spawn of the kernel on all its core groups (an <c>athread_spawn</c> / <c>athread_join</c> pair each), in order.</param>
public sealed record SwDnnConvolutionRun(ReadOnlyMemory<double> Output, IReadOnlyList<ChipRunReport> Spawns)
{
    /// <summary>The activity of every CPE over all the spawns.</summary>
    public CpeActivity Total => CpeActivity.Sum(Spawns.Select(s => s.Total));
}
