using System.Globalization;
using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;
using Swatop.Cli.Operators;
using Swatop.Core;
using Swatop.Core.Onnx;
using Swatop.Core.Targets;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Calibration;
using Swatop.Hardware.Sw26010.Graphs;
using Swatop.Primitives;

namespace Swatop.Cli.Commands;

/// <summary>
/// <c>swatop check --onnx MODEL.onnx [--batch N] [--seed S]</c>: the model imported (at the batch given), fused and
/// tuned as a <see cref="Network"/>, run on the emulated chip on seeded random inputs, and compared with ONNX
/// Runtime on the same inputs node by node: ONNX Runtime runs a copy of the model that declares every value the
/// network computes as an output (<see cref="OnnxModelOutputs"/>). The CSV has one row per node of the network in
/// execution order (<see cref="Columns"/>), then a row whose <c>node</c> is <c>network</c> with <c>result</c>
/// <c>ok</c> or the error. Exit 0 when everything matches, 1 on a mismatch, 2 when the model cannot be read or
/// run.
/// </summary>
/// <remarks>
/// A node matches when its largest difference from ONNX Runtime's value, over the largest magnitude of that value
/// (at least one), is at most <see cref="Bound"/>: a bound on the whole tensor rather than element by element,
/// since rounding differences grow along a deep network. A node without a tensor of its name in the model (a helper
/// node of the import) is reported as not compared and does not fail the check.
/// </remarks>
internal static class CheckOnnxCommand
{
    /// <summary>The columns of the CSV.</summary>
    internal static IReadOnlyList<string> Columns { get; } = ["node", "operation", "result", "max_error"];

    /// <summary>The largest difference allowed, relative to the largest magnitude of the value (at least one).</summary>
    internal const double Bound = 1e-4;

    /// <summary>
    /// Checks the model at <paramref name="path"/>; <paramref name="perturb"/> (for tests) may change a value of the
    /// emulator's run, by node name, before it is compared.
    /// </summary>
    internal static int Run(string path, int? batch, int seed, TextWriter output, TextWriter error, ITarget target, Action<string, float[]>? perturb = null)
    {
        byte[] bytes;
        OnnxModel model;
        try
        {
            bytes = File.ReadAllBytes(path);
            model = OnnxImport.Load(bytes, new OnnxImportOptions { BatchSize = batch });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"check: the model file '{path}' cannot be read: {e.Message}");
            return 2;
        }
        catch (OnnxImportException e)
        {
            error.WriteLine($"check: {e.Message}");
            return 2;
        }

        if (model.Graph.ElementType != ElementType.Float32)
        {
            error.WriteLine($"check: the model computes {model.Graph.ElementType}; ONNX Runtime is compared with in float32 only.");
            return 2;
        }

        var network = Network.FromModel(model);
        var tensors = model.Tensors<float>(seed);
        Dictionary<string, float[]> expected;
        IReadOnlyDictionary<string, Tensor<float>> actual;
        try
        {
            var copy = OnnxModelOutputs.Declare(bytes, network.Graph.Nodes.Select(n => OnnxName(model, n.Output.Name)), new OnnxImportOptions { BatchSize = batch });
            expected = RunOnnxRuntime(copy, model, tensors);
            var tuned = network.Tune(target, new TuningOptions { Seed = seed });
            actual = Sw26010GraphRun.RunValues(tuned.Tuning, tensors);
        }
        catch (Exception e) when (e is OnnxRuntimeException or OnnxImportException || TuneCommand.CannotTune(e))
        {
            error.WriteLine($"check: {e.Message}");
            return 2;
        }

        output.WriteLine(CsvTable.FormatRecord([.. Columns]));
        var failed = new List<string>();
        var worst = 0.0;
        foreach (var node in network.Graph.Nodes)
        {
            var values = new float[node.Output.ElementLength];
            actual[node.Output.Name].FlattenTo(values);
            perturb?.Invoke(node.Name, values);
            string result;
            var max = string.Empty;
            if (!expected.TryGetValue(OnnxName(model, node.Output.Name), out var reference))
            {
                result = $"not compared: the model has no tensor '{node.Output.Name}'";
            }
            else
            {
                var (error1, at) = Compare(values, reference);
                worst = Math.Max(worst, error1);
                max = error1.ToString("E2", CultureInfo.InvariantCulture);
                result = error1 <= Bound
                    ? "ok"
                    : string.Create(CultureInfo.InvariantCulture,
                        $"differs from ONNX Runtime: error {error1:E2} over the bound {Bound:E0}, the largest at element {at} ({values[at]:R} against {reference[at]:R})");
                if (error1 > Bound || values.Length != reference.Length)
                {
                    failed.Add(node.Name);
                }
            }

            output.WriteLine(CsvTable.FormatRecord([node.Name, node.Operation, result, max]));
        }

        var verdict = failed.Count == 0
            ? "ok"
            : $"{failed.Count} of {network.Graph.Nodes.Length} nodes differ from ONNX Runtime, the first '{failed[0]}'";
        output.WriteLine(CsvTable.FormatRecord(["network", string.Empty, verdict, worst.ToString("E2", CultureInfo.InvariantCulture)]));
        error.WriteLine($"check: {network.Graph.Name} at batch {model.Graph.Inputs[0].Shape[0]}, seed {seed}: {verdict}.");
        return failed.Count == 0 ? 0 : 1;
    }

    /// <summary>The model's name of a graph value: an output's binding, else the value's own name (the import names values after tensors).</summary>
    private static string OnnxName(OnnxModel model, string value) =>
        model.Outputs.FirstOrDefault(b => b.Value.Name == value)?.OnnxName ?? value;

    /// <summary>The largest difference over the largest magnitude of <paramref name="reference"/> (at least one), and where it is; infinite when the lengths differ.</summary>
    private static (double Error, int At) Compare(float[] values, float[] reference)
    {
        if (values.Length != reference.Length)
        {
            return (double.PositiveInfinity, 0);
        }

        var scale = Math.Max(1.0, reference.Length == 0 ? 0 : reference.Max(v => Math.Abs((double)v)));
        var (worst, at) = (0.0, 0);
        for (var i = 0; i < values.Length; i++)
        {
            var d = Math.Abs((double)values[i] - reference[i]);
            if (!(d <= worst))
            {
                (worst, at) = (double.IsNaN(d) ? double.PositiveInfinity : d, i);
            }
        }

        return (worst / scale, at);
    }

    /// <summary>ONNX Runtime's value of every output <paramref name="model"/> declares, by name, on the import's inputs.</summary>
    private static Dictionary<string, float[]> RunOnnxRuntime(byte[] model, OnnxModel imported, IReadOnlyDictionary<string, Tensor<float>> tensors)
    {
        using var session = new InferenceSession(model);
        using var options = new RunOptions();
        var inputs = imported.Inputs.Select(b =>
        {
            var data = new float[b.Value.ElementLength];
            tensors[b.Value.Name].FlattenTo(data);
            return OrtValue.CreateTensorValueFromMemory(data, [.. b.Value.Shape.Select(d => (long)d)]);
        }).ToList();
        try
        {
            var names = session.OutputMetadata.Keys.ToList();
            using var results = session.Run(options, [.. imported.Inputs.Select(b => b.OnnxName)], inputs, names);
            return names.Zip(results).ToDictionary(p => p.First, p => p.Second.GetTensorDataAsSpan<float>().ToArray(), StringComparer.Ordinal);
        }
        finally
        {
            inputs.ForEach(i => i.Dispose());
        }
    }
}
