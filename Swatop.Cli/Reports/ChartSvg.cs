using System.Globalization;
using OxyPlot;
using OxyPlot.Legends;

namespace Swatop.Cli.Reports;

/// <summary>What the report's charts share: their colours, their key and their export as SVG (OxyPlot's managed exporter).</summary>
internal static class ChartSvg
{
    /// <summary>The colours the layers' points cycle through.</summary>
    public static IReadOnlyList<OxyColor> Palette { get; } =
    [
        OxyColor.FromRgb(0x1f, 0x77, 0xb4), OxyColor.FromRgb(0xff, 0x7f, 0x0e), OxyColor.FromRgb(0x2c, 0xa0, 0x2c), OxyColor.FromRgb(0xd6, 0x27, 0x28),
        OxyColor.FromRgb(0x94, 0x67, 0xbd), OxyColor.FromRgb(0x8c, 0x56, 0x4b), OxyColor.FromRgb(0xe3, 0x77, 0xc2), OxyColor.FromRgb(0x7f, 0x7f, 0x7f),
        OxyColor.FromRgb(0xbc, 0xbd, 0x22), OxyColor.FromRgb(0x17, 0xbe, 0xcf),
    ];

    /// <summary>A plot with a white background, <paramref name="title"/> and <paramref name="subtitle"/>, and its key to the right.</summary>
    public static PlotModel Plot(string title, string subtitle)
    {
        // Arial or Helvetica: the metrics the exporter measures text with (widened by ChartTextMeasurer for fallbacks).
        var model = new PlotModel
        {
            Title = title, Subtitle = subtitle, Background = OxyColors.White, DefaultFont = "Arial, Helvetica, sans-serif",
            TitleFontSize = 15, SubtitleFontSize = 11, Padding = new OxyThickness(12),
        };
        model.Legends.Add(new Legend
        {
            LegendPlacement = LegendPlacement.Outside,
            LegendPosition = LegendPosition.RightTop,
            LegendOrientation = LegendOrientation.Vertical,
            LegendFontSize = 10,
            LegendBorder = OxyColors.LightGray,
            LegendLineSpacing = 4,
        });
        return model;
    }

    /// <summary>The label of layer <paramref name="number"/> in a key: <c>3 layer1.0.conv1</c>.</summary>
    public static string Key(int number, string name) => string.Create(CultureInfo.InvariantCulture, $"{number} {name}");

    /// <summary>The plot as an SVG document of <paramref name="width"/> by <paramref name="height"/> pixels.</summary>
    public static string Export(PlotModel model, double width, double height)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var stream = new MemoryStream();
        // Text placed by offsets rather than dominant-baseline, which not every renderer honours.
        new SvgExporter { Width = width, Height = height, UseVerticalTextAlignmentWorkaround = true, TextMeasurer = new ChartTextMeasurer(width, height) }.Export(model, stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray()).TrimStart('\uFEFF');
    }
}
