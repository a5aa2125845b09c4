using System.Globalization;
using System.Text;

namespace Swatop.Hardware.Sw26010.Timing;

/// <summary>
/// The simulated time of a run on one or more core groups, which run side by side as the four
/// MPE threads of the real machine do: the run takes as long as its slowest group.
/// </summary>
/// <param name="CoreGroups">Each group's profile.</param>
public sealed record RunProfile(IReadOnlyList<CoreGroupProfile> CoreGroups)
{
    /// <summary>Cycles of the slowest group.</summary>
    public double ElapsedCycles => CoreGroups.Count == 0 ? 0 : CoreGroups.Max(g => g.ElapsedCycles);

    /// <summary>Simulated seconds of the run.</summary>
    public double SimulatedSeconds => CoreGroups.Count == 0 ? 0 : ElapsedCycles / CoreGroups[0].ClockHz;

    /// <summary>Flops of the run.</summary>
    public long Flops => CoreGroups.Sum(g => g.Flops);

    /// <summary>Simulated GFLOPS of the run.</summary>
    public double Gflops => SimulatedSeconds > 0 ? Flops / SimulatedSeconds / 1e9 : 0;

    /// <summary>Percent of the peak of the groups that ran.</summary>
    public double PercentOfPeak => SimulatedSeconds > 0 ? 100 * Flops / SimulatedSeconds / CoreGroups.Sum(g => g.PeakFlops) : 0;

    /// <summary>A readable summary: the run, then a line per group.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"{SimulatedSeconds * 1e3:F3} ms simulated ({ElapsedCycles:F0} cycles), {Gflops:F1} GFLOPS, {PercentOfPeak:F1}% of the peak of {CoreGroups.Count} core group(s)");
        foreach (var group in CoreGroups)
        {
            text.AppendLine().Append("  ").Append(group);
        }

        return text.ToString();
    }
}
