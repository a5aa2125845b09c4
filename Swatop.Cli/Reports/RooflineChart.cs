using System.Globalization;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Series;

namespace Swatop.Cli.Reports;

/// <summary>
/// <c>roofline.svg</c> of <c>swatop report --onnx</c>: each layer's kernel a point, its arithmetic intensity on a
/// log x axis against its attained GFLOPS on a log y axis, numbered in execution order and keyed by name, under the
/// chip's roof (the DMA bandwidth's slope up to the CPEs' peak).
/// </summary>
internal static class RooflineChart
{
    /// <summary>The marker of each layer's point.</summary>
    public const MarkerType LayerMarker = MarkerType.Circle;

    /// <summary>The chart of <paramref name="figures"/> as an SVG document.</summary>
    public static string Svg(NetworkFigures figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        var ic = CultureInfo.InvariantCulture;
        var model = ChartSvg.Plot(
            $"Roofline: {figures.Title}",
            "each kernel a point, numbered in execution order as the rows of layers.csv; under the roof, the most any schedule can attain");
        var intensities = figures.Layers.Select(l => l.ArithmeticIntensity).DefaultIfEmpty(1).ToList();
        var ridge = figures.PeakFlops / figures.BytesPerSecond;
        var (left, right) = (Math.Min(intensities.Min(), ridge) / 4, Math.Max(intensities.Max(), ridge) * 4);
        var attained = figures.Layers.Select(l => l.Gflops).Where(g => g > 0).DefaultIfEmpty(figures.PeakFlops / 1e9).ToList();
        model.Axes.Add(new LogarithmicAxis
        {
            Position = AxisPosition.Bottom, Title = "arithmetic intensity (flops per byte of main-memory traffic)", Minimum = left, Maximum = right,
            MajorGridlineStyle = LineStyle.Dot, MajorGridlineColor = OxyColors.LightGray, AxisTitleDistance = 8,
        });
        model.Axes.Add(new LogarithmicAxis
        {
            Position = AxisPosition.Left, Title = "attained GFLOPS", Minimum = Math.Min(attained.Min(), figures.RoofGflops(left)) / 2, Maximum = figures.PeakFlops / 1e9 * 2,
            MajorGridlineStyle = LineStyle.Dot, MajorGridlineColor = OxyColors.LightGray, AxisTitleDistance = 8,
        });

        var roof = new LineSeries
        {
            Title = string.Create(ic, $"roof: DMA {figures.BytesPerSecond / 1e9:F1} GB/s, peak {figures.PeakFlops / 1e9:F1} GFLOPS"),
            Color = OxyColors.Black, StrokeThickness = 2,
        };
        roof.Points.AddRange([new DataPoint(left, figures.RoofGflops(left)), new DataPoint(ridge, figures.RoofGflops(ridge)), new DataPoint(right, figures.RoofGflops(right))]);
        model.Series.Add(roof);

        foreach (var layer in figures.Layers)
        {
            var point = new ScatterSeries
            {
                Title = ChartSvg.Key(layer.Number, layer.Name),
                MarkerType = LayerMarker, MarkerSize = 4, MarkerFill = ChartSvg.Palette[(layer.Number - 1) % ChartSvg.Palette.Count],
                LabelFormatString = layer.Number.ToString(ic), FontSize = 9,
            };
            point.Points.Add(new ScatterPoint(layer.ArithmeticIntensity, layer.Gflops));
            model.Series.Add(point);
        }

        return ChartSvg.Export(model, 1300, Math.Max(700, 90 + (16 * (figures.Layers.Length + 1))));
    }
}
