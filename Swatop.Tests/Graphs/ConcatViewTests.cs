using System.Collections.Immutable;
using Swatop.Core;
using Swatop.Core.Algorithms.Direct;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Graphs;
using Swatop.Core.GraphTuning;
using Swatop.Core.Layouts;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Emit.Network;
using Swatop.Hardware.Sw26010.Graphs;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Tests.Graphs;

/// <summary>
/// A concatenation along the channels whose parts are written in place by their producers (<see cref="ConcatView"/>): an
/// Inception-like block (three convolutions of one input joined, a convolution reading the join) is tuned with the
/// concatenation as a view, runs nothing for it, computes what the reference computes on the emulator and through the
/// emitted C on the shim, and is faster end to end than with the copy; a concatenation whose part cannot be written in
/// place stays a copy and says why (<see cref="ConcatViewRefusal"/>).
/// </summary>
public sealed class ConcatViewTests
{
    private const int Seed = 7;

    private static readonly Sw26010Target Target = Sw26010Target.Default;

    private static readonly TuningOptions Options = new() { Trials = 2, Seed = 3 };

    /// <summary>x -> 1 x 1 (16), 3 x 3 (24), 1 x 1 (8), joined along the channels, then a 1 x 1 convolution (16) of the join.</summary>
    internal static OperatorGraph Inception()
    {
        var b = new GraphBuilder("inception", ElementType.Float64);
        var x = b.Input("x", 4, 32, 14, 14);
        var b1 = b.Conv2d("b1", x, outChannels: 16, kernel: 1);
        var b2 = b.Conv2d("b2", x, outChannels: 24, kernel: 3, padding: 1);
        var b3 = b.Conv2d("b3", x, outChannels: 8, kernel: 1);
        var cat = b.Concat("cat", 1, b1, b2, b3);
        return b.Output(b.Conv2d("mix", cat, outChannels: 16, kernel: 1)).Build();
    }

    private static readonly Lazy<TunedNetwork> Viewed = new(() => Network.FromGraph(Inception()).Tune(Target, Options));

    private static readonly Lazy<TunedNetwork> Copied = new(() =>
    {
        var network = Network.FromGraph(Inception());
        return new TunedNetwork(network, network.Graph.Tune(Target, Options, concatViews: false));
    });

    [Test]
    public void An_inception_block_s_concatenation_is_a_view_its_producers_write_in_place_and_it_takes_no_time()
    {
        var tuned = Viewed.Value.Tuning;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(tuned.ConcatViews, Is.EqualTo(new[] { new ConcatView("cat", 1, ["b1", "b2", "b3"], [0, 16, 40]) }));
            Assert.That(tuned.ConcatRefusals, Is.Empty);
            Assert.That(tuned.NodeTimes.Single(t => t.Name == "cat").Seconds, Is.Zero, "the concatenation runs nothing");
            Assert.That(Viewed.Value.Profile.Nodes.Single(t => t.Name == "cat").Seconds, Is.Zero, "the profile shows it at 0 ms");
            Assert.That(tuned.Plan.Conversions.Where(c => c.Value is "b1" or "b2" or "b3"), Is.Empty, "no step between a part and the join");
            foreach (var (part, offset, after) in new[] { ("b1", 0, 32), ("b2", 16, 8), ("b3", 40, 0) })
            {
                var output = tuned.Layers.Single(l => l.Name == part).Candidate.Output;
                Assert.That(output?.Layout.Origins[1], Is.EqualTo(offset), $"{part} starts at its channel offset");
                Assert.That(output?.Layout.Lengths[1], Is.EqualTo(48), $"{part} lies in the joined tensor's 48 channels ({after} after it)");
            }
        }
    }

    [Test]
    public void An_inception_block_with_its_concatenation_as_a_view_computes_the_reference_on_the_emulator()
    {
        var tuned = Viewed.Value.Tuning;
        var tensors = GraphReferenceOperands.Draw<double>(tuned.Graph, seed: Seed);

        var actual = Sw26010GraphRun.RunValues(tuned, tensors);

        var expected = GraphReference.Evaluate(tuned.Graph, tensors);
        foreach (var node in tuned.Graph.Nodes)
        {
            var (a, e) = (actual[node.Output.Name].ToArray(), expected[node.Output.Name].ToArray());
            Assert.That(e.Any(v => v != 0), node.Name);
            Assert.That(a.Zip(e).Max(p => Math.Abs(p.First - p.Second)), Is.LessThanOrEqualTo(1e-9 * Math.Max(1, e.Max(Math.Abs))), node.Name);
        }
    }

    [Test]
    public void An_inception_block_s_emitted_C_writes_each_part_into_the_joined_block_and_matches_the_emulator_on_the_shim()
    {
        var sources = Viewed.Value.Emit();
        var check = Viewed.Value.VerifyEmittedC(Seed);
        var runner = sources[NetworkFiles.Runner];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(check.Nodes.Select(n => n.Name), Is.EqualTo(new[] { "b1", "b2", "b3", "cat", "mix", "mix" }));
            Assert.That(check.Nodes.All(n => n.WorstError <= n.Tolerance));
            Assert.That(runner, Does.Contain("into its slice of 'cat'"), "each producer writes its slice");
            Assert.That(runner, Does.Not.Contain("node 'cat': Concat"), "the concatenation runs nothing");
            Assert.That(sources[NetworkFiles.Cpe], Does.Not.Contain("concatenation"), "no copy kernel is emitted");
        }
    }

    [Test]
    public void An_inception_block_is_faster_end_to_end_with_its_concatenation_as_a_view_than_with_the_copy()
    {
        var (view, copy) = (Viewed.Value.Tuning, Copied.Value.Tuning);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(copy.ConcatViews, Is.Empty);
            Assert.That(copy.NodeTimes.Single(t => t.Name == "cat").Seconds, Is.GreaterThan(0), "the copy takes time");
            Assert.That(view.EndToEndSeconds, Is.LessThan(copy.EndToEndSeconds));
        }
    }

    [Test]
    public void The_copy_of_an_inception_block_computes_the_same_values_as_the_view_on_the_emulator()
    {
        var tensors = GraphReferenceOperands.Draw<double>(Viewed.Value.Tuning.Graph, seed: Seed);
        var view = Sw26010GraphRun.Run(Viewed.Value.Tuning, tensors)["mix"].ToArray();
        var copy = Sw26010GraphRun.Run(Copied.Value.Tuning, tensors)["mix"].ToArray();
        Assert.That(view.Zip(copy).Max(p => Math.Abs(p.First - p.Second)), Is.LessThanOrEqualTo(1e-9 * Math.Max(1, copy.Max(Math.Abs))));
    }

    /// <summary>The graph tuned, its one concatenation's refusal, and a check that the copy still computes the reference.</summary>
    private static ConcatViewRefusal Refused(OperatorGraph graph)
    {
        var tuned = Network.FromGraph(graph).Tune(Target, Options).Tuning;
        var tensors = GraphReferenceOperands.Draw<double>(tuned.Graph, seed: Seed);
        var actual = Sw26010GraphRun.Run(tuned, tensors);
        var expected = GraphReference.EvaluateOutputs(tuned.Graph, tensors);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(tuned.ConcatViews, Is.Empty);
            Assert.That(tuned.NodeTimes.Single(t => t.Name == "cat").Seconds, Is.GreaterThan(0), "the concatenation is a copy");
            foreach (var output in tuned.Graph.Outputs)
            {
                var (a, e) = (actual[output.Name].ToArray(), expected[output.Name].ToArray());
                Assert.That(a.Zip(e).Max(p => Math.Abs(p.First - p.Second)), Is.LessThanOrEqualTo(1e-9 * Math.Max(1, e.Max(Math.Abs))), output.Name);
            }
        }

        return tuned.ConcatRefusals.Single();
    }

    [Test]
    public void A_concatenation_of_a_graph_input_stays_a_copy_and_says_so()
    {
        var b = new GraphBuilder("input-part", ElementType.Float64);
        var x = b.Input("x", 4, 8, 6, 6);
        var cat = b.Concat("cat", 1, x, b.Conv2d("b1", x, outChannels: 8, kernel: 1));
        var refusal = Refused(b.Output(b.Conv2d("mix", cat, outChannels: 8, kernel: 1)).Build());
        Assert.That((refusal.Id, refusal.Node, refusal.Part), Is.EqualTo((GraphDiagnostics.ConcatPartNotComputed, "cat", "x")));
        Assert.That(refusal.Message, Does.Contain("graph input"));
    }

    [Test]
    public void A_concatenation_of_a_part_another_node_reads_too_stays_a_copy_and_says_so()
    {
        var b = new GraphBuilder("shared-part", ElementType.Float64);
        var x = b.Input("x", 4, 8, 6, 6);
        var b1 = b.Conv2d("b1", x, outChannels: 8, kernel: 1);
        var cat = b.Concat("cat", 1, b1, b.Conv2d("b2", x, outChannels: 8, kernel: 1));
        var refusal = Refused(b.Output(b.Conv2d("mix", cat, outChannels: 8, kernel: 1)).Output(b.Conv2d("side", b1, outChannels: 8, kernel: 1)).Build());
        Assert.That((refusal.Id, refusal.Part), Is.EqualTo((GraphDiagnostics.ConcatPartShared, "b1")));
        Assert.That(refusal.Message, Does.Contain("'side'"));
    }

    [Test]
    public void A_concatenation_of_a_pooling_stays_a_copy_and_says_so()
    {
        var b = new GraphBuilder("pooled-part", ElementType.Float64);
        var x = b.Input("x", 4, 8, 6, 6);
        var cat = b.Concat("cat", 1, b.Conv2d("b1", x, outChannels: 8, kernel: 1), b.MaxPool("pool", x, kernel: 3, stride: 1, padding: 1));
        var refusal = Refused(b.Output(b.Conv2d("mix", cat, outChannels: 8, kernel: 1)).Build());
        Assert.That((refusal.Id, refusal.Part), Is.EqualTo((GraphDiagnostics.ConcatPartNotOperator, "pool")));
        Assert.That(refusal.Message, Does.Contain("'pool'"));
    }

    [Test]
    public void A_concatenation_along_the_batch_that_the_producers_split_over_the_core_groups_stays_a_copy_and_says_so()
    {
        var b = new GraphBuilder("batch-join", ElementType.Float64);
        var x = b.Input("x", 4, 32, 14, 14);
        var cat = b.Concat("cat", 0, b.Conv2d("b1", x, outChannels: 16, kernel: 1), b.Conv2d("b2", x, outChannels: 16, kernel: 1));
        var refusal = Refused(b.Output(b.Conv2d("mix", cat, outChannels: 16, kernel: 1)).Build());
        Assert.That((refusal.Id, refusal.Part), Is.EqualTo((GraphDiagnostics.ConcatPartMargins, "b1")));
        Assert.That(refusal.Message, Does.Contain("split over the core groups"));
    }

    /// <summary>The candidate of <paramref name="schedule"/>, measured.</summary>
    private static OperatorCandidate Candidate(OperatorSpec spec, Core.Scheduling.Schedule schedule) =>
        OperatorCandidates.TryMeasure(spec, schedule, Target, default, out var why) ?? throw new InvalidOperationException(why);

    /// <summary>The concatenation pass over <paramref name="graph"/> planned with only <paramref name="candidates"/>.</summary>
    private static ConcatViews.Outcome Pass(OperatorGraph graph, Dictionary<OperatorSpec, ImmutableArray<OperatorCandidate>> candidates)
    {
        double Measured(Core.LayoutSteps.LayoutStep step) => Target.MeasureStep(step).Seconds;
        var plan = new LayoutPlanner(graph, node => candidates[node.Spec], Measured).Plan();
        return ConcatViews.Apply(graph, plan, candidates, [], Measured, Target, default);
    }

    [Test]
    public void A_concatenation_of_a_direct_convolution_s_output_stays_a_copy_and_names_the_algorithm()
    {
        var b = new GraphBuilder("direct-part", ElementType.Float64);
        var x = b.Input("x", 2, 8, 6, 6);
        var dw = b.Conv2d("dw", x, outChannels: 8, kernel: 3, padding: 1, groups: 8);
        var graph = b.Output(b.Concat("cat", 1, dw, b.Conv2d("pw", x, outChannels: 8, kernel: 1))).Build();
        var (depthwise, pointwise) = (((OperatorNode)graph.Node("dw")).Spec, ((OperatorNode)graph.Node("pw")).Spec);
        var candidates = new Dictionary<OperatorSpec, ImmutableArray<OperatorCandidate>>
        {
            [depthwise] = [Candidate(depthwise, new DirectSpace(depthwise, Target.Limits, PlacementConstraints.None).Enumerate().First())],
            [pointwise] = OperatorCandidates.For(pointwise, Target, Options),
        };

        var outcome = Pass(graph, candidates);

        Assert.That(outcome.Views, Is.Empty);
        Assert.That((outcome.Refusals.Single().Id, outcome.Refusals.Single().Part), Is.EqualTo((GraphDiagnostics.ConcatPartAlgorithm, "dw")));
        Assert.That(outcome.Refusals.Single().Message, Does.Contain("direct"));
    }

    [Test]
    public void A_concatenation_of_outputs_left_in_a_blocked_placement_stays_a_copy_and_says_so()
    {
        var b = new GraphBuilder("placed-parts", ElementType.Float64);
        var x = b.Input("x", 128, 8, 2, 2);
        var graph = b.Output(b.Concat("cat", 1, b.Conv2d("left", x, outChannels: 128, kernel: 1), b.Conv2d("right", x, outChannels: 64, kernel: 1))).Build();
        var candidates = graph.OperatorNodes.Select(n => n.Spec).Distinct().ToDictionary(spec => spec, spec => ImmutableArray.Create(Candidate(spec,
            ImplicitGemmSpace.For(spec, Target.Limits).Enumerate()
                .First(s => s.Mapping == new GemmMapping("co", "n", "ci") && s.BlockedLayouts && s.CoreGroups == 4 && s.SplitAxis == "n"))));

        var outcome = Pass(graph, candidates);

        Assert.That(outcome.Views, Is.Empty);
        Assert.That((outcome.Refusals.Single().Id, outcome.Refusals.Single().Part), Is.EqualTo((GraphDiagnostics.ConcatPartPlaced, "left")));
    }
}
