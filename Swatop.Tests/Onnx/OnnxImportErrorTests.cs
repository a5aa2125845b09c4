using System.Diagnostics;
using Google.Protobuf;
using Onnx;
using Swatop.Core.Onnx;
using static Swatop.Tests.Onnx.OnnxModelWriter;

namespace Swatop.Tests.Onnx;

/// <summary>A model file is untrusted input: every rule it breaks is an <see cref="OnnxImportException"/> with a stable identifier, in bounded time.</summary>
public sealed class OnnxImportErrorTests
{
    private static OnnxImportException Refused(byte[] bytes, string id, OnnxImportOptions? options = null)
    {
        var e = Assert.Throws<OnnxImportException>(() => OnnxImport.Load(bytes, options))!;
        Assert.That(e.Id, Is.EqualTo(id), e.Message);
        Assert.That(e.Message, Does.StartWith(id + ": "));
        return e;
    }

    private static OnnxModelWriter Tiny(int opset = 13) =>
        new OnnxModelWriter(opset).Input("x", 1, 2, 4, 4).Node("Relu", "x", "y").Output("y");

    [Test]
    public void A_truncated_file_is_refused_as_unreadable()
    {
        var bytes = OnnxTestModels.ConvBnRelu().Bytes();
        var e = Refused(bytes[..(bytes.Length / 2)], OnnxDiagnostics.UnreadableModel);
        Assert.That(e.Message, Does.Contain("truncated or corrupt"));
    }

    [Test]
    public void Every_truncation_and_corruption_of_a_model_is_a_clear_error_or_a_model_never_a_crash()
    {
        var bytes = OnnxTestModels.ResidualBlock().Bytes();
        var random = new Random(5);
        var watch = Stopwatch.StartNew();
        var refused = 0;
        var cases = Enumerable.Range(0, 200).Select(i => bytes[..(i * bytes.Length / 200)])
            .Concat(Enumerable.Range(0, 300).Select(_ =>
            {
                var copy = (byte[])bytes.Clone();
                for (var k = random.Next(1, 4); k > 0; k--)
                {
                    copy[random.Next(copy.Length)] = (byte)random.Next(256);
                }

                return copy;
            }));
        foreach (var input in cases)
        {
            try
            {
                OnnxImport.Load(input);
            }
            catch (OnnxImportException e)
            {
                Assert.That(e.Id, Does.StartWith("SWO"), e.Message);
                refused++;
            }
        }

        Assert.That(refused, Is.GreaterThan(200), "most damaged models are refused");
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
    }

    [Test]
    public void A_model_over_the_size_limit_is_refused_before_it_is_parsed()
    {
        var bytes = Tiny().Bytes();
        Refused(bytes, OnnxDiagnostics.ModelTooLarge, new OnnxImportOptions { MaxModelBytes = 10 });
        var e = Assert.Throws<OnnxImportException>(() => OnnxImport.Load(new MemoryStream(bytes), new OnnxImportOptions { MaxModelBytes = 10 }))!;
        Assert.That(e.Id, Is.EqualTo(OnnxDiagnostics.ModelTooLarge));
    }

    [Test]
    public void Empty_bytes_are_a_model_without_a_graph()
    {
        Refused([], OnnxDiagnostics.NoGraph);
    }

    [TestCase(9)]
    [TestCase(22)]
    public void An_opset_outside_11_to_21_is_refused_with_its_version(int opset)
    {
        var e = Refused(Tiny(opset).Bytes(), OnnxDiagnostics.UnsupportedOpset);
        Assert.That(e.Message, Does.Contain($"opset {opset}"));
    }

    [Test]
    public void An_operator_it_cannot_run_names_the_node_its_op_type_and_the_opset()
    {
        var bytes = new OnnxModelWriter(15).Input("x", 1, 2, 4, 4).Node("Relu", "x", "r").Node("LpNormalization", "r", "y").Output("y").Bytes();
        var e = Refused(bytes, OnnxDiagnostics.UnsupportedOperator);
        Assert.That(e.Message, Does.Contain("node 'LpNormalization_1' (LpNormalization, opset 15)"));
    }

    [Test]
    public void A_one_dimensional_convolution_is_a_use_that_does_not_run()
    {
        var bytes = new OnnxModelWriter().Input("x", 1, 2, 8).Weights("w", 4, 2, 3).Node("Conv", ["x", "w"], ["y"]).Output("y").Bytes();
        var e = Refused(bytes, OnnxDiagnostics.UnsupportedUse);
        Assert.That(e.Message, Does.Contain("(Conv, opset 13)").And.Contain("rank 4"));
    }

    [Test]
    public void An_unknown_attribute_is_refused_rather_than_ignored()
    {
        var bytes = new OnnxModelWriter().Input("x", 1, 2, 4, 4).Node("Relu", "x", "y", Int("alpha", 1)).Output("y").Bytes();
        Assert.That(Refused(bytes, OnnxDiagnostics.UnsupportedUse).Message, Does.Contain("'alpha'"));
    }

    [Test]
    public void A_stride_of_zero_is_an_invalid_attribute()
    {
        var bytes = new OnnxModelWriter().Input("x", 1, 2, 8, 8).Weights("w", 4, 2, 3, 3).Node("Conv", ["x", "w"], ["y"], Ints("strides", 0, 1)).Output("y").Bytes();
        Assert.That(Refused(bytes, OnnxDiagnostics.InvalidAttribute).Message, Does.Contain("strides = [0, 1]"));
    }

    [Test]
    public void A_tensor_nobody_provides_is_dangling()
    {
        var bytes = new OnnxModelWriter().Input("x", 1, 2, 4, 4).Node("Add", ["x", "ghost"], ["y"]).Output("y").Bytes();
        Assert.That(Refused(bytes, OnnxDiagnostics.DanglingTensor).Message, Does.Contain("'ghost'"));
        var output = new OnnxModelWriter().Input("x", 1, 2, 4, 4).Node("Relu", "x", "y").Output("nowhere").Bytes();
        Assert.That(Refused(output, OnnxDiagnostics.DanglingTensor).Message, Does.Contain("'nowhere'"));
    }

    [Test]
    public void Nodes_that_read_each_other_are_a_cycle()
    {
        var bytes = new OnnxModelWriter().Input("x", 1, 2, 4, 4)
            .Node("Add", ["x", "b"], ["a"]).Node("Relu", "a", "b").Node("Relu", "b", "y").Output("y").Bytes();
        Assert.That(Refused(bytes, OnnxDiagnostics.Cycle).Message, Does.Contain("cycle"));
    }

    [Test]
    public void Two_providers_of_one_tensor_are_refused()
    {
        var bytes = new OnnxModelWriter().Input("x", 1, 2, 4, 4).Node("Relu", "x", "y").Node("Relu", "x", "y").Output("y").Bytes();
        Refused(bytes, OnnxDiagnostics.DuplicateTensor);
    }

    [Test]
    public void Initializer_data_that_does_not_fill_its_dimensions_is_refused()
    {
        var typed = new OnnxModelWriter().Input("x", 1, 2, 4, 4).Initializer("w", [4, 2, 1, 1], 1, 2, 3).Node("Conv", ["x", "w"], ["y"]).Output("y").Bytes();
        Assert.That(Refused(typed, OnnxDiagnostics.InvalidTensorData).Message, Does.Contain("initializer 'w' has 3 values"));
        var raw = new OnnxModelWriter().Input("x", 1, 2, 4, 4).RawInitializer("w", [4, 2, 1, 1], new byte[30]).Node("Conv", ["x", "w"], ["y"]).Output("y").Bytes();
        Assert.That(Refused(raw, OnnxDiagnostics.InvalidTensorData).Message, Does.Contain("30 bytes"));
    }

    [Test]
    public void A_declared_shape_that_disagrees_with_its_initializer_is_refused()
    {
        var writer = new OnnxModelWriter().Input("x", 1, 2, 4, 4).Weights("w", 4, 2, 1, 1).Node("Conv", ["x", "w"], ["y"]).Output("y");
        writer.Graph.Input.Add(new ValueInfoProto
        {
            Name = "w",
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1, Shape = new TensorShapeProto { Dim = { new TensorShapeProto.Types.Dimension { DimValue = 4 }, new TensorShapeProto.Types.Dimension { DimValue = 3 } } } } },
        });
        Assert.That(Refused(writer.Bytes(), OnnxDiagnostics.ShapeMismatch).Message, Does.Contain("'w' is declared [4, 3]"));
    }

    [Test]
    public void Convolution_weights_that_do_not_fit_the_input_channels_are_a_shape_mismatch()
    {
        var bytes = new OnnxModelWriter().Input("x", 1, 3, 4, 4).Weights("w", 4, 2, 1, 1).Node("Conv", ["x", "w"], ["y"]).Output("y").Bytes();
        Refused(bytes, OnnxDiagnostics.ShapeMismatch);
    }

    [Test]
    public void Dimensions_whose_product_overflows_are_refused_before_anything_is_allocated()
    {
        var input = new OnnxModelWriter().Input("x", 100_000, 100_000, 100_000, 2).Node("Relu", "x", "y").Output("y").Bytes();
        Assert.That(Refused(input, OnnxDiagnostics.InvalidDimension).Message, Does.Contain("exceeds int.MaxValue"));
        var huge = new OnnxModelWriter().Input("x", 1, 2, 4, 4).Initializer("w", [1L << 40, 1L << 40]).Node("Add", ["x", "w"], ["y"]).Output("y").Bytes();
        Refused(huge, OnnxDiagnostics.InvalidDimension);
        var negative = new OnnxModelWriter().Input("x", 1, -2, 4, 4).Node("Relu", "x", "y").Output("y").Bytes();
        Refused(negative, OnnxDiagnostics.InvalidDimension);
    }

    [Test]
    public void A_symbolic_batch_needs_a_batch_size_and_takes_the_one_given()
    {
        var bytes = new OnnxModelWriter().SymbolicInput("x", "N", 2, 4, 4).Node("Relu", "x", "y").Output("y").Bytes();
        Assert.That(Refused(bytes, OnnxDiagnostics.InvalidDimension).Message, Does.Contain("'N'"));
        var model = OnnxImport.Load(bytes, new OnnxImportOptions { BatchSize = 3 });
        Assert.That(model.Graph.Inputs[0].Shape, Is.EqualTo(new[] { 3, 2, 4, 4 }));
        Refused(bytes, OnnxDiagnostics.InvalidOption, new OnnxImportOptions { BatchSize = 0 });
    }

    [Test]
    public void An_integer_input_is_an_unsupported_element_type()
    {
        var bytes = new OnnxModelWriter().TypedInput("x", TensorProto.Types.DataType.Int32, 1, 2).Node("Relu", "x", "y").Output("y").Bytes();
        Refused(bytes, OnnxDiagnostics.UnsupportedElementType);
    }

    [Test]
    public void A_node_the_graph_layer_refuses_carries_its_graph_diagnostic()
    {
        var bytes = new OnnxModelWriter().Input("x", 1, 2, 8, 8).Node("MaxPool", "x", "y", Ints("kernel_shape", 2, 2), Ints("pads", 2, 2, 2, 2)).Output("y").Bytes();
        var e = Refused(bytes, OnnxDiagnostics.InvalidGraph);
        Assert.That(e.Message, Does.Contain("SWG0007").And.Contain("(MaxPool, opset 13)"));
    }

    [Test]
    public void A_missing_required_input_is_named()
    {
        var bytes = new OnnxModelWriter().Input("x", 1, 2, 8, 8).Node("Conv", ["x"], ["y"]).Output("y").Bytes();
        Assert.That(Refused(bytes, OnnxDiagnostics.MissingInput).Message, Does.Contain("input 1 (W)"));
    }

    [Test]
    public void Imported_from_a_file_a_missing_file_is_unreadable()
    {
        var e = Assert.Throws<OnnxImportException>(() => OnnxImport.Load(Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.onnx")))!;
        Assert.That(e.Id, Is.EqualTo(OnnxDiagnostics.UnreadableModel));
    }

    [Test]
    public void A_deeply_nested_attribute_graph_is_refused_by_the_reader_s_depth_limit()
    {
        var inner = new GraphProto { Name = "g" };
        for (var i = 0; i < 200; i++)
        {
            var node = new NodeProto { OpType = "If" };
            node.Attribute.Add(new AttributeProto { Name = "then_branch", Type = AttributeProto.Types.AttributeType.Graph, G = inner });
            inner = new GraphProto { Name = "g", Node = { node } };
        }

        var model = Tiny().Model();
        model.Graph.Node.Add(new NodeProto { OpType = "If", Attribute = { new AttributeProto { Name = "then_branch", G = inner } } });
        Refused(model.ToByteArray(), OnnxDiagnostics.UnreadableModel);
    }
}
