using System.Collections.Immutable;
using System.Numerics.Tensors;
using Swatop.Core;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Graphs;
using Swatop.Core.GraphTuning;
using Swatop.Core.Layouts;
using Swatop.Core.LayoutSteps;
using Swatop.Core.Scheduling;
using Swatop.Hardware.Sw26010.Emit.Verification;
using Swatop.Hardware.Sw26010.Graphs;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;
using Swatop.Tests.Emit;
using Swatop.Tests.Scheduling;

namespace Swatop.Tests.GraphTuning;

/// <summary>
/// A kernel that reads an input laid out wider than the range it reads (<see cref="ImplicitGemmSchedule.InputMargins"/>),
/// the extra positions ignored: a stride-2 1 x 1 convolution over 6 rows reads rows 0 to 4, so it can read its input where
/// a producer left all 6. Its layout widens by the margins and nothing else changes, the kernel computes what the reference
/// does (on the emulator and through the shim), margins that do not fit are refused by name, the graph tuner's reader
/// (<see cref="OperatorCandidates.ReadingWider"/>) offers it, and the joint choice then runs no step that trims the value
/// while the graph still computes the layer-by-layer reference.
/// </summary>
public sealed class WiderInputTests
{
    private static readonly Sw26010Target Target = Sw26010Target.Default;

    /// <summary>The last row and column of 6 that a stride of 2 does not read.</summary>
    private static readonly InputMargins LastRowAndColumn = new("input", [0, 0, 0, 0], [0, 0, 1, 1]);

    /// <summary>x (128 images) -> a 1 x 1 convolution to 16 channels -> a stride-2 1 x 1 convolution to 32 channels (a downsample).</summary>
    private static OperatorGraph Graph()
    {
        var g = new GraphBuilder("trimmed-pair", ElementType.Float64);
        var reduce = g.Conv2d("reduce", g.Input("x", 128, 16, 6, 6), outChannels: 16, kernel: 1);
        return g.Output(g.Conv2d("down", reduce, outChannels: 32, kernel: 1, stride: 2)).Build();
    }

    private static OperatorSpec Spec(OperatorGraph graph, string name) => ((OperatorNode)graph.Node(name)).Spec;

    /// <summary>M over the output channels, N over the images, unblocked, the core groups sharing the images: the channels innermost in every activation.</summary>
    private static ImplicitGemmSchedule Shared(OperatorSpec spec) => (ImplicitGemmSchedule)spec.Space(Target.Limits).Validate(new ImplicitGemmSchedule
    {
        Mapping = new GemmMapping("co", "n", "ci"),
        TileM = 128, TileN = 32, TileK = 16,
        IndexOrder = ["oh", "ow", "co", "n"],
        ReductionOrder = ["ci", "kh", "kw"],
        CoreGroups = 4, SplitAxis = "n",
    }).Schedule;

    /// <summary>The candidate of <paramref name="schedule"/>, measured, as the graph tuner makes it.</summary>
    private static OperatorCandidate Candidate(OperatorSpec spec, Schedule schedule)
    {
        var kernel = spec.WithSchedule(schedule).Emit(Target);
        var placements = kernel.Lowered.Placements;
        return new OperatorCandidate(schedule, kernel.Measure(),
            kernel.Lowered.Inputs.ToImmutableDictionary(t => t.Name, t => LayoutConversion.Holding(placements[t.Name]), StringComparer.Ordinal),
            LayoutConversion.Holding(kernel.Lowered.OutputPlacement));
    }

    [Test]
    public void Input_margins_widen_the_input_layout_to_the_whole_tensor_and_leave_every_other_placement_as_it_was()
    {
        var spec = Spec(Graph(), "down");
        var plain = LoopPlan.Create(spec, Shared(spec), Target.Limits);
        var wider = LoopPlan.Create(spec, Shared(spec) with { InputMargins = LastRowAndColumn }, Target.Limits);
        var input = plain.Placements.Select((p, i) => (p, i)).First(x => x.p.Tensor.Name == "input").i;

        Assert.That(plain.Placements[input].Layout.Lengths[2..], Is.EqualTo(new long[] { 5, 5 }), "a stride of 2 reads 5 rows of 6");
        Assert.That(wider.Placements[input].Layout.Lengths[2..], Is.EqualTo(new long[] { 6, 6 }), "the margins give back the rows it does not read");
        Assert.That(wider.Placements[input].Layout.Origins, Is.EqualTo(plain.Placements[input].Layout.Origins));
        Assert.That(wider.Placements[input].Distribution, Is.EqualTo(plain.Placements[input].Distribution));
        Assert.That(wider.Placements.RemoveAt(input), Is.EqualTo(plain.Placements.RemoveAt(input)), "the weights and the output lie as before");
        Assert.That(InputMargins.Between("input", plain.Placements[input].Layout, wider.Placements[input].Layout), Is.EqualTo(LastRowAndColumn));
        Assert.That(InputMargins.Between("input", wider.Placements[input].Layout, plain.Placements[input].Layout), Is.Null, "a narrower layout is no widening");
    }

    [Test]
    public void A_kernel_reading_a_wider_input_computes_what_the_reference_does()
    {
        var spec = Spec(Graph(), "down");
        var kernel = spec.WithSchedule(Shared(spec) with { InputMargins = new("input", [0, 0, 1, 0], [0, 0, 1, 2]) }).Emit(Target);
        var input = Tensor.Create(Enumerable.Range(0, 128 * 16 * 36).Select(i => (double)(i % 7) - 3).ToArray(), [128, 16, 6, 6]);
        var weights = Tensor.Create(Enumerable.Range(0, 32 * 16).Select(i => (double)(i % 5) - 2).ToArray(), [32, 16, 1, 1]);

        var run = kernel.Run(input, weights);

        var actual = new double[spec.Expression.Output.Tensor.ElementLength];
        run.Output.FlattenTo(actual);
        Assert.That(actual, Is.EqualTo(ReferenceEvaluator.Evaluate(spec.Expression, input.ToArray(), weights.ToArray())), "small integers: exact");
    }

    [Test]
    public void A_kernel_reading_a_wider_input_emits_C_that_matches_the_emulator_on_the_shim()
    {
        var spec = Spec(Graph(), "down");
        EmittedC.CheckAgainstEmulator(spec, Shared(spec) with { InputMargins = new("input", [0, 0, 2, 1], [0, 0, 1, 3]) }, seed: 4, GccShimOptions.Default);
    }

    [Test]
    public void A_schedule_reading_a_wider_input_reads_back_from_its_json_and_one_without_writes_none()
    {
        var spec = Spec(Graph(), "down");
        var wider = Shared(spec) with { InputMargins = LastRowAndColumn };
        Assert.That(Schedule.FromJson(wider.ToJson()), Is.EqualTo(wider));
        Assert.That(wider, Is.Not.EqualTo(Shared(spec)));
        Assert.That(wider.ToJson(), Does.Contain("\"inputMargins\":{\"tensor\":\"input\",\"before\":[0,0,0,0],\"after\":[0,0,1,1]}"));
        Assert.That(Shared(spec).ToJson(), Does.Not.Contain("inputMargins"));
        Assert.That(wider.ToString(), Does.EndWith("reads input before [0 0 0 0] after [0 0 1 1]"));
    }

    [Test]
    public void Input_margins_that_do_not_fit_are_refused_by_name()
    {
        var spec = Spec(Graph(), "down");
        var schedule = Shared(spec);
        void Refused(InputMargins margins, params string[] words) =>
            ScheduleMust.Fail(() => LoopPlan.Create(spec, schedule with { InputMargins = margins }, Target.Limits),
                ScheduleDiagnostics.IllegalMargins, nameof(ImplicitGemmSchedule.InputMargins), words);

        Refused(new("output", [0, 0, 0, 0], [0, 0, 1, 1]), "one of the operator's inputs", "input, weights");
        Refused(new("input", [0, 0], [1, 1]), "4 dimensions");
        Refused(new("input", [0, 0, 0, 0], [0, 0, -1, 0]), "at least 0");
        Refused(new("input", [1, 0, 0, 0], [0, 0, 0, 0]), "dimension 0", "split over the core groups");
        ScheduleMust.Fail(() => LoopPlan.Create(spec, schedule with { BlockedLayouts = true, InputMargins = new("input", [0, 1, 0, 0], [0, 0, 0, 0]) }, Target.Limits),
            ScheduleDiagnostics.IllegalMargins, nameof(ImplicitGemmSchedule.InputMargins), "dimension 1", "blocks");
        var pointwise = Spec(Graph(), "reduce");
        var merged = new ImplicitGemmSchedule
        {
            Mapping = new GemmMapping("oh_ow", "co", "ci"),
            TileM = 128, TileN = 32, TileK = 16,
            IndexOrder = ["n", "co", "oh_ow"],
            ReductionOrder = ["ci"],
            MergedAxes = ["oh", "ow"],
        };
        ScheduleMust.Fail(() => LoopPlan.Create(pointwise, merged with { InputMargins = LastRowAndColumn }, Target.Limits),
            ScheduleDiagnostics.IllegalMargins, nameof(ImplicitGemmSchedule.InputMargins), "merges");
    }

    [Test]
    public void A_graph_whose_downsample_reads_its_input_wider_runs_no_trim_step_and_computes_the_reference()
    {
        var graph = Graph();
        var (reduce, down) = (Spec(graph, "reduce"), Spec(graph, "down"));
        var producer = Candidate(reduce, Shared(reduce));
        var trimming = Candidate(down, Shared(down));
        var without = new LayoutPlanner(graph, node => node.Name == "reduce" ? [producer] : [trimming], Target.CostModel!.EstimateStep).Plan();
        Assert.That(without.Conversions.Where(c => c.Value == "reduce").SelectMany(c => c.Steps).Select(s => s.Kind), Is.EqualTo(new[] { LayoutStepKind.Reorder }),
            "without margins, one reorder trims the value");
        var lies = producer.Output!;

        var reader = OperatorCandidates.ReadingWider(down, trimming, "input", lies with { Layout = lies.Layout with { Tensor = down.Expression.Left.Tensor } }, Target);

        Assert.That(reader, Is.Not.Null);
        Assert.That(reader!.Schedule, Is.EqualTo(Shared(down) with { InputMargins = LastRowAndColumn }));
        Assert.That(OperatorCandidates.ReadingWider(down, trimming, "input", trimming.Inputs["input"]!, Target), Is.Null, "the same placement needs no margins");
        var plan = new LayoutPlanner(graph, node => node.Name == "reduce" ? [producer] : [trimming, reader], Target.CostModel!.EstimateStep).Plan();
        Assert.That(plan.Choices["down"], Is.EqualTo(1), "the wider reader saves the trim");
        Assert.That(plan.Conversions.Where(c => c.Value == "reduce"), Is.Empty, "nothing runs between the two kernels");
        var layers = graph.OperatorNodes.Select(node => new GraphLayer(node.Name, node.Operation, node.Spec, node.Name == "reduce" ? producer : reader, []));
        var tuned = new GraphTuningResult(graph, Target, [.. layers], plan, plan.EstimatedSeconds, TimeSpan.Zero);
        var tensors = GraphReferenceOperands.Draw<double>(graph, seed: 3);
        var actual = Sw26010GraphRun.Run(tuned, tensors)["down"].ToArray();
        var expected = GraphReference.EvaluateOutputs(graph, tensors)["down"].ToArray();
        Assert.That(actual.Zip(expected).Max(p => Math.Abs(p.First - p.Second)), Is.LessThanOrEqualTo(1e-9 * Math.Max(1, expected.Max(Math.Abs))));
    }
}
