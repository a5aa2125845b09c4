using System.Collections.Immutable;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Scheduling;
using Swatop.Core.Targets;
using Swatop.Core.Tuning;

namespace Swatop.Core.GraphTuning;

/// <summary>
/// The ways a graph may run one operator. Tuning for the kernel alone (through the tuning database) finds
/// the fastest kernel; beside it go the variants of that schedule whose layouts flow better between
/// layers (its operands unblocked, a plain permute that neighbours can share; a direct convolution's tensors in the
/// core groups' own memories, or in place in the shared memory, whichever the fastest kernel does not; the core groups sharing the
/// batch, so that each group keeps its images from layer to layer; both), and the fastest kernel of the
/// space constrained to keep each group's share of the batch (and, when that kernel, or the fastest kernel should it
/// keep each group's share already, merges axes to read and write the framework's layouts in place, the fastest such
/// kernel that does not; when it is of another algorithm, the fastest implicit GEMM that keeps its tensors packed). A variant the operator does not admit is
/// left out. Each candidate is measured on the target. <see cref="Reading"/> adds, on demand, the fastest
/// kernel that reads an input exactly where a producer left it, <see cref="ReadingWider"/> the chosen kernel reading an input
/// where a producer left it wider than the kernel needs, <see cref="Writing"/> a kernel that leaves its
/// output padded exactly where a consumer reads it, and <see cref="WritingAs"/> the fastest kernel that leaves its output
/// in a consumer's arrangement.
/// </summary>
public static class OperatorCandidates
{
    /// <summary>The candidates for <paramref name="spec"/> on <paramref name="target"/>, tuned with <paramref name="options"/> (its objective set to the kernel).</summary>
    public static ImmutableArray<OperatorCandidate> For(OperatorSpec spec, ITarget target, TuningOptions options)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        var tuned = spec.Tune(target, options with { Objective = TuningObjective.Kernel });
        var schedules = Variants(spec, tuned.Schedule, target.Limits).ToList();
        if (Layouts.BatchShare.Of(spec, target.Limits) is { } share)
        {
            var sharingConstraints = Layouts.PlacementConstraints.None.RequireShare(spec.Expression.Output.Tensor.Name, share);
            var sharing = tuned.Schedule;
            if (!spec.Space(target.Limits).Validate(tuned.Schedule).Placements[^1].Distribution.Equals(share))
            {
                sharing = Search(spec, target, options, sharingConstraints);
                if (sharing is not null)
                {
                    schedules.Add(sharing);
                }
            }

            // A kernel that merges axes, or of another algorithm, reads and writes the framework's layouts in place;
            // between layers that keep packed layouts the fastest packed kernel may serve better, so it is a candidate too.
            var packed = sharing switch
            {
                ImplicitGemmSchedule { MergedAxes.IsEmpty: false } => Search(spec, target, options, sharingConstraints, Unmerged),
                null or ImplicitGemmSchedule => null,
                _ => Search(spec, target, options, sharingConstraints, PackedImplicitGemm),
            };
            if (packed is not null)
            {
                schedules.Add(packed);
            }
        }

        var candidates = ImmutableArray.CreateBuilder<OperatorCandidate>();
        foreach (var schedule in schedules)
        {
            options.Cancellation.ThrowIfCancellationRequested();
            if (Measure(spec, schedule, target, options.Cancellation) is { } candidate)
            {
                candidates.Add(candidate);
            }
        }

        return candidates.ToImmutable();
    }

    /// <summary>The family of schedules that merge no axes.</summary>
    private static readonly (Func<Schedule, bool> Keeps, string Rule) Unmerged =
        (schedule => schedule is not ImplicitGemmSchedule { MergedAxes.IsEmpty: false }, "without merged axes");

    /// <summary>The family of implicit GEMM schedules that merge no axes: kernels that keep their tensors packed.</summary>
    private static readonly (Func<Schedule, bool> Keeps, string Rule) PackedImplicitGemm =
        (schedule => schedule is ImplicitGemmSchedule { MergedAxes.IsEmpty: true }, "implicit GEMM without merged axes");

    /// <summary>
    /// The candidate whose kernel reads input <paramref name="tensor"/> exactly where <paramref name="placement"/>
    /// keeps it (a producer's output, so that no step runs between them): the fastest kernel of the space so
    /// constrained, measured; null when the space holds no such schedule.
    /// </summary>
    public static OperatorCandidate? Reading(OperatorSpec spec, string tensor, Layouts.TensorPlacement placement, ITarget target, TuningOptions options)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(placement);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        var schedule = Search(spec, target, options, Layouts.PlacementConstraints.None.Require(tensor, placement));
        return schedule is null ? null : Measure(spec, schedule, target, options.Cancellation);
    }

    /// <summary>
    /// The candidate that runs <paramref name="candidate"/>'s schedule reading input <paramref name="tensor"/> where
    /// <paramref name="placement"/> keeps it, wider than the kernel reads (a producer's output, of which the kernel reads a
    /// part, so that no step trims it between them): the input's layout widened by <see cref="InputMargins"/>, measured;
    /// null when the schedule is no implicit GEMM, the placement is no widening of where the candidate reads the input on
    /// the same core groups (<see cref="InputMargins.Between"/>), or the margins do not fit the kernel.
    /// </summary>
    public static OperatorCandidate? ReadingWider(OperatorSpec spec, OperatorCandidate candidate, string tensor, Layouts.TensorPlacement placement, ITarget target, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(placement);
        ArgumentNullException.ThrowIfNull(target);
        if (candidate.Schedule is not ImplicitGemmSchedule { InputMargins: null } schedule || !candidate.Inputs.TryGetValue(tensor, out var reads) || reads is null
            || !reads.Distribution.Equals(placement.Distribution) || InputMargins.Between(tensor, reads.Layout, placement.Layout) is not { } margins)
        {
            return null;
        }

        return Measure(spec, schedule with { InputMargins = margins }, target, cancellation) is { } widened
            && widened.Inputs.TryGetValue(tensor, out var now) && placement.Matches(now) ? widened : null;
    }

    /// <summary>
    /// The candidate that runs <paramref name="candidate"/>'s schedule with its output widened by zero margins so that it
    /// lies exactly as <paramref name="placement"/> (a consumer's padded input, so that no step pads it between them):
    /// measured; null when the schedule is no implicit GEMM, the placement is no widening of the candidate's output on the
    /// same core groups (<see cref="OutputMargins.Between"/>), or the margins do not fit the kernel.
    /// </summary>
    public static OperatorCandidate? Writing(OperatorSpec spec, OperatorCandidate candidate, Layouts.TensorPlacement placement, ITarget target, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(placement);
        ArgumentNullException.ThrowIfNull(target);
        if (candidate.Schedule is not ImplicitGemmSchedule { OutputMargins: null } schedule || candidate.Output is not { } output
            || !output.Distribution.Equals(placement.Distribution) || OutputMargins.Between(output.Layout, placement.Layout) is not { } margins)
        {
            return null;
        }

        return Measure(spec, schedule with { OutputMargins = margins }, target, cancellation) is { } widened && placement.Matches(widened.Output) ? widened : null;
    }

    /// <summary>
    /// The candidate whose kernel leaves its output exactly where <paramref name="placement"/> keeps it (a consumer's
    /// input, whose channel blocks, batch blocking or order differ from where the producer's chosen kernel leaves it, so
    /// that no step runs between them): the fastest kernel of the space constrained to write that arrangement without its
    /// zero margins (<see cref="Unpadded"/>), measured, then given the margins (<see cref="Writing"/>) when the placement has
    /// some; null when the space holds no such schedule or the margins do not fit it.
    /// </summary>
    public static OperatorCandidate? WritingAs(OperatorSpec spec, Layouts.TensorPlacement placement, ITarget target, TuningOptions options)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(placement);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        var output = spec.Expression.Output.Tensor;
        var unpadded = Unpadded(placement);
        if (unpadded.Layout.Window is not null || !unpadded.Tensor.Shape.SequenceEqual(output.Shape)
            || Search(spec, target, options, Layouts.PlacementConstraints.None.Require(output.Name, unpadded)) is not { } schedule
            || Measure(spec, schedule, target, options.Cancellation) is not { } written)
        {
            return null;
        }

        return placement.Matches(written.Output) ? written : Writing(spec, written, placement, target, options.Cancellation);
    }

    /// <summary>
    /// The candidate of the fastest kernel of <paramref name="spec"/>'s space that writes the framework's layout in place
    /// and can be given output margins (an implicit GEMM, or an explicit im2col's GEMM, that merges the output's axes):
    /// what a concatenation's part needs to be written into its slice of the joined tensor; measured; null when the space
    /// holds no such schedule or its kernel does not leave the framework's layout.
    /// </summary>
    internal static OperatorCandidate? WritingFramework(OperatorSpec spec, ITarget target, TuningOptions options)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        return Search(spec, target, options, Layouts.PlacementConstraints.None, MergedWriter) is { } schedule
            && Measure(spec, schedule, target, options.Cancellation) is { Output: null } written ? written : null;
    }

    /// <summary>
    /// The family of schedules whose GEMM merges two axes (to write the framework's layout in place) and has no output
    /// margins; image rows (the batch merged too) are left out, since they take no margins.
    /// </summary>
    private static readonly (Func<Schedule, bool> Keeps, string Rule) MergedWriter =
        (schedule => schedule is ImplicitGemmSchedule { MergedAxes.Length: 2, OutputMargins: null }
            or Algorithms.Im2col.Im2colSchedule { Gemm.MergedAxes.Length: 2, Gemm.OutputMargins: null }, "merged, writing the framework's layout");

    /// <summary><paramref name="placement"/> without zero margins: each dimension that is not cut in blocks starts at 0 and is as long as the tensor's.</summary>
    internal static Layouts.TensorPlacement Unpadded(Layouts.TensorPlacement placement)
    {
        var layout = placement.Layout;
        var shape = layout.Tensor.Shape;
        return placement with
        {
            Layout = layout with
            {
                Origins = [.. layout.Origins.Select((origin, d) => layout.IsBlocked(d) ? origin : 0)],
                Lengths = [.. layout.Lengths.Select((length, d) => layout.IsBlocked(d) ? length : shape[d])],
            },
        };
    }

    /// <summary>
    /// The fastest kernel of <paramref name="spec"/>'s space under <paramref name="constraints"/>, by the
    /// options' strategy, among the schedules of <paramref name="family"/> when one is given; null when the space
    /// holds no schedule that keeps them. With a database, the
    /// winner is recorded under the operator's signature and the constraints
    /// (<see cref="ConstrainedSignature"/>), apart from the operator's unconstrained record, and looked up
    /// there first unless the options say fresh.
    /// </summary>
    private static Schedule? Search(
        OperatorSpec spec, ITarget target, TuningOptions options, Layouts.PlacementConstraints constraints, (Func<Schedule, bool> Keeps, string Rule)? family = null)
    {
        IScheduleSpace space = ScheduleSpace.For(spec, target.Limits, constraints);
        var signature = ConstrainedSignature(spec, constraints);
        if (family is var (keeps, rule))
        {
            space = new FilteredScheduleSpace(space, keeps, rule);
            signature += " " + rule;
        }

        if (options.Database is { } database && !options.Fresh && database.Lookup(signature, target.Signature) is { } record)
        {
            try
            {
                space.Validate(record.Schedule);
                return record.Schedule;
            }
            catch (ScheduleException)
            {
                // A stale record (the space has changed since): search again.
            }
        }

        if (!space.EnumeratePlans().Any())
        {
            return null;
        }

        var strategy = options.Strategy ?? (target.CostModel is { } model ? new ModelGuidedSearch(model) : new RandomSearch());
        var context = new SearchContext(space, new TargetMeasurer(target, TuningObjective.Kernel), options.Trials, new Random(options.Seed), null, options.Cancellation)
        {
            Objective = TuningObjective.Kernel,
        };
        var found = strategy.Search(context);
        options.Database?.Append(new TuningRecord(signature, target.Signature, found.Best.Schedule, found.Best.Seconds, found.Predicted, DateTimeOffset.UtcNow), options.Cancellation);
        return found.Best.Schedule;
    }

    /// <summary>The tuning database's key for <paramref name="spec"/> searched under <paramref name="constraints"/>: its signature, then <c>where</c> and the constraints.</summary>
    public static string ConstrainedSignature(OperatorSpec spec, Layouts.PlacementConstraints constraints)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(constraints);
        return $"{spec.Signature} where {constraints}";
    }

    /// <summary>The candidate of <paramref name="schedule"/>, measured; null when the target refuses it (a variant whose LDM plan does not fit).</summary>
    private static OperatorCandidate? Measure(OperatorSpec spec, Schedule schedule, ITarget target, CancellationToken cancellation) =>
        TryMeasure(spec, schedule, target, cancellation, out _);

    /// <summary>The candidate of <paramref name="schedule"/>, measured; null when the target refuses it, with the refusal's message in <paramref name="refusal"/>.</summary>
    internal static OperatorCandidate? TryMeasure(OperatorSpec spec, Schedule schedule, ITarget target, CancellationToken cancellation, out string? refusal)
    {
        ICompiledKernel kernel;
        refusal = null;
        try
        {
            kernel = spec.WithSchedule(schedule).Emit(target);
        }
        catch (Exception e) when (e is ScheduleException or InvalidOperationException)
        {
            refusal = e.Message;
            return null;
        }

        var placements = kernel.Lowered.Placements;
        var inputs = kernel.Lowered.Inputs.ToImmutableDictionary(t => t.Name, t => LayoutConversion.Holding(placements[t.Name]), StringComparer.Ordinal);
        return new OperatorCandidate(schedule, kernel.Measure(cancellation), inputs, LayoutConversion.Holding(kernel.Lowered.OutputPlacement));
    }

    /// <summary>The schedule and its flow variants, each once.</summary>
    internal static IEnumerable<Schedule> Variants(OperatorSpec spec, Schedule schedule, TargetLimits limits)
    {
        var variants = new List<Schedule> { schedule };
        if (schedule is ImplicitGemmSchedule { BlockedLayouts: true } blocked)
        {
            variants.Add(blocked with { BlockedLayouts = false });
        }

        // A direct convolution's tensors in the groups' own memories or in place: whichever its neighbours keep.
        if (schedule is Algorithms.Direct.DirectSchedule direct)
        {
            variants.Add(direct with { GroupMemory = !direct.GroupMemory });
        }

        if (Layouts.BatchShare.Axis(spec) is { } batch && limits.CoreGroups > 1 && (schedule.CoreGroups != limits.CoreGroups || schedule.SplitAxis != batch))
        {
            variants.AddRange([.. variants.Select(v => v with { CoreGroups = limits.CoreGroups, SplitAxis = batch })]);
        }

        return variants.Distinct();
    }
}
