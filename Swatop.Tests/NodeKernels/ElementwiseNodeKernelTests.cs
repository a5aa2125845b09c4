using System.Numerics;
using Swatop.Core;
using Swatop.Core.Graphs;
using Swatop.Core.GraphTuning;
using Swatop.Core.NodeKernels;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Graphs;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Tests.NodeKernels;

/// <summary>
/// Element-wise nodes that did not fuse (an add, a clamp, a per-channel bias or scale) and concatenations as CPE kernels
/// (<see cref="ElementwiseNodeLowering"/>, <see cref="ConcatLowering"/>, <see cref="Sw26010NodeKernel"/>) on the emulator
/// against the nodes' reference, bit for bit; a graph of them run end to end; what a kernel cannot hold, and a value that
/// lies outside the framework's layout, left to the MPE.
/// </summary>
public sealed class ElementwiseNodeKernelTests
{
    private static readonly Sw26010Target Target = Sw26010Target.Default;

    private const int Seed = 16;

    /// <summary>A graph of one node over inputs of <paramref name="shape"/>.</summary>
    private static OperatorGraph Single(ElementType type, int[] shape, Func<GraphBuilder, GraphValue, GraphValue> node)
    {
        var b = new GraphBuilder("node", type);
        return b.Output(node(b, b.Input("x", shape))).Build();
    }

    /// <summary>The node's output as its CPE kernel computes it on every core group, and the reference's.</summary>
    internal static (T[] Actual, T[] Expected) Run<T>(OperatorGraph graph)
        where T : unmanaged, INumber<T>
    {
        var node = graph.Nodes[^1];
        var kernel = Sw26010NodeKernel.For(Target, node, graph.ElementType) ?? throw new AssertionException($"no kernel for {node.Operation}");
        var tensors = GraphReferenceOperands.Draw<T>(graph, Seed);
        var values = GraphReference.Evaluate(graph, tensors);
        var inputs = kernel.Reads.Select(read =>
        {
            var data = new T[read.Value.ElementLength];
            (tensors.TryGetValue(read.Value.Name, out var given) ? given : values[read.Value.Name]).FlattenTo(data);
            return data;
        }).ToList();
        var actual = NodeKernelEmulation.Run(Target, kernel, inputs, node.Output.ElementLength);
        var expected = new T[node.Output.ElementLength];
        values[node.Output.Name].FlattenTo(expected);
        return (actual, expected);
    }

    private static IEnumerable<TestCaseData> Nodes()
    {
        yield return new TestCaseData(new[] { 3, 5, 7, 9 }, (Func<GraphBuilder, GraphValue, GraphValue>)((b, x) => b.Add("add", x, b.Input("y", 3, 5, 7, 9))))
            .SetName("An_add_of_two_inputs_of_an_odd_size_is_exact");
        yield return new TestCaseData(new[] { 2, 6, 5, 5 }, (Func<GraphBuilder, GraphValue, GraphValue>)((b, x) => b.Add("add", x, x)))
            .SetName("An_add_of_an_input_to_itself_is_exact");
        yield return new TestCaseData(new[] { 2, 6, 11, 13 }, (Func<GraphBuilder, GraphValue, GraphValue>)((b, x) => b.Clip("relu6", x, 0, 0.25)))
            .SetName("A_clamp_to_both_bounds_is_exact");
        yield return new TestCaseData(new[] { 2, 6, 11, 13 }, (Func<GraphBuilder, GraphValue, GraphValue>)((b, x) => b.Relu("relu", x)))
            .SetName("A_ReLU_is_exact");
        yield return new TestCaseData(new[] { 2, 6, 11, 13 }, (Func<GraphBuilder, GraphValue, GraphValue>)((b, x) => b.Clip("below", x, double.NegativeInfinity, 0.1)))
            .SetName("A_clamp_to_a_maximum_alone_is_exact");
        yield return new TestCaseData(new[] { 3, 70, 7, 7 }, (Func<GraphBuilder, GraphValue, GraphValue>)((b, x) => b.BiasAdd("bias", x)))
            .SetName("A_per_channel_bias_over_runs_of_whole_planes_is_exact");
        yield return new TestCaseData(new[] { 3, 70, 7, 7 }, (Func<GraphBuilder, GraphValue, GraphValue>)((b, x) => b.ChannelScale("scale", x)))
            .SetName("A_per_channel_scale_over_runs_of_whole_planes_is_exact");
        yield return new TestCaseData(new[] { 2, 3, 100, 101 }, (Func<GraphBuilder, GraphValue, GraphValue>)((b, x) => b.ChannelScale("scale", x)))
            .SetName("A_per_channel_scale_whose_plane_does_not_fit_the_LDM_goes_by_parts_of_a_plane_and_is_exact");
        yield return new TestCaseData(new[] { 5, 9 }, (Func<GraphBuilder, GraphValue, GraphValue>)((b, x) => b.BiasAdd("bias", x)))
            .SetName("A_per_channel_bias_of_a_matrix_is_exact");
    }

    [TestCaseSource(nameof(Nodes))]
    public void Element_wise_node_kernels_match_the_reference_bit_for_bit(int[] shape, Func<GraphBuilder, GraphValue, GraphValue> node)
    {
        var (f64, f64Expected) = Run<double>(Single(ElementType.Float64, shape, node));
        var (f32, f32Expected) = Run<float>(Single(ElementType.Float32, shape, node));
        Assert.Multiple(() =>
        {
            Assert.That(f64, Is.EqualTo(f64Expected));
            Assert.That(f32, Is.EqualTo(f32Expected));
            Assert.That(f64.Distinct().Count(), Is.GreaterThan(f64.Length / 8), "the output is not a constant");
        });
    }

    [Test]
    public void A_per_channel_bias_whose_constants_do_not_fit_the_LDM_is_refused_by_the_lowering_and_timed_on_the_MPE()
    {
        var graph = Single(ElementType.Float64, [1, 9000, 1, 1], (b, x) => b.BiasAdd("bias", x));
        var kernel = ElementwiseNodeKernel.For(graph.Nodes[0], ElementType.Float64, Target.Spec.CoreGroups)!;
        Assert.Multiple(() =>
        {
            Assert.That(() => ElementwiseNodeLowering.Lower(kernel, Target.Limits),
                Throws.InstanceOf<NotSupportedException>().With.Message.Contains("'bias'").And.Message.Contains("9000 per-channel constants").And.Message.Contains("LDM budget"));
            Assert.That(Sw26010NodeKernel.For(Target, graph.Nodes[0], ElementType.Float64), Is.Null);
            Assert.That(Target.MeasureNode(graph.Nodes[0], ElementType.Float64), Is.Not.Null.And.Property("OnMpe").True);
        });
    }

    [Test]
    public void A_large_add_runs_on_the_CPEs_faster_than_the_MPE_estimate_and_a_tiny_one_stays_on_the_MPE()
    {
        var large = Single(ElementType.Float64, [2, 16, 40, 40], (b, x) => b.Add("add", x, b.Input("y", 2, 16, 40, 40))).Nodes[0];
        var tiny = Single(ElementType.Float64, [1, 2, 3, 3], (b, x) => b.Clip("clip", x, 0, 6)).Nodes[0];
        var cpes = Target.MeasureNode(large, ElementType.Float64)!;
        var mpe = Target.MeasureNode(tiny, ElementType.Float64)!;
        var timing = Target.Spec.Timing;
        Assert.Multiple(() =>
        {
            Assert.That((cpes.Name, cpes.OnMpe, cpes.Bytes), Is.EqualTo(("add", false, 3L * 2 * 16 * 40 * 40 * 8)));
            Assert.That(cpes.Seconds, Is.LessThan(cpes.Bytes / timing.MpeBytesPerCycle / Target.Spec.ClockHz));
            Assert.That((mpe.Name, mpe.OnMpe), Is.EqualTo(("clip", true)));
        });
    }

    [Test]
    public void A_graph_of_unfused_element_wise_nodes_and_a_concatenation_runs_end_to_end_on_the_CPEs_and_matches_the_reference()
    {
        var b = new GraphBuilder("elementwise", ElementType.Float64);
        var x = b.Input("x", 2, 8, 40, 40);
        var y = b.Input("y", 2, 16, 40, 40);
        var conv = b.Conv2d("conv", x, outChannels: 16, kernel: 1);
        var sum = b.Add("add", conv, y);
        var clipped = b.Clip("clip", sum, -0.5, 0.5);
        var joined = b.Concat("cat", 1, clipped, y);
        var scaled = b.ChannelScale("scale", joined);
        var graph = b.Output(b.BiasAdd("bias", scaled)).Build();
        var tensors = GraphReferenceOperands.Draw<double>(graph, Seed);

        var tuned = graph.Tune(Target, new TuningOptions { Trials = 1, Seed = 3 });
        var nodes = Sw26010GraphRun.RunValues(tuned, tensors);
        var expected = GraphReference.Evaluate(graph, tensors);
        Assert.Multiple(() =>
        {
            Assert.That(tuned.NodeTimes.Select(n => (n.Name, n.OnMpe)), Is.EqualTo(new[] { ("add", false), ("clip", false), ("cat", false), ("scale", false), ("bias", false) }));
            Assert.That(tuned.UntimedNodes, Is.Empty);
            Assert.That(Flat(nodes["conv"]), Is.EqualTo(Flat(expected["conv"])).Within(1e-12));
            foreach (var name in new[] { "add", "clip", "cat", "scale", "bias" })
            {
                // Each node from the emulated run's own input, so that only the node's rounding is compared: exact.
                var reference = new NodeReference<double>();
                foreach (var input in graph.Nodes.Single(n => n.Name == name).Inputs.Distinct())
                {
                    reference.Values[input.Name] = Flat(input.IsConstant || graph.Inputs.Contains(input) ? tensors[input.Name] : nodes[input.Name]);
                }

                Assert.That(Flat(nodes[name]), Is.EqualTo(graph.Nodes.Single(n => n.Name == name).Accept(reference)), name);
            }
        });
    }

    private static double[] Flat(System.Numerics.Tensors.Tensor<double> tensor)
    {
        var values = new double[tensor.FlattenedLength];
        tensor.FlattenTo(values);
        return values;
    }
}
