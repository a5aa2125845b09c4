using System.Collections.Immutable;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Scheduling;
using Swatop.Core.Targets;
using Swatop.Core.Tuning;

namespace Swatop.Core.GraphTuning;

/// <summary>
/// The ways a graph may run one operator. Tuning for the kernel alone (through the tuning database) finds
/// the fastest kernel; beside it go the variants of that schedule whose layouts flow better between
/// layers: its operands unblocked (a plain permute that neighbours can share), the core groups sharing the
/// batch (each group keeps its images from layer to layer), and both. A variant the operator does not admit
/// is left out. Each candidate is measured on the target.
/// </summary>
public static class OperatorCandidates
{
    /// <summary>The candidates for <paramref name="spec"/> on <paramref name="target"/>, tuned with <paramref name="options"/> (its objective set to the kernel).</summary>
    /// <returns>The candidates, the tuning result they come from, and the time spent.</returns>
    public static (ImmutableArray<OperatorCandidate> Candidates, TuningResult Tuned) For(OperatorSpec spec, ITarget target, TuningOptions options)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        var tuned = spec.Tune(target, options with { Objective = TuningObjective.Kernel });
        var schedules = Variants(spec, tuned.Schedule, target.Limits).ToList();
        if (BatchShare(spec, target.Limits) is { } share && SearchSharing(spec, target, options, share) is { } sharing && !schedules.Contains(sharing))
        {
            schedules.Add(sharing);
        }

        var candidates = ImmutableArray.CreateBuilder<OperatorCandidate>();
        foreach (var schedule in schedules)
        {
            options.Cancellation.ThrowIfCancellationRequested();
            ICompiledKernel kernel;
            try
            {
                kernel = spec.WithSchedule(schedule).Emit(target);
            }
            catch (ScheduleException)
            {
                continue;
            }
            catch (InvalidOperationException)
            {
                // The target's passes refuse the variant (its LDM plan does not fit).
                continue;
            }

            var placements = kernel.Lowered.Placements;
            var inputs = kernel.Lowered.Inputs.ToImmutableDictionary(t => t.Name, t => LayoutConversion.Holding(placements[t.Name]), StringComparer.Ordinal);
            candidates.Add(new OperatorCandidate(schedule, kernel.Measure(options.Cancellation), inputs, LayoutConversion.Holding(kernel.Lowered.OutputPlacement)));
        }

        return (candidates.ToImmutable(), tuned);
    }

    /// <summary>
    /// The fastest kernel among the schedules whose core groups each keep their share of the batch: a search
    /// of the space constrained to that output share (not recorded in the database, whose record for the
    /// operator is its unconstrained winner); null when the space holds no such schedule.
    /// </summary>
    private static Schedule? SearchSharing(OperatorSpec spec, ITarget target, TuningOptions options, Layouts.Distribution share)
    {
        var space = ScheduleSpace.For(spec, target.Limits, Layouts.PlacementConstraints.None.RequireShare(spec.Expression.Output.Tensor.Name, share));
        if (!space.EnumeratePlans().Any())
        {
            return null;
        }

        var strategy = options.Strategy ?? (target.CostModel is { } model ? new ModelGuidedSearch(model) : new RandomSearch());
        var context = new SearchContext(space, new TargetMeasurer(target, TuningObjective.Kernel), options.Trials, new Random(options.Seed), null, options.Cancellation)
        {
            Objective = TuningObjective.Kernel,
        };
        return strategy.Search(context).Best.Schedule;
    }

    /// <summary>Each core group holding a contiguous chunk of the batch (the output's first dimension), or null when the operator has no batch axis or too few images.</summary>
    internal static Layouts.SplitDistribution? BatchShare(OperatorSpec spec, TargetLimits limits)
    {
        var batch = spec.Expression.Output.Tensor.Shape[0];
        var groups = limits.CoreGroups;
        return BatchAxis(spec) is null || groups < 2 || batch < groups ? null
            : new Layouts.SplitDistribution(groups, 0, 1, batch, 1, (batch + groups - 1) / groups);
    }

    /// <summary>The schedule and its flow variants, each once.</summary>
    internal static IEnumerable<Schedule> Variants(OperatorSpec spec, Schedule schedule, TargetLimits limits)
    {
        var variants = new List<Schedule> { schedule };
        if (schedule is ImplicitGemmSchedule { BlockedLayouts: true } blocked)
        {
            variants.Add(blocked with { BlockedLayouts = false });
        }

        if (BatchAxis(spec) is { } batch && limits.CoreGroups > 1 && (schedule.CoreGroups != limits.CoreGroups || schedule.SplitAxis != batch))
        {
            variants.AddRange([.. variants.Select(v => v with { CoreGroups = limits.CoreGroups, SplitAxis = batch })]);
        }

        return variants.Distinct();
    }

    /// <summary>The axis of the output's first dimension when it indexes that dimension alone: the batch a network's layers pass on.</summary>
    internal static string? BatchAxis(OperatorSpec spec)
    {
        var first = spec.Expression.Output.Indices[0];
        return first.Terms.Length == 1 && first.Constant == 0 && first.Terms[0].Coefficient == 1 ? first.Terms[0].Axis.Name : null;
    }
}
