using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Swatop.Hardware.Sw26010.Target;

namespace Swatop.Benchmarks;

/// <summary>
/// Layout steps on the CPEs against the DMA plateau:
/// <c>dotnet run -c Release --project Swatop.Benchmarks -- --filter '*LayoutStepBandwidth*'</c>. For each case
/// (<see cref="LayoutStepCase"/>) the columns give the emulator's simulated time of the step, the bytes its busiest
/// core group moves, their plateau time and the ratio (the requirement: at most 1.3), and the cost model's
/// price; the measured time is the host's, emulating the step once in timing-only mode.
/// </summary>
[Config(typeof(Config))]
public class LayoutStepBandwidthBenchmarks
{
    private Sw26010LayoutStep? _compiled;

    /// <summary>The step measured.</summary>
    [ParamsSource(nameof(Cases))]
    public LayoutStepCase Case { get; set; } = LayoutStepCase.All[0];

    /// <summary>Every case, in the order of the table.</summary>
    public static IEnumerable<LayoutStepCase> Cases => LayoutStepCase.All;

    /// <summary>Compiles the case's step and takes its simulated figures.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _compiled = Sw26010LayoutStep.Compile(Sw26010Target.Default, Case.Step());
        Console.WriteLine($"// {LayoutStepFigures.Of(Case)}");
    }

    /// <summary>Emulating the step, timing only: the host's cost of the simulated figures.</summary>
    [Benchmark]
    public double EmulateTimingOnly() => LayoutStepFigures.Emulate(Sw26010Target.Default, _compiled!).Seconds;

    /// <summary>In process, one launch, one warm-up and three measured iterations (each emulates a step of 100 MB or more), the simulated figures as columns.</summary>
    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithLaunchCount(1)
                .WithWarmupCount(1)
                .WithIterationCount(3)
                .WithInvocationCount(1)
                .WithUnrollFactor(1)
                .WithId("InProcessOnce"));
            AddColumn(BenchmarkDotNet.Columns.StatisticColumn.Median);
            AddColumn([.. LayoutStepFigureColumn.All]);
        }
    }
}
