using System.Collections.Immutable;
using System.Numerics;
using System.Numerics.Tensors;
using Swatop.Core;
using Swatop.Core.Graphs;
using Swatop.Core.GraphTuning;
using Swatop.Core.Layouts;
using Swatop.Core.LayoutSteps;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Hardware.Sw26010.Graphs;

/// <summary>
/// Runs a tuned graph on one emulated chip, exact, as its plan says: the graph's inputs lie in the
/// shared memory in the framework's layout; before each node its inputs are converted by the planned
/// layout steps (CPE kernels, or host copies where the MPEs are faster), each copy made once: a consumer that reads a value
/// where an earlier conversion (or its producer) left a copy reads that copy and runs only the steps after it; each operator's
/// kernel reads its inputs and leaves its output where its
/// candidate keeps them, its weights packed once; a node that the tuning timed as a CPE kernel (a pooling) runs
/// that kernel on every core group, from and to the framework's layout; any other node that is not an operator is
/// evaluated by the host on the layout its input lies in (its constants, a bias or a scale, as given), and leaves its
/// output in the same arrangement; a concatenation that the tuning made a view runs nothing: its joined buffer is allocated
/// once, in the framework's layout, and each part's producer writes its part into its slice of it; the outputs are
/// unpacked for the caller at the end. It checks as it goes that every kernel finds its inputs where it
/// reads them, so a plan that does not hold together fails here rather than computing nonsense.
/// </summary>
public static class Sw26010GraphRun
{
    /// <summary>Runs <paramref name="tuned"/> on <paramref name="tensors"/> (every input and constant of its graph, framework layout).</summary>
    /// <returns>The graph's outputs by name.</returns>
    /// <exception cref="ArgumentException">A tensor is missing, unknown or of the wrong shape or element type; the target is not an SW26010.</exception>
    /// <exception cref="InvalidOperationException">The plan does not hold together: a kernel's input lies elsewhere than it reads it.</exception>
    public static IReadOnlyDictionary<string, Tensor<T>> Run<T>(GraphTuningResult tuned, IReadOnlyDictionary<string, Tensor<T>> tensors)
        where T : unmanaged, INumber<T>
    {
        ArgumentNullException.ThrowIfNull(tuned);
        ArgumentNullException.ThrowIfNull(tensors);
        var target = tuned.Target as Sw26010Target
            ?? throw new ArgumentException($"The graph was tuned for target '{tuned.Target.Name}'; only an SW26010 target runs it here.", nameof(tuned));
        var graph = tuned.Graph;
        GraphReference.CheckElementType<T>(graph, nameof(tensors));
        return new Runner<T>(target, tuned, [.. GraphReference.Given(graph, tensors)]).Run();
    }

    /// <summary>
    /// Runs <paramref name="tuned"/> as <see cref="Run{T}"/> does and gives every node's value as the run left it,
    /// read back into the framework's layout: what a check compares node by node.
    /// </summary>
    /// <returns>Each node's output by name.</returns>
    /// <exception cref="ArgumentException">A tensor is missing, unknown or of the wrong shape or element type; the target is not an SW26010.</exception>
    /// <exception cref="InvalidOperationException">The plan does not hold together: a kernel's input lies elsewhere than it reads it.</exception>
    public static IReadOnlyDictionary<string, Tensor<T>> RunValues<T>(GraphTuningResult tuned, IReadOnlyDictionary<string, Tensor<T>> tensors)
        where T : unmanaged, INumber<T>
    {
        ArgumentNullException.ThrowIfNull(tuned);
        ArgumentNullException.ThrowIfNull(tensors);
        var target = tuned.Target as Sw26010Target
            ?? throw new ArgumentException($"The graph was tuned for target '{tuned.Target.Name}'; only an SW26010 target runs it here.", nameof(tuned));
        GraphReference.CheckElementType<T>(tuned.Graph, nameof(tensors));
        var runner = new Runner<T>(target, tuned, [.. GraphReference.Given(tuned.Graph, tensors)]);
        runner.Run();
        return runner.NodeValues();
    }

    /// <summary>Where a value lies: its placement (null for the framework's layout) and its buffers (one per core group of the placement, or the shared one).</summary>
    private sealed record Held(TensorPlacement? Placement, GlobalBuffer[] Buffers);

    private sealed class Runner<T>(Sw26010Target target, GraphTuningResult tuned, ImmutableArray<(string Name, T[] Values)> given)
        where T : unmanaged, INumber<T>
    {
        private readonly Sw26010Chip _chip = new(target.Spec, target.Options with { TimingOnly = false });
        private readonly Dictionary<string, Held> _values = new(StringComparer.Ordinal);
        private readonly Dictionary<(string Value, string Key), Held> _copies = [];
        private readonly Dictionary<string, T[]> _constants = new(StringComparer.Ordinal);
        private readonly Dictionary<string, GlobalBuffer> _joined = new(StringComparer.Ordinal);
        private int _buffers;

        private OperatorGraph Graph => tuned.Graph;

        public Dictionary<string, Tensor<T>> Run()
        {
            foreach (var (name, values) in given)
            {
                if (Graph.Inputs.Any(v => v.Name == name))
                {
                    var buffer = Allocate(_chip.SharedMemory, values.Length);
                    values.CopyTo(buffer.AsSpan<T>());
                    Keep(name, new Held(null, [buffer]));
                }
                else
                {
                    _constants[name] = values;
                }
            }

            var layers = tuned.Layers.ToDictionary(l => l.Name, StringComparer.Ordinal);
            foreach (var node in Graph.Nodes)
            {
                var inputs = node.Inputs.Distinct().Where(v => !v.IsConstant).ToDictionary(v => v.Name, v => Converted(v.Name, node.Name), StringComparer.Ordinal);
                if (tuned.ConcatViewOf(node) is not null)
                {
                    // A view: its producers wrote every part into the joined buffer.
                    Keep(node.Output.Name, new Held(null, [Joined(node.Name)]));
                }
                else if (node is OperatorNode op)
                {
                    // The kernel leaves its output where its candidate keeps it; a plan may unpack it at once.
                    Keep(op.Output.Name, RunKernel(op, layers[op.Name].Candidate, inputs));
                    _values[op.Output.Name] = Converted(op.Output.Name, op.Name);
                }
                else if (tuned.RunsOnComputeCores(node, inputs.Values.All(h => h.Placement is null)))
                {
                    Keep(node.Output.Name, RunNodeKernel(node, inputs));
                }
                else
                {
                    Keep(node.Output.Name, OnHost(node, inputs));
                }
            }

            return Graph.Outputs.ToDictionary(
                v => v.Name,
                v => GraphReference.ToTensor(Gather(Converted(v.Name, PlannedConversion.GraphOutput), v.Shape), v),
                StringComparer.Ordinal);
        }

        /// <summary>Every node's value after <see cref="Run"/>, in the framework's layout.</summary>
        public Dictionary<string, Tensor<T>> NodeValues() =>
            Graph.Nodes.ToDictionary(n => n.Output.Name, n => GraphReference.ToTensor(Gather(_values[n.Output.Name], n.Output.Shape), n.Output), StringComparer.Ordinal);

        /// <summary>Value <paramref name="value"/> as its producer left it (<paramref name="held"/>), and its first copy.</summary>
        private void Keep(string value, Held held)
        {
            _values[value] = held;
            _copies[(value, LayoutConversion.KeyOf(held.Placement))] = held;
        }

        /// <summary>
        /// Value <paramref name="value"/> after the planned conversion for <paramref name="consumer"/>, if there is one: from the copy
        /// its shared steps left (a copy made for an earlier consumer), each step that runs making a copy of its own.
        /// </summary>
        private Held Converted(string value, string consumer)
        {
            var held = _values[value];
            foreach (var conversion in tuned.Plan.Conversions.Where(c => c.Value == value && c.Consumer == consumer))
            {
                if (conversion.Shared > 0)
                {
                    var key = LayoutConversion.KeyAfter(conversion.Steps[conversion.Shared - 1]);
                    held = _copies.GetValueOrDefault((value, key))
                        ?? throw new InvalidOperationException(
                            $"Value '{value}' is planned to be read by '{consumer}' from a copy in {key}, but no such copy was made: the plan does not hold together.");
                }

                foreach (var step in conversion.Running)
                {
                    held = RunStep(step, held);
                    _copies[(value, LayoutConversion.KeyAfter(step))] = held;
                }
            }

            return held;
        }

        private Held RunStep(LayoutStep step, Held from)
        {
            var compiled = Sw26010LayoutStep.Compile(target, step);
            var groups = step.CoreGroups;
            GlobalBuffer Source(int g) => step.Kind == LayoutStepKind.Pack ? from.Buffers[0] : from.Buffers[g];
            var to = step.Kind == LayoutStepKind.Unpack
                ? [Allocate(_chip.SharedMemory, step.Destination.Elements)]
                : Enumerable.Range(0, groups).Select(g => Allocate(_chip.CoreGroups[g].Memory, step.Destination.Elements)).ToArray();
            compiled.Run(_chip, g => (Source(g), step.Kind == LayoutStepKind.Unpack ? to[0] : to[g]), _ => true); // on the MPEs where they are faster: a host copy
            var placement = step.Kind == LayoutStepKind.Unpack ? null : new TensorPlacement(step.Destination, step.Share);
            return new Held(placement, to);
        }

        private Held RunKernel(OperatorNode op, OperatorCandidate candidate, Dictionary<string, Held> inputs)
        {
            var kernel = (Sw26010Kernel)op.Spec.WithSchedule(candidate.Schedule).Emit(target);
            var lowered = kernel.Lowered;
            var groups = lowered.Schedule.CoreGroups;
            var bound = Enumerable.Range(0, groups).Select(_ => new Dictionary<string, GlobalBuffer>(StringComparer.Ordinal)).ToArray();
            foreach (var operand in op.Operands)
            {
                var placement = lowered.Placements[operand.Tensor];
                var held = operand.IsConstant
                    ? Weights(_constants[operand.Value.Name], placement)
                    : inputs[operand.Value.Name];
                if (LayoutConversion.KeyOf(held.Placement) != LayoutConversion.KeyOf(LayoutConversion.Holding(placement)))
                {
                    throw new InvalidOperationException(
                        $"Node '{op.Name}' reads '{operand.Tensor}' as {placement}, but value '{operand.Value.Name}' lies {held.Placement?.ToString() ?? "in the framework's layout"}: the plan does not hold together.");
                }

                for (var g = 0; g < groups; g++)
                {
                    bound[g][operand.Tensor] = held.Buffers[held.Placement is null ? 0 : g];
                }
            }

            var output = LayoutConversion.Holding(lowered.OutputPlacement);
            var buffers = tuned.ConcatViews.FirstOrDefault(v => v.Parts.Contains(op.Output.Name)) is { } view
                ? Enumerable.Repeat(Joined(view.Node), output is null ? 1 : groups).ToArray() // a part of a view: its slice of the joined buffer
                : output is null
                ? [Allocate(_chip.SharedMemory, lowered.Output.ElementLength)]
                : Enumerable.Range(0, groups).Select(g => Allocate(_chip.CoreGroups[g].Memory, output.Layout.Elements)).ToArray();
            for (var g = 0; g < groups; g++)
            {
                bound[g][lowered.Output.Name] = buffers[output is null ? 0 : g];
            }

            foreach (var (name, elements) in lowered.Plan.Workspaces)
            {
                for (var g = 0; g < groups; g++)
                {
                    bound[g][name] = Allocate(_chip.CoreGroups[g].Memory, elements);
                }
            }

            // A kernel with a prepared form whose constant is a graph constant (the composite Winograd's weights): the prepare
            // step's transform runs on every core group into its copy of the transformed tensor, and the run kernel reads it.
            if (op.PreparedFormOf(lowered) is { } form)
            {
                var prepared = kernel.PreparedTransform!;
                _chip.Run(group => prepared.Transform(bound[group.Index][form.Constant], bound[group.Index][form.Tensor]), groups);
                _chip.Run(group => prepared.Run(form.Run.Tensors.ToDictionary(t => t.Name, t => bound[group.Index][t.Name], StringComparer.Ordinal)), groups);
                return new Held(output, buffers);
            }

            _chip.Run(group => kernel.Program(bound[group.Index]), groups);
            return new Held(output, buffers);
        }

        /// <summary>
        /// Runs the CPE kernel of <paramref name="node"/> (a pooling, an unfused element-wise node, a concatenation) on every
        /// core group, from its inputs in the framework's layout (its constants copied to the shared memory) to its output there.
        /// </summary>
        private Held RunNodeKernel(GraphNode node, Dictionary<string, Held> inputs)
        {
            var kernel = Sw26010NodeKernel.For(target, node, Graph.ElementType)
                ?? throw new InvalidOperationException($"Node '{node.Name}' ({node.Operation}) was timed as a CPE kernel, but the target has none for it.");
            var buffers = new Dictionary<string, GlobalBuffer>(StringComparer.Ordinal);
            foreach (var (tensor, value) in kernel.Reads)
            {
                if (value.IsConstant)
                {
                    var constant = Allocate(_chip.SharedMemory, _constants[value.Name].Length);
                    _constants[value.Name].CopyTo(constant.AsSpan<T>());
                    buffers[tensor] = constant;
                }
                else
                {
                    buffers[tensor] = inputs[value.Name].Buffers[0];
                }
            }

            var output = Allocate(_chip.SharedMemory, node.Output.ElementLength);
            buffers[kernel.DestinationTensor] = output;
            kernel.Run(_chip, buffers);
            return new Held(null, [output]);
        }

        /// <summary>The joined buffer of concatenation <paramref name="concat"/>, a view: allocated in the shared memory when its first part is written.</summary>
        private GlobalBuffer Joined(string concat)
        {
            if (!_joined.TryGetValue(concat, out var buffer))
            {
                _joined[concat] = buffer = Allocate(_chip.SharedMemory, Graph.Node(concat).Output.ElementLength);
            }

            return buffer;
        }

        /// <summary>A layer's weights where its kernel reads them: packed once by their layout step, or in the shared memory as they are.</summary>
        private Held Weights(T[] values, TensorPlacement placement)
        {
            var source = Allocate(_chip.SharedMemory, values.Length);
            values.CopyTo(source.AsSpan<T>());
            var framework = new Held(null, [source]);
            return LayoutConversion.Holding(placement) is null ? framework : RunStep(LayoutStep.Pack(placement, Graph.ElementType), framework);
        }

        /// <summary>Evaluates a node that is not an operator on the host, where its input lies, and leaves its output in the same arrangement.</summary>
        private Held OnHost(GraphNode node, Dictionary<string, Held> inputs)
        {
            var reference = new NodeReference<T>();
            foreach (var input in node.Inputs.Distinct())
            {
                reference.Values[input.Name] = input.IsConstant ? _constants[input.Name] : Gather(inputs[input.Name], input.Shape);
            }

            var values = node.Accept(reference);
            var placement = PlacementCarry.Through(node, inputs[node.Inputs[0].Name].Placement);
            return Scatter(values, node.Output.Shape, placement);
        }

        /// <summary>The framework tensor of a value: each element from the core group that holds it.</summary>
        private static T[] Gather(Held held, ImmutableArray<int> shape)
        {
            if (held.Placement is not { } placement)
            {
                return held.Buffers[0].AsSpan<T>().ToArray();
            }

            var values = new T[shape.Aggregate(1L, (p, s) => p * s)];
            var index = new long[shape.Length];
            for (var i = 0; i < values.Length; i++)
            {
                Unravel(i, shape, index);
                var owner = placement.Distribution is SplitDistribution ? placement.OwnerOf(index) : 0;
                values[i] = held.Buffers[owner].AsSpan<T>()[(int)placement.Layout.OffsetOf(index)];
            }

            return values;
        }

        private Held Scatter(T[] values, ImmutableArray<int> shape, TensorPlacement? placement)
        {
            if (placement is null)
            {
                var buffer = Allocate(_chip.SharedMemory, values.Length);
                values.CopyTo(buffer.AsSpan<T>());
                return new Held(null, [buffer]);
            }

            var groups = placement.Distribution.CoreGroups;
            var buffers = Enumerable.Range(0, groups).Select(g => Allocate(_chip.CoreGroups[g].Memory, placement.Layout.Elements)).ToArray();
            var index = new long[shape.Length];
            for (var i = 0; i < values.Length; i++)
            {
                Unravel(i, shape, index);
                var offset = (int)placement.Layout.OffsetOf(index);
                for (var g = 0; g < groups; g++)
                {
                    if (placement.Distribution is not SplitDistribution || placement.OwnerOf(index) == g)
                    {
                        buffers[g].AsSpan<T>()[offset] = values[i];
                    }
                }
            }

            return new Held(placement, buffers);
        }

        private static void Unravel(long flat, ImmutableArray<int> shape, long[] index)
        {
            for (var d = shape.Length - 1; d >= 0; d--)
            {
                index[d] = flat % shape[d];
                flat /= shape[d];
            }
        }

        private GlobalBuffer Allocate(MainMemory memory, long elements) => memory.Allocate<T>($"value{_buffers++}", elements);
    }
}
