using OxyPlot;

namespace Swatop.Cli.Reports;

/// <summary>
/// How the charts measure their text before the SVG is written: generously, as the widest common sans-serif
/// (DejaVu Sans, about 0.6 em a character on average, a tenth more in bold) would take it, so that keys, axis labels
/// and titles keep their room in whatever font the reader's renderer picks. The exporter's own measure (Helvetica's
/// metrics) leaves too little room on a machine without Arial or Helvetica.
/// </summary>
internal sealed class ChartTextMeasurer(double width, double height) : PdfRenderContext(width, height, OxyColors.White)
{
    /// <summary>The width taken for a character, in em.</summary>
    public const double CharacterEm = 0.6;

    /// <summary>The height taken for a line, in em.</summary>
    public const double LineEm = 1.25;

    /// <inheritdoc/>
    public override OxySize MeasureText(string text, string fontFamily, double fontSize, double fontWeight)
    {
        if (string.IsNullOrEmpty(text))
        {
            return OxySize.Empty;
        }

        var lines = text.Split('\n');
        var bold = fontWeight >= FontWeights.Bold ? 1.1 : 1;
        return new OxySize(lines.Max(l => l.Length) * CharacterEm * fontSize * bold, lines.Length * LineEm * fontSize);
    }
}
