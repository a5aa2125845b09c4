using System.Globalization;
using Swatop.Cli.Operators;
using Swatop.Hardware.Sw26010.Calibration;

namespace Swatop.Cli.Reports;

/// <summary>
/// <c>layers.csv</c> of <c>swatop report --onnx</c>: a row per operator in execution order (<c>layer</c>, the
/// shapes-file columns as <c>tune --network</c> prints them, then <see cref="ResultColumns"/>), then a row whose
/// <c>layer</c> is <c>total</c>. Times in milliseconds; <c>gflops</c> is the kernel's, against its
/// <c>roofline_gflops</c>; <c>arithmetic_intensity</c> is flops per byte of the traffic the roofline counts.
/// </summary>
internal static class LayersCsv
{
    /// <summary>The columns after the shapes-file columns.</summary>
    public static IReadOnlyList<string> ResultColumns { get; } =
        ["kernel_ms", "layout_ms", "epilogue", "end_to_end_ms", "gflops", "arithmetic_intensity", "roofline_gflops"];

    /// <summary>The CSV of <paramref name="figures"/>, each line ended by a newline.</summary>
    public static string Format(NetworkFigures figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        text.WriteLine(CsvTable.FormatRecord(["layer", .. OperatorFields.Columns, .. ResultColumns]));
        foreach (var layer in figures.Layers)
        {
            text.WriteLine(CsvTable.FormatRecord(
            [
                layer.Name, .. OperatorColumns.Of(layer.Operator), Milliseconds(layer.KernelSeconds), Milliseconds(layer.LayoutSeconds), layer.Epilogue,
                Milliseconds(layer.EndToEndSeconds), Figure(layer.Gflops), Figure(layer.ArithmeticIntensity), Figure(layer.RooflineGflops),
            ]));
        }

        var bytes = figures.Layers.Sum(l => l.Bytes);
        var roofline = figures.Layers.Sum(l => l.RooflineSeconds);
        text.WriteLine(CsvTable.FormatRecord(
        [
            "total", .. OperatorFields.Columns.Select(_ => string.Empty), Milliseconds(figures.KernelSeconds), Milliseconds(figures.LayoutSeconds), string.Empty,
            Milliseconds(figures.EndToEndSeconds), Figure(figures.KernelSeconds > 0 ? figures.Flops / figures.KernelSeconds / 1e9 : 0),
            Figure(bytes > 0 ? figures.Flops / bytes : 0), Figure(roofline > 0 ? figures.Flops / roofline / 1e9 : 0),
        ]));
        return text.ToString();
    }

    private static string Milliseconds(double seconds) => (seconds * 1e3).ToString("F3", CultureInfo.InvariantCulture);

    private static string Figure(double value) => value.ToString("F2", CultureInfo.InvariantCulture);
}
