using System.Numerics.Tensors;
using Swatop.Core;
using Swatop.Core.GraphFusion;
using Swatop.Core.Graphs;
using Swatop.Core.GraphTuning;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Graphs;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Tests.GraphFusion;

/// <summary>
/// The fusion pass on small graphs: what it folds into an operator's epilogue, what it leaves alone, and that the
/// fused graph computes exactly what the unfused one does, on the host reference and on the emulated chip.
/// </summary>
public sealed class EpilogueFusionTests
{
    private const int Seed = 5;

    /// <summary>
    /// A bottleneck-like block: conv, bias, ReLU, conv, bias, the input added back, ReLU; a shortcut convolution
    /// when <paramref name="downsample"/>, whose output the add reads beside the main branch.
    /// </summary>
    private static OperatorGraph Block(int batch = 2, bool downsample = false, ElementType elementType = ElementType.Float32)
    {
        var b = new GraphBuilder("block", elementType);
        var x = b.Input("x", batch, 8, 6, 6);
        var r1 = b.Relu("relu1", b.BiasAdd("bias1", b.Conv2d("conv1", x, 8, kernel: 3, padding: 1)));
        var c2 = b.BiasAdd("bias2", b.Conv2d("conv2", r1, 8, kernel: 3, padding: 1));
        var shortcut = downsample ? b.BiasAdd("bias3", b.Conv2d("conv3", x, 8, kernel: 1)) : x;
        var y = b.Relu("relu2", b.Add("add", c2, shortcut));
        return b.Output(y).Build();
    }

    private static float[] Flat(Tensor<float> tensor)
    {
        var values = new float[tensor.FlattenedLength];
        tensor.FlattenTo(values);
        return values;
    }

    [Test]
    public void A_bias_a_relu_and_a_residual_add_fold_into_the_convolution_that_produces_them()
    {
        var fused = Block().FuseEpilogues();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(fused.Nodes.Select(n => n.Name), Is.EqualTo(new[] { "relu1", "relu2" }));
            var first = (OperatorNode)fused.Node("relu1");
            var second = (OperatorNode)fused.Node("relu2");
            Assert.That(first.Spec.Epilogue.ToString(), Is.EqualTo("bias relu"));
            Assert.That(second.Spec.Epilogue.ToString(), Is.EqualTo("bias residual relu"));
            Assert.That(second.Operands.Select(o => o.ToString()), Is.EqualTo(new[] { "input = relu1", "weights = conv2.weights", "bias = bias2.bias", "residual = x" }));
            Assert.That(second.Weights!.Value.Name, Is.EqualTo("conv2.weights"));
            Assert.That(second.Operation, Does.EndWith("+ bias residual relu"));
            Assert.That(fused.Outputs.Single().Name, Is.EqualTo("relu2"));
            Assert.That(fused.Constants.Select(c => c.Name), Is.EqualTo(Block().Constants.Select(c => c.Name)));
        }
    }

    [TestCase(false)]
    [TestCase(true)]
    public void A_fused_graph_s_reference_output_equals_the_unfused_graph_s_exactly(bool downsample)
    {
        var graph = Block(downsample: downsample);
        var fused = graph.FuseEpilogues();
        var tensors = GraphReferenceOperands.Draw<float>(graph, Seed);

        var expected = Flat(GraphReference.EvaluateOutputs(graph, tensors)["relu2"]);
        var actual = Flat(GraphReference.EvaluateOutputs(fused, tensors)["relu2"]);

        Assert.That(fused.Nodes, Has.Length.LessThan(graph.Nodes.Length));
        Assert.That(actual, Is.EqualTo(expected));
        Assert.That(expected.Count(v => v > 0), Is.GreaterThan(expected.Length / 10), "a block whose output is all zeros checks nothing");
    }

    [Test]
    public void With_a_shortcut_convolution_one_of_the_two_producers_takes_the_add_and_reads_the_other_as_its_residual()
    {
        var fused = Block(downsample: true).FuseEpilogues();
        var withResidual = fused.OperatorNodes.Where(n => n.Spec.Epilogue.Steps.OfType<ResidualAddStep>().Any()).ToList();

        Assert.That(withResidual, Has.Count.EqualTo(1));
        Assert.That(fused.OperatorNodes.Select(n => n.Spec.Epilogue.ToString()), Is.EquivalentTo(new[] { "bias relu", "bias residual relu", "bias" }));
        Assert.That(fused.Nodes.OfType<AddNode>(), Is.Empty);
    }

    [Test]
    public void A_value_with_a_second_reader_or_marked_as_an_output_is_not_folded_past()
    {
        var b = new GraphBuilder("branch", ElementType.Float32);
        var x = b.Input("x", 1, 4, 5, 5);
        var conv = b.Conv2d("conv", x, 4, kernel: 3, padding: 1);
        var bias = b.BiasAdd("bias", conv);
        var relu = b.Relu("relu", bias);
        var other = b.Relu("other", bias);
        var c2 = b.Conv2d("conv2", b.Add("sum", relu, other), 4, kernel: 1);
        var graph = b.Output(c2).Output(b.Relu("after", c2)).Build();

        var fused = graph.FuseEpilogues();

        // The bias has two readers, so the chain stops after it; conv2's output is a graph output, so its ReLU stays.
        Assert.That(fused.Nodes.Select(n => n.Name), Is.EqualTo(new[] { "bias", "relu", "other", "sum", "conv2", "after" }));
        Assert.That(((OperatorNode)fused.Node("bias")).Spec.Epilogue.ToString(), Is.EqualTo("bias"));
        Assert.That(((OperatorNode)fused.Node("conv2")).Spec.Epilogue.IsEmpty);
    }

    [Test]
    public void An_add_of_the_operator_s_own_input_two_clips_in_a_row_and_a_graph_without_chains_stay_as_they_are()
    {
        var b = new GraphBuilder("stays", ElementType.Float32);
        var x = b.Input("x", 1, 4, 5, 5);
        var conv = b.Conv2d("conv", x, 4, kernel: 3, padding: 1);
        var clipped = b.Clip("clip2", b.Relu("relu", conv), -1, 3);
        var graph = b.Output(b.Add("add", clipped, x)).Build();
        var fused = graph.FuseEpilogues();

        var plain = new GraphBuilder("plain", ElementType.Float32);
        var input = plain.Input("x", 1, 4, 5, 5);
        var unchanged = plain.Output(plain.MaxPool("pool", plain.Conv2d("conv", input, 4, kernel: 1), kernel: 2)).Build();

        using (Assert.EnterMultipleScope())
        {
            // The ReLU folds; the second clip would follow a clip, and the add reads the convolution's own input.
            Assert.That(fused.Nodes.Select(n => n.Name), Is.EqualTo(new[] { "relu", "clip2", "add" }));
            Assert.That(((OperatorNode)fused.Node("relu")).Spec.Epilogue.ToString(), Is.EqualTo("relu"));
            Assert.That(unchanged.FuseEpilogues(), Is.SameAs(unchanged));
        }
    }

    [Test]
    public void A_fully_connected_layer_takes_its_bias_and_a_batched_product_s_rows_are_no_channels()
    {
        var b = new GraphBuilder("dense", ElementType.Float32);
        var x = b.Input("x", 3, 6);
        var fc = b.Clip("relu6", b.BiasAdd("fc.b", b.FullyConnected("fc", x, 5)), 0, 6);
        var left = b.Input("l", 2, 4, 3);
        var right = b.Input("r", 2, 3, 4);
        var product = b.BiasAdd("product.b", b.Gemm("product", left, right));
        var graph = b.Output(fc).Output(product).Build();

        var fused = graph.FuseEpilogues();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(((OperatorNode)fused.Node("relu6")).Spec.Epilogue.ToString(), Is.EqualTo("bias relu6"));
            Assert.That(fused.Node("product.b"), Is.InstanceOf<BiasAddNode>());
            var tensors = GraphReferenceOperands.Draw<float>(graph, Seed);
            Assert.That(Flat(GraphReference.EvaluateOutputs(fused, tensors)["relu6"]), Is.EqualTo(Flat(GraphReference.EvaluateOutputs(graph, tensors)["relu6"])));
        }
    }

    [Test]
    public void A_fused_graph_tuned_and_run_on_the_emulator_matches_its_reference_with_the_batch_shared_by_the_core_groups()
    {
        // A batch of four lets the graph tuner offer kernels whose core groups share the batch, so the residual
        // must reach the kernel in the output's arrangement.
        var graph = Block(batch: 4, downsample: true, elementType: ElementType.Float64).FuseEpilogues();
        var tensors = GraphReferenceOperands.Draw<double>(graph, Seed);
        var tuned = graph.Tune(Sw26010Target.Default, new TuningOptions { Trials = 2, Seed = 3 });

        var expected = GraphReference.EvaluateOutputs(graph, tensors)["relu2"];
        var actual = Sw26010GraphRun.Run(tuned, tensors)["relu2"];

        var e = new double[expected.FlattenedLength];
        var a = new double[actual.FlattenedLength];
        expected.FlattenTo(e);
        actual.FlattenTo(a);
        Assert.That(tuned.Layers.Select(l => l.Operator.Epilogue.ToString()), Is.EquivalentTo(new[] { "bias relu", "bias residual relu", "bias" }));
        Assert.That(a.Zip(e).Max(p => Math.Abs(p.First - p.Second) / (1 + Math.Abs(p.Second))), Is.LessThan(1e-12));
    }
}
