using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Swatop.Core.Targets;

namespace Swatop.Benchmarking;

/// <summary>
/// Summary columns with a kernel's simulated SW26010 figures beside the benchmark's host time, for the
/// cases of a class that implements <see cref="ISimulatedKernelBenchmark"/>: simulated milliseconds end to
/// end, GFLOPS end to end and the kernel's share of peak. Add them with <see cref="SimulatedKernelColumnsAttribute"/>
/// or <c>config.AddColumn(SimulatedKernelColumn.All)</c>.
/// </summary>
/// <param name="name">The header.</param>
/// <param name="legend">What the column says.</param>
/// <param name="value">The figure, formatted, from the case's profile.</param>
public sealed class SimulatedKernelColumn(string name, string legend, Func<KernelProfile, string> value) : IColumn
{
    private static readonly ConcurrentDictionary<string, KernelProfile?> Profiles = new(StringComparer.Ordinal);

    /// <summary>The columns: simulated ms, simulated GFLOPS, % of peak.</summary>
    public static IColumn[] All { get; } =
    [
        new SimulatedKernelColumn("SW26010 ms", "The kernel's simulated time on the SW26010, end to end (layout steps and kernel)",
            p => (p.EndToEndSeconds * 1e3).ToString("F3", CultureInfo.InvariantCulture)),
        new SimulatedKernelColumn("SW26010 GFLOPS", "Giga flops a second of the simulated time, end to end",
            p => p.Gflops.ToString("F1", CultureInfo.InvariantCulture)),
        new SimulatedKernelColumn("% of peak", "The kernel's simulated share of the core groups' peak",
            p => p.PeakPercent.ToString("F1", CultureInfo.InvariantCulture)),
    ];

    /// <inheritdoc/>
    public string Id => nameof(SimulatedKernelColumn) + name;

    /// <inheritdoc/>
    public string ColumnName => name;

    /// <inheritdoc/>
    public bool AlwaysShow => true;

    /// <inheritdoc/>
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc/>
    public int PriorityInCategory => Array.IndexOf(All, this);

    /// <inheritdoc/>
    public bool IsNumeric => true;

    /// <inheritdoc/>
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc/>
    public string Legend => legend;

    /// <summary>
    /// The simulated profile of <paramref name="benchmarkCase"/>: its class created, its parameters set, its
    /// <see cref="ISimulatedKernelBenchmark.SimulatedProfile"/> asked (once per case); null when the class
    /// has no simulated kernel.
    /// </summary>
    public static KernelProfile? Profile(BenchmarkCase benchmarkCase)
    {
        ArgumentNullException.ThrowIfNull(benchmarkCase);
        var type = benchmarkCase.Descriptor.Type;
        if (!typeof(ISimulatedKernelBenchmark).IsAssignableFrom(type))
        {
            return null;
        }

        var key = type.FullName + "(" + benchmarkCase.Parameters.DisplayInfo + ")";
        return Profiles.GetOrAdd(key, _ =>
        {
            var instance = (ISimulatedKernelBenchmark)Activator.CreateInstance(type)!;
            foreach (var parameter in benchmarkCase.Parameters.Items)
            {
                const BindingFlags Members = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
                if (type.GetProperty(parameter.Name, Members) is { } property)
                {
                    property.SetValue(instance, parameter.Value);
                }
                else
                {
                    type.GetField(parameter.Name, Members)?.SetValue(instance, parameter.Value);
                }
            }

            return instance.SimulatedProfile();
        });
    }

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => Profile(benchmarkCase) is { } profile ? value(profile) : "-";

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    /// <inheritdoc/>
    public bool IsAvailable(Summary summary) => true;

    /// <inheritdoc/>
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
