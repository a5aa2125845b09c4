using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Swatop.Core;
using Swatop.Core.Ir;
using Swatop.Core.Ir.Passes;
using Swatop.Core.Lowering;
using Swatop.Core.Scheduling;
using Swatop.Hardware.Sw26010.Target;

namespace Swatop.Benchmarks;

/// <summary>
/// Lowering one schedule of a ResNet-50 convolution (batch 128) to the loop IR and running the
/// default pass pipeline on it, with the SW26010 target's limits and pass context:
/// <c>dotnet run -c Release --project Swatop.Benchmarks -- --filter '*Lowering*'</c>.
/// Target: under 1 ms per case (median).
/// </summary>
/// <remarks>
/// The cases are the stage-3 3 x 3 convolution (128 -> 128 channels, 28 x 28, padding 1) and the stage-2
/// 1 x 1 reduction (256 -> 64 channels, 56 x 56), each under <see cref="ScheduleSpace.Default"/> and, where it
/// applies, <see cref="Schedules.SwDnn"/>. swDNN computes valid convolutions only, so the 3 x 3 layer appears a
/// second time as swDNN runs it: on the input padded on the host (30 x 30, no padding, the same 28 x 28 output).
/// The schedules are found once, in the global setup; only lowering and the passes are measured. The job is
/// BenchmarkDotNet's default run in process (warm-up and iteration counts chosen by the runner), with the median
/// shown; the figures are for code the JIT has tiered up (see <see cref="Setup"/>).
/// </remarks>
[InProcess]
[MedianColumn]
[MemoryDiagnoser]
public class LoweringBenchmarks
{
    /// <summary>How long the setup runs the operation before the runner's pilot stage sizes the iterations.</summary>
    private static readonly TimeSpan TierUp = TimeSpan.FromSeconds(3);

    private OperatorSpec? _spec;
    private Schedule? _schedule;

    /// <summary>The layer and schedule measured.</summary>
    [ParamsSource(nameof(Cases))]
    public LoweringCase Case { get; set; } = LoweringCase.All[0];

    /// <summary>Every case, in the order of the table.</summary>
    public static IEnumerable<LoweringCase> Cases => LoweringCase.All;

    /// <summary>
    /// Describes the layer, picks its schedule and runs the operation for <see cref="TierUp"/>: the first few
    /// thousand calls in a fresh process run unoptimized code at several times the steady cost, which would
    /// otherwise size the first case's iterations for the slow code and leak into its measurement.
    /// </summary>
    [GlobalSetup]
    public void Setup()
    {
        var limits = Sw26010Target.Default.Limits;
        _spec = Case.Layer();
        _schedule = Case.SwDnn ? Schedules.SwDnn(_spec, limits) : _spec.Space(limits).Default();
        var start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(start) < TierUp)
        {
            LowerAndOptimize();
        }
    }

    /// <summary><see cref="KernelLowering.Lower(OperatorSpec, Schedule, TargetLimits)"/> then <see cref="PassPipeline.Default"/>.</summary>
    [Benchmark]
    public LoopKernel LowerAndOptimize()
    {
        var target = Sw26010Target.Default;
        var lowered = KernelLowering.Lower(_spec!, _schedule!, target.Limits);
        return PassPipeline.Default.Run(lowered.Kernel, target.PassContext).Kernel;
    }
}
