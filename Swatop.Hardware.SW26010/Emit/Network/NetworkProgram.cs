using System.Collections.Immutable;
using System.Globalization;
using Swatop.Core;
using Swatop.Core.Graphs;
using Swatop.Core.GraphTuning;
using Swatop.Core.Ir;
using Swatop.Core.Layouts;
using Swatop.Core.LayoutSteps;
using Swatop.Hardware.Sw26010.Target;

namespace Swatop.Hardware.Sw26010.Emit.Network;

/// <summary>
/// A tuned graph walked as <c>Sw26010GraphRun</c> runs it, written down as C statements instead of run: the graph's inputs
/// where the caller gives them, before each node the planned layout steps of its inputs, each operator's kernel reading its
/// inputs and leaving its output where its candidate keeps them (a copy of a value made once and read by every consumer the plan
/// shares it with, its block freed after the last of them) (its constants packed once, in <see cref="Prepare"/>), a
/// node that is not an operator computed on the MPE in the framework's layout (its inputs unpacked by a layout step where
/// they lie in a placement, its output packed back into the placement the emulator's host path would leave it in), and
/// the outputs unpacked at the end. A concatenation the tuning made a view runs nothing: the first of its parts' kernels
/// allocates the joined block and every part's kernel writes its slice of it. Every distinct kernel and layout step becomes one CPE function
/// (<see cref="Functions"/>), but for a step that runs on the MPE, which becomes a copy loop of the runner (<see cref="HostSteps"/>). A kernel that would read a value elsewhere than it lies is refused here, as the run refuses it.
/// </summary>
internal sealed class NetworkProgram
{
    private readonly Sw26010Target _target;
    private readonly GraphTuningResult _tuned;
    private readonly Dictionary<string, (LoopKernel Kernel, LoopKernel? Transform, Sw26010Kernel Compiled)> _kernels = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Constant, LoopKernel Transform), Held> _transformed = [];
    private readonly Dictionary<LayoutStep, LoopKernel> _steps = [];
    private readonly Dictionary<(string Value, TensorPlacement? Placement), Held> _prepared = [];
    private readonly Dictionary<string, Held> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Value, string Key), Held> _copies = [];
    private readonly Dictionary<string, Held> _joined = new(StringComparer.Ordinal);
    private readonly List<(LoopKernel Kernel, (int M, int N, int K)? Tiles, string Comment)> _functions = [];
    private int _buffers;
    private int _holds;

    private NetworkProgram(Sw26010Target target, GraphTuningResult tuned)
    {
        _target = target;
        _tuned = tuned;
        Type = CNames.ElementType(tuned.Graph.ElementType);
    }

    /// <summary>The C element type.</summary>
    public string Type { get; }

    /// <summary>The graph.</summary>
    public OperatorGraph Graph => _tuned.Graph;

    /// <summary>The CPE functions, in order of first use: the kernels' and the layout steps'.</summary>
    public IReadOnlyList<(LoopKernel Kernel, (int M, int N, int K)? Tiles, string Comment)> Functions => _functions;

    /// <summary>How many of <see cref="Functions"/> are operators' kernels, a prepared form's transform counted as one (the rest are layout steps).</summary>
    public int KernelCount => _kernels.Values.Sum(k => k.Transform is null ? 1 : 2);

    /// <summary>
    /// The statements of the preparation: each constant copied, then packed once for each placement a kernel reads it in, or
    /// transformed once by a kernel's prepared form (the composite Winograd's filters into U, in each core group's memory).
    /// </summary>
    public List<Statement> Prepare { get; } = [];

    /// <summary>The statements of a run, in order.</summary>
    public List<Statement> Run { get; } = [];

    /// <summary>The holds that live from the preparation to the release (the constants' copies and packs).</summary>
    public List<Held> Statics { get; } = [];

    /// <summary>The holds a run allocates (its inputs alias the caller's).</summary>
    public List<Held> Temporaries { get; } = [];

    /// <summary>The main-memory blocks the runner allocates in all (the size of its table of blocks).</summary>
    public int Blocks => _buffers;

    /// <summary>The layout steps that run on the MPE (<see cref="Sw26010LayoutStep.RunsOnMpe"/>) and the C function of each (<see cref="HostStepPrinter"/>).</summary>
    public List<(LayoutStep Step, string Function)> HostSteps { get; } = [];

    /// <summary>The C function of each node that is not an operator, by node name.</summary>
    public Dictionary<string, string> HostFunctions { get; } = new(StringComparer.Ordinal);

    /// <summary>The program of <paramref name="tuned"/>.</summary>
    /// <exception cref="EmitException">SWC0005: the plan does not hold together.</exception>
    public static NetworkProgram Build(Sw26010Target target, GraphTuningResult tuned)
    {
        var program = new NetworkProgram(target, tuned);
        program.Walk();
        return program;
    }

    /// <summary>
    /// Where a value lies: its placement (null for the framework's layout) and the C array of its buffers
    /// (<c>Count</c> of them, one per core group of the placement, or one), whose blocks are <c>First</c>.. in the table.
    /// </summary>
    internal sealed record Held(string Name, TensorPlacement? Placement, int Count, long Elements, int First, bool Owned)
    {
        /// <summary>The buffer core group <paramref name="group"/> reads (a C expression).</summary>
        public string For(string group) => Count == 1 ? $"{Name}[0]" : $"{Name}[{group}]";
    }

    /// <summary>C lines, the holds they read, and the hold they allocate.</summary>
    internal sealed record Statement(ImmutableArray<string> Lines, ImmutableArray<Held> Reads, Held? Allocates);

    private void Walk()
    {
        var graph = Graph;
        var constants = graph.Constants.Select((v, i) => (v, i)).ToDictionary(p => p.v.Name, p => p.i, StringComparer.Ordinal);
        foreach (var constant in graph.Constants)
        {
            var held = NewHold($"c{constants[constant.Name]}", null, 1, constant.ElementLength, owned: true, isStatic: true);
            Prepare.Add(new Statement([
                $"/* constant '{HostNodePrinter.Comment(constant.Name)}' {constant.ShapeText}, copied */",
                .. Allocation(held),
                $"memcpy({held.Name}[0], constants[{constants[constant.Name]}], (size_t){L(constant.ElementLength)} * sizeof({Type}));",
            ], [], held));
            _prepared[(constant.Name, null)] = held;
        }

        for (var i = 0; i < graph.Inputs.Length; i++)
        {
            Keep(graph.Inputs[i].Name, new Held(string.Create(CultureInfo.InvariantCulture, $"in{i}"), null, 1, graph.Inputs[i].ElementLength, -1, Owned: false));
        }

        var layers = _tuned.Layers.ToDictionary(l => l.Name, StringComparer.Ordinal);
        for (var n = 0; n < graph.Nodes.Length; n++)
        {
            var node = graph.Nodes[n];
            var inputs = node.Inputs.Distinct().Where(v => !v.IsConstant).ToDictionary(v => v.Name, v => Converted(v.Name, node.Name), StringComparer.Ordinal);
            if (_tuned.ConcatViewOf(node) is not null)
            {
                // A view: its producers wrote every part into the joined block, which lives until its last reader.
                Keep(node.Output.Name, _joined[node.Name]);
            }
            else if (node is OperatorNode op)
            {
                Keep(op.Output.Name, Kernel(op, layers[op.Name].Candidate, inputs));
                _values[op.Output.Name] = Converted(op.Output.Name, op.Name);
            }
            else if (_tuned.RunsOnComputeCores(node, inputs.Values.All(h => h.Placement is null)))
            {
                Keep(node.Output.Name, CpeNode(node, n, inputs));
            }
            else
            {
                Keep(node.Output.Name, OnHost(node, n, inputs));
            }

            Observe(node, n);
        }

        for (var i = 0; i < graph.Outputs.Length; i++)
        {
            var output = graph.Outputs[i];
            var framework = Framework(Converted(output.Name, PlannedConversion.GraphOutput));
            Run.Add(new Statement([$"memcpy(outputs[{i}], {framework.Name}[0], (size_t){L(output.ElementLength)} * sizeof({Type})); /* output '{HostNodePrinter.Comment(output.Name)}' */"], [framework], null));
        }
    }

    /// <summary>Value <paramref name="value"/> as its producer left it (<paramref name="held"/>), and its first copy.</summary>
    private void Keep(string value, Held held)
    {
        _values[value] = held;
        _copies[(value, LayoutConversion.KeyOf(held.Placement))] = held;
    }

    /// <summary>
    /// Value <paramref name="value"/> after the planned conversion for <paramref name="consumer"/>, if there is one: from the copy
    /// its shared steps left (made for an earlier consumer, and read here too, so freed after this reader), each step that runs
    /// making a copy of its own.
    /// </summary>
    private Held Converted(string value, string consumer)
    {
        var held = _values[value];
        foreach (var conversion in _tuned.Plan.Conversions.Where(c => c.Value == value && c.Consumer == consumer))
        {
            if (conversion.Shared > 0)
            {
                var key = LayoutConversion.KeyAfter(conversion.Steps[conversion.Shared - 1]);
                held = _copies.GetValueOrDefault((value, key))
                    ?? throw new EmitException(EmitDiagnostics.PlanDoesNotHold,
                        $"Value '{value}' is planned to be read by '{consumer}' from a copy in {key}, but no such copy was made: the plan does not hold together.");
            }

            foreach (var step in conversion.Running)
            {
                held = Step(step, held, Run);
                _copies[(value, LayoutConversion.KeyAfter(step))] = held;
            }
        }

        return held;
    }

    /// <summary>Runs <paramref name="step"/> on <paramref name="from"/> into a new hold, written to <paramref name="into"/>.</summary>
    private Held Step(LayoutStep step, Held from, List<Statement> into)
    {
        var function = StepFunction(step);
        var groups = step.CoreGroups;
        var unpacks = step.Kind == LayoutStepKind.Unpack;
        var to = NewHold("v", unpacks ? null : new TensorPlacement(step.Destination, step.Share), unpacks ? 1 : groups, step.Destination.Elements, owned: true, isStatic: into == Prepare);
        List<string> lines = [$"/* {HostNodePrinter.Comment(step.ToString())} */", .. Allocation(to)];
        if (HostSteps.FirstOrDefault(h => h.Step == step) is { Function: { } copy })
        {
            // On the MPE, where it is faster than a spawn: each core group's elements copied in turn.
            var source = step.Kind == LayoutStepKind.Pack ? $"{from.Name}[0]" : from.For("g");
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"for (g = 0; g < {groups}; g++) {copy}(({Type} *){source}, ({Type} *){to.For("g")}, g); /* on the MPE */"));
            into.Add(new Statement([.. lines], [from], to));
            return to;
        }

        lines.AddRange(Spawn(function, groups, [
            (LayoutStepLowering.SourceTensor, step.Kind == LayoutStepKind.Pack ? $"{from.Name}[0]" : from.For("g")),
            (LayoutStepLowering.DestinationTensor, to.For("g")),
        ]));
        into.Add(new Statement([.. lines], [from], to));
        return to;
    }

    private Held Kernel(OperatorNode op, OperatorCandidate candidate, Dictionary<string, Held> inputs)
    {
        var (kernel, transform, compiled) = KernelFunction(op, candidate);
        var lowered = compiled.Lowered;
        var groups = lowered.Schedule.CoreGroups;
        var bindings = new List<(string Field, string Buffer)>();
        var reads = new List<Held>();
        var form = transform is null ? null : lowered.Prepared;
        foreach (var operand in op.Operands)
        {
            if (form is not null && operand.Tensor == form.Constant)
            {
                // The prepared form reads the constant transformed once, in the preparation, into each core group's memory.
                var transformed = Transformed(operand.Value, form, transform!, groups);
                bindings.Add((form.Tensor, transformed.For("g")));
                reads.Add(transformed);
                continue;
            }

            var placement = lowered.Placements[operand.Tensor];
            var held = operand.IsConstant ? Weights(operand.Value, placement) : inputs[operand.Value.Name];
            if (LayoutConversion.KeyOf(held.Placement) != LayoutConversion.KeyOf(LayoutConversion.Holding(placement)))
            {
                throw new EmitException(EmitDiagnostics.PlanDoesNotHold,
                    $"Node '{op.Name}' reads '{operand.Tensor}' as {placement}, but value '{operand.Value.Name}' lies {held.Placement?.ToString() ?? "in the framework's layout"}: the plan does not hold together.");
            }

            bindings.Add((operand.Tensor, held.For("g")));
            reads.Add(held);
        }

        var placementOut = LayoutConversion.Holding(lowered.OutputPlacement);
        if (_tuned.ConcatViews.FirstOrDefault(v => v.Parts.Contains(op.Output.Name)) is { } view)
        {
            return Slice(op, kernel, lowered.Output.Name, groups, view, placementOut, bindings, reads);
        }

        var output = placementOut is null
            ? NewHold("v", null, 1, lowered.Output.ElementLength, owned: true, isStatic: false)
            : NewHold("v", placementOut, groups, placementOut.Layout.Elements, owned: true, isStatic: false);
        bindings.Add((lowered.Output.Name, output.For("g")));
        List<string> lines = [$"/* node '{HostNodePrinter.Comment(op.Name)}': {HostNodePrinter.Comment(op.Spec.Signature)} */", .. Allocation(output)];
        foreach (var (name, elements) in lowered.Plan.Workspaces.Where(w => w.Name != form?.Tensor))
        {
            // The kernel's workspace: zeroed in each core group's share, read by this statement alone, so freed after it.
            var workspace = NewHold("v", null, groups, elements, owned: true, isStatic: false);
            lines.AddRange(Allocation(workspace));
            bindings.Add((name, workspace.For("g")));
            reads.Add(workspace);
        }

        lines.AddRange(Spawn(CNames.CpeFunction(kernel), groups, bindings));
        Run.Add(new Statement([.. lines], [.. reads], output));
        return output;
    }

    /// <summary>
    /// The kernel of <paramref name="op"/>, a part of concatenation view <paramref name="view"/>, writing its slice of the
    /// joined block: the block allocated by the first part's kernel, read (kept alive) by the others'; the part is the block
    /// seen through the kernel's widened output placement.
    /// </summary>
    private Held Slice(OperatorNode op, LoopKernel kernel, string output, int groups, ConcatView view, TensorPlacement? placement, List<(string Field, string Buffer)> bindings, List<Held> reads)
    {
        var allocates = !_joined.TryGetValue(view.Node, out var joined);
        if (allocates)
        {
            joined = NewHold("v", null, 1, Graph.Node(view.Node).Output.ElementLength, owned: true, isStatic: false);
            _joined[view.Node] = joined;
        }

        bindings.Add((output, $"{joined!.Name}[0]"));
        List<string> lines = [$"/* node '{HostNodePrinter.Comment(op.Name)}': {HostNodePrinter.Comment(op.Spec.Signature)}, into its slice of '{HostNodePrinter.Comment(view.Node)}' */"];
        if (allocates)
        {
            lines.AddRange(Allocation(joined));
        }

        lines.AddRange(Spawn(CNames.CpeFunction(kernel), groups, bindings));
        Run.Add(new Statement([.. lines], [.. reads, .. allocates ? Array.Empty<Held>() : [joined]], allocates ? joined : null));
        return joined with { Placement = placement };
    }

    /// <summary>
    /// <paramref name="constant"/> transformed by a kernel's prepared form (<paramref name="form"/>): once, in the preparation,
    /// <paramref name="transform"/> spawned on each core group from the constant's copy into the group's block, which lives until the release.
    /// </summary>
    private Held Transformed(GraphValue constant, Core.Lowering.PreparedForm form, LoopKernel transform, int groups)
    {
        if (_transformed.TryGetValue((constant.Name, transform), out var held))
        {
            return held;
        }

        var copy = _prepared[(constant.Name, null)];
        held = NewHold("v", null, groups, form.Elements, owned: true, isStatic: true);
        Prepare.Add(new Statement([
            $"/* constant '{HostNodePrinter.Comment(constant.Name)}' transformed once into {form.Tensor}, in each core group's memory */",
            .. Allocation(held),
            .. Spawn(CNames.CpeFunction(transform), groups, [(form.Constant, $"{copy.Name}[0]"), (form.Tensor, held.For("g"))]),
        ], [copy], held));
        _transformed[(constant.Name, transform)] = held;
        return held;
    }

    /// <summary>A constant where a kernel reads it: its copy, or packed once (in the preparation) into <paramref name="placement"/>.</summary>
    private Held Weights(GraphValue constant, TensorPlacement placement)
    {
        var holding = LayoutConversion.Holding(placement);
        if (_prepared.TryGetValue((constant.Name, holding), out var held))
        {
            return held;
        }

        held = Step(LayoutStep.Pack(placement, Graph.ElementType), _prepared[(constant.Name, null)], Prepare);
        _prepared[(constant.Name, holding)] = held;
        return held;
    }

    private Held OnHost(GraphNode node, int index, Dictionary<string, Held> inputs)
    {
        var function = string.Create(CultureInfo.InvariantCulture, $"node_{index}");
        HostFunctions[node.Name] = function;
        var arguments = new List<string>();
        var reads = new List<Held>();
        foreach (var input in HostNodePrinter.Inputs(node))
        {
            var held = input.IsConstant ? _prepared[(input.Name, null)] : Framework(inputs[input.Name]);
            arguments.Add($"{held.Name}[0]");
            reads.Add(held);
        }

        var output = NewHold("v", null, 1, node.Output.ElementLength, owned: true, isStatic: false);
        Run.Add(new Statement([
            $"/* node '{HostNodePrinter.Comment(node.Name)}': {HostNodePrinter.Comment(node.Operation)}, on the MPE */",
            .. Allocation(output),
            $"{function}({string.Concat(arguments.Select(a => a + ", "))}{output.Name}[0]);",
        ], [.. reads], output));
        var placement = node.Inputs.Length > 0 && !node.Inputs[0].IsConstant ? PlacementCarry.Through(node, inputs[node.Inputs[0].Name].Placement) : null;
        return placement is null ? output : Step(LayoutStep.Pack(placement, Graph.ElementType), output, Run);
    }

    /// <summary>
    /// A node the tuning timed on the CPEs (a pooling, an unfused element-wise node, a concatenation) whose inputs lie in
    /// the framework's layout: its kernel (<see cref="Sw26010NodeKernel"/>, the one the emulator runs) spawned on every core
    /// group, from its inputs (its constants as copied) to its output there.
    /// </summary>
    private Held CpeNode(GraphNode node, int index, Dictionary<string, Held> inputs)
    {
        var compiled = Sw26010NodeKernel.For(_target, node, Graph.ElementType)
            ?? throw new InvalidOperationException($"Node '{node.Name}' ({node.Operation}) was timed as a CPE kernel, but the target has none for it.");
        var kernel = compiled.Kernel with { Name = string.Create(CultureInfo.InvariantCulture, $"n{index}_{compiled.Kernel.Name}") };
        CNames.Check(kernel);
        _functions.Add((kernel, null, $"/* node {HostNodePrinter.Comment(compiled.ToString())} */"));
        var reads = compiled.Reads.Select(r => (r.Tensor, Held: r.Value.IsConstant ? _prepared[(r.Value.Name, null)] : inputs[r.Value.Name])).ToList();
        var output = NewHold("v", null, 1, node.Output.ElementLength, owned: true, isStatic: false);
        List<string> lines = [$"/* node '{HostNodePrinter.Comment(node.Name)}': {HostNodePrinter.Comment(node.Operation)}, on the CPEs */", .. Allocation(output)];
        lines.AddRange(Spawn(CNames.CpeFunction(kernel), compiled.CoreGroups, [
            .. reads.Select(r => (r.Tensor, $"{r.Held.Name}[0]")),
            (compiled.DestinationTensor, $"{output.Name}[0]"),
        ]));
        Run.Add(new Statement([.. lines], [.. reads.Select(r => r.Held).Distinct()], output));
        return output;
    }

    /// <summary>A value in the framework's layout: as it lies, or unpacked by a layout step.</summary>
    private Held Framework(Held held) =>
        held.Placement is { } placement ? Step(LayoutStep.Unpack(placement, Graph.ElementType), held, Run) : held;

    /// <summary>Hands node <paramref name="index"/>'s value to the observer, when there is one, in the framework's layout.</summary>
    private void Observe(GraphNode node, int index)
    {
        var held = _values[node.Output.Name];
        var name = CString(node.Name);
        var call = string.Create(CultureInfo.InvariantCulture, $"observer({index}, {name}, ");
        if (held.Placement is null)
        {
            Run.Add(new Statement([$"if (observer != NULL) {call}{held.Name}[0], {L(node.Output.ElementLength)});"], [held], null));
            return;
        }

        // Unpacked only for the observer, into a block the statement frees itself.
        var scratch = new List<Statement>();
        var unpacked = Step(LayoutStep.Unpack(held.Placement, Graph.ElementType), held, scratch);
        Run.Add(new Statement([
            "if (observer != NULL) {",
            .. scratch[0].Lines.Select(l => "    " + l),
            $"    {call}{unpacked.Name}[0], {L(node.Output.ElementLength)});",
            string.Create(CultureInfo.InvariantCulture, $"    release({unpacked.First}, 1);"),
            "}",
        ], [held], null));
    }

    private string StepFunction(LayoutStep step)
    {
        if (!_steps.TryGetValue(step, out var kernel))
        {
            var compiled = Sw26010LayoutStep.Compile(_target, step);
            if (compiled.RunsOnMpe)
            {
                var copy = string.Create(CultureInfo.InvariantCulture, $"h{HostSteps.Count}_{compiled.Kernel.Name}");
                HostSteps.Add((step, copy));
                _steps[step] = compiled.Kernel with { Name = copy };
                return copy;
            }

            kernel = compiled.Kernel with { Name = string.Create(CultureInfo.InvariantCulture, $"s{_steps.Count}_{compiled.Kernel.Name}") };
            CNames.Check(kernel);
            _steps[step] = kernel;
            _functions.Add((kernel, null, $"/* layout step {HostNodePrinter.Comment(step.ToString())} */"));
        }

        return CNames.CpeFunction(kernel);
    }

    /// <summary>
    /// The CPE function of <paramref name="op"/>'s kernel under <paramref name="candidate"/>'s schedule, once per operator and
    /// schedule. A kernel with a prepared form whose constant the graph holds (the composite Winograd: a convolution's weights
    /// are always a constant) is its run kernel, and its transform is a function of its own, spawned in the preparation.
    /// </summary>
    private (LoopKernel Kernel, LoopKernel? Transform, Sw26010Kernel Compiled) KernelFunction(OperatorNode op, OperatorCandidate candidate)
    {
        var key = $"{op.Spec.Signature}\n{candidate.Schedule}";
        if (!_kernels.TryGetValue(key, out var entry))
        {
            var compiled = (Sw26010Kernel)op.Spec.WithSchedule(candidate.Schedule).Emit(_target);
            var form = op.PreparedFormOf(compiled.Lowered);
            var prefix = string.Create(CultureInfo.InvariantCulture, $"k{_kernels.Count}_");
            var called = form?.Run ?? compiled.Lowered.Kernel;
            var kernel = called with { Name = prefix + called.Name };
            var transform = form is null ? null : form.Transform with { Name = prefix + form.Transform.Name };
            CNames.Check(kernel);
            var comment = $"/* {HostNodePrinter.Comment(op.Spec.Signature)}\n   schedule: {HostNodePrinter.Comment(candidate.Schedule.ToString() ?? "")} */";
            if (transform is not null)
            {
                CNames.Check(transform);
                _functions.Add((transform, null, comment.Replace(" */", ", the constant's transform (the preparation) */", StringComparison.Ordinal)));
            }

            entry = (kernel, transform, compiled);
            _kernels[key] = entry;
            _functions.Add((kernel, CpeFilePrinter.TilesOf(compiled.Lowered), comment));
        }

        return entry;
    }

    /// <summary>The spawn of <paramref name="function"/> on each of <paramref name="groups"/> core groups in turn, its parameters bound per group (<c>g</c>).</summary>
    private List<string> Spawn(string function, int groups, IReadOnlyList<(string Field, string Buffer)> bindings)
    {
        var type = function[..^"_cpe".Length] + "_params";
        List<string> lines = [string.Create(CultureInfo.InvariantCulture, $"for (g = 0; g < {groups}; g++) {{"), $"    {type} p;", "    memset(&p, 0, sizeof p);"];
        lines.AddRange(bindings.Select(b => $"    p.{b.Field} = ({Type} *){b.Buffer};"));
        lines.AddRange(["    p.cg = g;", $"    athread_spawn({function}, &p);", "    athread_join();", "}"]);
        return lines;
    }

    private Held NewHold(string prefix, TensorPlacement? placement, int count, long elements, bool owned, bool isStatic)
    {
        var name = prefix == "v" ? string.Create(CultureInfo.InvariantCulture, $"{(isStatic ? "w" : "v")}{_holds++}") : prefix;
        var held = new Held(name, placement, count, elements, _buffers, owned);
        _buffers += count;
        (isStatic ? Statics : Temporaries).Add(held);
        return held;
    }

    /// <summary>The allocation of <paramref name="held"/>'s buffers, zeroed (the padding of a layout reads as zeros), failing the call when memory runs out.</summary>
    private static IEnumerable<string> Allocation(Held held) =>
    [
        string.Create(CultureInfo.InvariantCulture, $"for (g = 0; g < {held.Count}; g++) {held.Name}[g] = allocate({L(held.Elements)}, {held.First} + g);"),
        string.Create(CultureInfo.InvariantCulture, $"for (g = 0; g < {held.Count}; g++) if ({held.Name}[g] == NULL) {{ status = -2; goto done; }}"),
    ];

    private static string L(long value) => string.Create(CultureInfo.InvariantCulture, $"{value}L");

    /// <summary><paramref name="text"/> as a C string literal.</summary>
    public static string CString(string text) =>
        "\"" + string.Concat(text.Select(ch => ch switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            _ when ch < 0x20 || ch > 0x7e => "?",
            _ => ch.ToString(),
        })) + "\"";
}
