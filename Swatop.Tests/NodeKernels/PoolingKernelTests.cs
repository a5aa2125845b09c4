using System.Numerics;
using System.Numerics.Tensors;
using Swatop.Core;
using Swatop.Core.Graphs;
using Swatop.Core.GraphTuning;
using Swatop.Core.Layouts;
using Swatop.Core.NodeKernels;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Graphs;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Tests.NodeKernels;

/// <summary>
/// Poolings as CPE kernels (<see cref="PoolingLowering"/>, <see cref="Sw26010NodeKernel"/>) on the emulator against the
/// nodes' reference: a maximum bit for bit, a mean within the summation bound of its window; a graph with each kind run
/// end to end; what a kernel cannot hold left to the MPE with a clear reason.
/// </summary>
public sealed class PoolingKernelTests
{
    private static readonly Sw26010Target Target = Sw26010Target.Default;

    private const int Seed = 16;

    /// <summary>A graph of one pooling of an input of <paramref name="shape"/>.</summary>
    private static OperatorGraph Pooling(ElementType type, int[] shape, Func<GraphBuilder, GraphValue, GraphValue> pool)
    {
        var b = new GraphBuilder("pool", type);
        return b.Output(pool(b, b.Input("x", shape))).Build();
    }

    /// <summary>The pooling's output as its CPE kernel computes it on every core group, and the reference's, and the input.</summary>
    private static (T[] Actual, T[] Expected, T[] Input) Run<T>(OperatorGraph graph)
        where T : unmanaged, INumber<T>
    {
        var node = graph.Nodes.Single();
        var kernel = Sw26010NodeKernel.For(Target, node, graph.ElementType) ?? throw new AssertionException($"no kernel for {node.Operation}");
        var tensors = GraphReferenceOperands.Draw<T>(graph, Seed);
        var input = new T[graph.Inputs[0].ElementLength];
        tensors["x"].FlattenTo(input);
        var actual = NodeKernelEmulation.Run(Target, kernel, [input], node.Output.ElementLength);
        var expected = new T[node.Output.ElementLength];
        GraphReference.EvaluateOutputs(graph, tensors)[node.Output.Name].FlattenTo(expected);
        return (actual, expected, input);
    }

    /// <summary>The summation bound of a mean of <paramref name="terms"/> elements: a rounding a term, two for the scale, of the largest magnitude.</summary>
    private static double Bound<T>(T[] input, long terms)
        where T : unmanaged, INumber<T>
    {
        var roundoff = typeof(T) == typeof(float) ? Math.Pow(2, -24) : Math.Pow(2, -53);
        return (terms + 3) * roundoff * input.Max(x => Math.Abs(double.CreateTruncating(x)));
    }

    private static IEnumerable<TestCaseData> MaxPoolings()
    {
        yield return new TestCaseData(new Size2(3, 3), new Size2(2, 2), new Size2(1, 1), new[] { 2, 3, 13, 11 }).SetName("A_3x3_stride_2_padded_max_pooling_as_ResNet_s_stem_has_is_exact");
        yield return new TestCaseData(new Size2(2, 2), new Size2(2, 2), new Size2(0, 0), new[] { 3, 5, 8, 9 }).SetName("A_2x2_stride_2_max_pooling_of_an_odd_width_is_exact");
        yield return new TestCaseData(new Size2(3, 3), new Size2(1, 1), new Size2(1, 1), new[] { 1, 4, 7, 6 }).SetName("A_3x3_stride_1_padded_max_pooling_is_exact");
        yield return new TestCaseData(new Size2(3, 2), new Size2(2, 3), new Size2(1, 1), new[] { 2, 2, 9, 10 }).SetName("A_max_pooling_of_unequal_window_strides_is_exact");
    }

    [TestCaseSource(nameof(MaxPoolings))]
    public void Max_pooling_kernels_match_the_reference_bit_for_bit(Size2 kernel, Size2 stride, Size2 padding, int[] shape)
    {
        var (f64, f64Expected, _) = Run<double>(Pooling(ElementType.Float64, shape, (b, x) => b.MaxPool("pool", x, kernel, stride, padding)));
        var (f32, f32Expected, _) = Run<float>(Pooling(ElementType.Float32, shape, (b, x) => b.MaxPool("pool", x, kernel, stride, padding)));
        Assert.Multiple(() =>
        {
            Assert.That(f64, Is.EqualTo(f64Expected));
            Assert.That(f32, Is.EqualTo(f32Expected));
        });
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Average_pooling_kernels_match_the_reference_within_the_window_s_summation_bound_with_either_divisor(bool countIncludePad)
    {
        foreach (var (kernel, stride, padding, shape) in new[] { (3, 2, 1, new[] { 2, 3, 11, 12 }), (2, 1, 1, new[] { 1, 3, 6, 7 }), (3, 3, 0, new[] { 2, 2, 9, 9 }) })
        {
            var graph64 = Pooling(ElementType.Float64, shape, (b, x) => b.AveragePool("pool", x, kernel, stride, padding, countIncludePad));
            var graph32 = Pooling(ElementType.Float32, shape, (b, x) => b.AveragePool("pool", x, kernel, stride, padding, countIncludePad));
            var (f64, f64Expected, in64) = Run<double>(graph64);
            var (f32, f32Expected, in32) = Run<float>(graph32);
            Assert.Multiple(() =>
            {
                Assert.That(f64, Is.EqualTo(f64Expected).Within(Bound(in64, kernel * kernel)), $"{graph64.Nodes[0].Operation} float64");
                Assert.That(f32, Is.EqualTo(f32Expected).Within(Bound(in32, kernel * kernel)), $"{graph32.Nodes[0].Operation} float32");
            });
        }
    }

    [Test]
    public void A_global_average_pooling_kernel_matches_the_reference_within_the_plane_s_summation_bound()
    {
        foreach (var shape in new[] { new[] { 4, 70, 7, 7 }, new[] { 3, 5, 9, 11 } })
        {
            var (f64, f64Expected, in64) = Run<double>(Pooling(ElementType.Float64, shape, (b, x) => b.GlobalAveragePool("gap", x)));
            var (f32, f32Expected, in32) = Run<float>(Pooling(ElementType.Float32, shape, (b, x) => b.GlobalAveragePool("gap", x)));
            Assert.Multiple(() =>
            {
                Assert.That(f64, Is.EqualTo(f64Expected).Within(Bound(in64, shape[2] * shape[3])));
                Assert.That(f32, Is.EqualTo(f32Expected).Within(Bound(in32, shape[2] * shape[3])));
                Assert.That(f64, Is.Not.EqualTo(f64Expected.Select(x => x * 1.001)).Within(Bound(in64, shape[2] * shape[3])), "the bound tells a wrong mean apart");
            });
        }
    }

    [Test]
    public void A_graph_with_every_pooling_runs_end_to_end_each_where_it_was_timed_and_matches_the_reference()
    {
        var b = new GraphBuilder("poolings", ElementType.Float64);
        var x = b.Input("x", 2, 4, 40, 40);
        var stem = b.Conv2d("stem", x, outChannels: 8, kernel: 3, padding: 1);
        var max = b.MaxPool("max", stem, kernel: 3, stride: 2, padding: 1);
        var average = b.AveragePool("average", max, kernel: 3, stride: 1, padding: 1);
        var gap = b.Flatten("flatten", b.GlobalAveragePool("gap", average));
        var graph = b.Output(b.FullyConnected("fc", gap, 5)).Build();
        var tensors = GraphReferenceOperands.Draw<double>(graph, Seed);

        var tuned = graph.Tune(Target, new TuningOptions { Trials = 2, Seed = 3 });
        var outputs = Sw26010GraphRun.Run(tuned, tensors);

        var expected = new double[graph.Outputs[0].ElementLength];
        GraphReference.EvaluateOutputs(graph, tensors)["fc"].FlattenTo(expected);
        var actual = new double[expected.Length];
        outputs["fc"].FlattenTo(actual);
        Assert.Multiple(() =>
        {
            Assert.That(tuned.NodeTimes.Select(n => n.Name), Is.EqualTo(new[] { "max", "average", "gap" }));
            Assert.That(tuned.NodeTimes[0].OnMpe, Is.False, "the max pooling of 205 KB runs on the CPEs");
            Assert.That(tuned.UntimedNodes, Is.Empty);
            Assert.That(tuned.ViewNodes.Select(n => n.Name), Is.EqualTo(new[] { "flatten" }));
            Assert.That(tuned.EndToEndSeconds, Is.EqualTo(tuned.KernelSeconds + tuned.LayoutSeconds + tuned.NodeTimes.Sum(n => n.Seconds)).Within(1e-15));
            Assert.That(actual, Is.EqualTo(expected).Within(1e-10));
        });
    }

    [Test]
    public void A_node_runs_on_the_CPEs_where_that_is_faster_and_a_tiny_one_stays_on_the_MPE_at_its_assumed_rate()
    {
        var large = Pooling(ElementType.Float64, [2, 16, 40, 40], (b, x) => b.MaxPool("pool", x, kernel: 3, stride: 2, padding: 1)).Nodes[0];
        var tiny = Pooling(ElementType.Float64, [1, 2, 3, 3], (b, x) => b.GlobalAveragePool("gap", x)).Nodes[0];
        var cpes = Target.MeasureNode(large, ElementType.Float64)!;
        var mpe = Target.MeasureNode(tiny, ElementType.Float64)!;
        var timing = Target.Spec.Timing;
        Assert.Multiple(() =>
        {
            Assert.That((cpes.Name, cpes.OnMpe, cpes.Bytes), Is.EqualTo(("pool", false, (2L * 16 * ((40 * 40) + (20 * 20))) * 8)));
            Assert.That(cpes.Seconds, Is.LessThan(cpes.Bytes / timing.MpeBytesPerCycle / Target.Spec.ClockHz));
            Assert.That((mpe.Name, mpe.OnMpe), Is.EqualTo(("gap", true)));
            Assert.That(mpe.Seconds, Is.EqualTo(((mpe.Bytes / timing.MpeBytesPerCycle) + (18 / timing.MpeFlopsPerCycle)) / Target.Spec.ClockHz).Within(1e-15));
        });
    }

    [Test]
    public void A_global_pooling_whose_plane_does_not_fit_the_LDM_is_refused_by_the_lowering_and_timed_on_the_MPE()
    {
        var graph = Pooling(ElementType.Float64, [1, 2, 100, 100], (b, x) => b.GlobalAveragePool("gap", x));
        var kernel = PoolingKernel.For(graph.Nodes[0], ElementType.Float64, Target.Spec.CoreGroups)!;
        Assert.Multiple(() =>
        {
            Assert.That(() => PoolingLowering.Lower(kernel, Target.Limits),
                Throws.InstanceOf<NotSupportedException>().With.Message.Contains("Pooling 'gap'").And.Message.Contains("100 x 100").And.Message.Contains("LDM budget"));
            Assert.That(Sw26010NodeKernel.For(Target, graph.Nodes[0], ElementType.Float64), Is.Null);
            Assert.That(Target.MeasureNode(graph.Nodes[0], ElementType.Float64), Is.Not.Null.And.Property("OnMpe").True);
        });
    }

    [Test]
    public void A_pooling_reads_only_the_framework_s_layout_so_the_planner_unpacks_a_blocked_input_first()
    {
        var graph = Pooling(ElementType.Float64, [2, 16, 8, 8], (b, x) => b.MaxPool("pool", x, kernel: 2));
        var tensor = new TensorDeclaration("x", [2, 16, 8, 8]);
        var blocked = new TensorPlacement(Core.Lowering.TensorLayout.RowMajor(tensor) with { Blocks = [0, 8, 0, 0] }, Distribution.Replicated(1));
        Assert.Multiple(() =>
        {
            Assert.That(PlacementCarry.Accepts(graph.Nodes[0], blocked), Is.False);
            Assert.That(PlacementCarry.Accepts(graph.Nodes[0], null), Is.True);
            Assert.That(PlacementCarry.Through(graph.Nodes[0], blocked), Is.Null);
            Assert.That(PoolingKernel.For(graph.Nodes[0], ElementType.Float64, 4)!.ToString(), Is.EqualTo("pool: max 2x2 s2x2 p0x0 of 32 planes 8x8 -> 4x4 on 4 core groups"));
        });
    }
}
