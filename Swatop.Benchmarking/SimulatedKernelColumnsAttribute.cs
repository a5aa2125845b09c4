using BenchmarkDotNet.Attributes;

namespace Swatop.Benchmarking;

/// <summary>Adds <see cref="SimulatedKernelColumn.All"/> to a benchmark class that implements <see cref="ISimulatedKernelBenchmark"/>.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Assembly)]
public sealed class SimulatedKernelColumnsAttribute : ColumnConfigBaseAttribute
{
    /// <summary>The three columns.</summary>
    public SimulatedKernelColumnsAttribute()
        : base(SimulatedKernelColumn.All)
    {
    }
}
