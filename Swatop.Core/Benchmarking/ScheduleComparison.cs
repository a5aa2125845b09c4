using System.Globalization;
using Swatop.Core.Scheduling;
using Swatop.Core.Targets;

namespace Swatop.Core.Benchmarking;

/// <summary>Two schedules of one operator, simulated on one target: which is faster, and by how much.</summary>
/// <param name="Operator">The operator.</param>
/// <param name="Baseline">The schedule compared against.</param>
/// <param name="BaselineProfile">Its simulated profile.</param>
/// <param name="Candidate">The schedule compared.</param>
/// <param name="CandidateProfile">Its simulated profile.</param>
public sealed record ScheduleComparison(OperatorSpec Operator, Schedule Baseline, KernelProfile BaselineProfile, Schedule Candidate, KernelProfile CandidateProfile)
{
    /// <summary>How many times faster the candidate is end to end (layout steps and kernel): above 1 when it is faster.</summary>
    public double Speedup => BaselineProfile.EndToEndSeconds / CandidateProfile.EndToEndSeconds;

    /// <summary>How many times faster the candidate's kernel alone is.</summary>
    public double KernelSpeedup => BaselineProfile.KernelSeconds / CandidateProfile.KernelSeconds;

    /// <summary>The two end-to-end times and the speed-up, in one line.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Operator.Signature}: {CandidateProfile.EndToEndSeconds * 1e3:F3} ms against {BaselineProfile.EndToEndSeconds * 1e3:F3} ms, {Speedup:F2}x (kernel alone {KernelSpeedup:F2}x)");
}
