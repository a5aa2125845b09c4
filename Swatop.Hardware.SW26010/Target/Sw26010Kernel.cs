using System.Collections.Immutable;
using System.Numerics;
using System.Numerics.Tensors;
using Swatop.Core;
using Swatop.Core.Layouts;
using Swatop.Core.Lowering;
using Swatop.Core.Targets;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Execution;
using Swatop.Primitives;

namespace Swatop.Hardware.Sw26010.Target;

/// <summary>
/// An operator compiled for the SW26010: each run builds an emulated chip, lets every core group's
/// MPE pack the inputs into the kernel's layouts in its own memory, spawns the kernel on the
/// schedule's core groups, and gathers the output into the framework layout.
/// </summary>
public sealed class Sw26010Kernel : ICompiledKernel
{
    private readonly Sw26010Target _target;
    private readonly CompiledKernel _compiled;

    internal Sw26010Kernel(Sw26010Target target, LoweredKernel lowered, CompiledKernel compiled)
    {
        _target = target;
        _compiled = compiled;
        Lowered = lowered;
    }

    /// <inheritdoc/>
    public LoweredKernel Lowered { get; }

    /// <summary>The operator.</summary>
    public OperatorSpec Operator => Lowered.Operator;

    /// <inheritdoc/>
    /// <remarks>
    /// athread C (see <see cref="Emit.KernelFiles"/>), emitted on first use; the comment block of each
    /// file states the simulated performance, for which the kernel is measured once (timing-only).
    /// </remarks>
    /// <exception cref="Emit.EmitException">The kernel cannot be written as athread C.</exception>
    public KernelSources Sources => field ??= Emit.AthreadCEmitter.Emit(Lowered, Measure());

    /// <summary>
    /// Checks the emitted C on this host: <see cref="Sources"/> built with gcc against the athread shim, run
    /// once on operands drawn from <paramref name="seed"/>, and its output compared with the reference.
    /// </summary>
    /// <param name="seed">Seeds the operands.</param>
    /// <param name="options">The compiler, sanitizers and run timeout; the defaults when null.</param>
    /// <returns>The emitted C's output against the reference (within its tolerance, or the check throws).</returns>
    /// <exception cref="Emit.Verification.GccShimException">gcc is missing, the compile or the run failed, or the output does not match the reference; the message names the kernel and the folder its files are kept in.</exception>
    public ReferenceComparison VerifyEmittedC(int seed, Emit.Verification.GccShimOptions? options = null) =>
        Emit.Verification.EmittedKernelCheck.Run(this, seed, options).Comparison;

    /// <inheritdoc/>
    public KernelRun<double> Run(IReadOnlyDictionary<string, Tensor<double>> inputs) => Execute(KernelInputs.Flatten(Lowered, inputs));

    /// <inheritdoc/>
    public KernelRun<float> Run(IReadOnlyDictionary<string, Tensor<float>> inputs) => Execute(KernelInputs.Flatten(Lowered, inputs));

    /// <inheritdoc/>
    public KernelRun<double> Run(Tensor<double> left, Tensor<double> right) => Execute(KernelInputs.Flatten(Lowered, left, right));

    /// <inheritdoc/>
    public KernelRun<float> Run(Tensor<float> left, Tensor<float> right) => Execute(KernelInputs.Flatten(Lowered, left, right));

    /// <inheritdoc/>
    public KernelProfile Measure(CancellationToken cancellation = default) => Profile(MeasureReport(cancellation: cancellation), HostSeconds());

    /// <summary>
    /// The timing-only run's full report: its cycles and what every CPE did. Core groups whose share of
    /// the work is alike (<see cref="Core.Scheduling.SchedulePlan.SplitSharesAlike"/>: all but the last, and
    /// the last too when its share is like the others') run the same kernel in time, so only the first of
    /// them and the last group are emulated; each of the others gets the first one's report.
    /// </summary>
    /// <param name="everyGroup">Emulate every core group, alike or not.</param>
    /// <param name="cancellation">Stops the run.</param>
    internal ChipRunReport MeasureReport(bool everyGroup = false, CancellationToken cancellation = default)
    {
        var chip = new Sw26010Chip(_target.Spec, _target.Options with { TimingOnly = true, Cancellation = cancellation });
        var buffers = Allocate(chip);
        var groups = Lowered.Schedule.CoreGroups;
        var last = everyGroup || !Lowered.Plan.SplitSharesAlike ? groups - 1 : 0;
        bool Emulated(int group) => everyGroup || group == 0 || group == last;
        var report = chip.Run(group => Emulated(group.Index) ? _compiled.Program(buffers[group.Index]) : _ => ValueTask.CompletedTask, groups);
        var first = report.CoreGroups[0];
        return report with
        {
            CoreGroups = [.. report.CoreGroups.Select(g => Emulated(g.CoreGroup) ? g : first with { CoreGroup = g.CoreGroup, Profile = first.Profile with { CoreGroup = g.CoreGroup } })],
        };
    }

    /// <summary>
    /// Runs the kernel on <paramref name="inputs"/> (framework layout, in the order of
    /// <see cref="LoweredKernel.Inputs"/>): each core group's MPE places or packs every input it holds,
    /// the groups run, and the output is gathered from the group that holds each element.
    /// </summary>
    private KernelRun<T> Execute<T>(ImmutableArray<T[]> inputs)
        where T : unmanaged, INumberBase<T>
    {
        var placements = Lowered.Placements;
        var chip = new Sw26010Chip(_target.Spec, _target.Options);
        var buffers = Allocate(chip);
        for (var g = 0; g < Lowered.Schedule.CoreGroups; g++)
        {
            for (var i = 0; i < inputs.Length; i++)
            {
                var values = inputs[i];
                var name = Lowered.Inputs[i].Name;
                var placement = placements[name];
                if (placement.Distribution is not ReplicatedDistribution)
                {
                    throw new NotSupportedException($"Input '{name}' is {placement.Distribution}: the host places only inputs every core group holds whole.");
                }

                var layout = placement.Layout;
                var buffer = buffers[g][name];
                var mpe = chip.CoreGroups[g].Mpe;
                if (!placement.IsPackedByHost)
                {
                    mpe.Run($"place {name}", _ => values.CopyTo(buffer.AsSpan<T>()));
                }
                else
                {
                    mpe.Run($"pack {name} into the kernel's layout", new MpeWork(LayoutBytes(layout)), _ => HostLayoutSteps.Pack<T>(layout, values, buffer.AsSpan<T>()));
                }
            }
        }

        var report = chip.Run(group => _compiled.Program(buffers[group.Index]), Lowered.Schedule.CoreGroups);
        var outputTensor = Lowered.Output;
        var output = new T[outputTensor.ElementLength];
        var groupOutputs = Enumerable.Range(0, Lowered.Schedule.CoreGroups).Select(g => (ReadOnlyMemory<T>)buffers[g][outputTensor.Name].AsSpan<T>().ToArray()).ToList();
        HostLayoutSteps.Unpack(placements[outputTensor.Name], groupOutputs, output);
        var lengths = outputTensor.Shape.Select(l => (nint)l).ToArray();
        return new KernelRun<T>(Tensor.Create(output, lengths), Profile(report, HostSeconds()));
    }

    private Dictionary<string, GlobalBuffer>[] Allocate(Sw26010Chip chip)
    {
        var groups = Lowered.Schedule.CoreGroups;
        var result = new Dictionary<string, GlobalBuffer>[groups];
        for (var g = 0; g < groups; g++)
        {
            result[g] = new Dictionary<string, GlobalBuffer>(StringComparer.Ordinal);
            foreach (var tensor in Lowered.Kernel.Tensors)
            {
                result[g][tensor.Name] = Lowered.Kernel.ElementType == ElementType.Float32
                    ? chip.CoreGroups[g].Memory.Allocate<float>(tensor.Name, tensor.Elements)
                    : chip.CoreGroups[g].Memory.Allocate<double>(tensor.Name, tensor.Elements);
            }
        }

        return result;
    }

    /// <summary>
    /// Seconds of the host steps on one MPE (the groups' MPEs pack in parallel): every input the host packs
    /// and the output when it gathers it (<see cref="TensorPlacement.IsPackedByHost"/>,
    /// <see cref="TensorPlacement.IsGatheredByHost"/>), each read and written once.
    /// </summary>
    private double HostSeconds()
    {
        var placements = Lowered.Placements;
        var bytes = 0L;
        foreach (var input in Lowered.Inputs)
        {
            var placement = placements[input.Name];
            bytes += placement.IsPackedByHost ? LayoutBytes(placement.Layout) : 0;
        }

        var output = placements[Lowered.Output.Name];
        bytes += output.IsGatheredByHost ? LayoutBytes(output.Layout) : 0;
        return bytes / _target.Spec.Timing.MpeBytesPerCycle / _target.Spec.ClockHz;
    }

    /// <summary>Bytes the MPE moves to pack or unpack a tensor in <paramref name="layout"/>: every internal element read and written once.</summary>
    private long LayoutBytes(TensorLayout layout) => 2 * layout.Elements * Lowered.Kernel.ElementBytes;

    private KernelProfile Profile(ChipRunReport report, double hostSeconds) =>
        new(report.Profile.SimulatedSeconds, hostSeconds, Operator.Flops, Lowered.Schedule.CoreGroups * _target.Spec.CoreGroupPeakFlops, report.Profile.ToString());
}
