using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Swatop.Benchmarks;

/// <summary>
/// A summary column of <see cref="LayoutStepBandwidthBenchmarks"/>: one of the simulated figures of the case's
/// layout step (<see cref="LayoutStepFigures"/>), which the benchmark's host time does not show.
/// </summary>
/// <param name="name">The column's header.</param>
/// <param name="legend">What the column says.</param>
/// <param name="value">The figure, formatted, from the case's figures.</param>
public sealed class LayoutStepFigureColumn(string name, string legend, Func<LayoutStepFigures, double> value) : IColumn
{
    /// <summary>The columns of the suite: step ms, MB a group, plateau ms, ratio, model ms, controller busy %.</summary>
    public static IReadOnlyList<LayoutStepFigureColumn> All { get; } =
    [
        new("step ms", "The emulator's simulated time of the step (timing only, spawn and join included)", f => f.StepSeconds * 1e3),
        new("MB a group", "Bytes the busiest core group reads (and writes), in millions", f => f.Bytes / 1e6),
        new("plateau ms", "Those bytes at the DMA model's plateau of gets and puts, shared-memory bytes at the cross-segment factor", f => f.PlateauSeconds * 1e3),
        new("step / plateau", "The step's time over the plateau's (the requirement: at most 1.3)", f => f.Ratio),
        new("model ms", "The analytic cost model's price of the step", f => f.ModelSeconds * 1e3),
        new("busy %", "The share of the busiest core group's kernel time its memory controller was serving DMA", f => f.ControllerBusy * 100),
    ];

    /// <inheritdoc/>
    public string Id => nameof(LayoutStepFigureColumn) + name;

    /// <inheritdoc/>
    public string ColumnName => name;

    /// <inheritdoc/>
    public bool AlwaysShow => true;

    /// <inheritdoc/>
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc/>
    public int PriorityInCategory => All.Select((c, i) => (c, i)).First(p => ReferenceEquals(p.c, this)).i;

    /// <inheritdoc/>
    public bool IsNumeric => true;

    /// <inheritdoc/>
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc/>
    public string Legend => legend;

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        benchmarkCase.Parameters["Case"] is LayoutStepCase layoutCase
            ? value(LayoutStepFigures.Of(layoutCase)).ToString("F3", CultureInfo.InvariantCulture)
            : "NA";

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    /// <inheritdoc/>
    public bool IsAvailable(Summary summary) => true;

    /// <inheritdoc/>
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
