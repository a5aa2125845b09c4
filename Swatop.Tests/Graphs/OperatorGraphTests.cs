using Swatop.Core;
using Swatop.Core.Graphs;
using Swatop.Primitives;

namespace Swatop.Tests.Graphs;

/// <summary>The queries a network tuner needs: producers, consumers, operator nodes, distinct operators, flops; and the text dump.</summary>
public sealed class OperatorGraphTests
{
    /// <summary>Two identical 3 x 3 convolutions in a residual block, a 1 x 1 projection beside them, a pooling and a classifier.</summary>
    private static OperatorGraph Block()
    {
        var b = new GraphBuilder("block", ElementType.Float32);
        var x = b.Input("data", 2, 8, 6, 6);
        var y = b.Conv2d("conv1", x, 8, kernel: 3, padding: 1);
        y = b.Conv2d("conv2", y, 8, kernel: 3, padding: 1);
        var shortcut = b.Conv2d("project", x, 8, kernel: 1);
        y = b.Add("add", y, shortcut);
        y = b.MaxPool("pool", y, kernel: 3, stride: 2, padding: 1);
        y = b.Flatten("flatten", b.GlobalAveragePool("avgpool", y));
        return b.Output(b.FullyConnected("fc", y, 10)).Build();
    }

    [Test]
    public void Nodes_are_in_execution_order_and_values_list_inputs_constants_then_outputs()
    {
        var graph = Block();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(graph.Name, Is.EqualTo("block"));
            Assert.That(graph.ElementType, Is.EqualTo(ElementType.Float32));
            Assert.That(graph.Nodes.Select(n => n.Name), Is.EqualTo(new[] { "conv1", "conv2", "project", "add", "pool", "avgpool", "flatten", "fc" }));
            Assert.That(graph.Inputs.Select(v => v.Name), Is.EqualTo(new[] { "data" }));
            Assert.That(graph.Constants.Select(v => v.Name), Is.EqualTo(new[] { "conv1.weights", "conv2.weights", "project.weights", "fc.weights" }));
            Assert.That(graph.Outputs.Select(v => v.Name), Is.EqualTo(new[] { "fc" }));
            Assert.That(graph.Values.Select(v => v.Name), Is.EqualTo(
                new[] { "data", "conv1.weights", "conv2.weights", "project.weights", "fc.weights", "conv1", "conv2", "project", "add", "pool", "avgpool", "flatten", "fc" }));
        }
    }

    [Test]
    public void Each_value_knows_its_producer_and_its_consumers()
    {
        var graph = Block();
        var data = graph.Value("data");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(graph.ProducerOf(data), Is.Null);
            Assert.That(graph.ConsumersOf(data).Select(n => n.Name), Is.EqualTo(new[] { "conv1", "project" }));
            Assert.That(graph.ProducerOf(graph.Value("add")), Is.SameAs(graph.Node("add")));
            Assert.That(graph.ConsumersOf(graph.Value("conv2")).Select(n => n.Name), Is.EqualTo(new[] { "add" }));
            Assert.That(graph.ConsumersOf(graph.Value("conv1.weights")).Select(n => n.Name), Is.EqualTo(new[] { "conv1" }));
            Assert.That(graph.ProducerOf(graph.Value("fc.weights")), Is.Null);
            Assert.That(graph.ConsumersOf(graph.Value("fc")), Is.Empty);
            Assert.That(graph.IsOutput(graph.Value("fc")), Is.True);
            Assert.That(graph.IsOutput(graph.Value("add")), Is.False);
        }
    }

    [Test]
    public void A_node_reading_a_value_twice_is_one_consumer()
    {
        var b = new GraphBuilder("g");
        var x = b.Input("x", 1, 2, 3, 3);
        var graph = b.Output(b.Add("double", x, x)).Build();
        Assert.That(graph.ConsumersOf(x).Select(n => n.Name), Is.EqualTo(new[] { "double" }));
    }

    [Test]
    public void A_value_or_node_of_another_graph_or_name_is_refused()
    {
        var graph = Block();
        var other = new GraphBuilder("other");
        var stranger = other.Input("data", 1, 1);
        Assert.Throws<ArgumentException>(() => graph.ConsumersOf(stranger));
        Assert.Throws<ArgumentException>(() => graph.ProducerOf(stranger));
        Assert.That(Assert.Throws<KeyNotFoundException>(() => graph.Node("nope"))!.Message, Does.Contain("'nope'"));
        Assert.That(Assert.Throws<KeyNotFoundException>(() => graph.Value("nope"))!.Message, Does.Contain("'nope'"));
    }

    [Test]
    public void Identical_operators_are_one_distinct_operator_used_by_several_nodes()
    {
        var graph = Block();
        var distinct = graph.DistinctOperators;
        var conv3x3 = Operator.Conv2d(2, 8, 8, 6, 6, 3, padding: 1, elementType: ElementType.Float32);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(graph.OperatorNodes.Select(n => n.Name), Is.EqualTo(new[] { "conv1", "conv2", "project", "fc" }));
            Assert.That(distinct, Has.Length.EqualTo(3));
            Assert.That(distinct[0].Spec, Is.EqualTo(conv3x3));
            Assert.That(distinct[0].Nodes, Is.EqualTo(new[] { "conv1", "conv2" }));
            Assert.That(distinct[0].Count, Is.EqualTo(2));
            Assert.That(distinct[0].Flops, Is.EqualTo(2 * conv3x3.Flops));
            Assert.That(distinct[1].Nodes, Is.EqualTo(new[] { "project" }));
            Assert.That(distinct[2].Spec.Kind, Is.EqualTo(OperatorKind.FullyConnected));
            Assert.That(graph.Flops, Is.EqualTo(graph.OperatorNodes.Sum(n => n.Spec.Flops)));
            Assert.That(graph.Flops, Is.EqualTo(distinct.Sum(d => d.Flops)));
        }
    }

    [Test]
    public void The_text_has_a_line_per_node_with_its_operation_inputs_and_shape()
    {
        var text = Block().ToString().Split('\n');
        Assert.That(text, Is.EqualTo(new[]
        {
            "graph block Float32: 8 nodes, 4 operators (3 distinct), 175,424 flops",
            "input data [2, 8, 6, 6]",
            "conv1: Conv2d k=3x3 s=1x1 p=1,1,1,1 (data, conv1.weights) -> [2, 8, 6, 6]",
            "conv2: Conv2d k=3x3 s=1x1 p=1,1,1,1 (conv1, conv2.weights) -> [2, 8, 6, 6]",
            "project: Conv2d k=1x1 s=1x1 p=0,0,0,0 (data, project.weights) -> [2, 8, 6, 6]",
            "add: Add (conv2, project) -> [2, 8, 6, 6]",
            "pool: MaxPool k=3x3 s=2x2 p=1x1 (add) -> [2, 8, 3, 3]",
            "avgpool: GlobalAveragePool (pool) -> [2, 8, 1, 1]",
            "flatten: Flatten (avgpool) -> [2, 8]",
            "fc: FullyConnected 8->10 (flatten, fc.weights) -> [2, 10]",
            "output fc [2, 10]",
        }));
    }

    [Test]
    public void A_gemm_prints_its_sizes_and_transpositions()
    {
        var b = new GraphBuilder("g");
        var node = b.Gemm("mm", b.Input("a", 6, 4), b.Input("b", 5, 6), transposeA: true, transposeB: true);
        Assert.That(b.Output(node).Build().Node("mm").ToString(), Is.EqualTo("mm: Gemm m=4 n=5 k=6 ta tb (a, b) -> [4, 5]"));
    }

    [Test]
    public void Nodes_and_values_compare_by_value()
    {
        static OperatorGraph Make() => Block();
        var (first, second) = (Make(), Make());
        Assert.That(second.Nodes, Is.EqualTo(first.Nodes));
        Assert.That(second.Values, Is.EqualTo(first.Values));
        Assert.That(second.DistinctOperators, Is.EqualTo(first.DistinctOperators));
        Assert.That(second.Node("conv1"), Is.Not.EqualTo(second.Node("conv2")));
    }
}
