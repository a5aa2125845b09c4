namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>What one spawn of a CPE program on one core group did.</summary>
/// <param name="CoreGroup">The core group.</param>
/// <param name="Cpes">Each CPE's activity, by athread id.</param>
/// <param name="HostTime">Wall-clock time the emulation took on the host.</param>
public sealed record CoreGroupRunReport(int CoreGroup, IReadOnlyList<CpeActivity> Cpes, TimeSpan HostTime)
{
    /// <summary>The activity of all the group's CPEs together.</summary>
    public CpeActivity Total => CpeActivity.Sum(Cpes);
}
