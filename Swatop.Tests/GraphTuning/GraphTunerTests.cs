using Swatop.Core;
using Swatop.Core.Graphs;
using Swatop.Core.GraphTuning;
using Swatop.Core.Tuning;
using System.Numerics.Tensors;
using Swatop.Hardware.Sw26010.Graphs;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Tests.GraphTuning;

/// <summary>
/// A graph tuned as a whole: layouts chosen jointly over its operators, every layout step counted once in
/// some layer's row, and the joint choice never slower than each layer called on its own in the
/// framework's layout.
/// </summary>
public sealed class GraphTunerTests
{
    private static readonly Sw26010Target Target = Sw26010Target.Default;

    private static readonly TuningOptions Options = new() { Trials = 4, Seed = 3 };

    private static readonly Dictionary<(ElementType Type, int Size), GraphTuningResult> Tuned = [];

    /// <summary>An input size of the small network whose tuned plan converts values between its layers (see <see cref="SmallResidualNetwork"/>).</summary>
    internal const int FlowingSize = 14;

    /// <summary>The small network tuned once per element type and size for every test that reads it.</summary>
    internal static GraphTuningResult TunedSmallNetwork(ElementType elementType = ElementType.Float64, int size = 18)
    {
        lock (Tuned)
        {
            if (!Tuned.TryGetValue((elementType, size), out var tuned))
            {
                Tuned[(elementType, size)] = tuned = SmallResidualNetwork(elementType: elementType, size: size).Tune(Target, Options);
            }

            return tuned;
        }
    }

    /// <summary>
    /// A residual block with a pooled stem and a classifier, small enough to tune in seconds; <paramref name="size"/> is
    /// the input's height and width. At 18 x 18 every layer's fastest kernel reads and writes NCHW in place; at
    /// <see cref="FlowingSize"/> the tuned plan keeps values between layers in kernels' own layouts.
    /// </summary>
    internal static OperatorGraph SmallResidualNetwork(int batch = 8, ElementType elementType = ElementType.Float64, int size = 18)
    {
        var b = new GraphBuilder("small-residual", elementType);
        var x = b.Input("data", batch, 8, size, size);
        var stem = b.Conv2d("stem", x, outChannels: 32, kernel: 3, padding: 1);
        var pooled = b.MaxPool("pool", stem, kernel: 2);
        var reduce = b.Conv2d("reduce", pooled, outChannels: 16, kernel: 1);
        var middle = b.Conv2d("middle", reduce, outChannels: 16, kernel: 3, padding: 1);
        var expand = b.Conv2d("expand", middle, outChannels: 32, kernel: 1);
        var joined = b.Add("join", expand, pooled);
        var features = b.Flatten("flatten", b.GlobalAveragePool("gap", joined));
        return b.Output(b.FullyConnected("fc", features, 10)).Build();
    }

    [Test]
    public void A_tuned_graph_has_a_row_per_operator_in_execution_order_that_adds_up_to_its_total()
    {
        var tuned = TunedSmallNetwork();
        Assert.Multiple(() =>
        {
            Assert.That(tuned.Layers.Select(l => l.Name), Is.EqualTo(new[] { "stem", "reduce", "middle", "expand", "fc" }));
            Assert.That(tuned.Layers, Has.All.Matches<GraphLayer>(l => l.KernelSeconds > 0));
            Assert.That(tuned.EndToEndSeconds, Is.EqualTo(tuned.Layers.Sum(l => l.KernelSeconds + l.LayoutSeconds) + tuned.NodeTimes.Sum(n => n.Seconds)).Within(1e-12));
            Assert.That(tuned.Layers[0].Steps.Select(s => s.Name), tuned.Layers[0].Schedule is Swatop.Core.Algorithms.Winograd.WinogradSchedule or Swatop.Core.Algorithms.Im2col.Im2colLdmSchedule ? Is.Empty : Has.Some.EqualTo("pack data"),
                "the graph's input is packed for its first layer unless read in place (as Winograd's kernel and the column block in LDM read it)");
            Assert.That(tuned.UntimedNodes, Is.Empty);
            Assert.That(tuned.ViewNodes.Select(n => n.Name), Is.EqualTo(new[] { "flatten" }));
            Assert.That(tuned.NodeTimes.Select(n => (n.Name, n.OnMpe)), Is.EqualTo(new[] { ("pool", false), ("join", false), ("gap", false) }), "the poolings and the add that did not fuse on the CPEs");
            Assert.That(tuned.NodeTimes, Has.All.Matches<Swatop.Core.Targets.StepTime>(n => n.Seconds > 0));
        });
    }

    [Test]
    public void Tuning_reports_each_distinct_operator_then_the_planning_and_the_measuring()
    {
        var graph = SmallResidualNetwork(batch: 4);
        var reports = new List<GraphTuningProgress>();
        graph.Tune(Target, Options, new Recorder(reports));
        var operators = graph.DistinctOperators.Length;
        Assert.Multiple(() =>
        {
            Assert.That(reports.Select(r => r.Operator), Is.EqualTo(Enumerable.Range(1, operators).Concat([operators, operators])));
            Assert.That(reports.Take(operators).Select(r => r.Stage), Is.EqualTo(graph.DistinctOperators.Select(d => d.Spec.Signature)));
            Assert.That(reports.Skip(operators).Select(r => r.Stage), Is.EqualTo(new[] { "planning layouts", "measuring steps" }));
            Assert.That(reports, Has.All.Matches<GraphTuningProgress>(r => r.Operators == operators));
        });
    }

    [Test]
    public void A_database_keeps_the_constrained_searches_apart_and_a_second_tuning_finds_the_same_plan_in_it()
    {
        var path = Path.Combine(Path.GetTempPath(), $"swatop-graph-{Guid.NewGuid():N}.jsonl");
        try
        {
            var graph = SmallResidualNetwork();
            var options = Options with { Database = new TuningDatabase(path) };
            var first = graph.Tune(Target, options);
            var second = graph.Tune(Target, options);

            // A reader of a blocked input, as the graph tuner asks for one when a producer leaves it so.
            var middle = graph.DistinctOperators.Select(d => d.Spec).First(s => s.Attributes is Conv2dAttributes { Kernel.Height: 3, InChannels: 16 });
            var blocked = middle.Space(Target.Limits).EnumeratePlans().SelectMany(p => p.Placements).First(p => p.Tensor.Name == "input" && !p.Layout.IsIdentity);
            var reader = OperatorCandidates.Reading(middle, "input", blocked, Target, options);
            var records = new TuningDatabase(path).Read().Records;
            Assert.Multiple(() =>
            {
                Assert.That(records.Select(r => r.OperatorSignature), Has.Member(OperatorCandidates.ConstrainedSignature(middle, Core.Layouts.PlacementConstraints.None.Require("input", blocked))),
                    "a constrained search is recorded under its constraints");
                Assert.That(records.Where(r => !r.OperatorSignature.Contains(" where ", StringComparison.Ordinal)).Select(r => r.OperatorSignature),
                    Is.EquivalentTo(graph.DistinctOperators.Select(d => d.Spec.Signature)), "each operator's own record is its unconstrained winner");
                Assert.That(OperatorCandidates.Reading(middle, "input", blocked, Target, options), Is.EqualTo(reader), "the constrained record is found again");
                Assert.That(second.Layers, Is.EqualTo(first.Layers));
                Assert.That(second.EndToEndSeconds, Is.EqualTo(first.EndToEndSeconds));
            });
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void The_joint_layout_choice_is_never_slower_than_every_layer_in_its_framework_layout()
    {
        foreach (var type in new[] { ElementType.Float64, ElementType.Float32 })
        {
            var tuned = TunedSmallNetwork(type);
            Assert.That(tuned.EndToEndSeconds, Is.LessThanOrEqualTo(tuned.FrameworkSeconds), type.ToString());
        }
    }

    [TestCase(ElementType.Float64)]
    [TestCase(ElementType.Float32)]
    public void A_tuned_graph_run_on_the_emulator_in_its_chosen_layouts_computes_what_the_layer_by_layer_reference_does(ElementType type)
    {
        var tuned = TunedSmallNetwork(type, FlowingSize);
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

        // Layouts flow: a value between layers lies in a kernel's own layout (an unpack, a reorder, or a pack such as an
        // im2col layer's column step), not only the graph's input.
        Assert.That(tuned.Plan.Conversions.SelectMany(c => c.Steps).Select(s => s.Tensor.Name), Has.Some.Not.EqualTo(graph.Inputs[0].Name), "layouts flow: more than the graph's input is converted");
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

    private sealed class Recorder(List<GraphTuningProgress> reports) : IProgress<GraphTuningProgress>
    {
        public void Report(GraphTuningProgress value) => reports.Add(value);
    }
}
