using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;
using Swatop.Core.Graphs;
using Swatop.Core.GraphTuning;
using Swatop.Core.Onnx;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Graphs;
using Swatop.Hardware.Sw26010.Target;

namespace Swatop.Tests.Onnx;

/// <summary>
/// Imported models computed three ways on the same seeded inputs: ONNX Runtime on the model file, the
/// graph's host reference, and the graph tuned and run on the emulated chip. ONNX Runtime's CPU kernels
/// are float, so everything compares in float.
/// </summary>
public sealed class OnnxRuntimeCrossCheckTests
{
    /// <summary>The float bound: relative to the magnitude, with an absolute floor for values near zero.</summary>
    private const double Bound = 2e-5;

    private const int Seed = 21;

    private static readonly TuningOptions Options = new() { Trials = 2, Seed = 3 };

    private static readonly string[] Models =
        ["conv-bn-relu", "conv-bn-relu opset 11", "residual", "pooling", "dense", "concat-softmax", "concat-softmax opset 11"];

    private static OnnxModelWriter Writer(string model) => model switch
    {
        "conv-bn-relu" => OnnxTestModels.ConvBnRelu(),
        "conv-bn-relu opset 11" => OnnxTestModels.ConvBnRelu(11),
        "residual" => OnnxTestModels.ResidualBlock(),
        "pooling" => OnnxTestModels.Pooling(),
        "dense" => OnnxTestModels.Dense(),
        "concat-softmax" => OnnxTestModels.ConcatSoftmax(),
        _ => OnnxTestModels.ConcatSoftmax(11),
    };

    [TestCaseSource(nameof(Models))]
    public void An_imported_model_s_reference_run_matches_ONNX_Runtime(string what)
    {
        var bytes = Writer(what).Bytes();
        var model = OnnxImport.Load(bytes);
        var tensors = model.Tensors<float>(Seed);
        var expected = RunOnnxRuntime(bytes, model, tensors);
        var actual = GraphReference.EvaluateOutputs(model.Graph, tensors);
        Compare(what, model, actual, expected);
    }

    [TestCaseSource(nameof(Models))]
    public void An_imported_model_tuned_and_run_on_the_emulator_matches_ONNX_Runtime(string what)
    {
        var bytes = Writer(what).Bytes();
        var model = OnnxImport.Load(bytes);
        var tensors = model.Tensors<float>(Seed);
        var expected = RunOnnxRuntime(bytes, model, tensors);
        var tuned = model.Graph.Tune(Sw26010Target.Default, Options);
        var actual = Sw26010GraphRun.Run(tuned, tensors);
        Compare(what, model, actual, expected);
    }

    /// <summary>ONNX Runtime's outputs on the model's inputs, by graph output name.</summary>
    internal static Dictionary<string, float[]> RunOnnxRuntime(byte[] bytes, OnnxModel model, IReadOnlyDictionary<string, Tensor<float>> tensors)
    {
        using var session = new InferenceSession(bytes);
        using var options = new RunOptions();
        var inputs = model.Inputs.Select(b =>
        {
            var tensor = tensors[b.Value.Name];
            var data = new float[b.Value.ElementLength];
            tensor.FlattenTo(data);
            return OrtValue.CreateTensorValueFromMemory(data, [.. b.Value.Shape.Select(d => (long)d)]);
        }).ToList();
        try
        {
            using var results = session.Run(options, [.. model.Inputs.Select(b => b.OnnxName)], inputs, [.. model.Outputs.Select(b => b.OnnxName)]);
            return model.Outputs.Zip(results).ToDictionary(p => p.First.Value.Name, p => p.Second.GetTensorDataAsSpan<float>().ToArray());
        }
        finally
        {
            inputs.ForEach(i => i.Dispose());
        }
    }

    private static void Compare(string what, OnnxModel model, IReadOnlyDictionary<string, Tensor<float>> actual, Dictionary<string, float[]> expected)
    {
        Assert.Multiple(() =>
        {
            foreach (var output in model.Outputs)
            {
                var values = new float[output.Value.ElementLength];
                actual[output.Value.Name].FlattenTo(values);
                var reference = expected[output.Value.Name];
                Assert.That(values, Has.Length.EqualTo(reference.Length), $"{what}: {output}");
                var worst = values.Zip(reference).Max(p => Math.Abs(p.First - p.Second) / (1 + Math.Abs(p.Second)));
                Assert.That(worst, Is.LessThanOrEqualTo(Bound), $"{what}: output '{output.OnnxName}' differs from ONNX Runtime's");
                Assert.That(reference.Any(v => v != 0), $"{what}: output '{output.OnnxName}' is all zeros, a check that cannot fail");
            }
        });
    }
}
