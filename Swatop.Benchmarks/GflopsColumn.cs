using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Swatop.Benchmarks;

/// <summary>
/// A summary column with the GFLOPS of a benchmark that does a fixed number of flops per
/// invocation, computed from the median time, and the percentage of a reference (peak)
/// benchmark of the same summary: "38.1 (91.2%)".
/// </summary>
/// <param name="flopsPerInvocation">Flops of one invocation of every benchmark in the summary.</param>
/// <param name="peakOf">For each benchmark method to compare, the name of the method holding its peak.</param>
public sealed class GflopsColumn(long flopsPerInvocation, IReadOnlyDictionary<string, string> peakOf) : IColumn
{
    /// <inheritdoc/>
    public string Id => nameof(GflopsColumn);

    /// <inheritdoc/>
    public string ColumnName => "GFLOPS (% of peak)";

    /// <inheritdoc/>
    public bool AlwaysShow => true;

    /// <inheritdoc/>
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc/>
    public int PriorityInCategory => 0;

    /// <inheritdoc/>
    public bool IsNumeric => false;

    /// <inheritdoc/>
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc/>
    public string Legend => $"Giga flops a second from the median, {flopsPerInvocation} flops an invocation; in brackets, the share of the in-process Vector512 FMA peak loop of the same element type";

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        double? gflops = Gflops(summary, benchmarkCase);
        if (gflops is null)
        {
            return "NA";
        }

        string text = gflops.Value.ToString("F1", CultureInfo.InvariantCulture);
        string method = benchmarkCase.Descriptor.WorkloadMethod.Name;
        if (!peakOf.TryGetValue(method, out string? peakMethod))
        {
            return text;
        }

        BenchmarkCase? peakCase = summary.BenchmarksCases.FirstOrDefault(c => c.Descriptor.WorkloadMethod.Name == peakMethod);
        double? peak = peakCase is null ? null : Gflops(summary, peakCase);
        return peak is null or <= 0
            ? text
            : $"{text} ({(100 * gflops.Value / peak.Value).ToString("F1", CultureInfo.InvariantCulture)}%)";
    }

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    /// <inheritdoc/>
    public bool IsAvailable(Summary summary) => true;

    /// <inheritdoc/>
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    private double? Gflops(Summary summary, BenchmarkCase benchmarkCase)
    {
        double? medianNs = summary[benchmarkCase]?.ResultStatistics?.Median;
        return medianNs is null or <= 0 ? null : flopsPerInvocation / medianNs.Value;
    }
}
