using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Timing;

namespace Swatop.Hardware.Sw26010.Kernels;

/// <summary>What <see cref="SwDnnConvolution.Run"/> produced: the gathered output, what the CPEs did and how long it took.</summary>
/// <param name="Output">The whole output tensor, <c>[Ro][Co][No][B]</c>, gathered from the core groups after the last spawn.</param>
/// <param name="Report">The run on all its core groups: the last spawn's activity and the simulated time of all the spawns.</param>
public sealed record SwDnnConvolutionRun(ReadOnlyMemory<double> Output, ChipRunReport Report)
{
    /// <summary>The activity of every CPE in one spawn.</summary>
    public CpeActivity Total => Report.Total;

    /// <summary>The simulated time of all the spawns.</summary>
    public RunProfile Profile => Report.Profile;
}
