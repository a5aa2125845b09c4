using System.Diagnostics;
using System.Numerics.Tensors;
using Swatop.Core;
using Swatop.Core.GraphFusion;
using Swatop.Core.Graphs;
using Swatop.Core.Onnx;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Tests.Onnx;

/// <summary>
/// MobileNet-v2 and VGG-16 written as torchvision's ONNX export of them (random weights; MobileNet-v2's batch
/// normalizations and ReLU6 clamps, VGG-16's biases and ReLUs) and imported again: the imported graph is the built-in
/// one node for node, and the network imported, tuned and run on the emulator matches ONNX Runtime on the same
/// file. The default suite runs narrow, small-image variants; the full networks at 224 x 224 are explicit.
/// </summary>
public sealed class OnnxBuiltInNetworkTests
{
    /// <summary>The category of the full-size networks run on the emulator.</summary>
    public const string Category = "Networks";

    /// <summary>ONNX Runtime's float bound, as <see cref="OnnxRuntimeCrossCheckTests"/> has it.</summary>
    private const double Bound = 2e-5;

    private static readonly TuningOptions Options = new() { Trials = 2, Seed = 3 };

    /// <summary>MobileNet-v2 at width 0.25 on 16 x 16 images with its first three blocks: a residual one of expansion 1, a strided one, a residual one of expansion 6.</summary>
    internal static OperatorGraph SmallMobileNetV2(int batch) =>
        Networks.MobileNetV2(batch, ElementType.Float32, imageSize: 16, widthMultiplier: 0.25, blocks: 3, classes: 10);

    /// <summary>VGG-16's layers with a sixteenth of the channels on 32 x 32 images, 32 hidden features and 10 classes.</summary>
    internal static OperatorGraph SmallVgg16(int batch) =>
        Networks.Vgg16(batch, ElementType.Float32, imageSize: 32, widthDivisor: 16, hidden: 32, classes: 10);

    [Test]
    public void A_MobileNet_v2_exported_with_batch_norms_and_Clip_imports_node_for_node_as_the_built_in_graph()
    {
        var original = SmallMobileNetV2(batch: 2);
        var model = OnnxImport.Load(OnnxNetworkWriter.Write(original).Bytes());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Structure(model.Graph), Is.EqualTo(Structure(original)));
            Assert.That(model.Graph.Nodes.OfType<ChannelScaleNode>(), Is.Empty, "every batch normalization folds into its convolution");
            Assert.That(
                model.Graph.FuseEpilogues().DistinctOperators.Select(d => d.Spec),
                Is.EqualTo(original.FuseEpilogues().DistinctOperators.Select(d => d.Spec)));
        }
    }

    [Test]
    public void A_VGG_16_exported_with_biases_and_ReLUs_imports_fused_as_the_built_in_graph()
    {
        var original = SmallVgg16(batch: 2);
        var model = OnnxImport.Load(OnnxNetworkWriter.Write(original, batchNorm: false).Bytes());
        var fused = model.Graph.FuseEpilogues();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Structure(fused, withEpilogues: false), Is.EqualTo(Structure(original)));
            Assert.That(
                fused.OperatorNodes.Select(n => n.Spec.Epilogue.ToString()),
                Is.EqualTo(original.OperatorNodes.Select(n => n.Name == "classifier.6" ? "bias" : "bias relu")),
                "each convolution and hidden layer with its bias and ReLU, the last layer with its bias");
        }
    }

    [Test]
    public void A_small_MobileNet_v2_imported_tuned_and_run_on_the_emulator_matches_ONNX_Runtime() =>
        CheckAgainstOnnxRuntime(OnnxNetworkWriter.Write(SmallMobileNetV2(batch: 2)).Bytes());

    [Test]
    public void A_small_VGG_16_imported_tuned_and_run_on_the_emulator_matches_ONNX_Runtime() =>
        CheckAgainstOnnxRuntime(OnnxNetworkWriter.Write(SmallVgg16(batch: 2), batchNorm: false).Bytes());

    [Test]
    [Explicit("MobileNet-v2 at 224 x 224 tuned and run on the emulator, minutes; run with --filter TestCategory=Networks")]
    [Category(Category)]
    public void MobileNet_v2_imported_is_the_built_in_graph_and_on_the_emulator_matches_ONNX_Runtime()
    {
        var original = Networks.MobileNetV2(2, ElementType.Float32);
        var bytes = OnnxNetworkWriter.Write(original).Bytes();
        Assert.That(Structure(OnnxImport.Load(bytes).Graph), Is.EqualTo(Structure(original)));
        CheckAgainstOnnxRuntime(bytes);
    }

    [Test]
    [Explicit("VGG-16 at 224 x 224, a 550 MB model tuned and run on the emulator, many minutes; run with --filter TestCategory=Networks")]
    [Category(Category)]
    public void VGG_16_imported_is_the_built_in_graph_fused_and_on_the_emulator_matches_ONNX_Runtime()
    {
        var bytes = OnnxNetworkWriter.Write(Networks.Vgg16(1, ElementType.Float32), batchNorm: false).Bytes();
        var model = OnnxImport.Load(bytes);
        Assert.That(Structure(model.Graph.FuseEpilogues(), withEpilogues: false), Is.EqualTo(Structure(Networks.Vgg16(1, ElementType.Float32))));
        CheckAgainstOnnxRuntime(bytes);
    }

    /// <summary>
    /// The graph's nodes in order, each as its operation (with the convolution's attributes; with or without its
    /// epilogue and the epilogue's operands), the shape it computes and where its inputs come from: a graph input, a constant's shape, or the
    /// index of the node that computes it. Names are left out: the importer names nodes after ONNX tensors.
    /// </summary>
    private static List<string> Structure(OperatorGraph graph, bool withEpilogues = true)
    {
        var index = graph.Nodes.Select((n, i) => (n.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        string Source(GraphValue value) => value.Kind switch
        {
            GraphValueKind.Input => $"input {value.ShapeText}",
            GraphValueKind.Constant => $"constant {value.ShapeText}",
            _ => $"node {index[value.Producer!]}",
        };
        string Operation(GraphNode node) =>
            !withEpilogues && node is OperatorNode op && !op.Spec.Epilogue.IsEmpty ? op.Operation[..op.Operation.IndexOf(" + ", StringComparison.Ordinal)] : node.Operation;
        IEnumerable<GraphValue> Inputs(GraphNode node) =>
            !withEpilogues && node is OperatorNode op ? op.Inputs.Take(op.Inputs.Length - op.Spec.EpilogueInputs.Length) : node.Inputs;
        return [.. graph.Nodes.Select(n => $"{Operation(n)} -> {n.Output.ShapeText} <- {string.Join(", ", Inputs(n).Select(Source))}")];
    }

    /// <summary>
    /// Imports the model, tunes it and runs it on the emulated chip on seeded inputs, and compares every output with
    /// ONNX Runtime's on the same file and inputs.
    /// </summary>
    private static void CheckAgainstOnnxRuntime(byte[] bytes)
    {
        var model = OnnxImport.Load(bytes);
        var tensors = model.Tensors<float>(seed: 21);
        var expected = OnnxRuntimeCrossCheckTests.RunOnnxRuntime(bytes, model, tensors);
        var network = Network.FromModel(model);
        var watch = Stopwatch.StartNew();
        var tuned = network.Tune(Sw26010Target.Default, Options);
        var inputs = network.InputNames.ToDictionary(n => n, n => tensors[n], StringComparer.Ordinal);
        var run = tuned.Run(inputs);
        TestContext.Out.WriteLine($"{model.Graph.Name}: {network.Graph.OperatorNodes.Length} operators tuned and run in {watch.Elapsed.TotalSeconds:F1} s");
        Assert.Multiple(() =>
        {
            foreach (var output in model.Outputs)
            {
                var values = new float[output.Value.ElementLength];
                run.Outputs[output.Value.Name].FlattenTo(values);
                var reference = expected[output.Value.Name];
                var worst = values.Zip(reference).Max(p => Math.Abs(p.First - p.Second) / (1 + Math.Abs(p.Second)));
                Assert.That(worst, Is.LessThanOrEqualTo(Bound), $"output '{output.OnnxName}' differs from ONNX Runtime's");
                Assert.That(reference.Distinct().Count(), Is.GreaterThan(reference.Length / 2), $"output '{output.OnnxName}' varies, a check that can fail");
            }
        });
    }
}
