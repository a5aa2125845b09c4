using Swatop.Hardware.Sw26010.Timing;

namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>What one run on several core groups did, and how long it took on the machine.</summary>
/// <param name="CoreGroups">Each group's report, by group index.</param>
/// <param name="HostTime">Wall-clock time the whole run took on the host.</param>
public sealed record ChipRunReport(IReadOnlyList<CoreGroupRunReport> CoreGroups, TimeSpan HostTime)
{
    /// <summary>The activity of every CPE that ran, in the last spawn.</summary>
    public CpeActivity Total => CpeActivity.Sum(CoreGroups.Select(g => g.Total));

    /// <summary>The simulated time of the run.</summary>
    public RunProfile Profile => new([.. CoreGroups.Select(g => g.Profile)]);

    /// <summary>Flops retired per second of host time: how fast the emulation ran, not the machine.</summary>
    public double HostFlopsPerSecond => HostTime > TimeSpan.Zero ? Profile.Flops / HostTime.TotalSeconds : 0;
}
