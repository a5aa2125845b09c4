using System.Numerics.Tensors;
using Swatop.Core.Graphs;
using Swatop.Primitives;

namespace Swatop.Tests.Graphs;

/// <summary>The graph reference, layer by layer, against values computed by hand and by direct loops.</summary>
public sealed class GraphReferenceTests
{
    private static double[] Flat<T>(Tensor<T> tensor)
        where T : struct
    {
        var values = new T[tensor.FlattenedLength];
        tensor.FlattenTo(values);
        return [.. values.Select(v => Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture))];
    }

    private static Tensor<double> Make(double[] values, params int[] shape) => Tensor.Create(values, [.. shape.Select(d => (nint)d)]);

    [Test]
    public void A_small_graph_matches_values_computed_by_hand()
    {
        // conv (3 x 3 of ones, padding 1) -> add with the input as shortcut -> 2 x 2 max pooling -> flatten -> fc.
        var b = new GraphBuilder("small");
        var x = b.Input("x", 1, 1, 4, 4);
        var conv = b.Conv2d("conv", x, 1, kernel: 3, padding: 1);
        var sum = b.Add("add", conv, x);
        var pool = b.MaxPool("pool", sum, kernel: 2, stride: 2);
        var fc = b.FullyConnected("fc", b.Flatten("flatten", pool), 2);
        var graph = b.Output(fc).Build();

        var values = GraphReference.Evaluate(graph, new Dictionary<string, Tensor<double>>
        {
            ["x"] = Make([.. Enumerable.Range(1, 16).Select(i => (double)i)], 1, 1, 4, 4),
            ["conv.weights"] = Make([.. Enumerable.Repeat(1.0, 9)], 1, 1, 3, 3),
            ["fc.weights"] = Make([1, 0, 0, 0, 1, 1, 1, 1], 2, 4),
        });

        using (Assert.EnterMultipleScope())
        {
            // The input is 1..16 row by row; each output sums its 3 x 3 neighbourhood.
            Assert.That(Flat(values["conv"]), Is.EqualTo(new double[] { 14, 24, 30, 22, 33, 54, 63, 45, 57, 90, 99, 69, 46, 72, 78, 54 }));
            Assert.That(Flat(values["add"]), Is.EqualTo(new double[] { 15, 26, 33, 26, 38, 60, 70, 53, 66, 100, 110, 81, 59, 86, 93, 70 }));
            Assert.That(Flat(values["pool"]), Is.EqualTo(new double[] { 60, 70, 100, 110 }));
            Assert.That(values["pool"].Lengths.ToArray(), Is.EqualTo(new nint[] { 1, 1, 2, 2 }));
            Assert.That(values["flatten"].Lengths.ToArray(), Is.EqualTo(new nint[] { 1, 4 }));
            Assert.That(Flat(values["fc"]), Is.EqualTo(new double[] { 60, 340 }));
            Assert.That(values.Keys, Is.EquivalentTo(graph.Values.Select(v => v.Name)));
        }
    }

    [Test]
    public void Max_pooling_never_takes_the_padding_and_the_average_divides_by_the_window()
    {
        var b = new GraphBuilder("pools");
        var x = b.Input("x", 1, 1, 2, 2);
        var graph = b.Output(b.MaxPool("max", x, kernel: 3, stride: 2, padding: 1)).Output(b.GlobalAveragePool("avg", x)).Build();
        var outputs = GraphReference.EvaluateOutputs(graph, new Dictionary<string, Tensor<double>> { ["x"] = Make([-4, -3, -2, -1], 1, 1, 2, 2) });
        Assert.That(Flat(outputs["max"]), Is.EqualTo(new double[] { -1 }), "all inputs negative: a zero padding would win");
        Assert.That(Flat(outputs["avg"]), Is.EqualTo(new double[] { -2.5 }));
        Assert.That(outputs.Keys, Is.EquivalentTo(new[] { "max", "avg" }));
    }

    /// <summary>A tiny ResNet: stem, pooling, a projecting bottleneck with stride 2, an identity bottleneck, average pooling, classifier.</summary>
    private static OperatorGraph TinyResNet(ElementType elementType)
    {
        var b = new GraphBuilder("tiny", elementType);
        var x = b.Input("data", 2, 3, 16, 16);
        x = b.Conv2d("conv1", x, 8, kernel: 3, stride: 2, padding: 1);
        x = b.MaxPool("maxpool", x, kernel: 3, stride: 2, padding: 1);
        for (var block = 0; block < 2; block++)
        {
            var stride = block == 0 ? 2 : 1;
            var y = b.Conv2d($"layer1.{block}.conv1", x, 4, kernel: 1);
            y = b.Conv2d($"layer1.{block}.conv2", y, 4, kernel: 3, stride: stride, padding: 1);
            y = b.Conv2d($"layer1.{block}.conv3", y, 16, kernel: 1);
            var shortcut = block == 0 ? b.Conv2d($"layer1.{block}.downsample", x, 16, kernel: 1, stride: stride) : x;
            x = b.Add($"layer1.{block}.add", y, shortcut);
        }

        x = b.Flatten("flatten", b.GlobalAveragePool("avgpool", x));
        return b.Output(b.FullyConnected("fc", x, 10)).Build();
    }

    /// <summary>The same network as <see cref="TinyResNet"/>, written as direct loops.</summary>
    private static double[] TinyResNetByHand(Func<string, double[]> t)
    {
        var x = NaiveLayers.Conv(t("data"), [2, 3, 16, 16], t("conv1.weights"), 8, kernel: 3, stride: 2, padding: 1);
        x = NaiveLayers.MaxPool(x, [2, 8, 8, 8], kernel: 3, stride: 2, padding: 1);
        var y = NaiveLayers.Conv(x, [2, 8, 4, 4], t("layer1.0.conv1.weights"), 4, kernel: 1);
        y = NaiveLayers.Conv(y, [2, 4, 4, 4], t("layer1.0.conv2.weights"), 4, kernel: 3, stride: 2, padding: 1);
        y = NaiveLayers.Conv(y, [2, 4, 2, 2], t("layer1.0.conv3.weights"), 16, kernel: 1);
        x = NaiveLayers.Add(y, NaiveLayers.Conv(x, [2, 8, 4, 4], t("layer1.0.downsample.weights"), 16, kernel: 1, stride: 2));
        y = NaiveLayers.Conv(x, [2, 16, 2, 2], t("layer1.1.conv1.weights"), 4, kernel: 1);
        y = NaiveLayers.Conv(y, [2, 4, 2, 2], t("layer1.1.conv2.weights"), 4, kernel: 3, padding: 1);
        y = NaiveLayers.Conv(y, [2, 4, 2, 2], t("layer1.1.conv3.weights"), 16, kernel: 1);
        x = NaiveLayers.Add(y, x);
        x = NaiveLayers.GlobalAveragePool(x, [2, 16, 2, 2]);
        return NaiveLayers.FullyConnected(x, 2, t("fc.weights"), 10);
    }

    [Test]
    public void A_tiny_network_matches_direct_loops_bit_for_bit([Values(1, 2, 3)] int seed)
    {
        var graph = TinyResNet(ElementType.Float64);
        var tensors = GraphReferenceOperands.Draw<double>(graph, seed);
        var outputs = GraphReference.EvaluateOutputs(graph, tensors);
        Assert.That(outputs.Keys, Is.EqualTo(new[] { "fc" }));
        Assert.That(Flat(outputs["fc"]), Is.EqualTo(TinyResNetByHand(name => Flat(tensors[name]))));
        Assert.That(Flat(outputs["fc"]), Is.EqualTo(Flat(GraphReference.Evaluate(graph, tensors)["fc"])));
    }

    [Test]
    public void A_float_network_agrees_with_the_double_one_to_float_precision()
    {
        var single = TinyResNet(ElementType.Float32);
        var tensors = GraphReferenceOperands.Draw<float>(single, seed: 7);
        var widened = tensors.ToDictionary(p => p.Key, p => Make(Flat(p.Value), [.. p.Value.Lengths.ToArray().Select(l => (int)l)]));
        var expected = Flat(GraphReference.EvaluateOutputs(TinyResNet(ElementType.Float64), widened)["fc"]);
        var actual = Flat(GraphReference.EvaluateOutputs(single, tensors)["fc"]);
        Assert.That(actual, Is.EqualTo(expected).Within(1e-5));
        Assert.That(expected.Select(Math.Abs).Max(), Is.GreaterThan(1e-2), "the drawn weights keep the activations away from zero");
    }

    [Test]
    public void A_gemm_of_two_inputs_is_a_matrix_product()
    {
        var b = new GraphBuilder("mm");
        var graph = b.Output(b.Gemm("c", b.Input("a", 2, 3), b.Input("b", 2, 2), transposeA: true)).Build();
        var outputs = GraphReference.EvaluateOutputs(graph, new Dictionary<string, Tensor<double>>
        {
            ["a"] = Make([1, 2, 3, 4, 5, 6], 2, 3),   // a^T = [[1, 4], [2, 5], [3, 6]]
            ["b"] = Make([1, 0, 1, 1], 2, 2),
        });
        Assert.That(Flat(outputs["c"]), Is.EqualTo(new double[] { 5, 4, 7, 5, 9, 6 }));
    }

    [Test]
    public void The_seeded_tensors_are_the_same_for_a_seed_and_differ_between_seeds()
    {
        var graph = TinyResNet(ElementType.Float64);
        var first = GraphReferenceOperands.Draw<double>(graph, 5);
        var again = GraphReferenceOperands.Draw<double>(graph, 5);
        var other = GraphReferenceOperands.Draw<double>(graph, 6);
        Assert.That(first.Keys, Is.EqualTo(graph.Inputs.Concat(graph.Constants).Select(v => v.Name)));
        Assert.That(first.Keys.Select(k => Flat(first[k])), Is.EqualTo(again.Keys.Select(k => Flat(again[k]))));
        Assert.That(Flat(first["data"]), Is.Not.EqualTo(Flat(other["data"])));
        Assert.That(Flat(first["data"]), Is.All.InRange(-0.5, 0.5));
        var bound = Math.Sqrt(3.0 / (4 * 3 * 3));
        Assert.That(Flat(first["layer1.0.conv2.weights"]), Is.All.InRange(-bound, bound), "LeCun uniform: fan-in 4 x 3 x 3");
        Assert.That(Flat(first["layer1.0.conv2.weights"]).Max(Math.Abs), Is.GreaterThan(0.9 * bound));
    }

    [Test]
    public void Tensors_of_the_wrong_names_shapes_or_type_are_refused_by_name()
    {
        var graph = TinyResNet(ElementType.Float64);
        var tensors = GraphReferenceOperands.Draw<double>(graph, 1);
        ArgumentException Refusal<T>(IReadOnlyDictionary<string, Tensor<T>> given)
            where T : unmanaged, System.Numerics.INumber<T> =>
            Assert.Throws<ArgumentException>(() => GraphReference.Evaluate(graph, given))!;

        var missing = tensors.Where(p => p.Key != "fc.weights").ToDictionary();
        Assert.That(Refusal(missing).Message, Does.Contain("tensors has no tensor 'fc.weights'"));
        var extra = tensors.Append(new("conv1", Make([0.0], 1))).ToDictionary();
        Assert.That(Refusal(extra).Message, Does.Contain("'conv1' is computed by node 'conv1', not given"));
        var unknown = tensors.Append(new("bias", Make([0.0], 1))).ToDictionary();
        Assert.That(Refusal(unknown).Message, Does.Contain("'bias' is neither an input nor a constant"));
        var reshaped = tensors.ToDictionary(p => p.Key, p => p.Key == "data" ? Make(new double[2 * 3 * 16 * 16], 2, 3, 256) : p.Value);
        Assert.That(Refusal(reshaped).Message, Does.Contain("tensors['data'] has shape [2, 3, 256]; input 'data' is [2, 3, 16, 16]"));
        Assert.That(Refusal(GraphReferenceOperands.Draw<float>(TinyResNet(ElementType.Float32), 1)).Message, Does.Contain("computes Float64; the tensors hold Float32"));
        Assert.That(Refusal(reshaped).ParamName, Is.EqualTo("tensors"));
    }
}
