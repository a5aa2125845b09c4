using Swatop.Core;
using Swatop.Core.GraphTuning;
using Swatop.Core.Onnx;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Graphs;
using Swatop.Hardware.Sw26010.Target;

namespace Swatop.Tests.Onnx;

/// <summary>
/// An imported Inception-like block (<see cref="OnnxTestModels.InceptionBlock"/>): its concatenation of three fused
/// convolutions becomes a view (<see cref="ConcatView"/>), and the network still computes ONNX Runtime's output on the
/// emulator and through its emitted C on the shim.
/// </summary>
public sealed class OnnxConcatViewTests
{
    private const int Seed = 23;

    private static readonly Lazy<(byte[] Bytes, OnnxModel Model, TunedNetwork Tuned)> Imported = new(() =>
    {
        var bytes = OnnxTestModels.InceptionBlock().Bytes();
        var model = OnnxImport.Load(bytes);
        return (bytes, model, Network.FromModel(model).Tune(Sw26010Target.Default, new TuningOptions { Trials = 2, Seed = 3 }));
    });

    [Test]
    public void An_imported_inception_block_s_concatenation_is_a_view_and_the_network_matches_ONNX_Runtime_on_the_emulator()
    {
        var (bytes, model, tuned) = Imported.Value;
        var tensors = model.Tensors<float>(Seed);
        var expected = OnnxRuntimeCrossCheckTests.RunOnnxRuntime(bytes, model, tensors)["y"];

        var actual = new float[expected.Length];
        Sw26010GraphRun.Run(tuned.Tuning, tensors)["y"].FlattenTo(actual);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(tuned.Tuning.ConcatViews.Select(v => v.Node), Is.EqualTo(new[] { "joined" }), string.Join("; ", tuned.Tuning.ConcatRefusals));
            Assert.That(tuned.Profile.Nodes.Single(n => n.Name == "joined").Seconds, Is.Zero);
            Assert.That(expected.Any(v => v != 0), "a check that can fail");
            Assert.That(actual.Zip(expected).Max(p => Math.Abs(p.First - p.Second) / (1 + Math.Abs(p.Second))), Is.LessThanOrEqualTo(2e-5));
        }
    }

    [Test]
    public void An_imported_inception_block_with_its_concatenation_as_a_view_emits_C_that_matches_the_emulator_on_the_shim()
    {
        var check = Imported.Value.Tuned.VerifyEmittedC(Seed);
        Assert.That(check.Nodes.All(n => n.WorstError <= n.Tolerance));
        Assert.That(check.Nodes.Select(n => n.Name), Does.Contain("joined"));
    }
}
