using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Swatop.Benchmarks;

/// <summary>
/// The job the throughput suites share: in process (so a suite's kernels and its peak loop share
/// one process, one JIT and one machine state), one launch, 3 warm-up and 10 measured iterations,
/// with the median shown; optionally a GFLOPS column.
/// </summary>
public class InProcessShortConfig : ManualConfig
{
    /// <summary>The job and the median column.</summary>
    public InProcessShortConfig()
    {
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(10)
            .WithId("InProcessShort"));
        AddColumn(StatisticColumn.Median);
    }

    /// <summary>The job, the median column and <paramref name="gflops"/>.</summary>
    protected InProcessShortConfig(GflopsColumn gflops)
        : this() => AddColumn(gflops);
}
