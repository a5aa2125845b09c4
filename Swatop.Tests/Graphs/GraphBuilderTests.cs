using Swatop.Core;
using Swatop.Core.Graphs;
using Swatop.Primitives;

namespace Swatop.Tests.Graphs;

/// <summary>The builder infers every value's shape, binds each operator's tensors and names the constants after their nodes.</summary>
public sealed class GraphBuilderTests
{
    [Test]
    public void A_convolution_infers_its_output_and_makes_its_weights_a_constant()
    {
        var b = new GraphBuilder("g", ElementType.Float32);
        var x = b.Input("data", 2, 3, 224, 224);
        var y = b.Conv2d("conv1", x, outChannels: 64, kernel: 7, stride: 2, padding: 3);
        var graph = b.Output(y).Build();

        var node = (OperatorNode)graph.Node("conv1");
        var weights = graph.Value("conv1.weights");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(y.Shape, Is.EqualTo(new[] { 2, 64, 112, 112 }));
            Assert.That(y.Name, Is.EqualTo("conv1"));
            Assert.That(y.Kind, Is.EqualTo(GraphValueKind.Computed));
            Assert.That(y.Producer, Is.EqualTo("conv1"));
            Assert.That(y.ElementType, Is.EqualTo(ElementType.Float32));
            Assert.That(weights.Shape, Is.EqualTo(new[] { 64, 3, 7, 7 }));
            Assert.That(weights.Kind, Is.EqualTo(GraphValueKind.Constant));
            Assert.That(weights.Producer, Is.Null);
            Assert.That(graph.Constants, Is.EqualTo(new[] { weights }));
            Assert.That(node.Spec, Is.EqualTo(Operator.Conv2d(2, 3, 64, 224, 224, 7, stride: 2, padding: 3, elementType: ElementType.Float32)));
            Assert.That(node.Activations.Single(), Is.EqualTo(new OperatorOperand("input", x)));
            Assert.That(node.Weights, Is.EqualTo(new OperatorOperand("weights", weights)));
            Assert.That(node.Operand("weights").IsConstant, Is.True);
            Assert.That(node.Inputs, Is.EqualTo(new[] { x, weights }));
            Assert.That(node.Output, Is.SameAs(y));
        }
    }

    [Test]
    public void A_fully_connected_layer_reads_X_from_the_activation_and_W_from_a_constant()
    {
        var b = new GraphBuilder("g");
        var x = b.Input("features", 8, 2048);
        var y = b.FullyConnected("fc", x, 1000);
        var node = (OperatorNode)b.Output(y).Build().Node("fc");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(y.Shape, Is.EqualTo(new[] { 8, 1000 }));
            Assert.That(node.Spec, Is.EqualTo(Operator.FullyConnected(8, 2048, 1000)));
            Assert.That(node.Operand("X").Value, Is.SameAs(x));
            Assert.That(node.Weights!.Tensor, Is.EqualTo("W"));
            Assert.That(node.Weights.Value.Name, Is.EqualTo("fc.weights"));
            Assert.That(node.Weights.Value.Shape, Is.EqualTo(new[] { 1000, 2048 }));
        }
    }

    [TestCase(false, false, new[] { 4, 6 }, new[] { 6, 5 }, new[] { 4, 5 })]
    [TestCase(true, false, new[] { 6, 4 }, new[] { 6, 5 }, new[] { 4, 5 })]
    [TestCase(false, true, new[] { 4, 6 }, new[] { 5, 6 }, new[] { 4, 5 })]
    [TestCase(true, true, new[] { 3, 6, 4 }, new[] { 3, 5, 6 }, new[] { 3, 4, 5 })]
    public void A_gemm_of_two_activations_infers_m_n_k_and_the_batch(bool transposeA, bool transposeB, int[] aShape, int[] bShape, int[] expected)
    {
        var g = new GraphBuilder("g");
        var a = g.Input("a", aShape);
        var bb = g.Input("b", bShape);
        var c = g.Gemm("product", a, bb, transposeA, transposeB);
        var node = (OperatorNode)g.Output(c).Build().Node("product");
        var batch = expected.Length == 3 ? expected[0] : 1;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(c.Shape, Is.EqualTo(expected));
            Assert.That(node.Spec, Is.EqualTo(Operator.Gemm(expected[^2], expected[^1], 6, transposeA, transposeB, batch)));
            Assert.That(node.Weights, Is.Null);
            Assert.That(node.Activations.Select(o => (o.Tensor, o.Value.Name)), Is.EqualTo(new[] { ("A", "a"), ("B", "b") }));
        }
    }

    [TestCase(3, 2, 1, 112, 56)]
    [TestCase(2, 2, 0, 224, 112)]
    [TestCase(3, 1, 1, 7, 7)]
    [TestCase(3, 2, 0, 8, 3)]
    public void A_max_pooling_infers_the_floor_mode_extent(int kernel, int stride, int padding, int size, int expected)
    {
        var b = new GraphBuilder("g");
        var x = b.Input("x", 2, 5, size, size + 1);
        var y = b.MaxPool("pool", x, kernel, stride, padding);
        var node = (MaxPoolNode)b.Output(y).Build().Node("pool");
        var expectedWidth = ((size + 1 + (2 * padding) - kernel) / stride) + 1;
        Assert.That(y.Shape, Is.EqualTo(new[] { 2, 5, expected, expectedWidth }));
        Assert.That((node.Kernel, node.Stride, node.Padding), Is.EqualTo((new Size2(kernel, kernel), new Size2(stride, stride), new Size2(padding, padding))));
    }

    [Test]
    public void A_max_pooling_strides_by_its_kernel_when_no_stride_is_given()
    {
        var b = new GraphBuilder("g");
        var y = b.MaxPool("pool", b.Input("x", 1, 1, 8, 8), kernel: 2);
        Assert.That(y.Shape, Is.EqualTo(new[] { 1, 1, 4, 4 }));
    }

    [Test]
    public void Global_average_pooling_then_flatten_make_a_row_per_image()
    {
        var b = new GraphBuilder("g");
        var x = b.Input("x", 4, 2048, 7, 7);
        var pooled = b.GlobalAveragePool("avgpool", x);
        var flat = b.Flatten("flatten", pooled);
        var vgg = b.Flatten("flatten_vgg", b.Input("y", 4, 512, 7, 7));
        Assert.That(pooled.Shape, Is.EqualTo(new[] { 4, 2048, 1, 1 }));
        Assert.That(flat.Shape, Is.EqualTo(new[] { 4, 2048 }));
        Assert.That(vgg.Shape, Is.EqualTo(new[] { 4, 25088 }));
    }

    [Test]
    public void An_addition_keeps_the_shape_and_reads_both_summands()
    {
        var b = new GraphBuilder("g");
        var x = b.Input("x", 1, 4, 5, 5);
        var y = b.Conv2d("conv", x, 4, kernel: 3, padding: 1);
        var sum = b.Add("add", y, x);
        var node = (AddNode)b.Output(sum).Build().Node("add");
        Assert.That(sum.Shape, Is.EqualTo(x.Shape));
        Assert.That((node.Left, node.Right), Is.EqualTo((y, x)));
        Assert.That(node.Inputs, Is.EqualTo(new[] { y, x }));
    }

    [Test]
    public void Names_may_be_module_paths()
    {
        var b = new GraphBuilder("resnet50");
        var y = b.Conv2d("layer1.0.conv1", b.Input("/data:0", 1, 3, 8, 8), 4, kernel: 1);
        Assert.That(b.Output(y).Build().Constants.Single().Name, Is.EqualTo("layer1.0.conv1.weights"));
    }

    [Test]
    public void The_builder_can_go_on_after_a_build_without_changing_the_graph()
    {
        var b = new GraphBuilder("g");
        var x = b.Input("x", 1, 2, 4, 4);
        var first = b.Output(b.MaxPool("pool", x, 2)).Build();
        b.Output(b.GlobalAveragePool("avg", x));
        var second = b.Build();
        Assert.That(first.Nodes.Select(n => n.Name), Is.EqualTo(new[] { "pool" }));
        Assert.That(second.Nodes.Select(n => n.Name), Is.EqualTo(new[] { "pool", "avg" }));
        Assert.That(second.Outputs.Select(v => v.Name), Is.EqualTo(new[] { "pool", "avg" }));
    }
}
