using System.Collections.Immutable;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using Swatop.Core;
using Swatop.Core.Ir;
using Swatop.Core.Layouts;
using Swatop.Core.LayoutSteps;
using Swatop.Core.Lowering;
using Swatop.Core.Targets;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Execution;
using Swatop.Primitives;

namespace Swatop.Hardware.Sw26010.Target;

/// <summary>
/// One call of a compiled kernel as a framework makes it, on an emulated chip. Each operand goes its
/// <see cref="CallRoute"/>: the caller keeps its activations where the target says (<see cref="Core.Scheduling.TargetLimits.CallerMemory"/>),
/// by default the framework's layout in the shared memory; an input the kernel keeps in a layout of its own is moved there
/// by its route's layout steps on the core groups (unless it was prepared: then its packed copy is already in every group's
/// memory, at no cost to the call); the kernel runs; the output goes its route back to where the caller keeps it. A tensor whose
/// layout is the framework's is read or written where it lies, through the shared memory; one the kernel keeps where the
/// caller keeps it (its share of the batch in each group's own memory) needs no step. A workspace tensor of the kernel's
/// (<see cref="Core.Scheduling.SchedulePlan.Workspaces"/>) is allocated zeroed in each group's memory. The output the call returns
/// is the shared memory's own array of it, not a copy, when it ends there, so a call holds its output once beside the groups' shares.
/// A kernel with a prepared form (<see cref="PreparedTransform"/>, the composite Winograd) whose constant was prepared runs
/// that form's kernel, reading the transformed tensor the prepare step left in each group's memory.
/// A dense input is read where the framework keeps it (<see cref="MainMemory.Borrow{T}"/>), not copied into the
/// shared memory; the packed copies of an input whole in every group (replicated) share one host array, since every group's
/// pack writes the same bytes; once the kernel has run, the inputs' copies and the workspaces are let go before the output
/// is moved, and the output's shares are moved one core group at a time, each let go once it is read, so a call holds at
/// most its inputs, their packed copies and the output's shares, then its inputs, the output and one group's share.
/// </summary>
internal sealed class KernelInvocation
{
    /// <summary>Bytes of buffers let go at once from which a call collects the garbage (see <see cref="Release"/>).</summary>
    private const long CollectAfterBytes = 64L << 20;

    private readonly Sw26010Target _target;
    private readonly LoweredKernel _lowered;
    private readonly CompiledKernel _compiled;
    private readonly ImmutableArray<Sw26010LayoutStep> _packs;
    private readonly ImmutableArray<CallRoute> _routes;
    private readonly PreparedTransform? _transform;

    public KernelInvocation(Sw26010Target target, LoweredKernel lowered, CompiledKernel compiled, ImmutableArray<Sw26010LayoutStep> packs, ImmutableArray<CallRoute> routes, PreparedTransform? transform)
    {
        (_target, _lowered, _compiled, _packs, _routes, _transform) = (target, lowered, compiled, packs, routes, transform);
    }

    /// <summary>What a call did: the kernel's report, the layout steps' times, and the output (null when timing only).</summary>
    public sealed record Result<T>(ChipRunReport Kernel, ImmutableArray<StepTime> Steps, T[]? Output);

    /// <summary>
    /// Calls the kernel. <paramref name="inputs"/> holds every input not in <paramref name="prepared"/>
    /// (framework layout, row-major), or is null for a timing-only call, which moves no data;
    /// <paramref name="prepared"/> holds, per prepared input, its packed copy in each core group (or null
    /// arrays when timing only); for the constant of the kernel's prepared form, each group's transformed tensor.
    /// </summary>
    /// <param name="inputs">The framework tensors by name (a dense one in the shared memory is read where it lies, a strided one copied; one the caller keeps in the groups' memories is placed there, each group its part), or null when timing only.</param>
    /// <param name="prepared">The prepared inputs' packed copies by name, one per core group.</param>
    /// <param name="everyGroup">Emulate every core group, even those whose share is like the first's.</param>
    /// <param name="cancellation">Stops the call.</param>
    public Result<T> Call<T>(IReadOnlyDictionary<string, Tensor<T>>? inputs, IReadOnlyDictionary<string, T[]?[]> prepared, bool everyGroup, CancellationToken cancellation)
        where T : unmanaged, INumberBase<T>
    {
        var timingOnly = inputs is null;
        var chip = new Sw26010Chip(_target.Spec, _target.Options with { TimingOnly = timingOnly, Cancellation = cancellation });
        var groups = _lowered.Schedule.CoreGroups;
        var last = everyGroup || !_lowered.Plan.SplitSharesAlike ? groups - 1 : 0;
        bool Emulated(int group) => everyGroup || group == 0 || group == last;

        var output = _lowered.Output.Name;
        var outputRoute = _routes[^1];

        // The output the host keeps is held as an array of its element type and handed out as it is, not copied.
        var outputAsArray = !timingOnly && Unsafe.SizeOf<T>() == _lowered.Kernel.ElementBytes && outputRoute.Holding is null;
        var placements = _lowered.Placements;
        var form = _transform is { } t0 && prepared.ContainsKey(t0.Form.Constant) ? _transform : null;
        var framework = new Dictionary<string, GlobalBuffer>(StringComparer.Ordinal);
        var own = Enumerable.Range(0, groups).Select(_ => new Dictionary<string, GlobalBuffer>(StringComparer.Ordinal)).ToArray();
        var caller = new Dictionary<string, GlobalBuffer[]>(StringComparer.Ordinal);
        foreach (var route in _routes.Where(r => r.Tensor.Name != form?.Form.Constant))
        {
            var tensor = route.Tensor;
            var placement = placements[tensor.Name];
            var layout = placement.Layout;
            var isPrepared = prepared.ContainsKey(tensor.Name);
            if (route.Holding is { } holding && !isPrepared)
            {
                // Where the caller keeps the tensor, each group its part: the caller's memory, placed before the call, not timed.
                caller[tensor.Name] = [.. Enumerable.Range(0, holding.Distribution.CoreGroups).Select(g => Allocate(chip.CoreGroups[g].Memory, tensor.Name, holding.Layout.Elements))];
                if (inputs is not null && inputs.TryGetValue(tensor.Name, out var given))
                {
                    PlaceHeld(given, holding, caller[tensor.Name]);
                }
            }

            var throughFramework = route.Holding is null || layout.IsIdentity || route.Steps.Any(s => s.Step.Kind == LayoutStepKind.Unpack);
            if (isPrepared ? layout.IsIdentity : throughFramework)
            {
                framework[tensor.Name] = inputs is not null && !isPrepared && route.Holding is null && inputs.TryGetValue(tensor.Name, out var values)
                    ? Place(chip.SharedMemory, tensor.Name, values)
                    : outputAsArray && route.IsOutput
                    ? chip.SharedMemory.AllocateHostArray<T>(tensor.Name, tensor.ElementLength)
                    : Allocate(chip.SharedMemory, tensor.Name, tensor.ElementLength);
            }

            if (!layout.IsIdentity)
            {
                if (route.Holding is not null && !isPrepared && route.Steps.IsEmpty)
                {
                    // The kernel keeps the tensor where the caller does: it reads (or writes) the caller's own buffers.
                    for (var g = 0; g < groups; g++)
                    {
                        own[g][tensor.Name] = caller[tensor.Name][g];
                    }
                }
                else
                {
                    // An input whole in every group is packed alike into each group's memory and only read by the kernel: one host copy serves every group.
                    var alike = !route.IsOutput && placement.Distribution is ReplicatedDistribution;
                    for (var g = 0; g < groups; g++)
                    {
                        own[g][tensor.Name] = g > 0 && alike
                            ? chip.CoreGroups[g].Memory.AllocateTwin(tensor.Name, own[0][tensor.Name])
                            : Allocate(chip.CoreGroups[g].Memory, tensor.Name, layout.Elements);
                    }
                }
            }

            if (isPrepared && !timingOnly)
            {
                // A constant the kernel reads as it is stays where the framework keeps it; a packed one is in every group's memory.
                var copies = prepared[tensor.Name];
                if (layout.IsIdentity)
                {
                    copies[0]!.CopyTo(framework[tensor.Name].AsSpan<T>());
                }
                else
                {
                    for (var g = 0; g < groups; g++)
                    {
                        copies[g]!.CopyTo(own[g][tensor.Name].AsSpan<T>());
                    }
                }
            }
        }

        // The kernel's workspace tensors (none for most algorithms): zeroed, in each group's own memory.
        foreach (var (name, elements) in _lowered.Plan.Workspaces)
        {
            for (var g = 0; g < groups; g++)
            {
                own[g][name] = Allocate(chip.CoreGroups[g].Memory, name, elements);
                if (form is not null && name == form.Form.Tensor && !timingOnly)
                {
                    // The prepared form reads the tensor its transform left in this group's memory.
                    prepared[form.Form.Constant][g]!.CopyTo(own[g][name].AsSpan<T>());
                }
            }
        }

        // Where a route's value lies before and after a step: the caller's buffers, the shared memory's, or the kernel's (those of
        // a tensor the kernel reads or writes in place are the shared memory's, whichever core group a step reaches them from).
        GlobalBuffer Kernel(string name, int g) => (g < groups ? own[g].GetValueOrDefault(name) : null) ?? framework[name];
        GlobalBuffer Held(string name, int g) => caller.TryGetValue(name, out var held) ? held[g] : framework[name];
        var steps = ImmutableArray.CreateBuilder<StepTime>();
        foreach (var route in _routes.Where(r => !r.IsOutput && !prepared.ContainsKey(r.Tensor.Name)))
        {
            var name = route.Tensor.Name;
            Func<int, GlobalBuffer> at = g => Held(name, g);
            foreach (var step in route.Steps)
            {
                var from = at;
                Func<int, GlobalBuffer> to = step.Step.Kind == LayoutStepKind.Unpack ? _ => framework[name] : g => Kernel(name, g);
                steps.Add(step.Run(chip, g => (from(g), to(g)), Emulated));
                at = to;
            }
        }

        Dictionary<string, GlobalBuffer> Bound(int group, LoopKernel kernel) =>
            kernel.Tensors.ToDictionary(t => t.Name, t => Kernel(t.Name, group), StringComparer.Ordinal);
        var kernel = chip.Run(group => !Emulated(group.Index) ? _ => ValueTask.CompletedTask
            : form is not null ? form.Run(Bound(group.Index, form.Form.Run))
            : _compiled.Program(Bound(group.Index, _lowered.Kernel)), groups);
        var first = kernel.CoreGroups[0];
        kernel = kernel with
        {
            CoreGroups = [.. kernel.CoreGroups.Select(g => Emulated(g.CoreGroup) ? g : first with { CoreGroup = g.CoreGroup, Profile = first.Profile with { CoreGroup = g.CoreGroup } })],
        };

        if (!timingOnly)
        {
            // Nothing reads the inputs, their copies or the workspaces any more: their memory can be taken back while the output is moved.
            Release([.. framework.Where(p => p.Key != output).Select(p => p.Value), .. own.SelectMany(g => g.Where(p => p.Key != output).Select(p => p.Value)),
                .. caller.Where(p => p.Key != output).SelectMany(p => p.Value)]);
        }

        // A call that moves data moves one group's share at a time and lets it go once it is read, so it needs the output
        // about once over, not as the shares and their destination both.
        Func<int, GlobalBuffer> outputAt = g => Kernel(output, g);
        foreach (var (step, index) in outputRoute.Steps.Select((s, i) => (s, i)))
        {
            var from = outputAt;
            Func<int, GlobalBuffer> to = step.Step.Kind == LayoutStepKind.Unpack ? _ => framework[output] : g => Held(output, g);
            // The value a step reads is in each group's own memory unless it lies in the shared memory (written in place, or unpacked there).
            var perGroup = index == 0 ? !placements[output].Layout.IsIdentity : outputRoute.Steps[index - 1].Step.Kind != LayoutStepKind.Unpack;
            steps.Add(timingOnly || !perGroup
                ? step.Run(chip, g => (from(g), to(g)), Emulated)
                : step.Run(chip, g => (from(g), to(g)), Emulated, g => Release([from(g)])));
            if (!timingOnly && !perGroup)
            {
                Release([from(0)]);
            }

            outputAt = to;
        }

        return new Result<T>(kernel, steps.ToImmutable(), timingOnly ? null
            : outputRoute.Holding is { } outputHolding ? Gathered<T>(outputHolding, caller[output])
            : outputAsArray ? framework[output].HostArray<T>() : framework[output].AsSpan<T>().ToArray());
    }

    /// <summary>
    /// Packs the inputs named in <paramref name="constants"/> once: each core group's packed copy, and the steps' times. The
    /// constant of the kernel's prepared form is transformed instead, by the form's transform kernel on the CPEs: each core
    /// group's copy is then the transformed tensor.
    /// </summary>
    public (ImmutableDictionary<string, T[]?[]> Copies, ImmutableArray<StepTime> Steps) Prepare<T>(IReadOnlyDictionary<string, T[]?> constants, CancellationToken cancellation)
        where T : unmanaged, INumberBase<T>
    {
        var timingOnly = constants.Values.Any(v => v is null);
        var chip = new Sw26010Chip(_target.Spec, _target.Options with { TimingOnly = timingOnly, Cancellation = cancellation });
        var groups = _lowered.Schedule.CoreGroups;
        var copies = ImmutableDictionary.CreateBuilder<string, T[]?[]>(StringComparer.Ordinal);
        var steps = ImmutableArray.CreateBuilder<StepTime>();
        foreach (var (name, values) in constants)
        {
            if (_transform is { } transform && transform.Form.Constant == name)
            {
                var constant = _lowered.Inputs.First(t => t.Name == name);
                var given = Allocate(chip.SharedMemory, name, constant.ElementLength);
                values?.CopyTo(given.AsSpan<T>());
                var transformed = Enumerable.Range(0, groups).Select(g => Allocate(chip.CoreGroups[g].Memory, transform.Form.Tensor, transform.Form.Elements)).ToArray();
                steps.Add(transform.Prepare(chip, given, transformed, constant.ElementLength * _lowered.Kernel.ElementBytes));
                copies[name] = [.. transformed.Select(d => timingOnly ? null : d.AsSpan<T>().ToArray())];
                continue;
            }

            if (_packs.FirstOrDefault(s => s.Step.Tensor.Name == name) is not { } step)
            {
                // The kernel reads the framework's layout as it is: the constant stays where the framework keeps it.
                copies[name] = [values];
                continue;
            }

            var tensor = _lowered.Inputs.First(t => t.Name == name);
            var source = Allocate(chip.SharedMemory, name, tensor.ElementLength);
            values?.CopyTo(source.AsSpan<T>());
            var destinations = Enumerable.Range(0, groups).Select(g => Allocate(chip.CoreGroups[g].Memory, name, step.Step.Destination.Elements)).ToArray();
            steps.Add(step.Run(chip, g => (source, destinations[g]), _ => true) with { Name = $"prepare {name}" });
            copies[name] = [.. destinations.Select(d => timingOnly ? null : d.AsSpan<T>().ToArray())];
        }

        return (copies.ToImmutable(), steps.ToImmutable());
    }

    /// <summary>
    /// Lets <paramref name="buffers"/> go, and when they spanned at least <see cref="CollectAfterBytes"/> (a core group's
    /// share of a large output, say), collects the garbage at once, so that the next buffers of the call (the output's
    /// pages, written as the next group's share is unpacked) or of its caller take that memory back instead of new memory:
    /// a run's peak is then what it holds at once, not what it ever held. The collection does not compact: moving the
    /// arrays still held would need room for both copies, and would write every page of the output's buffer at once.
    /// </summary>
    private static void Release(IReadOnlyList<GlobalBuffer> buffers)
    {
        var held = buffers.Where(b => !b.IsReadOnly).Distinct().Sum(b => b.ByteLength);
        foreach (var buffer in buffers)
        {
            buffer.Release();
        }

        if (held >= CollectAfterBytes)
        {
            GC.Collect();
        }
    }

    /// <summary>
    /// The framework's input <paramref name="values"/> in <paramref name="memory"/>: a dense tensor read where it lies, a
    /// strided one flattened row-major into a buffer of its own.
    /// </summary>
    private GlobalBuffer Place<T>(MainMemory memory, string name, Tensor<T> values)
        where T : unmanaged
    {
        if (values.IsDense && Unsafe.SizeOf<T>() == _lowered.Kernel.ElementBytes)
        {
            return memory.Borrow(name, values);
        }

        var buffer = Allocate(memory, name, values.FlattenedLength);
        values.FlattenTo(buffer.AsSpan<T>());
        return buffer;
    }

    /// <summary>Each group's part of <paramref name="values"/> (<see cref="CallerHoldings.ElementsOf"/>) into its buffer of <paramref name="buffers"/>, at the framework's offsets.</summary>
    private static void PlaceHeld<T>(Tensor<T> values, TensorPlacement holding, GlobalBuffer[] buffers)
        where T : unmanaged
    {
        var flat = new T[values.FlattenedLength];
        values.FlattenTo(flat);
        for (var g = 0; g < buffers.Length; g++)
        {
            var (start, count) = CallerHoldings.ElementsOf(holding, g);
            flat.AsSpan((int)start, (int)count).CopyTo(buffers[g].AsSpan<T>().Slice((int)start, (int)count));
        }
    }

    /// <summary>The framework tensor <paramref name="holding"/> keeps in <paramref name="buffers"/>, each group's part read from its own buffer.</summary>
    private static T[] Gathered<T>(TensorPlacement holding, GlobalBuffer[] buffers)
        where T : unmanaged
    {
        var result = new T[holding.Tensor.ElementLength];
        for (var g = 0; g < buffers.Length; g++)
        {
            var (start, count) = CallerHoldings.ElementsOf(holding, g);
            buffers[g].AsSpan<T>().Slice((int)start, (int)count).CopyTo(result.AsSpan((int)start, (int)count));
        }

        return result;
    }

    /// <summary>A zeroed buffer of <paramref name="elements"/> of the kernel's element type (whatever type a timing-only call is made in).</summary>
    private GlobalBuffer Allocate(MainMemory memory, string name, long elements) => memory.Allocate(name, elements * _lowered.Kernel.ElementBytes);
}
