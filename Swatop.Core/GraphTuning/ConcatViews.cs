using System.Collections.Immutable;
using Swatop.Core.Algorithms.Im2col;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Graphs;
using Swatop.Core.LayoutSteps;
using Swatop.Core.Scheduling;
using Swatop.Core.Targets;

namespace Swatop.Core.GraphTuning;

/// <summary>
/// The pass that turns a planned concatenation into a view (<see cref="ConcatView"/>) where it can: every part is computed
/// by an operator node that the concatenation alone reads, whose kernel is an implicit GEMM (or an explicit im2col, whose
/// GEMM writes the output, or the column block in LDM, whose puts do) that reads its inputs where the plan has them and can
/// write the framework's layout; each such
/// producer is given the same schedule with output margins
/// along the joined axis (<see cref="OutputMargins"/>: its offset before, the other parts' extent after), so that it writes
/// its part straight into the joined buffer, and the concatenation runs nothing. The producers' new kernels are measured on
/// the target, and the view is taken only when they take less time than the plan's producers, the steps that brought the
/// parts to the concatenation and the concatenation's own measured copy. Otherwise the concatenation stays the copy it
/// was planned as, and a <see cref="ConcatViewRefusal"/> says why (the first part that cannot be written in place, or the
/// price). A part that cannot be written in place makes the whole concatenation a copy: no part is copied alone.
/// </summary>
internal static class ConcatViews
{
    /// <summary>What the pass did: the plan with the producers' new choices (and no steps into a view), the views and the refusals.</summary>
    internal sealed record Outcome(LayoutPlan Plan, ImmutableArray<ConcatView> Views, ImmutableArray<ConcatViewRefusal> Refusals);

    /// <summary>
    /// The concatenations of <paramref name="graph"/> that <paramref name="plan"/> can run as views, made views; the producers'
    /// new candidates are added to <paramref name="candidates"/>.
    /// </summary>
    /// <param name="graph">The graph.</param>
    /// <param name="plan">The plan.</param>
    /// <param name="candidates">Every operator's candidates; the plan's choices index them.</param>
    /// <param name="nodeTimes">The measured times of the nodes that are not operators as the plan runs them.</param>
    /// <param name="measure">The measured time of a layout step.</param>
    /// <param name="target">The target that measures the producers' new kernels.</param>
    /// <param name="cancellation">Cancels the measurements.</param>
    public static Outcome Apply(
        OperatorGraph graph, LayoutPlan plan, Dictionary<OperatorSpec, ImmutableArray<OperatorCandidate>> candidates, ImmutableArray<StepTime> nodeTimes,
        Func<LayoutStep, double> measure, ITarget target, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(measure);
        ArgumentNullException.ThrowIfNull(target);
        var views = ImmutableArray.CreateBuilder<ConcatView>();
        var refusals = ImmutableArray.CreateBuilder<ConcatViewRefusal>();
        foreach (var concat in graph.Nodes.OfType<ConcatNode>())
        {
            cancellation.ThrowIfCancellationRequested();
            var writers = Writers(graph, plan, candidates, concat, target, cancellation, out var refusal);
            if (refusal is not null)
            {
                refusals.Add(refusal);
                continue;
            }

            // Each part is read by the concatenation alone: every step of it leads there (an unpack at once from its producer too).
            var steps = plan.Conversions.Where(c => concat.Parts.Any(p => p.Name == c.Value)).ToList();
            var copy = writers.Sum(w => candidates[w.Producer.Spec][plan.Choices[w.Producer.Name]].KernelSeconds)
                + steps.SelectMany(c => c.Running).Sum(measure)
                + nodeTimes.Where(t => t.Name == concat.Name).Sum(t => t.Seconds);
            var view = writers.Sum(w => w.Writer.KernelSeconds);
            if (view >= copy)
            {
                refusals.Add(new ConcatViewRefusal(concat.Name, null, GraphDiagnostics.ConcatViewSlower, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"its producers writing their slices take {view * 1e3:F3} ms, measured, no less than the {copy * 1e3:F3} ms of writing their own outputs, the steps to the concatenation and the copy")));
                continue;
            }

            var choices = plan.Choices;
            foreach (var (producer, writer, _) in writers)
            {
                var list = candidates[producer.Spec];
                var index = list.IndexOf(writer);
                if (index < 0)
                {
                    candidates[producer.Spec] = list = list.Add(writer);
                    index = list.Length - 1;
                }

                choices = choices.SetItem(producer.Name, index);
            }

            plan = plan with
            {
                Choices = choices,
                Conversions = [.. plan.Conversions.Except(steps)],
                EstimatedSeconds = plan.EstimatedSeconds - copy + view,
            };
            views.Add(new ConcatView(concat.Name, concat.Axis, [.. concat.Parts.Select(p => p.Name)], [.. writers.Select(w => w.Offset)]));
        }

        return new Outcome(plan, views.ToImmutable(), refusals.ToImmutable());
    }

    /// <summary>
    /// For the planning that prices concatenations as views: per producer node of a part of a concatenation that may be a
    /// view (every part computed by an operator node that only the concatenation reads, each part once), the candidates of
    /// its operator that write the framework's layout and take output margins (searched with
    /// <see cref="OperatorCandidates.WritingFramework"/> when it has none, and added to <paramref name="candidates"/>); and
    /// those concatenations. A concatenation with a producer that has no such candidate is left out.
    /// </summary>
    public static (Dictionary<string, ImmutableArray<OperatorCandidate>> Producers, HashSet<string> Concats) FrameworkWriters(
        OperatorGraph graph, Dictionary<OperatorSpec, ImmutableArray<OperatorCandidate>> candidates, ITarget target, Tuning.TuningOptions options)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        var producers = new Dictionary<string, ImmutableArray<OperatorCandidate>>(StringComparer.Ordinal);
        var concats = new HashSet<string>(StringComparer.Ordinal);
        foreach (var concat in graph.Nodes.OfType<ConcatNode>())
        {
            var found = new Dictionary<string, ImmutableArray<OperatorCandidate>>(StringComparer.Ordinal);
            foreach (var part in concat.Parts)
            {
                if (part.Kind != GraphValueKind.Computed || graph.IsOutput(part) || graph.ConsumersOf(part).Length != 1
                    || concat.Parts.Count(p => p.Name == part.Name) != 1 || graph.ProducerOf(part) is not OperatorNode producer)
                {
                    found.Clear();
                    break;
                }

                ImmutableArray<OperatorCandidate> writers = [.. candidates[producer.Spec].Where(c => c.Output is null && WritesSlices(c.Schedule))];
                if (writers.IsEmpty && OperatorCandidates.WritingFramework(producer.Spec, target, options) is { } searched && WritesSlices(searched.Schedule))
                {
                    candidates[producer.Spec] = candidates[producer.Spec].Contains(searched) ? candidates[producer.Spec] : candidates[producer.Spec].Add(searched);
                    writers = [searched];
                }

                if (writers.IsEmpty)
                {
                    found.Clear();
                    break;
                }

                found[producer.Name] = writers;
            }

            if (found.Count == concat.Parts.Length)
            {
                concats.Add(concat.Name);
                foreach (var (name, writers) in found)
                {
                    producers[name] = writers;
                }
            }
        }

        return (producers, concats);
    }

    /// <summary>
    /// Per part of <paramref name="concat"/>: its producer and the candidate that writes it into its slice of the joined
    /// value, measured; empty with <paramref name="refusal"/> set at the first part that cannot be written so.
    /// </summary>
    private static List<(OperatorNode Producer, OperatorCandidate Writer, int Offset)> Writers(
        OperatorGraph graph, LayoutPlan plan, Dictionary<OperatorSpec, ImmutableArray<OperatorCandidate>> candidates, ConcatNode concat,
        ITarget target, CancellationToken cancellation, out ConcatViewRefusal? refusal)
    {
        var writers = new List<(OperatorNode, OperatorCandidate, int)>();
        var joined = concat.Output.Shape;
        var offset = 0;
        foreach (var part in concat.Parts)
        {
            var start = offset;
            offset += part.Shape[concat.Axis];
            ConcatViewRefusal Refuse(string id, string message)
            {
                writers.Clear();
                return new ConcatViewRefusal(concat.Name, part.Name, id, $"part '{part.Name}' {message}");
            }

            if (part.Kind != GraphValueKind.Computed)
            {
                refusal = Refuse(GraphDiagnostics.ConcatPartNotComputed, $"is a graph {(part.IsConstant ? "constant" : "input")}, which no kernel writes into the joined tensor: the concatenation copies it");
                return writers;
            }

            var others = graph.ConsumersOf(part).Where(n => n.Name != concat.Name).Select(n => $"'{n.Name}'").ToList();
            if (others.Count > 0 || graph.IsOutput(part) || concat.Parts.Count(p => p.Name == part.Name) > 1)
            {
                var who = others.Count > 0 ? $"is read by {string.Join(", ", others)} too, in a layout of its own"
                    : graph.IsOutput(part) ? "is a graph output, which the caller reads on its own"
                    : "is joined more than once";
                refusal = Refuse(GraphDiagnostics.ConcatPartShared, $"{who}: it cannot be a view of the joined tensor alone");
                return writers;
            }

            if (graph.ProducerOf(part) is not OperatorNode producer)
            {
                var node = graph.ProducerOf(part)!;
                refusal = Refuse(GraphDiagnostics.ConcatPartNotOperator, $"is computed by '{node.Name}' ({node.Operation}), a node that is not an operator and writes no slice of a larger tensor");
                return writers;
            }

            var chosen = candidates[producer.Spec][plan.Choices[producer.Name]];
            if (Sliced(chosen.Schedule, null) is null)
            {
                refusal = Refuse(GraphDiagnostics.ConcatPartAlgorithm,
                    $"is computed by '{producer.Name}' with a {chosen.Schedule.Algorithm} kernel, which writes no slice of a larger tensor (only the {ImplicitGemmSchedule.AlgorithmName} kernel does, the {Im2colSchedule.AlgorithmName} one through its GEMM, and the {Im2colLdmSchedule.Discriminator} one through its puts)");
                return writers;
            }

            // The producer's inputs must stay where the plan brings them; among its candidates that read them so, the fastest
            // implicit GEMM that writes the framework's layout (the chosen one when it does).
            var framework = candidates[producer.Spec]
                .Where(c => WritesSlices(c.Schedule) && c.Output is null && SameInputs(c, chosen))
                .OrderBy(c => c.KernelSeconds)
                .FirstOrDefault();
            if (framework is null)
            {
                refusal = Refuse(GraphDiagnostics.ConcatPartPlaced,
                    $"is left by '{producer.Name}' in a kernel's placement ({chosen.Output}), and none of its candidates that reads its inputs where the plan has them writes the framework's layout with room for margins");
                return writers;
            }

            var rank = joined.Length;
            var margins = new OutputMargins(
                [.. Enumerable.Range(0, rank).Select(d => d == concat.Axis ? start : 0)],
                [.. Enumerable.Range(0, rank).Select(d => d == concat.Axis ? joined[d] - start - part.Shape[d] : 0)]);
            var schedule = Sliced(framework.Schedule, margins)!;
            cancellation.ThrowIfCancellationRequested();
            if (OperatorCandidates.TryMeasure(producer.Spec, schedule, target, cancellation, out var why) is not { } writer)
            {
                refusal = Refuse(GraphDiagnostics.ConcatPartMargins, $"cannot be written by '{producer.Name}' into its slice at {start} of axis {concat.Axis}: {why}");
                return writers;
            }

            if (!SameInputs(writer, chosen))
            {
                refusal = Refuse(GraphDiagnostics.ConcatPartMargins, $"cannot be written by '{producer.Name}' into its slice at {start} of axis {concat.Axis}: the kernel would then read its inputs elsewhere than the plan has them");
                return writers;
            }

            writers.Add((producer, writer, start));
        }

        refusal = null;
        return writers;
    }

    /// <summary>
    /// <paramref name="schedule"/> writing its output between <paramref name="margins"/> (unchanged when null): an implicit
    /// GEMM's own output margins, an explicit im2col's GEMM's, the column block in LDM's puts'; null for a schedule that has
    /// margins already or is of another algorithm, which writes no slice.
    /// </summary>
    private static Schedule? Sliced(Schedule schedule, OutputMargins? margins) => schedule switch
    {
        ImplicitGemmSchedule { OutputMargins: null } gemm => gemm with { OutputMargins = margins },
        Im2colSchedule { Gemm.OutputMargins: null } im2col => im2col with { Gemm = im2col.Gemm with { OutputMargins = margins } },
        Im2colLdmSchedule { OutputMargins: null } columnBlock => columnBlock with { OutputMargins = margins },
        _ => null,
    };

    /// <summary>
    /// Whether <paramref name="schedule"/> can write its output into a slice of a larger tensor: <see cref="Sliced"/> applies
    /// and its GEMM does not run image rows (the batch merged with the positions), which take no margins.
    /// </summary>
    private static bool WritesSlices(Schedule schedule) =>
        Sliced(schedule, null) is not null
        && schedule is not (ImplicitGemmSchedule { MergedAxes.Length: > 2 } or Im2colSchedule { Gemm.MergedAxes.Length: > 2 });

    /// <summary>Whether <paramref name="a"/> and <paramref name="b"/> read every input in the same arrangement on the same core groups.</summary>
    private static bool SameInputs(OperatorCandidate a, OperatorCandidate b) =>
        a.Inputs.Count == b.Inputs.Count
        && a.Inputs.All(pair => b.Inputs.TryGetValue(pair.Key, out var other) && LayoutConversion.KeyOf(pair.Value) == LayoutConversion.KeyOf(other));
}
