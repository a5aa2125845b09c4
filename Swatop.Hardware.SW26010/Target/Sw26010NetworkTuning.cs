using Swatop.Core;
using Swatop.Core.GraphTuning;
using Swatop.Core.Tuning;

namespace Swatop.Hardware.Sw26010.Target;

/// <summary>The parameterless <see cref="Network"/> tuning that picks the SW26010 (<see cref="Sw26010Target.Default"/>).</summary>
public static class Sw26010NetworkTuning
{
    /// <summary>Tunes <paramref name="network"/> for the SW26010 (<see cref="Network.Tune(Core.Targets.ITarget, TuningOptions?, IProgress{GraphTuningProgress}?)"/>); its runs go to the emulator.</summary>
    /// <param name="network">The network.</param>
    /// <param name="options">Strategy, trials, database, logger and cancellation of each operator's tuning.</param>
    /// <param name="progress">Told as each distinct operator starts tuning, then as the layouts are planned and the steps measured.</param>
    /// <returns>The tuned network.</returns>
    public static TunedNetwork Tune(this Network network, TuningOptions? options = null, IProgress<GraphTuningProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        return network.Tune(Sw26010Target.Default, options, progress);
    }
}
