using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Swatop.Core.Scheduling;
using Swatop.Core.Targets;

namespace Swatop.Core.Tuning;

/// <summary>The fluent tuning step: <c>spec.Tune(target).Emit()</c>.</summary>
public static class OperatorTuning
{
    /// <summary>
    /// Finds a fast schedule for <paramref name="spec"/> on <paramref name="target"/>. Without options,
    /// the result is remembered for the process (<see cref="TuningMemory.Process"/>): a second call for the
    /// same operator and target is a lookup, whose <see cref="TuningResult.Strategy"/> is <c>memory</c> and
    /// which measures nothing. When the options name a memory (<see cref="TuningOptions.Memory"/>) it is
    /// read first and filled after in the same way, unless they ask for a fresh search. When the options
    /// name a database and do not ask for a fresh search, its best record for the operator and target is
    /// applied (and logged) if its schedule still fits; otherwise the strategy searches the space, the
    /// winner is recorded in the database, and the result says what it cost.
    /// </summary>
    /// <exception cref="InvalidOperationException">No strategy is given and the target has no cost model for the default, model-guided one.</exception>
    /// <exception cref="OperationCanceledException">The options' token was cancelled; nothing was recorded.</exception>
    public static TuningResult Tune(this OperatorSpec spec, ITarget target, TuningOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(target);
        options ??= TuningOptions.Default with { Memory = TuningMemory.Process };
        var clock = Stopwatch.StartNew();
        var logger = options.Logger;
        if (options.Algorithm is null && options.Memory is { } memory && !options.Fresh && memory.Recall(spec, target, options.Objective) is { } remembered)
        {
            if (logger is not null)
            {
                TuningLog.Recalled(logger, spec.Signature, target.Name, remembered.Schedule);
            }

            return remembered with { Operator = spec, CandidatesRanked = 0, CandidatesMeasured = 0, Elapsed = clock.Elapsed, Strategy = MemoryStrategy };
        }

        var result = Search(spec, target, options, clock);
        if (options.Algorithm is null)
        {
            options.Memory?.Remember(result with { Objective = options.Objective });
        }

        return result;
    }

    /// <summary>The <see cref="TuningResult.Strategy"/> of a result recalled from a <see cref="TuningMemory"/>.</summary>
    public const string MemoryStrategy = "memory";

    private static TuningResult Search(OperatorSpec spec, ITarget target, TuningOptions options, Stopwatch clock)
    {
        var logger = options.Logger;
        var space = ScheduleSpace.For(spec, target.Limits, null, options.Algorithm);
        if (MainMemoryFootprint.OperatorErrorOf(spec, target.Limits) is { } tooLarge)
        {
            throw tooLarge;
        }

        if (options.Database is { } database && !options.Fresh && database.Lookup(spec, target) is { } record
            && (options.Algorithm is null || record.Schedule.Algorithm == options.Algorithm))
        {
            try
            {
                space.Validate(record.Schedule);
                if (logger is not null)
                {
                    TuningLog.Applied(logger, database.Path, spec.Signature, record);
                }

                return new TuningResult(spec, target, record.Schedule, record.MeasuredSeconds, null, record.ModelledSeconds, 0, 0, clock.Elapsed, "database", record);
            }
            catch (ScheduleException e)
            {
                if (logger is not null)
                {
                    TuningLog.Stale(logger, database.Path, spec.Signature, e.Message);
                }
            }
        }

        var strategy = options.Strategy ?? (target.CostModel is { } model ? new ModelGuidedSearch(model)
            : throw new InvalidOperationException($"Target '{target.Name}' has no cost model, which the default, model-guided tuning needs: set TuningOptions.Strategy to a black-box strategy (ExhaustiveSearch, RandomSearch, SimulatedAnnealing)."));
        var measurer = options.Measurer ?? new TargetMeasurer(target, options.Objective);
        if (logger is not null)
        {
            TuningLog.Searching(logger, spec.Signature, target.Name, strategy.Name, measurer.Name);
        }

        var context = new SearchContext(space, measurer, options.Trials, new Random(options.Seed), options.Progress, options.Cancellation) { TimeBudget = options.TimeBudget, Objective = options.Objective };
        var found = strategy.Search(context);
        var best = found.Best;
        var predicted = found.Predicted;
        options.Cancellation.ThrowIfCancellationRequested();
        options.Database?.Append(TuningRecord.For(spec, target, best.Schedule, best.Seconds, predicted, DateTimeOffset.UtcNow), options.Cancellation);
        if (logger is not null)
        {
            TuningLog.Tuned(logger, spec.Signature, best.Schedule, best.Seconds * 1e3, found.Ranked, found.Measured, clock.Elapsed.TotalSeconds);
        }

        return new TuningResult(spec, target, best.Schedule, best.Seconds, best.PeakPercent, predicted, found.Ranked, found.Measured, clock.Elapsed, strategy.Name, null)
        {
            KernelSeconds = best.KernelSeconds,
            Objective = options.Objective,
        };
    }
}
