using System.Numerics.Tensors;
using Swatop.Core.GraphFusion;
using Swatop.Core.Graphs;
using Swatop.Core.GraphTuning;
using Swatop.Core.Onnx;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Graphs;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Tests.Onnx;

namespace Swatop.Tests.GraphFusion;

/// <summary>
/// An imported residual block (conv, batch norm, ReLU, conv, batch norm, the input added back, ReLU), fused, against
/// ONNX Runtime on the same model file: the batch norms fold into the convolutions at import, and the bias, the ReLUs
/// and the add into their epilogues here.
/// </summary>
public sealed class FusedOnnxModelTests
{
    private const double Bound = 2e-5;

    private const int Seed = 21;

    [Test]
    public void An_imported_residual_block_fuses_to_two_convolutions()
    {
        var graph = OnnxImport.Load(OnnxTestModels.ResidualBlock().Bytes()).Graph.FuseEpilogues();

        Assert.That(graph.Nodes.Select(n => n.GetType().Name), Is.EqualTo(new[] { nameof(OperatorNode), nameof(OperatorNode) }));
        Assert.That(graph.OperatorNodes.Select(n => n.Spec.Epilogue.ToString()), Is.EqualTo(new[] { "bias relu", "bias residual relu" }));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void A_fused_imported_model_matches_ONNX_Runtime(bool onTheEmulator)
    {
        var bytes = OnnxTestModels.ResidualBlock().Bytes();
        var model = OnnxImport.Load(bytes);
        var tensors = model.Tensors<float>(Seed);
        var expected = OnnxRuntimeCrossCheckTests.RunOnnxRuntime(bytes, model, tensors);
        var fused = model.Graph.FuseEpilogues();
        var actual = onTheEmulator
            ? Sw26010GraphRun.Run(fused.Tune(Sw26010Target.Default, new TuningOptions { Trials = 2, Seed = 3 }), tensors)
            : GraphReference.EvaluateOutputs(fused, tensors);

        var output = model.Outputs.Single().Value.Name;
        var values = new float[actual[output].FlattenedLength];
        actual[output].FlattenTo(values);
        var reference = expected[output];
        Assert.That(values.Zip(reference).Max(p => Math.Abs(p.First - p.Second) / (1 + Math.Abs(p.Second))), Is.LessThanOrEqualTo(Bound));
        Assert.That(reference.Count(v => v > 0), Is.GreaterThan(reference.Length / 10), "an output of zeros checks nothing");
    }
}
