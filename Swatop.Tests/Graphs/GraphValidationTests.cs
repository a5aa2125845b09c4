using Swatop.Core.Graphs;
using Swatop.Primitives;

namespace Swatop.Tests.Graphs;

/// <summary>Every refusal of the builder names its rule's id, the parameter, the node and the values at fault.</summary>
public sealed class GraphValidationTests
{
    private static (GraphBuilder Builder, GraphValue X) Start()
    {
        var b = new GraphBuilder("net");
        return (b, b.Input("x", 1, 4, 8, 8));
    }

    [TestCase("")]
    [TestCase("conv 1")]
    [TestCase("conv\t1")]
    public void A_node_name_with_white_space_or_nothing_is_refused(string name)
    {
        var (b, x) = Start();
        GraphMust.Fail(() => b.MaxPool(name, x, 2), GraphDiagnostics.InvalidName, "name", $"name = \"{name}\" is not a valid node name");
    }

    [Test]
    public void A_graph_name_and_an_input_name_follow_the_same_rule()
    {
        GraphMust.Fail(() => _ = new GraphBuilder(" "), GraphDiagnostics.InvalidName, "name", "is not a valid graph name");
        GraphMust.Fail(() => new GraphBuilder("g").Input("a b", 1), GraphDiagnostics.InvalidName, "name", "is not a valid input name");
    }

    [Test]
    public void A_duplicate_node_name_is_refused_naming_what_has_it()
    {
        var (b, x) = Start();
        b.MaxPool("pool", x, 2);
        GraphMust.Fail(() => b.MaxPool("pool", x, 2), GraphDiagnostics.DuplicateName, "name", "name = \"pool\" is already the name of a node of graph 'net'");
        GraphMust.Fail(() => b.GlobalAveragePool("x", x), GraphDiagnostics.DuplicateName, "name", "\"x\" is already the name of an input");
        GraphMust.Fail(() => b.Input("pool", 1), GraphDiagnostics.DuplicateName, "name", "\"pool\" is already the name of a node");
    }

    [Test]
    public void A_node_whose_name_would_clash_with_a_constant_is_refused()
    {
        var (b, x) = Start();
        b.Conv2d("conv", x, 4, kernel: 1);
        GraphMust.Fail(() => b.MaxPool("conv.weights", x, 2), GraphDiagnostics.DuplicateName, "name", "\"conv.weights\" is already the name of a constant");
        var (c, y) = Start();
        c.MaxPool("conv.weights", y, 2);
        GraphMust.Fail(() => c.Conv2d("conv", y, 4, kernel: 1), GraphDiagnostics.DuplicateName, "name", "name = \"conv\" names its weights \"conv.weights\", which is already the name of a node");
    }

    [Test]
    public void A_value_of_another_builder_is_refused_even_when_it_looks_the_same()
    {
        var (b, _) = Start();
        var (_, other) = Start();
        GraphMust.Fail(() => b.Conv2d("conv", other, 4, kernel: 1), GraphDiagnostics.ForeignValue, "input",
            "Conv2d 'conv': input = 'x' [1, 4, 8, 8] is not a value of graph 'net'");
        GraphMust.Fail(() => b.Output(other), GraphDiagnostics.ForeignValue, "value");
        GraphMust.Fail(() => b.Add("add", other, other), GraphDiagnostics.ForeignValue, "left");
    }

    [Test]
    public void Adding_two_shapes_names_both_values_and_shapes()
    {
        var (b, x) = Start();
        var wide = b.Conv2d("layer1.0.conv3", x, 16, kernel: 1);
        GraphMust.Fail(() => b.Add("layer1.0.add", wide, x), GraphDiagnostics.ShapeMismatch, "right",
            "Add 'layer1.0.add': left = 'layer1.0.conv3' [1, 16, 8, 8] and right = 'x' [1, 4, 8, 8] differ in shape");
    }

    [Test]
    public void A_gemm_whose_inner_dimensions_differ_is_refused()
    {
        var b = new GraphBuilder("g");
        var a = b.Input("a", 4, 6);
        var c = b.Input("b", 5, 6);
        GraphMust.Fail(() => b.Gemm("mm", a, c), GraphDiagnostics.ShapeMismatch, "b",
            "a = 'a' [4, 6] (transposeA = False) has K = 6 but b = 'b' [5, 6] (transposeB = False) has K = 5");
        GraphMust.Fail(() => b.Gemm("mm", a, b.Input("c", 2, 6, 5)), GraphDiagnostics.ShapeMismatch, "b", "both must be matrices");
        GraphMust.Fail(() => b.Gemm("mm", b.Input("d", 1, 4, 6), b.Input("e", 1, 6, 5)), GraphDiagnostics.ShapeMismatch, "a", "at least two");
    }

    [Test]
    public void A_layer_given_a_value_of_the_wrong_rank_says_what_it_takes()
    {
        var b = new GraphBuilder("g");
        var flat = b.Input("flat", 2, 10);
        GraphMust.Fail(() => b.Conv2d("conv", flat, 4, kernel: 1), GraphDiagnostics.RankMismatch, "input",
            "Conv2d 'conv': input = 'flat' [2, 10] has 2 dimensions; Conv2d takes 4, [N][C][H][W]");
        GraphMust.Fail(() => b.FullyConnected("fc", b.Input("image", 2, 3, 4, 4), 10), GraphDiagnostics.RankMismatch, "input", "flatten an NCHW value first");
        GraphMust.Fail(() => b.MaxPool("pool", flat, 2), GraphDiagnostics.RankMismatch, "input", "MaxPool takes 4");
        GraphMust.Fail(() => b.GlobalAveragePool("avg", flat), GraphDiagnostics.RankMismatch, "input", "GlobalAveragePool takes 4");
        GraphMust.Fail(() => b.Flatten("flatten", b.Input("vector", 7)), GraphDiagnostics.RankMismatch, "input", "takes two or more");
    }

    [Test]
    public void An_operator_the_describe_stage_refuses_is_named_with_both_diagnostics()
    {
        var (b, x) = Start();
        var e = GraphMust.Fail(() => b.Conv2d("conv", x, 4, kernel: 11), GraphDiagnostics.InvalidOperator, "kernel",
            "Conv2d 'conv' of 'x' [1, 4, 8, 8]: SWD0020: kernel.Height = 11 is larger than the padded input height 8");
        Assert.That(e.InnerException, Is.TypeOf<Swatop.Core.OperatorDescriptionException>());
        GraphMust.Fail(() => b.Conv2d("conv", x, 0, kernel: 1), GraphDiagnostics.InvalidOperator, "outChannels", "outChannels = 0");
        GraphMust.Fail(() => b.Conv2d("conv", x, 6, kernel: 1, groups: 3), GraphDiagnostics.InvalidOperator, "input", "inChannels = 4 is not a multiple of groups = 3");
        GraphMust.Fail(() => b.FullyConnected("fc", b.Input("v", 2, 3), 0), GraphDiagnostics.InvalidOperator, "outFeatures", "outFeatures = 0");
    }

    [TestCase(0, 1, 0, "kernel", "kernel.Height = 0 is not valid")]
    [TestCase(2, 0, 0, "stride", "stride.Height = 0 is not valid")]
    [TestCase(3, 2, 2, "padding", "padding.Height = 2 is not valid: a padding is at least 0 and at most half the kernel, 3 / 2 = 1")]
    [TestCase(2, 1, -1, "padding", "padding.Height = -1 is not valid")]
    [TestCase(11, 1, 1, "kernel", "kernel.Height = 11 is larger than the padded input height 8 + 2 * 1 = 10")]
    public void A_max_pooling_breaking_a_rule_names_it(int kernel, int stride, int padding, string parameter, string rule)
    {
        var (b, x) = Start();
        GraphMust.Fail(() => b.MaxPool("pool", x, kernel, stride, padding), GraphDiagnostics.InvalidPooling, parameter, "MaxPool 'pool' of 'x' [1, 4, 8, 8]: " + rule);
    }

    [Test]
    public void An_input_shape_needs_a_dimension_each_at_least_one()
    {
        var b = new GraphBuilder("g");
        GraphMust.Fail(() => b.Input("x"), GraphDiagnostics.InvalidShape, "shape", "shape = [] of input 'x'");
        GraphMust.Fail(() => b.Input("x", 1, 0, 3), GraphDiagnostics.InvalidShape, "shape", "shape[1] = 0 of input 'x' [1, 0, 3]");
        GraphMust.Fail(() => b.Input("x", 65536, 65536), GraphDiagnostics.InvalidShape, "shape", "more than int.MaxValue");
    }

    [Test]
    public void An_empty_graph_is_refused()
    {
        var b = new GraphBuilder("empty");
        b.Output(b.Input("x", 1));
        GraphMust.Fail(() => b.Build(), GraphDiagnostics.EmptyGraph, "nodes", "graph 'empty' has no node");
    }

    [Test]
    public void A_graph_without_an_output_is_refused()
    {
        var (b, x) = Start();
        b.MaxPool("pool", x, 2);
        GraphMust.Fail(() => b.Build(), GraphDiagnostics.NoOutput, "outputs", "graph 'net' has no output");
    }

    [Test]
    public void A_value_is_an_output_once()
    {
        var (b, x) = Start();
        var y = b.MaxPool("pool", x, 2);
        b.Output(y);
        GraphMust.Fail(() => b.Output(y), GraphDiagnostics.DuplicateOutput, "value", "value = 'pool' is already an output of graph 'net'");
    }

    [Test]
    public void A_value_nothing_reads_and_no_output_is_refused()
    {
        var (b, x) = Start();
        b.MaxPool("dead", x, 2);
        b.Output(b.GlobalAveragePool("avg", x));
        GraphMust.Fail(() => b.Build(), GraphDiagnostics.UnusedValue, "outputs", "the output of node 'dead' [1, 4, 4, 4] of graph 'net' is read by no node");
        var (c, y) = Start();
        c.Input("unused", 3);
        c.Output(c.MaxPool("pool", y, 2));
        GraphMust.Fail(() => c.Build(), GraphDiagnostics.UnusedValue, "outputs", "input 'unused' [3] of graph 'net' is read by no node");
    }

    [Test]
    public void An_undefined_element_type_is_refused()
    {
        GraphMust.Fail(() => _ = new GraphBuilder("g", (ElementType)7), GraphDiagnostics.UndefinedElementType, "elementType", "elementType = 7 is not a defined ElementType");
    }

    [Test]
    public void A_network_needs_a_batch_of_at_least_one()
    {
        GraphMust.Fail(() => Networks.ResNet50(0, ElementType.Float32), GraphDiagnostics.InvalidShape, "batch", "batch = 0 is not a valid batch size for resnet50");
        GraphMust.Fail(() => Networks.Vgg16(-1, ElementType.Float64), GraphDiagnostics.InvalidShape, "batch", "batch = -1");
        GraphMust.Fail(() => Networks.MobileNetV2(0, ElementType.Float32), GraphDiagnostics.InvalidShape, "batch", "batch = 0 is not a valid batch size for mobilenetv2");
    }

    [Test]
    public void A_null_value_is_an_argument_null_exception()
    {
        var (b, _) = Start();
        Assert.Throws<ArgumentNullException>(() => b.MaxPool("pool", null!, 2));
    }
}
