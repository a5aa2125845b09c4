using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Swatop.Core.Ir.Passes;
using Swatop.Core.LayoutSteps;
using Swatop.Core.Lowering;
using Swatop.Core.Scheduling;
using Swatop.Core.Targets;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Execution;
using Swatop.Primitives;

namespace Swatop.Hardware.Sw26010.Target;

/// <summary>
/// The SW26010 as a Swatop target: its limits (core groups, the LDM planning budget), the pass
/// pipeline, and kernels that run on the managed emulator with exact results and simulated time.
/// </summary>
public sealed class Sw26010Target : ITarget
{
    /// <summary>A target for the real chip's figures.</summary>
    /// <param name="spec">The chip; the real one by default.</param>
    /// <param name="options">How the emulator runs (parallel, sequential); timing-only is chosen per call.</param>
    /// <param name="callerMemory">Where a single operator's caller keeps its activations: the shared memory (the default), or each core group's share of the batch in its own memory.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="callerMemory"/> is not a <see cref="Core.Scheduling.CallerMemory"/>.</exception>
    public Sw26010Target(Sw26010Spec? spec = null, EmulatorOptions? options = null, CallerMemory callerMemory = CallerMemory.Shared)
    {
        if (!Enum.IsDefined(callerMemory))
        {
            throw new ArgumentOutOfRangeException(nameof(callerMemory), callerMemory, $"The caller keeps its tensors in one of {string.Join(", ", Enum.GetNames<CallerMemory>())}.");
        }

        Spec = spec ?? Sw26010Spec.Default;
        Spec.Validate();
        Options = options ?? new EmulatorOptions();
        CallerMemory = callerMemory;
        Limits = new TargetLimits(Spec.CoreGroups, Spec.LdmPlanningBytes)
        {
            MainMemoryBytes = Spec.MemoryBytesPerCoreGroup, MainMemoryAlignmentBytes = Spec.DmaAlignmentBytes, CallerMemory = callerMemory,
        };
        Signature = SignatureOf(Spec) + (callerMemory == CallerMemory.Shared ? string.Empty : " caller=core-groups");
    }

    /// <summary>The real chip with the default emulator options.</summary>
    public static Sw26010Target Default { get; } = new();

    /// <summary>The chip.</summary>
    public Sw26010Spec Spec { get; }

    /// <summary>The emulator options full runs use.</summary>
    public EmulatorOptions Options { get; }

    /// <summary>
    /// Where a single operator's caller keeps its activations (<see cref="TargetLimits.CallerMemory"/>): a call's layout steps
    /// start and end there, and its end-to-end time counts them.
    /// </summary>
    public CallerMemory CallerMemory { get; }

    /// <summary>This target with the caller keeping its activations in <paramref name="callerMemory"/>.</summary>
    public Sw26010Target WithCallerMemory(CallerMemory callerMemory) => callerMemory == CallerMemory ? this : new(Spec, Options, callerMemory);

    /// <inheritdoc/>
    public string Name => "sw26010";

    /// <summary>The analytic model of this machine (<see cref="Tuning.Sw26010CostModel"/>), which the default, model-guided tuning ranks with.</summary>
    public Core.Tuning.ICostModel? CostModel => field ??= new Tuning.Sw26010CostModel(Spec);

    /// <inheritdoc/>
    /// <remarks>
    /// <para>
    /// <c>sw26010 cg={CoreGroups} ldm={LdmBytes}/{LdmPlanningBytes} sha256={16 hex digits}</c>, such as
    /// <c>sw26010 cg=4 ldm=65536/56320 sha256=…</c>: a few figures to read, then the first 64 bits of
    /// the SHA-256 of <see cref="CanonicalText"/>, the list of every value of <see cref="Spec"/>
    /// (chip figures, <see cref="Sw26010Spec.Timing"/> and its DMA model) as <c>name=value</c> lines
    /// in a fixed order, doubles in their shortest round-trip invariant form; then <c> caller=core-groups</c> when the caller
    /// keeps its activations in the core groups' memories (<see cref="CallerMemory"/>), whose end-to-end times differ.
    /// </para>
    /// <para>
    /// <see cref="Options"/> is left out: parallel and sequential runs, and timing-only runs, take the
    /// same cycles. Adding a value to the spec means adding it to <see cref="CanonicalText"/>, which
    /// changes every signature: records tuned before then no longer match, as they should not.
    /// </para>
    /// </remarks>
    public string Signature { get; }

    /// <inheritdoc/>
    public TargetLimits Limits { get; }

    /// <summary>The pass context this target optimizes with; a kernel is compiled with it narrowed to its schedule's core groups (<see cref="PassContext.ForCoreGroups"/>).</summary>
    public PassContext PassContext => new() { LdmBudgetBytes = Spec.LdmPlanningBytes, GroupCount = Spec.CoreGroups };

    /// <inheritdoc/>
    public ICompiledKernel Compile(LoweredKernel lowered, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(lowered);
        var context = PassContext.ForCoreGroups(lowered.Schedule.CoreGroups);
        var optimized = PassPipeline.Default.Run(lowered.Kernel, context, logger).Kernel;
        var result = lowered.WithKernel(optimized);
        if (lowered.Prepared is { } form)
        {
            // The prepared form's transform and run kernels go through the same passes as the plain kernel.
            result = result with
            {
                Prepared = form with
                {
                    Transform = PassPipeline.Default.Run(form.Transform, context, logger).Kernel,
                    Run = PassPipeline.Default.Run(form.Run, context, logger).Kernel,
                },
            };
        }

        return new Sw26010Kernel(this, result, CompiledKernel.Compile(optimized));
    }

    /// <summary>The canonical list of every value of a spec the signature hashes: one <c>name=value</c> line each, in a fixed order.</summary>
    /// <inheritdoc/>
    /// <remarks>
    /// The step runs where it is faster (<see cref="StepTime.OnMpe"/>): on the compute cores, every core group of its share
    /// emulated in timing-only mode, or on the MPEs, its bytes at their assumed rate (<see cref="Sw26010MpeStep"/>).
    /// </remarks>
    public StepTime MeasureStep(LayoutStep layoutStep, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(layoutStep);
        return Sw26010MpeStep.BelowFloor(Spec, layoutStep) ?? Sw26010LayoutStep.Compile(this, layoutStep).Measure(cancellation);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// A pooling, an unfused add, clamp, per-channel bias or scale and a concatenation run as a CPE kernel
    /// (<see cref="Sw26010NodeKernel"/>) on every core group, emulated in timing-only mode, unless the MPE would be faster;
    /// every other node is timed as the MPE would take (its bytes and flops at the MPE's assumed rates). A flatten or a reshape is a view: no time.
    /// </remarks>
    public StepTime? MeasureNode(Core.Graphs.GraphNode node, ElementType elementType, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node is Core.Graphs.OperatorNode ? null : Sw26010NodeTiming.Measure(this, node, elementType, cancellation);
    }

    /// <inheritdoc/>
    /// <remarks>The node's bytes and flops at the MPE's assumed rates (<see cref="Sw26010NodeTiming.MpeSeconds"/>).</remarks>
    public StepTime? MeasureNodeOnHost(Core.Graphs.GraphNode node, ElementType elementType)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node is Core.Graphs.OperatorNode ? null : Sw26010NodeTiming.OnMpe(Spec, node, elementType);
    }

    internal static string CanonicalText(Sw26010Spec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var timing = spec.Timing;
        var dma = timing.Dma;
        var text = new StringBuilder();
        void Add(string name, double value) =>
            text.Append(name).Append('=').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');

        Add(nameof(spec.CoreGroups), spec.CoreGroups);
        Add(nameof(spec.MeshRows), spec.MeshRows);
        Add(nameof(spec.MeshColumns), spec.MeshColumns);
        Add(nameof(spec.ClockHz), spec.ClockHz);
        Add(nameof(spec.LdmBytes), spec.LdmBytes);
        Add(nameof(spec.LdmPlanningBytes), spec.LdmPlanningBytes);
        Add(nameof(spec.SimdBits), spec.SimdBits);
        Add(nameof(spec.SimdLanes), spec.SimdLanes);
        Add(nameof(spec.FlopsPerCpeCycle), spec.FlopsPerCpeCycle);
        Add(nameof(spec.MemoryBytesPerCoreGroup), spec.MemoryBytesPerCoreGroup);
        Add(nameof(spec.DmaAlignmentBytes), spec.DmaAlignmentBytes);
        Add(nameof(spec.RlcFifoDepth), spec.RlcFifoDepth);
        Add("Timing." + nameof(timing.DmaIssueCycles), timing.DmaIssueCycles);
        Add("Timing." + nameof(timing.RlcHopCycles), timing.RlcHopCycles);
        Add("Timing." + nameof(timing.RlcPutCycles), timing.RlcPutCycles);
        Add("Timing." + nameof(timing.RlcGetCycles), timing.RlcGetCycles);
        Add("Timing." + nameof(timing.SyncCycles), timing.SyncCycles);
        Add("Timing." + nameof(timing.GemmInnerLoopCycles), timing.GemmInnerLoopCycles);
        Add("Timing." + nameof(timing.GemmAccumulatorCycles), timing.GemmAccumulatorCycles);
        Add("Timing." + nameof(timing.GemmBlockOverheadCycles), timing.GemmBlockOverheadCycles);
        Add("Timing." + nameof(timing.GemmStepOverheadCycles), timing.GemmStepOverheadCycles);
        Add("Timing." + nameof(timing.GemmCallOverheadCycles), timing.GemmCallOverheadCycles);
        Add("Timing." + nameof(timing.ConvertCyclesPerElement), timing.ConvertCyclesPerElement);
        Add("Timing." + nameof(timing.FillCyclesPerVector), timing.FillCyclesPerVector);
        Add("Timing." + nameof(timing.CopyCyclesPerVector), timing.CopyCyclesPerVector);
        Add("Timing." + nameof(timing.TransposeCyclesPerBlock), timing.TransposeCyclesPerBlock);
        Add("Timing." + nameof(timing.LoopSetupCycles), timing.LoopSetupCycles);
        Add("Timing." + nameof(timing.SpawnCycles), timing.SpawnCycles);
        Add("Timing." + nameof(timing.JoinCycles), timing.JoinCycles);
        Add("Timing." + nameof(timing.MpeBytesPerCycle), timing.MpeBytesPerCycle);
        Add("Timing." + nameof(timing.MpeFlopsPerCycle), timing.MpeFlopsPerCycle);
        Add("Timing.Dma." + nameof(dma.RequestNanoseconds), dma.RequestNanoseconds);
        Add("Timing.Dma." + nameof(dma.GetBlockNanoseconds), dma.GetBlockNanoseconds);
        Add("Timing.Dma." + nameof(dma.PutBlockNanoseconds), dma.PutBlockNanoseconds);
        Add("Timing.Dma." + nameof(dma.GetNanosecondsPerByte), dma.GetNanosecondsPerByte);
        Add("Timing.Dma." + nameof(dma.PutNanosecondsPerByte), dma.PutNanosecondsPerByte);
        Add("Timing.Dma." + nameof(dma.LatencyNanoseconds), dma.LatencyNanoseconds);
        Add("Timing.Dma." + nameof(dma.CrossSegmentByteFactor), dma.CrossSegmentByteFactor);
        return text.ToString();
    }

    private static string SignatureOf(Sw26010Spec spec)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalText(spec))));
        return string.Create(CultureInfo.InvariantCulture, $"sw26010 cg={spec.CoreGroups} ldm={spec.LdmBytes}/{spec.LdmPlanningBytes} sha256={hash[..16]}");
    }

    /// <inheritdoc/>
    /// <remarks>On one emulated chip, through <see cref="Graphs.Sw26010GraphRun"/>.</remarks>
    public IReadOnlyDictionary<string, System.Numerics.Tensors.Tensor<T>> RunGraph<T>(Core.GraphTuning.GraphTuningResult tuned, IReadOnlyDictionary<string, System.Numerics.Tensors.Tensor<T>> tensors)
        where T : unmanaged, System.Numerics.INumber<T> =>
        Graphs.Sw26010GraphRun.Run(tuned, tensors);

    /// <inheritdoc/>
    /// <remarks>Athread C, through <see cref="Emit.Network.NetworkEmitter"/>.</remarks>
    public KernelSources EmitGraph(Core.GraphTuning.GraphTuningResult tuned) => Emit.Network.NetworkEmitter.Emit(this, tuned);
}
