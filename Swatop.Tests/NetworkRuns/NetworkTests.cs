using System.Numerics.Tensors;
using Swatop.Core;
using Swatop.Core.Graphs;
using Swatop.Core.GraphTuning;
using Swatop.Core.Onnx;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;
using Swatop.Tests.Onnx;
using Swatop.Tests.Tuning;

namespace Swatop.Tests.NetworkRuns;

/// <summary>
/// <see cref="Network"/>: a model or a graph fused, tuned once per distinct operator through the tuning database,
/// with progress, logging and cancellation, and run on the emulated chip with its profile.
/// </summary>
public sealed class NetworkTests
{
    private const int Seed = 21;

    private static TuningOptions Options(TuningDatabase? database = null, CapturingLogger? logger = null, CancellationToken cancellation = default) =>
        new() { Trials = 2, Seed = 3, Database = database, Logger = logger, Cancellation = cancellation };

    private static float Worst(Tensor<float> actual, float[] expected)
    {
        var values = new float[actual.FlattenedLength];
        actual.FlattenTo(values);
        return values.Zip(expected).Max(p => Math.Abs(p.First - p.Second) / (1 + Math.Abs(p.Second)));
    }

    [Test]
    public void An_ONNX_model_tuned_and_run_as_a_network_matches_ONNX_Runtime_and_profiles_each_fused_layer()
    {
        var folder = Directory.CreateTempSubdirectory("swatop-network-").FullName;
        try
        {
            var path = Path.Combine(folder, "block.onnx");
            var bytes = OnnxTestModels.ResidualBlock().Bytes();
            File.WriteAllBytes(path, bytes);
            var logger = new CapturingLogger();
            var stages = new List<GraphTuningProgress>();
            var database = new TuningDatabase(Path.Combine(folder, "db.jsonl"));

            var network = Network.FromOnnx(path);
            var tuned = network.Tune(Options(database, logger), new SynchronousProgress<GraphTuningProgress>(stages.Add));
            var records = database.Read().Records.Length;
            var again = network.Tune(Options(database));
            var model = OnnxImport.Load(bytes);
            var tensors = model.Tensors<float>(Seed);
            var inputs = network.InputNames.ToDictionary(name => name, name => tensors[name]);
            var run = tuned.Run(inputs);
            var expected = OnnxRuntimeCrossCheckTests.RunOnnxRuntime(bytes, model, tensors);

            using (Assert.EnterMultipleScope())
            {
                Assert.That(network.HasConstants);
                Assert.That(run.Profile.Layers.Select(l => l.Epilogue.ToString()), Is.EqualTo(new[] { "bias relu", "bias residual relu" }));
                Assert.That(run.Profile.Layers.All(l => l.KernelSeconds > 0));
                Assert.That(run.Profile.Untimed, Is.Empty);
                Assert.That(run.Profile.ToString(), Does.Contain("epilogue bias residual relu"));
                Assert.That(Worst(run.Outputs[model.Outputs[0].Value.Name], expected[model.Outputs[0].Value.Name]), Is.LessThanOrEqualTo(2e-5));
                Assert.That(stages.Select(s => s.Stage), Does.Contain("planning layouts"));
                Assert.That(stages.First().Operators, Is.EqualTo(network.Graph.DistinctOperators.Length));
                Assert.That(logger.Entries.Select(e => e.Message), Has.Some.StartsWith("Tuned network"));
                Assert.That(records, Is.GreaterThan(0));
                Assert.That(database.Read().Records, Has.Length.EqualTo(records), "the second tuning finds every operator in the database");
                Assert.That(again.Profile.Layers.Select(l => l.Schedule), Is.EqualTo(tuned.Profile.Layers.Select(l => l.Schedule)));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void A_graph_s_network_runs_on_its_inputs_and_constants_and_matches_the_unfused_reference()
    {
        var b = new GraphBuilder("block", ElementType.Float32);
        var x = b.Input("x", 2, 4, 5, 5);
        var stem = b.Conv2d("stem", x, 4, kernel: 1);
        var y = b.Relu("relu", b.Add("add", b.BiasAdd("bias", b.Conv2d("conv", stem, 4, kernel: 3, padding: 1)), x));
        var graph = b.Output(b.MaxPool("pool", y, kernel: 2, stride: 2)).Build();
        var network = Network.FromGraph(graph);
        var tensors = GraphReferenceOperands.Draw<float>(graph, Seed);

        var run = network.Tune(Options()).Run(tensors);

        var expected = new float[graph.Outputs[0].ElementLength];
        GraphReference.EvaluateOutputs(graph, tensors)["pool"].FlattenTo(expected);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(network.HasConstants, Is.False);
            Assert.That(network.Unfused, Is.SameAs(graph));
            Assert.That(run.Profile.Layers.Select(l => l.Epilogue.ToString()), Is.EqualTo(new[] { "none", "bias residual relu" }));
            Assert.That(run.Profile.Untimed, Is.Empty);
            Assert.That(run.Profile.Nodes.Select(n => (n.Name, n.OnMpe)), Is.EqualTo(new[] { ("pool", true) }), "a pooling this small is faster on the MPE than a spawn");
            Assert.That(Worst(run.Outputs["pool"], expected), Is.LessThanOrEqualTo(2e-5));
        }
    }

    [Test]
    public void A_cancelled_tuning_stops_and_a_constant_given_to_a_network_that_carries_it_is_refused()
    {
        var model = OnnxImport.Load(OnnxTestModels.ConvBnRelu().Bytes());
        var network = Network.FromModel(model);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.That(() => network.Tune(Options(cancellation: cancelled.Token)), Throws.InstanceOf<OperationCanceledException>());

        var tuned = network.Tune(Options());
        var tensors = model.Tensors<float>(Seed);
        var constant = model.Graph.Constants[0].Name;
        Assert.That(
            () => tuned.Run(tensors),
            Throws.ArgumentException.With.Message.Contains($"tensors['{constant}'] is a constant the network carries").And.Property("ParamName").EqualTo("tensors"));
    }

    /// <summary>Reports on the calling thread, so that the test sees every report when tuning returns.</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
