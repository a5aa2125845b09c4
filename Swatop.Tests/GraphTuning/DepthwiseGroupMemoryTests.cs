using System.Numerics.Tensors;
using Swatop.Core;
using Swatop.Core.Algorithms.Direct;
using Swatop.Core.GraphFusion;
using Swatop.Core.Graphs;
using Swatop.Core.GraphTuning;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Graphs;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Tests.GraphTuning;

/// <summary>
/// Depthwise layers tuned as a graph: the direct convolution is a candidate with its tensors in place and in the core
/// groups' own memories (a MobileNet-v2 block's depthwise layer), the tuner keeps depthwise layers' activations in the
/// groups' memories where that is faster (between depthwise layers), and the graph still computes what the
/// layer-by-layer reference does.
/// </summary>
public sealed class DepthwiseGroupMemoryTests
{
    private static readonly Sw26010Target Target = Sw26010Target.Default;

    private static readonly TuningOptions Options = new() { Trials = 4, Seed = 3 };

    private static readonly Dictionary<ElementType, GraphTuningResult> Tuned = [];

    /// <summary>
    /// MobileNet-v2's third inverted residual block (<c>features.3</c>: 24 channels expanded to 144 on 56 x 56 images, a
    /// bias and ReLU6 after the expansion and the depthwise layer, projected back to 24 and added to the block's input) at
    /// a batch of 8.
    /// </summary>
    internal static OperatorGraph InvertedBlock(ElementType elementType, int batch = 8)
    {
        var b = new GraphBuilder("inverted-block", elementType);
        var x = b.Input("data", batch, 24, 56, 56);
        var expanded = b.Clip("expand.relu", b.BiasAdd("expand.bias", b.Conv2d("expand", x, outChannels: 144, kernel: 1)), 0, 6);
        var depthwise = b.Clip("dw.relu", b.BiasAdd("dw.bias", b.Conv2d("dw", expanded, outChannels: 144, kernel: 3, padding: 1, groups: 144)), 0, 6);
        var projected = b.BiasAdd("project.bias", b.Conv2d("project", depthwise, outChannels: 24, kernel: 1));
        return b.Output(b.Add("block", projected, x)).Build().FuseEpilogues();
    }

    /// <summary>
    /// Five depthwise 3 x 3 layers in a row (64 channels on 56 x 56 images, batch 8, a bias and ReLU6 each): a chain whose
    /// inner values can stay in the core groups' memories from layer to layer, where only the graph's input is packed
    /// and its output unpacked, against four shared-memory reads and writes of each layer in place.
    /// </summary>
    internal static OperatorGraph DepthwiseChain(ElementType elementType, int layers = 5)
    {
        var b = new GraphBuilder("depthwise-chain", elementType);
        var x = b.Input("data", 8, 64, 56, 56);
        for (var i = 1; i <= layers; i++)
        {
            x = b.Clip($"dw{i}.relu", b.BiasAdd($"dw{i}.bias", b.Conv2d($"dw{i}", x, outChannels: 64, kernel: 3, padding: 1, groups: 64)), 0, 6);
        }

        return b.Output(x).Build().FuseEpilogues();
    }

    private static GraphTuningResult TunedChain(ElementType type)
    {
        lock (Tuned)
        {
            if (!Tuned.TryGetValue(type, out var tuned))
            {
                Tuned[type] = tuned = DepthwiseChain(type).Tune(Target, Options);
            }

            return tuned;
        }
    }

    [Test]
    public void The_depthwise_layer_has_candidates_in_place_and_in_the_groups_memories()
    {
        var graph = InvertedBlock(ElementType.Float64);
        var spec = graph.OperatorNodes.Single(n => n.Name.StartsWith("dw", StringComparison.Ordinal)).Spec;
        var candidates = OperatorCandidates.For(spec, Target, Options);
        var direct = candidates.Select(c => c.Schedule).OfType<DirectSchedule>().ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(direct.Any(s => s.GroupMemory), Is.True, "in the groups' memories");
            Assert.That(direct.Any(s => !s.GroupMemory), Is.True, "in place");
            var local = candidates.First(c => c.Schedule is DirectSchedule { GroupMemory: true });
            Assert.That(local.Output, Is.Not.Null, "its output is held in the groups' memories");
            Assert.That(local.KernelSeconds, Is.LessThan(candidates.Where(c => c.Schedule is DirectSchedule { GroupMemory: false }).Min(c => c.KernelSeconds)));
        }
    }

    [TestCase(ElementType.Float64)]
    [TestCase(ElementType.Float32)]
    public void Between_depthwise_layers_the_tuner_keeps_the_activations_in_the_groups_memories_and_the_graph_matches_the_reference(ElementType type)
    {
        var tuned = TunedChain(type);
        var inner = tuned.Layers.Where(l => l.Name.StartsWith("dw2", StringComparison.Ordinal) || l.Name.StartsWith("dw3", StringComparison.Ordinal) || l.Name.StartsWith("dw4", StringComparison.Ordinal)).ToList();
        TestContext.Out.WriteLine(string.Join(Environment.NewLine, tuned.Layers.Select(l => $"{l.Name}: {l.Schedule} kernel {l.KernelSeconds * 1e3:F3} ms, steps {string.Join(", ", l.Steps.Select(s => $"{s.Name} {s.Seconds * 1e3:F3} ms"))}")));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(inner, Has.Count.EqualTo(3));
            Assert.That(inner.Select(l => l.Schedule is DirectSchedule { GroupMemory: true }), Is.All.True, "the inner layers in the groups' memories");
            Assert.That(inner.SelectMany(l => l.Steps), Is.Empty, "no layout step between them");
            Assert.That(tuned.EndToEndSeconds, Is.LessThan(tuned.FrameworkSeconds), "faster than every layer in place");
        }

        var graph = tuned.Graph;
        if (type == ElementType.Float64)
        {
            var tensors = GraphReferenceOperands.Draw<double>(graph, seed: 17);
            Compare(Sw26010GraphRun.Run(tuned, tensors), GraphReference.EvaluateOutputs(graph, tensors), 1e-9);
        }
        else
        {
            var tensors = GraphReferenceOperands.Draw<float>(graph, seed: 17);
            Compare(Sw26010GraphRun.Run(tuned, tensors), GraphReference.EvaluateOutputs(graph, tensors), 1e-3);
        }
    }

    private static void Compare<T>(IReadOnlyDictionary<string, Tensor<T>> actual, IReadOnlyDictionary<string, Tensor<T>> expected, double tolerance)
        where T : unmanaged, System.Numerics.INumber<T>
    {
        Assert.That(actual.Keys, Is.EquivalentTo(expected.Keys));
        foreach (var (name, tensor) in expected)
        {
            var want = tensor.ToArray();
            var got = actual[name].ToArray();
            var scale = want.Max(v => Math.Abs(double.CreateChecked(v)));
            Assert.That(got.Zip(want).Max(p => Math.Abs(double.CreateChecked(p.First) - double.CreateChecked(p.Second))), Is.LessThanOrEqualTo(tolerance * Math.Max(1, scale)), name);
        }
    }
}
