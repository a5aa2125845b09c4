using Swatop.Core.Graphs;
using Swatop.Core.Onnx;
using Swatop.Primitives;
using static Swatop.Tests.Onnx.OnnxModelWriter;

namespace Swatop.Tests.Onnx;

/// <summary>What an import makes of a model: its nodes, its constants' values, its inputs and outputs.</summary>
public sealed class OnnxImportTests
{
    [Test]
    public void A_batch_normalization_after_a_convolution_folds_into_its_weights_and_a_bias()
    {
        var model = OnnxImport.Load(OnnxTestModels.ConvBnRelu().Bytes());
        var graph = model.Graph;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(graph.Nodes.Select(n => n.GetType().Name), Is.EqualTo(new[]
            {
                nameof(OperatorNode), nameof(BiasAddNode), nameof(ClipNode), nameof(MaxPoolNode), nameof(GlobalAveragePoolNode),
                nameof(FlattenNode), nameof(OperatorNode), nameof(BiasAddNode),
            }));
            Assert.That(graph.Nodes[1].Name, Is.EqualTo("/bn1/out"), "the bias node computes the normalization's output");
            Assert.That(graph.Nodes[0].Name, Is.EqualTo("/bn1/out.conv"));
            Assert.That(graph.ElementType, Is.EqualTo(ElementType.Float32));
            Assert.That(model.Inputs.Select(b => (b.OnnxName, b.Value.Name)), Is.EqualTo(new[] { ("image", "image") }));
            Assert.That(model.Outputs.Select(b => b.Value.Shape.ToArray()), Is.EqualTo(new[] { new[] { 2, 5 } }));
            Assert.That(model.ConstantValues.Keys, Is.EquivalentTo(graph.Constants.Select(c => c.Name)));
            Assert.That(model.Opset, Is.EqualTo(13));
        }
    }

    [Test]
    public void The_folded_weights_are_the_convolution_s_scaled_by_the_normalization_per_output_channel()
    {
        var writer = new OnnxModelWriter()
            .Input("x", 1, 1, 3, 3)
            .Initializer("w", [2, 1, 1, 1], 2, 3)
            .Initializer("b", [2], 1, -1)
            .Initializer("s", [2], 4, 1)
            .Initializer("beta", [2], 0.5f, 0)
            .Initializer("mean", [2], 1, 2)
            .Initializer("var", [2], 3, 0)
            .Node("Conv", ["x", "w", "b"], ["c"])
            .Node("BatchNormalization", ["c", "s", "beta", "mean", "var"], ["y"], Float("epsilon", 1))
            .Output("y");
        var model = OnnxImport.Load(writer.Bytes());
        var conv = model.Graph.OperatorNodes.Single();
        using (Assert.EnterMultipleScope())
        {
            // s / sqrt(var + eps) = 4 / 2 = 2 and 1 / 1 = 1.
            Assert.That(model.ConstantValues[conv.Weights!.Value.Name], Is.EqualTo(new[] { 4.0, 3.0 }));
            // (b - mean) * scale + beta = (1 - 1) * 2 + 0.5 and (-1 - 2) * 1 + 0.
            Assert.That(model.ConstantValues["y.bias"], Is.EqualTo(new[] { 0.5, -3.0 }));
        }
    }

    [Test]
    public void A_batch_normalization_that_follows_no_convolution_is_a_scale_and_a_bias()
    {
        var model = OnnxImport.Load(OnnxTestModels.Pooling().Bytes());
        Assert.That(model.Graph.Nodes.OfType<ChannelScaleNode>().Select(n => n.Name), Is.EqualTo(new[] { "normed.scale" }));
    }

    [Test]
    public void Names_that_are_not_graph_names_are_mended_and_bound()
    {
        var model = OnnxImport.Load(new OnnxModelWriter().Input("in put", 1, 2).Node("Relu", "in put", "out put").Output("out put").Bytes());
        Assert.That(model.Inputs.Single().Value.Name, Is.EqualTo("in_put"));
        Assert.That(model.Outputs.Single().OnnxName, Is.EqualTo("out put"));
        Assert.That(model.Outputs.Single().Value.Name, Is.EqualTo("out_put"));
    }

    [Test]
    public void Nodes_no_output_needs_are_not_imported()
    {
        var model = OnnxImport.Load(new OnnxModelWriter().Input("x", 1, 2).Node("Relu", "x", "y").Node("LpNormalization", "x", "unused").Output("y").Bytes());
        Assert.That(model.Graph.Nodes.Select(n => n.Name), Is.EqualTo(new[] { "y" }));
    }

    [Test]
    public void Identity_and_dropout_compute_nothing()
    {
        var model = OnnxImport.Load(new OnnxModelWriter(12).Input("x", 1, 2).Node("Dropout", "x", "d").Node("Identity", "d", "i").Node("Relu", "i", "y").Output("y").Bytes());
        Assert.That(model.Graph.Nodes.Single().Inputs.Single().Name, Is.EqualTo("x"));
    }

    [Test]
    public void Nodes_listed_out_of_order_run_after_what_they_read_and_nodes_in_order_keep_it()
    {
        var writer = new OnnxModelWriter().Input("x", 1, 2, 4, 4)
            .Node("Relu", "b", "y").Node("MaxPool", "a", "b", Ints("kernel_shape", 2, 2)).Node("Relu", "x", "a").Node("Relu", "x", "c").Output("y").Output("c");
        var model = OnnxImport.Load(writer.Bytes());
        Assert.That(model.Graph.Nodes.Select(n => n.Name), Is.EqualTo(new[] { "a", "b", "y", "c" }));
    }
}
