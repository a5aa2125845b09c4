using Swatop.Core;
using Swatop.Core.GraphFusion;
using Swatop.Core.Graphs;
using Swatop.Hardware.Sw26010.Calibration;
using Swatop.Primitives;

namespace Swatop.Tests.Graphs;

/// <summary>ResNet-50, VGG-16 and MobileNet-v2 as torchvision builds them: layer counts, names, shapes, and the convolutions of the shapes files.</summary>
public sealed class NetworksTests
{
    /// <summary>The operators of a shapes file (one row per distinct convolution), as the command line reads them.</summary>
    private static List<OperatorSpec> ShapesFile(string path)
    {
        var table = CsvTable.ReadFile(RepositoryFiles.PathOf(path));
        return [.. table.Records.Select(r => OperatorDescription.FromFields(table.Columns.Zip(r.Fields).ToDictionary(p => p.First, p => p.Second)).ToOperator())];
    }

    private static int Count<TNode>(OperatorGraph graph) => graph.Nodes.OfType<TNode>().Count();

    private static int Count(OperatorGraph graph, OperatorKind kind) => graph.OperatorNodes.Count(n => n.Kind == kind);

    [Test]
    public void ResNet50_has_53_convolutions_16_residual_sums_two_poolings_and_one_classifier()
    {
        var graph = Networks.ResNet50(128, ElementType.Float32);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Count(graph, OperatorKind.Conv2d), Is.EqualTo(53));
            Assert.That(Count(graph, OperatorKind.FullyConnected), Is.EqualTo(1));
            Assert.That(Count<AddNode>(graph), Is.EqualTo(16));
            Assert.That(Count<MaxPoolNode>(graph), Is.EqualTo(1));
            Assert.That(Count<GlobalAveragePoolNode>(graph), Is.EqualTo(1));
            Assert.That(Count<FlattenNode>(graph), Is.EqualTo(1));
            Assert.That(graph.Nodes, Has.Length.EqualTo(53 + 1 + 16 + 3));
            Assert.That(graph.Constants, Has.Length.EqualTo(54));
            Assert.That(graph.Inputs.Single().Shape, Is.EqualTo(new[] { 128, 3, 224, 224 }));
            Assert.That(graph.Outputs.Single().Name, Is.EqualTo("fc"));
            Assert.That(graph.Outputs.Single().Shape, Is.EqualTo(new[] { 128, 1000 }));
            Assert.That(graph.DistinctOperators, Has.Length.EqualTo(24), "23 distinct convolutions and the classifier");
        }
    }

    [Test]
    public void ResNet50_is_torchvision_v1_5_layer_by_layer()
    {
        var graph = Networks.ResNet50(1, ElementType.Float64);
        string Line(string node) => graph.Node(node).ToString();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Line("conv1"), Is.EqualTo("conv1: Conv2d k=7x7 s=2x2 p=3,3,3,3 (data, conv1.weights) -> [1, 64, 112, 112]"));
            Assert.That(Line("maxpool"), Is.EqualTo("maxpool: MaxPool k=3x3 s=2x2 p=1x1 (conv1) -> [1, 64, 56, 56]"));
            Assert.That(Line("layer1.0.conv1"), Is.EqualTo("layer1.0.conv1: Conv2d k=1x1 s=1x1 p=0,0,0,0 (maxpool, layer1.0.conv1.weights) -> [1, 64, 56, 56]"));
            Assert.That(Line("layer1.0.downsample"), Is.EqualTo("layer1.0.downsample: Conv2d k=1x1 s=1x1 p=0,0,0,0 (maxpool, layer1.0.downsample.weights) -> [1, 256, 56, 56]"));
            Assert.That(Line("layer1.0.add"), Is.EqualTo("layer1.0.add: Add (layer1.0.conv3, layer1.0.downsample) -> [1, 256, 56, 56]"));
            Assert.That(Line("layer1.1.add"), Is.EqualTo("layer1.1.add: Add (layer1.1.conv3, layer1.0.add) -> [1, 256, 56, 56]"));
            Assert.That(Line("layer2.0.conv1"), Is.EqualTo("layer2.0.conv1: Conv2d k=1x1 s=1x1 p=0,0,0,0 (layer1.2.add, layer2.0.conv1.weights) -> [1, 128, 56, 56]"));
            Assert.That(Line("layer2.0.conv2"), Is.EqualTo("layer2.0.conv2: Conv2d k=3x3 s=2x2 p=1,1,1,1 (layer2.0.conv1, layer2.0.conv2.weights) -> [1, 128, 28, 28]"));
            Assert.That(Line("layer2.0.downsample"), Is.EqualTo("layer2.0.downsample: Conv2d k=1x1 s=2x2 p=0,0,0,0 (layer1.2.add, layer2.0.downsample.weights) -> [1, 512, 28, 28]"));
            Assert.That(Line("layer3.5.add"), Is.EqualTo("layer3.5.add: Add (layer3.5.conv3, layer3.4.add) -> [1, 1024, 14, 14]"));
            Assert.That(Line("layer4.2.add"), Is.EqualTo("layer4.2.add: Add (layer4.2.conv3, layer4.1.add) -> [1, 2048, 7, 7]"));
            Assert.That(Line("avgpool"), Is.EqualTo("avgpool: GlobalAveragePool (layer4.2.add) -> [1, 2048, 1, 1]"));
            Assert.That(Line("fc"), Is.EqualTo("fc: FullyConnected 2048->1000 (flatten, fc.weights) -> [1, 1000]"));
            Assert.That(graph.Nodes.Where(n => n.Name.EndsWith(".downsample", StringComparison.Ordinal)).Select(n => n.Name),
                Is.EqualTo(new[] { "layer1.0.downsample", "layer2.0.downsample", "layer3.0.downsample", "layer4.0.downsample" }));
        }
    }

    [Test]
    public void ResNet50_computes_about_4_1_billion_multiply_adds_per_image()
    {
        // torchvision lists resnet50 at 4.09 GFLOPS, counting a multiply-add once; Swatop counts it twice.
        var flops = Networks.ResNet50(1, ElementType.Float32).Flops;
        Assert.That(flops / 2.0, Is.EqualTo(4.09e9).Within(0.5).Percent);
        Assert.That(Networks.ResNet50(128, ElementType.Float32).Flops, Is.EqualTo(128 * flops));
    }

    [Test]
    public void ResNet50s_convolutions_are_those_of_the_shapes_file()
    {
        var graph = Networks.ResNet50(128, ElementType.Float32);
        var convolutions = graph.DistinctOperators.Select(d => d.Spec).Where(s => s.Kind == OperatorKind.Conv2d);
        Assert.That(convolutions, Is.EquivalentTo(ShapesFile("data/shapes/resnet50-conv-b128.csv")));
    }

    [Test]
    public void Vgg16_has_13_convolutions_5_poolings_and_3_classifier_layers()
    {
        var graph = Networks.Vgg16(128, ElementType.Float64);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Count(graph, OperatorKind.Conv2d), Is.EqualTo(13));
            Assert.That(Count<MaxPoolNode>(graph), Is.EqualTo(5));
            Assert.That(Count(graph, OperatorKind.FullyConnected), Is.EqualTo(3));
            Assert.That(Count<AddNode>(graph) + Count<GlobalAveragePoolNode>(graph), Is.Zero);
            Assert.That(graph.Nodes, Has.Length.EqualTo(13 + 5 + 1 + 3));
            Assert.That(graph.Outputs.Single().Name, Is.EqualTo("classifier.6"));
            Assert.That(graph.Outputs.Single().Shape, Is.EqualTo(new[] { 128, 1000 }));
            Assert.That(graph.Value("features.30").Shape, Is.EqualTo(new[] { 128, 512, 7, 7 }));
            Assert.That(graph.Value("flatten").Shape, Is.EqualTo(new[] { 128, 25088 }));
            Assert.That(graph.OperatorNodes.Where(n => n.Kind == OperatorKind.FullyConnected).Select(n => n.Spec.Attributes),
                Is.EqualTo(new[] { new FullyConnectedAttributes(128, 25088, 4096), new FullyConnectedAttributes(128, 4096, 4096), new FullyConnectedAttributes(128, 4096, 1000) }));
        }
    }

    [Test]
    public void Vgg16_nodes_have_torchvisions_module_paths()
    {
        var graph = Networks.Vgg16(1, ElementType.Float32);
        Assert.That(graph.Nodes.Select(n => n.Name), Is.EqualTo(new[]
        {
            "features.0", "features.2", "features.4",
            "features.5", "features.7", "features.9",
            "features.10", "features.12", "features.14", "features.16",
            "features.17", "features.19", "features.21", "features.23",
            "features.24", "features.26", "features.28", "features.30",
            "flatten", "classifier.0", "classifier.3", "classifier.6",
        }));
        Assert.That(graph.Node("features.4").ToString(), Is.EqualTo("features.4: MaxPool k=2x2 s=2x2 p=0x0 (features.2) -> [1, 64, 112, 112]"));
        // torchvision lists vgg16 at 15.47 GFLOPS, counting a multiply-add once.
        Assert.That(graph.Flops / 2.0, Is.EqualTo(15.47e9).Within(0.5).Percent);
    }

    [Test]
    public void Vgg16s_convolutions_are_those_of_the_shapes_file()
    {
        var graph = Networks.Vgg16(128, ElementType.Float32);
        var convolutions = graph.DistinctOperators.Select(d => d.Spec).Where(s => s.Kind == OperatorKind.Conv2d);
        Assert.That(convolutions, Is.EquivalentTo(ShapesFile("data/shapes/vgg16-conv-b128.csv")));
        Assert.That(graph.DistinctOperators.Single(d => d.Nodes.Contains("features.28")).Nodes, Is.EqualTo(new[] { "features.24", "features.26", "features.28" }));
    }

    [Test]
    public void MobileNetV2_has_52_convolutions_17_of_them_depthwise_10_residual_sums_and_a_classifier_with_its_bias()
    {
        var graph = Networks.MobileNetV2(128, ElementType.Float32);
        var convolutions = graph.OperatorNodes.Where(n => n.Kind == OperatorKind.Conv2d).Select(n => (Conv2dAttributes)n.Spec.Attributes).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(convolutions, Has.Count.EqualTo(52));
            Assert.That(convolutions.Count(c => c.Groups > 1 && c.Groups == c.InChannels && c.InChannels == c.OutChannels), Is.EqualTo(17));
            Assert.That(Count(graph, OperatorKind.FullyConnected), Is.EqualTo(1));
            Assert.That(Count<AddNode>(graph), Is.EqualTo(10));
            Assert.That(Count<BiasAddNode>(graph), Is.EqualTo(53), "a folded batch normalization after each convolution, and the classifier's bias");
            Assert.That(graph.Nodes.OfType<ClipNode>().Select(n => (n.Min, n.Max)).ToList(), Has.Count.EqualTo(35).And.All.EqualTo((0.0, 6.0)), "a ReLU6 after each convolution but the 17 linear projections");
            Assert.That(Count<GlobalAveragePoolNode>(graph), Is.EqualTo(1));
            Assert.That(Count<FlattenNode>(graph), Is.EqualTo(1));
            Assert.That(graph.Nodes, Has.Length.EqualTo(53 + 53 + 35 + 10 + 2));
            Assert.That(graph.Inputs.Single().Shape, Is.EqualTo(new[] { 128, 3, 224, 224 }));
            Assert.That(graph.Outputs.Single().Name, Is.EqualTo("classifier.1"));
            Assert.That(graph.Outputs.Single().Shape, Is.EqualTo(new[] { 128, 1000 }));
            Assert.That(graph.Flops, Is.EqualTo(128L * 2 * 300_774_272), "300.77 million multiply-adds an image, as torchvision's model counts");
        }
    }

    [Test]
    public void MobileNetV2_is_torchvision_layer_by_layer()
    {
        var graph = Networks.MobileNetV2(1, ElementType.Float64);
        string Line(string node) => graph.Node(node).ToString();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Line("features.0.0"), Is.EqualTo("features.0.0: Conv2d k=3x3 s=2x2 p=1,1,1,1 (data, features.0.0.weights) -> [1, 32, 112, 112]"));
            Assert.That(Line("features.0.1"), Is.EqualTo("features.0.1: BiasAdd (features.0.0, features.0.1.bias) -> [1, 32, 112, 112]"));
            Assert.That(Line("features.0.2"), Is.EqualTo("features.0.2: Clip [0, 6] (features.0.1) -> [1, 32, 112, 112]"));
            Assert.That(Line("features.1.conv.0.0"), Is.EqualTo("features.1.conv.0.0: Conv2d k=3x3 s=1x1 p=1,1,1,1 g=32 (features.0.2, features.1.conv.0.0.weights) -> [1, 32, 112, 112]"));
            Assert.That(Line("features.1.conv.1"), Is.EqualTo("features.1.conv.1: Conv2d k=1x1 s=1x1 p=0,0,0,0 (features.1.conv.0.2, features.1.conv.1.weights) -> [1, 16, 112, 112]"));
            Assert.That(Line("features.2.conv.0.0"), Is.EqualTo("features.2.conv.0.0: Conv2d k=1x1 s=1x1 p=0,0,0,0 (features.1.conv.2, features.2.conv.0.0.weights) -> [1, 96, 112, 112]"));
            Assert.That(Line("features.2.conv.1.0"), Is.EqualTo("features.2.conv.1.0: Conv2d k=3x3 s=2x2 p=1,1,1,1 g=96 (features.2.conv.0.2, features.2.conv.1.0.weights) -> [1, 96, 56, 56]"));
            Assert.That(Line("features.2.conv.3"), Is.EqualTo("features.2.conv.3: BiasAdd (features.2.conv.2, features.2.conv.3.bias) -> [1, 24, 56, 56]"));
            Assert.That(Line("features.3"), Is.EqualTo("features.3: Add (features.3.conv.3, features.2.conv.3) -> [1, 24, 56, 56]"));
            Assert.That(Line("features.14.conv.1.0"), Is.EqualTo("features.14.conv.1.0: Conv2d k=3x3 s=2x2 p=1,1,1,1 g=576 (features.14.conv.0.2, features.14.conv.1.0.weights) -> [1, 576, 7, 7]"));
            Assert.That(Line("features.17.conv.3"), Is.EqualTo("features.17.conv.3: BiasAdd (features.17.conv.2, features.17.conv.3.bias) -> [1, 320, 7, 7]"));
            Assert.That(Line("features.18.0"), Is.EqualTo("features.18.0: Conv2d k=1x1 s=1x1 p=0,0,0,0 (features.17.conv.3, features.18.0.weights) -> [1, 1280, 7, 7]"));
            Assert.That(Line("classifier.1"), Is.EqualTo("classifier.1: BiasAdd (classifier.1.linear, classifier.1.bias) -> [1, 1000]"));
            Assert.That(graph.Nodes.OfType<AddNode>().Select(n => n.Name), Is.EqualTo(new[] { "features.3", "features.5", "features.6", "features.8", "features.9", "features.10", "features.12", "features.13", "features.15", "features.16" }));
        }
    }

    [Test]
    public void MobileNetV2_fused_is_one_operator_a_convolution_with_its_bias_ReLU6_and_residual_in_its_epilogue()
    {
        var fused = Networks.MobileNetV2(2, ElementType.Float32).FuseEpilogues();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(fused.OperatorNodes, Has.Length.EqualTo(53));
            Assert.That(fused.Nodes.Where(n => n is not OperatorNode).Select(n => n.Name), Is.EqualTo(new[] { "avgpool", "flatten" }));
            Assert.That(fused.OperatorNodes.Count(n => n.Spec.Epilogue.Steps.OfType<ResidualAddStep>().Any()), Is.EqualTo(10));
            Assert.That(fused.OperatorNodes, Has.All.Matches<OperatorNode>(n => n.Spec.Epilogue.Steps.OfType<BiasStep>().Count() == 1));
            Assert.That(fused.DistinctOperators, Has.Length.EqualTo(31));
        }
    }

    [TestCase(1, ElementType.Float32)]
    [TestCase(3, ElementType.Float64)]
    public void Any_batch_and_element_type_build(int batch, ElementType elementType)
    {
        foreach (var graph in new[] { Networks.ResNet50(batch, elementType), Networks.Vgg16(batch, elementType), Networks.MobileNetV2(batch, elementType) })
        {
            Assert.That(graph.ElementType, Is.EqualTo(elementType));
            Assert.That(graph.Values.Select(v => v.Shape[0]).Where((_, i) => graph.Values[i].Kind != GraphValueKind.Constant), Is.All.EqualTo(batch));
            Assert.That(graph.OperatorNodes.Select(n => n.Spec.ElementType), Is.All.EqualTo(elementType));
        }
    }
}
