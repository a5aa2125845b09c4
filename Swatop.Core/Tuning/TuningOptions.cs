using Microsoft.Extensions.Logging;

namespace Swatop.Core.Tuning;

/// <summary>How <see cref="OperatorTuning.Tune"/> searches: every setting has a default.</summary>
public sealed record TuningOptions
{
    /// <summary>The default options.</summary>
    public static TuningOptions Default { get; } = new();

    /// <summary>The search strategy; null: model-guided with the target's cost model.</summary>
    public ISearchStrategy? Strategy { get; init; }

    /// <summary>What measures the candidates; null: the target itself (<see cref="TargetMeasurer"/>).</summary>
    public IMeasurer? Measurer { get; init; }

    /// <summary>The most candidates measured: at least 1. A model-guided search measures at most its own k of them.</summary>
    public int Trials
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Trials), value, $"Trials = {value}: tuning measures at least one candidate.");
    } = 64;

    /// <summary>How long measuring may go on: after it no new measurement starts (the first always runs). Null: only <see cref="Trials"/> limits it.</summary>
    public TimeSpan? TimeBudget
    {
        get;
        init => field = value is not { } budget || budget > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(TimeBudget), value, $"TimeBudget = {value}: it must be positive, or null for none.");
    }

    /// <summary>The seed of every random choice: the same seed, operator and target give the same result.</summary>
    public int Seed { get; init; }

    /// <summary>Where results are looked up first and recorded after; null: none.</summary>
    public TuningDatabase? Database { get; init; }

    /// <summary>
    /// Where results are looked up first and kept after, in this process; null: none. <c>Tune()</c> without
    /// options uses <see cref="TuningMemory.Process"/>.
    /// </summary>
    public TuningMemory? Memory { get; init; }

    /// <summary>Tune even when the memory or the database holds a result (the new result is still kept and recorded).</summary>
    public bool Fresh { get; init; }

    /// <summary>Told which record was applied, what was searched and what won; null: silent.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>Told after each measurement; null: nobody.</summary>
    public IProgress<TuningProgress>? Progress { get; init; }

    /// <summary>Stops tuning between measurements; the database is left as it was.</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>What tuning minimizes: end to end (the default) or the kernel alone. The cost model ranks and the default measurer measures by it.</summary>
    public TuningObjective Objective { get; init; }

    /// <summary>
    /// The algorithm tuning must use (<see cref="Scheduling.ScheduleAlgorithms.Names"/>: <c>implicit-gemm</c>,
    /// <c>direct</c>, <c>im2col</c>), or <see langword="null"/> for every algorithm that applies, the default. A forced
    /// algorithm that does not apply to the operator is a <see cref="Scheduling.ScheduleException"/> when
    /// tuning; tuning with one neither reads nor fills a <see cref="Memory"/>, and applies a database record
    /// only when it is of that algorithm.
    /// </summary>
    public string? Algorithm
    {
        get;
        init => field = value is null || Scheduling.ScheduleAlgorithms.Names.Contains(value) ? value
            : throw new ArgumentOutOfRangeException(nameof(Algorithm), value, $"Algorithm = '{value}' names no algorithm; the algorithms are {string.Join(", ", Scheduling.ScheduleAlgorithms.Names)}, or null for all of them.");
    }
}
