using Swatop.Hardware.Sw26010.Timing;

namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>What a run of a CPE program on one core group did, and how long it took on the machine.</summary>
/// <param name="CoreGroup">The core group.</param>
/// <param name="Cpes">Each CPE's activity in the last spawn, by athread id.</param>
/// <param name="HostTime">Wall-clock time the emulation took on the host.</param>
/// <param name="Profile">The simulated time of the run.</param>
public sealed record CoreGroupRunReport(int CoreGroup, IReadOnlyList<CpeActivity> Cpes, TimeSpan HostTime, CoreGroupProfile Profile)
{
    /// <summary>The activity of all the group's CPEs together, in the last spawn.</summary>
    public CpeActivity Total => CpeActivity.Sum(Cpes);
}
