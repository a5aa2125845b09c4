namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>What one run on several core groups did.</summary>
/// <param name="CoreGroups">Each group's report, by group index.</param>
/// <param name="HostTime">Wall-clock time the whole run took on the host.</param>
public sealed record ChipRunReport(IReadOnlyList<CoreGroupRunReport> CoreGroups, TimeSpan HostTime)
{
    /// <summary>The activity of every CPE that ran.</summary>
    public CpeActivity Total => CpeActivity.Sum(CoreGroups.Select(g => g.Total));

    /// <summary>Flops retired per second of host time: how fast the emulation ran, not the machine.</summary>
    public double HostFlopsPerSecond => HostTime > TimeSpan.Zero ? Total.Flops / HostTime.TotalSeconds : 0;
}
