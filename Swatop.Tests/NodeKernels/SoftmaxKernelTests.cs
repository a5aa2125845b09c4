using System.Numerics;
using Swatop.Core;
using Swatop.Core.Graphs;
using Swatop.Core.GraphTuning;
using Swatop.Hardware.Sw26010.Emit.Network;
using Swatop.Core.NodeKernels;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Graphs;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Tests.NodeKernels;

/// <summary>
/// A softmax along its innermost axis as a CPE kernel (<see cref="SoftmaxLowering"/>, <see cref="Sw26010NodeKernel"/>) on
/// the emulator against the node's reference (<see cref="NodeReference{T}"/>, with <see cref="Math.Exp"/>) within the
/// kernel's bound (<see cref="Bound"/>); special rows; what it cannot hold left to the MPE; the classifier's softmax faster
/// on the CPEs than the MPE estimate; a graph with a softmax run end to end.
/// </summary>
public sealed class SoftmaxKernelTests
{
    private static readonly Sw26010Target Target = Sw26010Target.Default;

    /// <summary>
    /// The largest relative difference from the reference the kernel may show on a row of <paramref name="length"/>
    /// elements whose largest distance from the row's maximum is <paramref name="spread"/> (see <see cref="SoftmaxLowering"/>):
    /// in double the exponential's ulp and the reference's in-order sum, <c>(n + ceil(log2 n) + 8) 2^-53</c>; in float the
    /// subtraction's rounding as well, <c>(spread + ceil(log2 n) + 8) 2^-24</c>.
    /// </summary>
    internal static double Bound(ElementType type, int length, double spread)
    {
        var log = Math.Ceiling(Math.Log2(Math.Max(length, 2)));
        return type == ElementType.Float64
            ? (length + log + 8) * Math.ScaleB(1, -53)
            : (spread + log + 8) * Math.ScaleB(1, -24);
    }

    /// <summary>The softmax along the last axis of <paramref name="x"/> of <paramref name="shape"/>, by its CPE kernel on every core group and by the reference.</summary>
    private static (T[] Actual, T[] Expected) Run<T>(int[] shape, T[] x)
        where T : unmanaged, INumber<T>
    {
        var type = typeof(T) == typeof(float) ? ElementType.Float32 : ElementType.Float64;
        var b = new GraphBuilder("softmax", type);
        var graph = b.Output(b.Softmax("prob", b.Input("x", shape))).Build();
        var node = graph.Nodes[0];
        var kernel = Sw26010NodeKernel.For(Target, node, type) ?? throw new AssertionException("no kernel for the softmax");
        var actual = NodeKernelEmulation.Run(Target, kernel, [x], x.Length);
        var reference = new NodeReference<T>();
        reference.Values["x"] = x;
        return (actual, node.Accept(reference));
    }

    private static double[] Doubles(int count, int seed, double scale)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => ((random.NextDouble() * 2) - 1) * scale)];
    }

    private static void AssertWithin<T>(T[] actual, T[] expected, double bound)
        where T : unmanaged, INumber<T>
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length));
        for (var i = 0; i < actual.Length; i++)
        {
            double a = double.CreateTruncating(actual[i]), e = double.CreateTruncating(expected[i]);
            var error = a == e ? 0 : Math.Abs(a - e) / Math.Abs(e);
            Assert.That(error, Is.LessThanOrEqualTo(bound), $"element {i}: {a:R} against the reference's {e:R}");
        }
    }

    [TestCase(new[] { 3, 1000 }, 1.0, TestName = "A_softmax_over_rows_of_1000_is_within_its_bound_of_the_reference")]
    [TestCase(new[] { 2, 5, 33 }, 4.0, TestName = "A_softmax_over_the_last_axis_of_a_rank_3_tensor_with_odd_rows_is_within_its_bound")]
    [TestCase(new[] { 300, 10 }, 8.0, TestName = "A_softmax_over_more_rows_than_CPEs_is_within_its_bound")]
    [TestCase(new[] { 7, 1 }, 1.0, TestName = "A_softmax_over_rows_of_one_element_is_one")]
    [TestCase(new[] { 4, 2 }, 30.0, TestName = "A_softmax_over_rows_of_two_far_apart_elements_is_within_its_bound")]
    public void Softmax_on_the_CPEs_matches_the_reference_within_its_bound(int[] shape, double scale)
    {
        var length = shape[^1];
        var x = Doubles(shape.Aggregate(1, (p, s) => p * s), length, scale);
        var (f64, f64Expected) = Run(shape, x);
        var (f32, f32Expected) = Run(shape, x.Select(v => (float)v).ToArray());
        Assert.Multiple(() =>
        {
            AssertWithin(f64, f64Expected, Bound(ElementType.Float64, length, 2 * scale));
            AssertWithin(f32, f32Expected, Bound(ElementType.Float32, length, 2 * scale));
        });
    }

    [Test]
    public void Rows_with_infinities_NaN_and_a_huge_spread_come_out_as_the_reference_s()
    {
        double[] x =
        [
            0, 1000, -1000, 2,       // exp underflows to exactly 0 for two of them
            1, double.NaN, 2, 3,     // NaN: the whole row NaN
            1, double.PositiveInfinity, 2, 3, // +inf: inf - inf is NaN, the whole row NaN
            double.NegativeInfinity, 0, 1, 2, // -inf: exactly 0
            double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity, // NaN
        ];
        var (actual, expected) = Run([5, 4], x);
        for (var i = 0; i < x.Length; i++)
        {
            Assert.That(double.IsNaN(actual[i]), Is.EqualTo(double.IsNaN(expected[i])), $"element {i}");
            if (!double.IsNaN(expected[i]))
            {
                Assert.That(actual[i], Is.EqualTo(expected[i]).Within(Bound(ElementType.Float64, 4, 0) * expected[i]), $"element {i}");
            }
        }

        Assert.That(actual[2], Is.Zero);
    }

    [Test]
    public void A_softmax_whose_row_does_not_fit_the_LDM_is_refused_by_the_lowering_and_timed_on_the_MPE()
    {
        var b = new GraphBuilder("wide", ElementType.Float64);
        var node = b.Output(b.Softmax("prob", b.Input("x", 2, 5000))).Build().Nodes[0];
        var kernel = SoftmaxKernel.For(node, ElementType.Float64, Target.Spec.CoreGroups)!;
        Assert.Multiple(() =>
        {
            Assert.That(() => SoftmaxLowering.Lower(kernel, Target.Limits),
                Throws.InstanceOf<NotSupportedException>().With.Message.Contains("'prob'").And.Message.Contains("a row of 5000 elements").And.Message.Contains("LDM budget"));
            Assert.That(Sw26010NodeKernel.For(Target, node, ElementType.Float64), Is.Null);
            Assert.That(Target.MeasureNode(node, ElementType.Float64), Is.Not.Null.And.Property("OnMpe").True);
        });
    }

    [Test]
    public void A_softmax_along_an_axis_that_is_not_innermost_has_no_CPE_kernel()
    {
        var b = new GraphBuilder("middle", ElementType.Float64);
        var node = b.Output(b.Softmax("prob", b.Input("x", 2, 10, 3), axis: 1)).Build().Nodes[0];
        var trailingOne = new GraphBuilder("trailing", ElementType.Float64);
        var flat = trailingOne.Output(trailingOne.Softmax("prob", trailingOne.Input("x", 2, 10, 1, 1), axis: 1)).Build().Nodes[0];
        Assert.Multiple(() =>
        {
            Assert.That(SoftmaxKernel.For(node, ElementType.Float64, 4), Is.Null);
            Assert.That(SoftmaxKernel.For(flat, ElementType.Float64, 4), Is.EqualTo(new SoftmaxKernel("prob", ElementType.Float64, 2, 10, 4)), "dimensions of 1 after the axis keep the rows contiguous");
        });
    }

    [Test]
    public void The_classifier_s_softmax_of_128_x_1000_runs_on_the_CPEs_faster_than_the_MPE_estimate()
    {
        var b = new GraphBuilder("classifier", ElementType.Float64);
        var node = b.Output(b.Softmax("prob", b.Input("x", 128, 1000))).Build().Nodes[0];
        var time = Target.MeasureNode(node, ElementType.Float64)!;
        var mpe = Sw26010NodeTiming.MpeSeconds(Target.Spec, node, ElementType.Float64);
        Assert.Multiple(() =>
        {
            Assert.That((time.Name, time.OnMpe, time.Bytes), Is.EqualTo(("prob", false, 2L * 128 * 1000 * 8)));
            Assert.That(time.Seconds, Is.LessThan(mpe));
            Assert.That(Sw26010NodeKernel.For(Target, node, ElementType.Float64)!.ToString(), Is.EqualTo("prob: softmax of 128 rows of 1000 on 4 core groups"));
        });
    }

    [Test]
    public void A_graph_ending_in_a_softmax_runs_end_to_end_with_the_softmax_on_the_CPEs_within_its_bound()
    {
        var b = new GraphBuilder("classifier", ElementType.Float64);
        var x = b.Input("x", 2, 8, 16, 100);
        var scores = b.Conv2d("scores", x, outChannels: 4, kernel: 1);
        var graph = b.Output(b.Softmax("prob", scores)).Build();
        var tensors = GraphReferenceOperands.Draw<double>(graph, 16);
        var tuned = graph.Tune(Target, new TuningOptions { Trials = 1, Seed = 3 });
        var nodes = Sw26010GraphRun.RunValues(tuned, tensors);
        var reference = new NodeReference<double>();
        reference.Values["scores"] = Flat(nodes["scores"]);
        var expected = graph.Nodes.Single(n => n.Name == "prob").Accept(reference);
        var spread = reference.Values["scores"].Max() - reference.Values["scores"].Min();
        Assert.Multiple(() =>
        {
            Assert.That(tuned.NodeTimes.Select(n => (n.Name, n.OnMpe)), Is.EqualTo(new[] { ("prob", false) }));
            Assert.That(tuned.UntimedNodes, Is.Empty);
            AssertWithin(Flat(nodes["prob"]), expected, Bound(ElementType.Float64, 100, spread));
        });
    }

    [Test]
    public void A_softmax_timed_on_the_CPEs_is_emitted_as_a_CPE_function_and_matches_the_emulator_bit_for_bit_on_the_shim()
    {
        var b = new GraphBuilder("cpe-softmax", ElementType.Float64);
        var x = b.Input("x", 2, 8, 16, 100);
        var graph = b.Output(b.Softmax("prob", b.Conv2d("scores", x, outChannels: 4, kernel: 1))).Build();
        var tuned = Network.FromGraph(graph).Tune(Target, new TuningOptions { Trials = 1, Seed = 3 });
        var sources = tuned.Emit();
        var check = tuned.VerifyEmittedC(5);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(tuned.Profile.Nodes.Select(n => (n.Name, n.OnMpe)), Is.EqualTo(new[] { ("prob", false) }));
            Assert.That(sources[NetworkFiles.Cpe], Does.Contain("_prob_cpe(void *arg)").And.Contain("swatop_exp_d("));
            Assert.That(sources[NetworkFiles.Runner], Does.Not.Contain("static void node_"), "no host function for it");
            Assert.That(check.Nodes.Select(n => n.Name), Does.Contain("prob"));
            Assert.That(check.Nodes.All(n => n.WorstError <= n.Tolerance));
            Assert.That(check.Nodes.Where(n => n.Name == "prob").Select(n => n.WorstError), Is.All.Zero, "the emulator's exponential and the C's agree bit for bit");
        }
    }

    private static double[] Flat(System.Numerics.Tensors.Tensor<double> tensor)
    {
        var values = new double[tensor.FlattenedLength];
        tensor.FlattenTo(values);
        return values;
    }
}
