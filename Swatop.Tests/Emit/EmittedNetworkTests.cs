using Swatop.Core;
using Swatop.Core.Graphs;
using Swatop.Core.GraphTuning;
using Swatop.Core.Onnx;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Emit;
using Swatop.Hardware.Sw26010.Emit.Network;
using Swatop.Hardware.Sw26010.Emit.Verification;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Tests.Onnx;

namespace Swatop.Tests.Emit;

/// <summary>
/// <see cref="TunedNetwork.Emit"/>: a tuned network written as one C library (a CPE function per distinct kernel, the other
/// nodes on the MPE, a runner that prepares the weights once and chains the plan), built with gcc against the athread shim
/// and checked node by node against the emulator's run; a wrong weight or a wrong host function fails the check and names
/// the node.
/// </summary>
public sealed class EmittedNetworkTests
{
    private const int Seed = 5;

    private static readonly Lazy<TunedNetwork> Tuned = new(() =>
        Network.FromModel(OnnxImport.Load(EmittedNetworkModels.SmallResidual().Bytes()))
               .Tune(Sw26010Target.Default, new TuningOptions { Trials = 2, Seed = 3 }));

    [Test]
    public void A_small_residual_network_s_emitted_C_matches_the_emulator_node_by_node_on_the_shim()
    {
        var tuned = Tuned.Value;
        var graph = tuned.Tuning.Graph;
        var sources = tuned.Emit();
        var check = tuned.VerifyEmittedC(Seed);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sources.Names, Is.SupersetOf(NetworkFiles.All));
            Assert.That(graph.Nodes.OfType<OperatorNode>().Select(n => n.Spec.Epilogue.ToString()), Is.EqualTo(new[] { "bias relu", "bias relu", "bias residual relu", "bias" }),
                "the biases, ReLUs and the residual add fused into the kernels");
            Assert.That(graph.Nodes.Where(n => n is not OperatorNode).Select(n => n.Operation), Has.Some.Contains("maxpool").IgnoreCase.And.Some.Contains("global").IgnoreCase,
                "the pooling nodes stay on the MPE");
            Assert.That(check.Nodes.Select(n => n.Name), Is.EqualTo(graph.Nodes.Select(n => n.Name).Concat(graph.Outputs.Select(o => o.Name))));
            Assert.That(check.Nodes.All(n => n.WorstError <= n.Tolerance));
            Assert.That(sources[NetworkFiles.Runner], Does.Contain("int swatop_network_prepare(").And.Contain("int swatop_network_run("));
            Assert.That(sources[NetworkFiles.Runner], Does.Contain("static void node_"), "the host nodes as C functions");
            Assert.That(sources[NetworkFiles.Cpe], Does.Contain("_cpe(void *arg)"));
        }
    }

    [Test]
    public void A_pooling_timed_on_the_CPEs_is_emitted_as_a_CPE_function_and_matches_the_emulator_on_the_shim()
    {
        var b = new GraphBuilder("cpe-pooling", Swatop.Primitives.ElementType.Float64);
        var x = b.Input("x", 2, 16, 40, 40);
        var pooled = b.MaxPool("max", x, kernel: 3, stride: 2, padding: 1);
        var graph = b.Output(b.Conv2d("mix", pooled, outChannels: 8, kernel: 1)).Build();
        var tuned = Network.FromGraph(graph).Tune(Sw26010Target.Default, new TuningOptions { Trials = 1, Seed = 3 });
        var sources = tuned.Emit();
        var check = tuned.VerifyEmittedC(Seed);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(tuned.Profile.Nodes.Select(n => (n.Name, n.OnMpe)), Is.EqualTo(new[] { ("max", false) }), "the max pooling of 205 KB is faster on the CPEs");
            Assert.That(sources[NetworkFiles.Cpe], Does.Contain("_max_cpe(void *arg)"), "its kernel is a CPE function");
            Assert.That(sources[NetworkFiles.Runner], Does.Contain("on the CPEs */").And.Not.Contain("static void node_"), "no host function for it");
            Assert.That(check.Nodes.Select(n => n.Name), Is.EqualTo(new[] { "max", "mix", "mix" }));
            Assert.That(check.Nodes.All(n => n.WorstError <= n.Tolerance));
            Assert.That(check.Nodes[0].WorstError, Is.Zero, "a maximum is exact");
        }
    }

    [Test]
    public void An_unfused_add_a_clamp_and_a_concatenation_timed_on_the_CPEs_are_emitted_as_CPE_functions_and_match_the_emulator_on_the_shim()
    {
        var b = new GraphBuilder("cpe-elementwise", Swatop.Primitives.ElementType.Float64);
        var x = b.Input("x", 2, 16, 40, 40);
        var clipped = b.Clip("clip", b.Add("add", x, b.Input("y", 2, 16, 40, 40)), 0, 0.25);
        var graph = b.Output(b.Conv2d("mix", b.Concat("cat", 1, clipped, x), outChannels: 8, kernel: 1)).Build();
        var tuned = Network.FromGraph(graph).Tune(Sw26010Target.Default, new TuningOptions { Trials = 1, Seed = 3 });
        var sources = tuned.Emit();
        var check = tuned.VerifyEmittedC(Seed);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(tuned.Profile.Nodes.Select(n => (n.Name, n.OnMpe)), Is.EqualTo(new[] { ("add", false), ("clip", false), ("cat", false) }));
            Assert.That(sources[NetworkFiles.Cpe], Does.Contain("_add_cpe(void *arg)").And.Contain("_clip_cpe(void *arg)").And.Contain("_cat_cpe(void *arg)"));
            Assert.That(sources[NetworkFiles.Runner], Does.Not.Contain("static void node_"), "no host function");
            Assert.That(check.Nodes.Select(n => n.Name), Is.EqualTo(new[] { "add", "clip", "cat", "mix", "mix" }));
            Assert.That(check.Nodes.All(n => n.WorstError <= n.Tolerance));
            Assert.That(check.Nodes.Take(3).Select(n => n.WorstError), Is.All.Zero, "an add, a clamp and a copy are exact");
        }
    }

    private static IEnumerable<TestCaseData> NodeModels()
    {
        yield return new TestCaseData("pooling").SetName("Padded_max_and_average_poolings_a_standalone_scale_and_bias_and_an_add_match_the_emulator_on_the_shim");
        yield return new TestCaseData("concat-softmax").SetName("A_concatenation_a_clamp_a_reshape_and_softmaxes_match_the_emulator_on_the_shim");
    }

    [TestCaseSource(nameof(NodeModels))]
    public void Nodes_of_every_kind_match_the_emulator_on_the_shim(string model)
    {
        var bytes = (model == "pooling" ? OnnxTestModels.Pooling() : OnnxTestModels.ConcatSoftmax()).Bytes();
        var tuned = Network.FromModel(OnnxImport.Load(bytes)).Tune(Sw26010Target.Default, new TuningOptions { Trials = 1, Seed = 3 });
        var hosts = tuned.Tuning.Graph.Nodes.Where(n => n is not OperatorNode).ToList();
        var check = tuned.VerifyEmittedC(Seed);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(hosts, Is.Not.Empty);
            Assert.That(check.Nodes.Select(n => n.Name), Is.SupersetOf(hosts.Select(n => n.Name)));
            Assert.That(check.Nodes.All(n => n.WorstError <= n.Tolerance));
        }
    }

    [Test]
    public void The_same_distinct_kernel_is_emitted_once_and_weights_are_packed_only_in_the_preparation()
    {
        var tuned = Tuned.Value;
        var sources = tuned.Emit();
        var cpe = sources[NetworkFiles.Cpe];
        var runner = sources[NetworkFiles.Runner];
        var run = runner[runner.IndexOf("int swatop_network_run(", StringComparison.Ordinal)..];
        var distinct = tuned.Tuning.Layers.Select(l => (l.Operator.Signature, l.Schedule.ToString())).Distinct().Count();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(CountOf(cpe, "void swatop_k"), Is.EqualTo(distinct));
            Assert.That(run, Does.Not.Contain("constants["), "a run reads only the prepared constants");
        }
    }

    [Test]
    public void A_wrong_weight_fails_the_check_and_names_the_node_that_reads_it()
    {
        var tuned = Tuned.Value;
        var graph = tuned.Tuning.Graph;
        var files = new Dictionary<string, string>(tuned.Emit().Files);
        var copy = "memcpy(c0[0], constants[0], ";
        var at = files[NetworkFiles.Runner].IndexOf(copy, StringComparison.Ordinal);
        Assert.That(at, Is.GreaterThan(0));
        var end = files[NetworkFiles.Runner].IndexOf('\n', at);
        files[NetworkFiles.Runner] = files[NetworkFiles.Runner].Insert(end + 1, "c0[0][3] += 0.25f;\n");
        var reader = graph.Nodes.First(n => n.Inputs.Contains(graph.Constants[0]));

        var failure = Assert.Throws<GccShimException>(() => EmittedNetworkCheck.Run(tuned, files, Seed, options: null));
        Assert.That(failure!.Message, Does.Contain($"node '{reader.Name}'").And.Contain("differs from the emulator's value"));
        Directory.Delete(failure.Directory, recursive: true);
    }

    [Test]
    public void A_wrong_host_function_fails_the_check_and_names_its_node()
    {
        var tuned = Tuned.Value;
        var graph = tuned.Tuning.Graph;
        var files = new Dictionary<string, string>(tuned.Emit().Files);
        var runner = files[NetworkFiles.Runner];
        Assert.That(runner, Does.Contain("m = x > m ? x : m;"));
        files[NetworkFiles.Runner] = runner.Replace("m = x > m ? x : m;", "m = x < m ? x : m;", StringComparison.Ordinal);
        var pool = graph.Nodes.Single(n => n is MaxPoolNode);

        var failure = Assert.Throws<GccShimException>(() => EmittedNetworkCheck.Run(tuned, files, Seed, options: null));
        Assert.That(failure!.Message, Does.Contain($"node '{pool.Name}'"));
        Directory.Delete(failure.Directory, recursive: true);
    }

    [Test]
    public void SWC0005_a_plan_whose_kernel_would_read_a_value_elsewhere_than_it_lies_is_refused_naming_the_node()
    {
        var tuned = Tuned.Value.Tuning;
        Assume.That(tuned.Plan.Conversions.Any(c => c.Consumer != PlannedConversion.GraphOutput), "the plan converts a value for a kernel");
        var broken = tuned with { Plan = tuned.Plan with { Conversions = [] } };
        var consumer = tuned.Graph.OperatorNodes.First(n => tuned.Plan.Conversions.Any(c => c.Consumer == n.Name && c.Value != n.Output.Name)).Name;

        var failure = Assert.Throws<EmitException>(() => NetworkEmitter.Emit(Sw26010Target.Default, broken));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(failure!.Id, Is.EqualTo(EmitDiagnostics.PlanDoesNotHold));
            Assert.That(failure.Message, Does.Contain($"Node '{consumer}' reads").And.Contain("the plan does not hold together"));
        }
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
