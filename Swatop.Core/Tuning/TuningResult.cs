using Microsoft.Extensions.Logging;
using Swatop.Core.Scheduling;
using Swatop.Core.Targets;

namespace Swatop.Core.Tuning;

/// <summary>What tuning chose, how fast it ran, and what the choice cost.</summary>
/// <param name="Operator">The operator.</param>
/// <param name="Target">The target it was tuned for.</param>
/// <param name="Schedule">The winning schedule.</param>
/// <param name="MeasuredSeconds">Its measured time by <see cref="Objective"/>, end to end by default (from the database when <see cref="AppliedRecord"/> is set).</param>
/// <param name="PeakPercent">Its kernel's share of peak when the measurer reports it.</param>
/// <param name="PredictedSeconds">What the cost model predicted for it; null when no model ranked.</param>
/// <param name="CandidatesRanked">Candidates the model estimated (not those of the shapes its lower bound ruled out).</param>
/// <param name="CandidatesMeasured">Candidates measured.</param>
/// <param name="Elapsed">How long tuning took.</param>
/// <param name="Strategy">The strategy that searched, <c>database</c>, or <c>memory</c> for a result recalled from a <see cref="TuningMemory"/>.</param>
/// <param name="AppliedRecord">The database record applied instead of searching, if any.</param>
public sealed record TuningResult(
    OperatorSpec Operator,
    ITarget Target,
    Schedule Schedule,
    double MeasuredSeconds,
    double? PeakPercent,
    double? PredictedSeconds,
    long CandidatesRanked,
    int CandidatesMeasured,
    TimeSpan Elapsed,
    string Strategy,
    TuningRecord? AppliedRecord)
{
    /// <summary>What the search minimized, which <see cref="MeasuredSeconds"/> holds.</summary>
    public TuningObjective Objective { get; init; }

    /// <summary>The winner's kernel time alone, when the measurer told it apart; null for a database record.</summary>
    public double? KernelSeconds { get; init; }

    /// <summary>Lowers, optimizes and compiles the winning schedule for the target.</summary>
    public ICompiledKernel Emit(ILogger? logger = null) => Operator.WithSchedule(Schedule).Emit(Target, logger);
}
