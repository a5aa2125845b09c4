using System.Collections.Immutable;
using Swatop.Core;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Graphs;
using Swatop.Core.GraphTuning;
using Swatop.Core.Layouts;
using Swatop.Core.Scheduling;
using Swatop.Hardware.Sw26010.Graphs;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Tests.GraphTuning;

/// <summary>
/// A producer that writes its output padded, exactly where the 3 x 3 convolution after it reads its input: the graph
/// tuner's candidate for it (<see cref="OperatorCandidates.Writing"/>) leaves the output there, the joint choice then
/// runs no step between the two, and the graph run on the emulator still computes what the layer-by-layer reference does.
/// </summary>
public sealed class PaddedWriterTests
{
    private static readonly Sw26010Target Target = Sw26010Target.Default;

    private static readonly OutputMargins Halo = new([0, 0, 1, 1], [0, 0, 1, 1]);

    /// <summary>x -> a 1 x 1 convolution to 128 channels -> a 3 x 3 convolution with padding 1.</summary>
    private static OperatorGraph Graph()
    {
        var g = new GraphBuilder("padded-pair", ElementType.Float64);
        var reduce = g.Conv2d("reduce", g.Input("x", 128, 8, 2, 2), outChannels: 128, kernel: 1);
        return g.Output(g.Conv2d("middle", reduce, outChannels: 32, kernel: 3, padding: 1)).Build();
    }

    /// <summary>The candidate of <paramref name="schedule"/>, measured, as the graph tuner makes it.</summary>
    private static OperatorCandidate Candidate(OperatorSpec spec, Schedule schedule)
    {
        var kernel = spec.WithSchedule(schedule).Emit(Target);
        var placements = kernel.Lowered.Placements;
        return new OperatorCandidate(schedule, kernel.Measure(),
            kernel.Lowered.Inputs.ToImmutableDictionary(t => t.Name, t => LayoutConversion.Holding(placements[t.Name]), StringComparer.Ordinal),
            LayoutConversion.Holding(kernel.Lowered.OutputPlacement));
    }

    /// <summary>The producer's blocked kernel (M over its channels, N over the images, the core groups sharing them) and the placement a consumer reads it padded in.</summary>
    private static (OperatorSpec Spec, OperatorCandidate Plain, TensorPlacement Padded) Producer(OperatorGraph graph)
    {
        var spec = ((OperatorNode)graph.Node("reduce")).Spec;
        var schedule = ImplicitGemmSpace.For(spec, Target.Limits).Enumerate()
            .First(s => s.Mapping == new GemmMapping("co", "n", "ci") && s.BlockedLayouts && s.CoreGroups == 4 && s.SplitAxis == "n");
        var plain = Candidate(spec, schedule);
        return (spec, plain, plain.Output! with { Layout = Halo.Widen(plain.Output!.Layout) });
    }

    [Test]
    public void The_writer_of_a_padded_placement_runs_the_same_schedule_with_margins_and_leaves_its_output_there()
    {
        var (spec, plain, padded) = Producer(Graph());

        var writer = OperatorCandidates.Writing(spec, plain, padded, Target);

        Assert.That(writer, Is.Not.Null);
        Assert.That(((ImplicitGemmSchedule)writer!.Schedule).OutputMargins, Is.EqualTo(Halo));
        Assert.That(writer.Schedule, Is.EqualTo(((ImplicitGemmSchedule)plain.Schedule) with { OutputMargins = Halo }));
        Assert.That(padded.Matches(writer.Output), writer.Output?.ToString());
        Assert.That(writer.Inputs, Is.EquivalentTo(plain.Inputs), "it reads its inputs where it did");
        Assert.That(OperatorCandidates.Writing(spec, plain, plain.Output!, Target), Is.Null, "the same placement needs no writer");
        Assert.That(OperatorCandidates.Writing(spec, plain, padded with { Distribution = Distribution.Replicated(4) }, Target), Is.Null, "other core groups are no widening");
    }

    [Test]
    public void A_graph_whose_producer_writes_padded_runs_no_step_between_it_and_its_3x3_reader_and_computes_the_reference()
    {
        var graph = Graph();
        var (spec, plain, padded) = Producer(graph);
        var writer = OperatorCandidates.Writing(spec, plain, padded, Target)!;
        var middle = ((OperatorNode)graph.Node("middle")).Spec;
        var reading = ImplicitGemmSpace.For(middle, Target.Limits, PlacementConstraints.None.Require("input", padded with { Layout = padded.Layout with { Tensor = middle.Expression.Left.Tensor } }))
            .Enumerate().First();
        var reader = Candidate(middle, reading);
        var planner = new LayoutPlanner(graph, node => node.Name == "reduce" ? [plain, writer] : [reader], Target.CostModel!.EstimateStep);

        var plan = planner.Plan();

        Assert.That(plan.Choices["reduce"], Is.EqualTo(1), "the writer saves the reorder into the padded input");
        Assert.That(plan.Conversions.Where(c => c.Value == "reduce"), Is.Empty, "nothing runs between the two kernels");
        var layers = graph.OperatorNodes.Select(node => new GraphLayer(node.Name, node.Operation, node.Spec, node.Name == "reduce" ? writer : reader, []));
        var tuned = new GraphTuningResult(graph, Target, [.. layers], plan, plan.EstimatedSeconds, TimeSpan.Zero);
        var tensors = GraphReferenceOperands.Draw<double>(graph, seed: 5);
        var actual = Sw26010GraphRun.Run(tuned, tensors)["middle"].ToArray();
        var expected = GraphReference.EvaluateOutputs(graph, tensors)["middle"].ToArray();
        Assert.That(actual.Zip(expected).Max(p => Math.Abs(p.First - p.Second)), Is.LessThanOrEqualTo(1e-9 * Math.Max(1, expected.Max(Math.Abs))));
    }

    [Test]
    public void The_writer_searched_for_a_padded_arrangement_writes_it_between_the_margins()
    {
        var (spec, _, padded) = Producer(Graph());

        var writer = OperatorCandidates.WritingAs(spec, padded, Target, new Core.Tuning.TuningOptions { Trials = 2, Seed = 3 });

        Assert.That(writer, Is.Not.Null);
        Assert.That(padded.Matches(writer!.Output), writer.Output?.ToString());
        Assert.That(((ImplicitGemmSchedule)writer.Schedule).OutputMargins, Is.EqualTo(Halo));
    }
}
