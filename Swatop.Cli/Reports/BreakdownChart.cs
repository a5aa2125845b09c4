using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Series;

namespace Swatop.Cli.Reports;

/// <summary>
/// <c>breakdown.svg</c> of <c>swatop report --onnx</c>: a stacked bar per layer in execution order, its kernel (the
/// fused epilogue inside) and its layout steps, in milliseconds; the nodes outside the kernels, which are not timed,
/// named in the key.
/// </summary>
internal static class BreakdownChart
{
    /// <summary>The fill of the kernels' bars.</summary>
    public static OxyColor KernelColor { get; } = OxyColor.FromRgb(0x1f, 0x77, 0xb4);

    /// <summary>The fill of the layout steps' bars.</summary>
    public static OxyColor LayoutColor { get; } = OxyColor.FromRgb(0xff, 0x7f, 0x0e);

    /// <summary>The chart of <paramref name="figures"/> as an SVG document.</summary>
    public static string Svg(NetworkFigures figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        var totals = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{figures.EndToEndSeconds * 1e3:F3} ms end to end: {figures.KernelSeconds * 1e3:F3} ms of kernels, {figures.LayoutSeconds * 1e3:F3} ms of layout steps{(figures.NodeSeconds > 0 ? $", {figures.NodeSeconds * 1e3:F3} ms of other nodes" : "")}");
        var model = ChartSvg.Plot($"Time per layer: {figures.Title}", figures.Untimed.IsEmpty ? totals : $"{totals}; not timed yet: {Names(figures.Untimed)}");
        var layers = new CategoryAxis { Position = AxisPosition.Left, StartPosition = 1, EndPosition = 0, GapWidth = 0.3, FontSize = 10 };
        layers.Labels.AddRange(figures.Layers.Select(l => ChartSvg.Key(l.Number, l.Name)));
        model.Axes.Add(layers);
        model.Axes.Add(new LinearAxis
        {
            Position = AxisPosition.Bottom, Title = "milliseconds", Minimum = 0, MaximumPadding = 0.05,
            MajorGridlineStyle = LineStyle.Dot, MajorGridlineColor = OxyColors.LightGray, AxisTitleDistance = 8,
        });

        var kernel = new BarSeries { Title = "kernel (its fused epilogue inside)", IsStacked = true, FillColor = KernelColor };
        var layout = new BarSeries { Title = "layout steps", IsStacked = true, FillColor = LayoutColor };
        foreach (var layer in figures.Layers)
        {
            kernel.Items.Add(new BarItem(layer.KernelSeconds * 1e3));
            layout.Items.Add(new BarItem(layer.LayoutSeconds * 1e3));
        }

        model.Series.Add(kernel);
        model.Series.Add(layout);
        if (!figures.Untimed.IsEmpty)
        {
            // No bars: a key entry that says what the chart leaves out.
            model.Series.Add(new BarSeries { Title = UntimedKey(figures), IsStacked = true, FillColor = OxyColors.LightGray });
        }

        return ChartSvg.Export(model, 1100, Math.Max(400, 110 + (18 * figures.Layers.Length)));
    }

    /// <summary>The key entry of the nodes outside the kernels, which the subtitle names: <c>not timed yet: 3 nodes outside the kernels</c>.</summary>
    public static string UntimedKey(NetworkFigures figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        return $"not timed yet: {figures.Untimed.Length} node{(figures.Untimed.Length == 1 ? "" : "s")} outside the kernels";
    }

    private static string Names(IReadOnlyList<string> untimed)
    {
        var names = untimed.Take(8).ToList();
        return string.Join(", ", names) + (untimed.Count > names.Count ? $" and {untimed.Count - names.Count} more" : "");
    }
}
