using System.Collections.Immutable;
using System.Numerics;
using System.Numerics.Tensors;
using Swatop.Core;
using Swatop.Core.LayoutSteps;
using Swatop.Core.Lowering;
using Swatop.Core.Scheduling;
using Swatop.Core.Targets;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Execution;
using Swatop.Primitives;

namespace Swatop.Hardware.Sw26010.Target;

/// <summary>
/// An operator compiled for the SW26010, with the layout steps around it: each run builds an emulated
/// chip whose memories hold the caller's tensors where the target says (<see cref="Sw26010Target.CallerMemory"/>: the
/// framework's layout in the shared memory by default), moves each input the kernel keeps in a layout
/// of its own into every core group's memory (layout steps on the CPEs), spawns the kernel on the
/// schedule's core groups, and moves the output back to where the caller keeps it (each group
/// writing what it computed; <see cref="CallRoute"/>). The emitted C (<see cref="Sources"/>) takes the framework's tensors,
/// its steps the packs from and the unpack into the framework's layout (<see cref="LayoutSteps"/>). <see cref="Prepare(IReadOnlyDictionary{string, Tensor{double}})"/> packs
/// the constant inputs once.
/// </summary>
public sealed class Sw26010Kernel : ICompiledKernel
{
    private readonly Sw26010Target _target;
    /// <summary>The packs of the inputs the kernel keeps in a layout of its own, in the order of the operator's inputs.</summary>
    private readonly ImmutableArray<Sw26010LayoutStep> _packs;
    private readonly Sw26010LayoutStep? _unpack;
    private readonly KernelInvocation _invocation;
    /// <summary>The call the emitted C's entry function makes: the framework's tensors in the shared memory, whatever the target's caller.</summary>
    private readonly KernelInvocation _entryCall;
    private readonly CompiledKernel _compiled;

    internal Sw26010Kernel(Sw26010Target target, LoweredKernel lowered, CompiledKernel compiled)
    {
        _target = target;
        Lowered = lowered;
        var placements = lowered.Placements;
        var elementType = lowered.Kernel.ElementType;
        _packs = [.. lowered.Inputs.Where(t => !placements[t.Name].Layout.IsIdentity)
            .Select(t => Sw26010LayoutStep.Compile(target, LayoutStep.Pack(placements[t.Name], elementType)))];
        var output = placements[lowered.Output.Name];
        _unpack = output.Layout.IsIdentity ? null : Sw26010LayoutStep.Compile(target, LayoutStep.Unpack(output, elementType));
        PreparedTransform = lowered.Prepared is { } form ? new PreparedTransform(form) : null;
        _invocation = new KernelInvocation(target, lowered, compiled, _packs, CallRoute.For(target, lowered, _packs, _unpack), PreparedTransform);
        _entryCall = target.CallerMemory == CallerMemory.Shared ? _invocation
            : new KernelInvocation(target, lowered, compiled, _packs, CallRoute.For(target.WithCallerMemory(CallerMemory.Shared), lowered, _packs, _unpack), PreparedTransform);
        _compiled = compiled;
    }

    /// <summary>The kernel's program for one core group, its operator tensors bound to <paramref name="tensors"/> (each where its placement keeps it).</summary>
    internal CpeProgram Program(IReadOnlyDictionary<string, GlobalBuffer> tensors) => _compiled.Program(tensors);

    /// <inheritdoc/>
    public LoweredKernel Lowered { get; }

    /// <summary>The compiled prepared form (<see cref="LoweredKernel.Prepared"/>): the composite Winograd's filter transform, run once when its weights are prepared, and the kernel its prepared calls run; null for a kernel whose prepare step only packs.</summary>
    internal PreparedTransform? PreparedTransform { get; }

    /// <summary>The operator.</summary>
    public OperatorSpec Operator => Lowered.Operator;

    /// <inheritdoc/>
    /// <remarks>
    /// athread C (see <see cref="Emit.KernelFiles"/>), emitted on first use; the comment block of each
    /// file states the simulated performance, for which the kernel is measured once (timing-only). The entry function
    /// takes every input each call, so the stated performance is of such a call: for a kernel with a prepared form
    /// (<see cref="LoweredKernel.Prepared"/>), of its plain kernel, its constant transformed in the call. An operator with
    /// constant inputs also gets prepared calls (<c>_prepare</c>, <c>_run</c>, <c>_release</c>) that take them once, as
    /// <see cref="Prepare(IReadOnlyDictionary{string, Tensor{double}})"/> does (<see cref="Emit.PreparedEntry"/>).
    /// </remarks>
    /// <exception cref="Emit.EmitException">The kernel cannot be written as athread C.</exception>
    public KernelSources Sources => field ??= Emit.AthreadCEmitter.Emit(this, EntryProfile());

    /// <summary>
    /// Checks the emitted C on this host: <see cref="Sources"/> compiled as for the real machine against the
    /// SW5 header stand-ins (<see cref="CheckEmittedCForSw5"/>), then built with gcc against the athread shim,
    /// run once on operands drawn from <paramref name="seed"/>, and its output compared with the reference; for a kernel whose
    /// prepared calls spawn programs the plain call does not (a prepared form's, the composite Winograd's), run again through
    /// them, whose output must be the plain call's bit for bit.
    /// </summary>
    /// <param name="seed">Seeds the operands.</param>
    /// <param name="options">The compiler, sanitizers and run timeout; the defaults when null.</param>
    /// <returns>The emitted C's output against the reference (within its tolerance, or the check throws).</returns>
    /// <exception cref="Emit.Verification.GccShimException">gcc is missing, the compile or the run failed, or the output does not match the reference; the message names the kernel and the folder its files are kept in.</exception>
    public ReferenceComparison VerifyEmittedC(int seed, Emit.Verification.GccShimOptions? options = null) =>
        Emit.Verification.EmittedKernelCheck.Run(this, seed, options).Comparison;

    /// <summary>
    /// Compiles the emitted C as the real machine's toolchain would take it, without running it: every C file
    /// the emitted Makefile compiles with sw5cc, compiled by gcc with that rule's defines and in its C dialect
    /// (gnu89 when it names none) against stand-ins that declare exactly the public SW5 API of <c>slave.h</c>,
    /// <c>simd.h</c> and <c>athread.h</c> (<see cref="Emit.Verification.Sw5Headers"/>).
    /// </summary>
    /// <param name="options">The compiler; the defaults when null.</param>
    /// <returns>How the Makefile compiles each file, in its order.</returns>
    /// <exception cref="Emit.Verification.GccShimException">gcc is missing, or a file does not compile (a C99 construct, a missing include or declaration, an intrinsic the real headers lack); the message quotes gcc and names the folder the files are kept in.</exception>
    public IReadOnlyList<Emit.Verification.MakefileCompile> CheckEmittedCForSw5(Emit.Verification.GccShimOptions? options = null) =>
        Emit.Verification.Sw5HeaderCheck.Run(Operator.Signature, Sources.Files, options);

    /// <inheritdoc/>
    public KernelRun<double> Run(IReadOnlyDictionary<string, Tensor<double>> inputs) => Execute(KernelInputs.InOrder(Lowered, inputs));

    /// <inheritdoc/>
    public KernelRun<float> Run(IReadOnlyDictionary<string, Tensor<float>> inputs) => Execute(KernelInputs.InOrder(Lowered, inputs));

    /// <inheritdoc/>
    public KernelRun<double> Run(Tensor<double> left, Tensor<double> right) => Execute(KernelInputs.InOrder(Lowered, left, right));

    /// <inheritdoc/>
    public KernelRun<float> Run(Tensor<float> left, Tensor<float> right) => Execute(KernelInputs.InOrder(Lowered, left, right));

    /// <inheritdoc/>
    public IPreparedKernel<double> Prepare(IReadOnlyDictionary<string, Tensor<double>> constants) => PrepareCore(constants);

    /// <inheritdoc/>
    public IPreparedKernel<float> Prepare(IReadOnlyDictionary<string, Tensor<float>> constants) => PrepareCore(constants);

    /// <inheritdoc/>
    /// <remarks>The operator's <see cref="OperatorSpec.ConstantInputs"/> count as prepared: their packing is listed in <see cref="KernelProfile.PrepareSteps"/>, not in the call's <see cref="KernelProfile.Steps"/>.</remarks>
    public KernelProfile Measure(CancellationToken cancellation = default)
    {
        var (call, prepare) = MeasureCall(cancellation: cancellation);
        return Profile(call.Kernel, call.Steps, prepare);
    }

    /// <summary>The layout steps between the framework's layout and the kernel's: a pack of each input the kernel keeps in a layout of its own, then the output's unpack (those of a call whose caller keeps its tensors in the shared memory, and of the emitted C).</summary>
    public IReadOnlyList<Sw26010LayoutStep> LayoutSteps => _unpack is null ? _packs : [.. _packs, _unpack];

    /// <summary>
    /// The timing-only call, the operator's constants prepared: the kernel's full report (its cycles and
    /// what every CPE did) and the steps' times. Core groups whose share of the work is alike
    /// (<see cref="Core.Scheduling.SchedulePlan.SplitSharesAlike"/>: all but the last, and the last too when
    /// its share is like the others') run the same kernel in time, so only the first of them and the last
    /// group are emulated; each of the others gets the first one's report.
    /// </summary>
    /// <param name="everyGroup">Emulate every core group, alike or not.</param>
    /// <param name="cancellation">Stops the run.</param>
    internal (KernelInvocation.Result<double> Call, ImmutableArray<StepTime> Prepare) MeasureCall(bool everyGroup = false, CancellationToken cancellation = default) =>
        TimedCall(_invocation, everyGroup, cancellation);

    /// <summary>The timing-only call of <paramref name="invocation"/>, the operator's constants prepared, and the prepare steps' times.</summary>
    private (KernelInvocation.Result<double> Call, ImmutableArray<StepTime> Prepare) TimedCall(KernelInvocation invocation, bool everyGroup, CancellationToken cancellation)
    {
        var constants = Operator.ConstantInputs.ToDictionary(name => name, double[]? (_) => null, StringComparer.Ordinal);
        var (copies, prepare) = invocation.Prepare<double>(constants, cancellation);
        return (invocation.Call<double>(null, copies, everyGroup, cancellation), prepare);
    }

    /// <summary>
    /// The timing-only run's full report of the kernel alone (see <see cref="MeasureCall"/>); with <paramref name="prepared"/>
    /// false, of a call whose constants are not prepared: for a kernel with a prepared form, its plain kernel, as the single
    /// kernel's emitted C runs it (for any other kernel the same report, the constants' packs being steps of their own).
    /// </summary>
    internal ChipRunReport MeasureReport(bool everyGroup = false, bool prepared = true, CancellationToken cancellation = default) =>
        prepared ? MeasureCall(everyGroup, cancellation).Call.Kernel : UnpreparedCall(_invocation, everyGroup, cancellation).Kernel;

    /// <summary>
    /// The timing-only profile of a call of the emitted C's entry function, which takes the framework's tensors in the shared
    /// memory: for a kernel with a prepared form, a call whose constants are not prepared (every input packed or transformed
    /// in the call); for any other, its constants prepared (their packs, steps of their own, listed apart).
    /// </summary>
    private KernelProfile EntryProfile()
    {
        if (PreparedTransform is not null)
        {
            var unprepared = UnpreparedCall(_entryCall, everyGroup: false, CancellationToken.None);
            return Profile(unprepared.Kernel, unprepared.Steps, []);
        }

        var (call, prepare) = TimedCall(_entryCall, everyGroup: false, CancellationToken.None);
        return Profile(call.Kernel, call.Steps, prepare);
    }

    /// <summary>The timing-only call with no constant prepared.</summary>
    private static KernelInvocation.Result<double> UnpreparedCall(KernelInvocation invocation, bool everyGroup, CancellationToken cancellation) =>
        invocation.Call<double>(null, ImmutableDictionary<string, double[]?[]>.Empty, everyGroup, cancellation);

    /// <summary>Runs a call with every input given (a dense one read where it lies): each packed by its step, the output unpacked.</summary>
    private KernelRun<T> Execute<T>(ImmutableArray<Tensor<T>> inputs)
        where T : unmanaged, INumberBase<T>
    {
        var byName = Lowered.Inputs.Select((t, i) => (t.Name, Values: inputs[i])).ToDictionary(p => p.Name, p => p.Values, StringComparer.Ordinal);
        return Call(byName, ImmutableDictionary<string, T[]?[]>.Empty, []);
    }

    /// <summary>Runs a call on the emulator, exact, every core group emulated.</summary>
    internal KernelRun<T> Call<T>(IReadOnlyDictionary<string, Tensor<T>> inputs, IReadOnlyDictionary<string, T[]?[]> prepared, ImmutableArray<StepTime> prepareSteps)
        where T : unmanaged, INumberBase<T>
    {
        var result = _invocation.Call(inputs, prepared, everyGroup: true, CancellationToken.None);
        var lengths = Lowered.Output.Shape.Select(l => (nint)l).ToArray();
        return new KernelRun<T>(Tensor.Create(result.Output!, lengths), Profile(result.Kernel, result.Steps, prepareSteps));
    }

    private PreparedKernel<T> PrepareCore<T>(IReadOnlyDictionary<string, Tensor<T>> constants)
        where T : unmanaged, INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(constants);
        var declared = Lowered.Inputs.Where(t => constants.ContainsKey(t.Name)).ToImmutableArray();
        var flat = KernelInputs.Flatten(Lowered, constants, declared.IsEmpty ? Lowered.Inputs : declared, nameof(constants), "the operator's inputs");
        if (declared.Length == Lowered.Inputs.Length)
        {
            throw new ArgumentException($"{nameof(constants)} holds every input of the operator ({string.Join(", ", declared.Select(t => $"'{t.Name}'"))}); a prepared kernel needs at least one left to take per call.", nameof(constants));
        }

        var values = declared.Select((t, i) => (t.Name, Values: flat[i])).ToDictionary(p => p.Name, p => (T[]?)p.Values, StringComparer.Ordinal);
        var (copies, steps) = _invocation.Prepare(values, CancellationToken.None);
        return new PreparedKernel<T>(this, copies, steps);
    }

    private KernelProfile Profile(ChipRunReport kernel, ImmutableArray<StepTime> steps, ImmutableArray<StepTime> prepare) =>
        new(kernel.Profile.SimulatedSeconds, steps, Operator.Flops, Lowered.Schedule.CoreGroups * _target.Spec.CoreGroupPeakFlops, kernel.Profile.ToString())
        {
            PrepareSteps = prepare,
        };
}
