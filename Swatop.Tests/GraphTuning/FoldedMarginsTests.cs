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
/// A kernel that folds the batch into the columns (<c>MergedAxes = ["ow", "n"]</c>) and keeps zero margins around its
/// output: a width margin of one column is a block of images in the fold's view, the output then lies exactly where a
/// folded 3 x 3 convolution reads its padded input, the kernel computes what the reference does (on the emulator and
/// through the shim), the graph tuner's writer (<see cref="OperatorCandidates.Writing"/>) offers it, and the joint choice
/// then runs no step between the two while the graph still computes the layer-by-layer reference.
/// </summary>
public sealed class FoldedMarginsTests
{
    private static readonly Sw26010Target Target = Sw26010Target.Default;

    /// <summary>One zero column and row either side: the padding of a 3 x 3 convolution's input.</summary>
    private static readonly OutputMargins Halo = new([0, 0, 1, 1], [0, 0, 1, 1]);

    /// <summary>x (8 images, two a core group) -> a 1 x 1 convolution to 16 channels -> a 3 x 3 convolution with padding 1.</summary>
    private static OperatorGraph Graph()
    {
        var g = new GraphBuilder("folded-pair", ElementType.Float64);
        var reduce = g.Conv2d("reduce", g.Input("x", 8, 16, 6, 6), outChannels: 16, kernel: 1);
        return g.Output(g.Conv2d("middle", reduce, outChannels: 16, kernel: 3, padding: 1)).Build();
    }

    /// <summary>M walks the columns and images of a block, N the output channels, K the input channels; the core groups split the blocks.</summary>
    private static ImplicitGemmSchedule Folded(int tileK = 16) => new()
    {
        Mapping = new GemmMapping("ow_n", "co", "ci"),
        TileM = 128, TileN = 32, TileK = tileK,
        IndexOrder = ["n", "oh", "co", "ow_n"],
        ReductionOrder = ["ci", "kh", "kw"],
        MergedAxes = ["ow", "n"],
        CoreGroups = 4, SplitAxis = "n",
    };

    private static OperatorSpec Spec(OperatorGraph graph, string name) => ((OperatorNode)graph.Node(name)).Spec;

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
    public void A_folded_output_with_margins_lies_where_the_folded_3x3_reader_takes_its_padded_input()
    {
        var graph = Graph();
        var (reduce, middle) = (Spec(graph, "reduce"), Spec(graph, "middle"));
        var plain = LoopPlan.Create(reduce, Folded(), Target.Limits).Placements[^1];
        var padded = LoopPlan.Create(reduce, Folded() with { OutputMargins = Halo }, Target.Limits).Placements[^1];
        var read = LoopPlan.Create(middle, Folded(), Target.Limits).Placements[0];

        Assert.That(padded.Layout.Blocks, Is.EqualTo(plain.Layout.Blocks), "the batch stays cut in blocks of two images");
        Assert.That(padded.Layout.Origins, Is.EqualTo(new long[] { 0, 0, 1, 1 }));
        Assert.That(padded.Layout.Lengths, Is.EqualTo(new long[] { 8, 16, 8, 8 }));
        Assert.That(padded.Distribution, Is.EqualTo(plain.Distribution), "each group keeps its block of images");
        Assert.That(padded.Layout with { Tensor = read.Layout.Tensor }, Is.EqualTo(read.Layout), "the reader's padded input, byte for byte");
        Assert.That(OutputMargins.Between(plain.Layout, padded.Layout), Is.EqualTo(Halo));
    }

    [Test]
    public void A_folded_kernel_with_margins_computes_what_the_reference_does()
    {
        var spec = Spec(Graph(), "reduce");
        var kernel = spec.WithSchedule(Folded() with { OutputMargins = Halo }).Emit(Target);
        var input = Tensor.Create(Enumerable.Range(0, 8 * 16 * 36).Select(i => (double)(i % 7) - 3).ToArray(), [8, 16, 6, 6]);
        var weights = Tensor.Create(Enumerable.Range(0, 16 * 16).Select(i => (double)(i % 5) - 2).ToArray(), [16, 16, 1, 1]);

        var run = kernel.Run(input, weights);

        var actual = new double[spec.Expression.Output.Tensor.ElementLength];
        run.Output.FlattenTo(actual);
        Assert.That(actual, Is.EqualTo(ReferenceEvaluator.Evaluate(spec.Expression, input.ToArray(), weights.ToArray())), "small integers: exact");
        Assert.That(kernel.Lowered.OutputPlacement.Layout.Elements, Is.EqualTo(8L * 16 * 8 * 8), "the kernel's output tensor holds the margins");
    }

    [Test]
    public void A_folded_kernel_with_margins_emits_C_that_matches_the_emulator_on_the_shim()
    {
        EmittedC.CheckAgainstEmulator(Spec(Graph(), "reduce"), Folded() with { OutputMargins = new([0, 0, 1, 0], [0, 0, 0, 2]) }, seed: 7, GccShimOptions.Default);
        var float3x3 = Operator.Conv2d(8, 16, 16, 6, 6, 3, padding: 1, elementType: ElementType.Float32);
        EmittedC.CheckAgainstEmulator(float3x3, Folded() with { OutputMargins = Halo }, seed: 8, GccShimOptions.Default);
    }

    [Test]
    public void Margins_on_the_folded_batch_or_on_merged_dimensions_are_refused_by_name()
    {
        var spec = Spec(Graph(), "reduce");
        ScheduleMust.Fail(() => LoopPlan.Create(spec, Folded() with { OutputMargins = new([1, 0, 0, 0], [0, 0, 0, 0]) }, Target.Limits),
            ScheduleDiagnostics.IllegalMargins, nameof(ImplicitGemmSchedule.OutputMargins), "dimension 0", "blocks");
        var merged = Folded() with
        {
            Mapping = new GemmMapping("oh_ow", "co", "ci"), IndexOrder = ["n", "co", "oh_ow"], ReductionOrder = ["ci"],
            MergedAxes = ["oh", "ow"], OutputMargins = Halo,
        };
        ScheduleMust.Fail(() => LoopPlan.Create(spec, merged, Target.Limits),
            ScheduleDiagnostics.IllegalMargins, nameof(ImplicitGemmSchedule.OutputMargins), "merge", "fold");
    }

    [Test]
    public void A_graph_whose_folded_producer_writes_padded_runs_no_step_into_its_folded_3x3_reader_and_computes_the_reference()
    {
        var graph = Graph();
        var (reduce, middle) = (Spec(graph, "reduce"), Spec(graph, "middle"));
        var plain = Candidate(reduce, Folded());
        var reader = Candidate(middle, Folded());
        var read = reader.Inputs["input"]!;
        var without = new LayoutPlanner(graph, node => node.Name == "reduce" ? [plain] : [reader], Target.CostModel!.EstimateStep).Plan();
        Assert.That(without.Conversions.Where(c => c.Value == "reduce").SelectMany(c => c.Steps).Select(s => s.Kind), Is.EqualTo(new[] { LayoutStepKind.Reorder }),
            "without margins, one reorder pads the value");

        var writer = OperatorCandidates.Writing(reduce, plain, read with { Layout = read.Layout with { Tensor = reduce.Expression.Output.Tensor } }, Target);

        Assert.That(writer, Is.Not.Null);
        Assert.That(writer!.Schedule, Is.EqualTo(Folded() with { OutputMargins = Halo }));
        var plan = new LayoutPlanner(graph, node => node.Name == "reduce" ? [plain, writer] : [reader], Target.CostModel!.EstimateStep).Plan();
        Assert.That(plan.Choices["reduce"], Is.EqualTo(1), "the writer saves the step that pads the value");
        Assert.That(plan.Conversions.Where(c => c.Value == "reduce"), Is.Empty, "nothing runs between the two kernels");
        var layers = graph.OperatorNodes.Select(node => new GraphLayer(node.Name, node.Operation, node.Spec, node.Name == "reduce" ? writer : reader, []));
        var tuned = new GraphTuningResult(graph, Target, [.. layers], plan, plan.EstimatedSeconds, TimeSpan.Zero);
        var tensors = GraphReferenceOperands.Draw<double>(graph, seed: 9);
        var actual = Sw26010GraphRun.Run(tuned, tensors)["middle"].ToArray();
        var expected = GraphReference.EvaluateOutputs(graph, tensors)["middle"].ToArray();
        Assert.That(actual.Zip(expected).Max(p => Math.Abs(p.First - p.Second)), Is.LessThanOrEqualTo(1e-9 * Math.Max(1, expected.Max(Math.Abs))));
    }
}
