using System.Numerics.Tensors;
using Swatop.Core.Graphs;

namespace Swatop.Tests.Graphs;

/// <summary>The layers an importer needs beside the operators: bias, scale, clamp, average pooling, concatenation, softmax, reshape.</summary>
public sealed class GraphLayerNodesTests
{
    private static Tensor<double> Make(double[] values, params int[] shape) => Tensor.Create(values, [.. shape.Select(d => (nint)d)]);

    private static double[] Flat(Tensor<double> tensor)
    {
        var values = new double[tensor.FlattenedLength];
        tensor.FlattenTo(values);
        return values;
    }

    [Test]
    public void Per_channel_layers_clamps_and_reshapes_compute_what_is_computed_by_hand()
    {
        var b = new GraphBuilder("layers");
        var x = b.Input("x", 1, 2, 1, 2);
        var scaled = b.ChannelScale("scale", x);
        var biased = b.BiasAdd("bias", scaled);
        var clipped = b.Clip("clip", biased, -1, 6);
        var relu = b.Relu("relu", clipped);
        var reshaped = b.Reshape("reshape", relu, 2, 2);
        var joined = b.Concat("cat", 1, reshaped, reshaped);
        var graph = b.Output(b.Softmax("softmax", joined, 0)).Build();
        var values = GraphReference.Evaluate(graph, new Dictionary<string, Tensor<double>>
        {
            ["x"] = Make([1, -2, 3, 4], 1, 2, 1, 2),
            ["scale.scale"] = Make([2, 3], 2),
            ["bias.bias"] = Make([0.5, -1], 2),
        });
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Flat(values["bias"]), Is.EqualTo(new[] { 2.5, -3.5, 8, 11 }));
            Assert.That(Flat(values["clip"]), Is.EqualTo(new[] { 2.5, -1, 6, 6 }));
            Assert.That(Flat(values["relu"]), Is.EqualTo(new[] { 2.5, 0, 6, 6 }));
            Assert.That(values["reshape"].Lengths.ToArray(), Is.EqualTo(new nint[] { 2, 2 }));
            Assert.That(Flat(values["cat"]), Is.EqualTo(new[] { 2.5, 0, 2.5, 0, 6, 6, 6, 6 }));
            var first = 1 / (1 + Math.Exp(3.5));
            Assert.That(Flat(values["softmax"])[0], Is.EqualTo(first).Within(1e-15));
            Assert.That(Flat(values["softmax"])[1], Is.EqualTo(1 / (1 + Math.Exp(6))).Within(1e-15));
            Assert.That(graph.Node("relu").Operation, Is.EqualTo("Relu"));
            Assert.That(graph.Node("clip").Operation, Is.EqualTo("Clip [-1, 6]"));
        }
    }

    [Test]
    public void Average_pooling_divides_by_the_window_or_by_the_elements_inside_it()
    {
        var b = new GraphBuilder("avg");
        var x = b.Input("x", 1, 1, 2, 2);
        var graph = b.Output(b.AveragePool("inside", x, kernel: 3, stride: 2, padding: 1))
            .Output(b.AveragePool("window", x, kernel: 3, stride: 2, padding: 1, countIncludePad: true)).Build();
        var outputs = GraphReference.EvaluateOutputs(graph, new Dictionary<string, Tensor<double>> { ["x"] = Make([1, 2, 3, 6], 1, 1, 2, 2) });
        Assert.That(Flat(outputs["inside"]), Is.EqualTo(new[] { 3.0 }));
        Assert.That(Flat(outputs["window"]), Is.EqualTo(new[] { 12.0 / 9 }));
    }

    [Test]
    public void A_clamp_with_its_bounds_reversed_is_refused()
    {
        var b = new GraphBuilder("g");
        var x = b.Input("x", 1, 2);
        GraphMust.Fail(() => b.Clip("clip", x, 6, 0), GraphDiagnostics.InvalidClip, "max", "min = 6 and max = 0");
    }

    [Test]
    public void An_axis_outside_the_value_is_refused()
    {
        var b = new GraphBuilder("g");
        var x = b.Input("x", 1, 2);
        GraphMust.Fail(() => b.Softmax("s", x, 2), GraphDiagnostics.InvalidAxis, "axis", "axis = 2 is not a dimension");
        GraphMust.Fail(() => b.Concat("c", -3, x), GraphDiagnostics.InvalidAxis, "axis", "axis = -3");
    }

    [Test]
    public void Parts_of_a_concatenation_that_differ_off_the_axis_are_refused()
    {
        var b = new GraphBuilder("g");
        var x = b.Input("x", 1, 2, 3);
        var y = b.Input("y", 1, 3, 3);
        GraphMust.Fail(() => b.Concat("c", 2, x, y), GraphDiagnostics.ShapeMismatch, "parts", "'y' [1, 3, 3] does not fit 'x' [1, 2, 3]");
    }

    [Test]
    public void A_reshape_to_another_element_count_is_refused()
    {
        var b = new GraphBuilder("g");
        var x = b.Input("x", 2, 3);
        GraphMust.Fail(() => b.Reshape("r", x, 4, 2), GraphDiagnostics.InvalidReshape, "shape", "shape = [4, 2] does not fit 'x' [2, 3]");
    }

    [Test]
    public void A_per_channel_layer_of_a_vector_is_refused()
    {
        var b = new GraphBuilder("g");
        var x = b.Input("x", 4);
        GraphMust.Fail(() => b.BiasAdd("bias", x), GraphDiagnostics.RankMismatch, "input", "its channels are dimension 1");
    }
}
