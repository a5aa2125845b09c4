using System.Diagnostics;
using Swatop.Core.Graphs;
using Swatop.Core.Onnx;
using Swatop.Primitives;

namespace Swatop.Tests.Onnx;

/// <summary>Networks written as their framework exports them and imported again: the same operators to tune, and ONNX Runtime's outputs.</summary>
public sealed class OnnxNetworkTests
{
    /// <summary>The category of the slow whole-network imports.</summary>
    public const string Category = "OnnxNetworks";

    [Test]
    public void A_small_residual_network_exported_and_imported_has_the_same_operators_and_matches_ONNX_Runtime()
    {
        var original = GraphTuning.GraphTunerTests.SmallResidualNetwork(batch: 2, ElementType.Float32);
        var bytes = OnnxNetworkWriter.Write(original).Bytes();
        var model = OnnxImport.Load(bytes);
        Assert.That(model.Graph.DistinctOperators.Select(d => d.Spec), Is.EqualTo(original.DistinctOperators.Select(d => d.Spec)));
        var tensors = model.Tensors<float>(seed: 4);
        var expected = OnnxRuntimeCrossCheckTests.RunOnnxRuntime(bytes, model, tensors);
        var actual = GraphReference.EvaluateOutputs(model.Graph, tensors);
        var values = new float[model.Outputs[0].Value.ElementLength];
        actual[model.Outputs[0].Value.Name].FlattenTo(values);
        var reference = expected[model.Outputs[0].Value.Name];
        Assert.That(values.Zip(reference).Max(p => Math.Abs(p.First - p.Second) / (1 + Math.Abs(p.Second))), Is.LessThanOrEqualTo(2e-5));
    }

    [Test]
    [Explicit("writes and imports a 100 MB model; run with --filter TestCategory=OnnxNetworks")]
    [Category(Category)]
    public void ResNet_50_exported_as_torchvision_does_imports_to_the_built_in_network_s_operators()
    {
        var original = Networks.ResNet50(batch: 1, ElementType.Float32);
        var bytes = OnnxNetworkWriter.Write(original).Bytes();
        var watch = Stopwatch.StartNew();
        var model = OnnxImport.Load(bytes, new OnnxImportOptions { BatchSize = 128 });
        watch.Stop();
        TestContext.Out.WriteLine($"ResNet-50: {bytes.Length / 1e6:F1} MB imported at batch 128 in {watch.Elapsed.TotalSeconds:F2} s, {model.Graph.Nodes.Length} nodes");
        Assert.That(
            model.Graph.DistinctOperators.Select(d => d.Spec),
            Is.EqualTo(Networks.ResNet50(batch: 128, ElementType.Float32).DistinctOperators.Select(d => d.Spec)));
        Assert.That(model.Graph.Nodes.OfType<ChannelScaleNode>(), Is.Empty, "every batch normalization folds");
    }
}
