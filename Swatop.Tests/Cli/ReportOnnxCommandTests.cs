using System.Globalization;
using System.Xml.Linq;
using Swatop.Cli.Commands;
using Swatop.Cli.Operators;
using Swatop.Cli.Reports;
using Swatop.Core;
using Swatop.Core.Graphs;
using Swatop.Core.Onnx;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Calibration;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Tests.Onnx;

namespace Swatop.Tests.Cli;

/// <summary><c>swatop report --onnx MODEL.onnx --out DIR</c>: a model tuned, its CSV printed and written beside an SVG roofline and an SVG time breakdown; bad input refused with nothing written.</summary>
public sealed class ReportOnnxCommandTests
{
    private string _folder = string.Empty;

    [SetUp]
    public void MakeFolder() => _folder = Directory.CreateTempSubdirectory("swatop-report-onnx-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_folder, recursive: true);

    private static (int ExitCode, string Output, string Error) Report(params string[] arguments)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = ReportCommand.Run(arguments, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    private string Model()
    {
        var path = Path.Combine(_folder, "net.onnx");
        File.WriteAllBytes(path, OnnxTestModels.ConvBnRelu().Bytes());
        return path;
    }

    private static double Number(string field) => double.Parse(field, CultureInfo.InvariantCulture);

    [Test]
    public void A_model_reports_a_row_per_layer_and_a_total_that_match_the_tuned_network()
    {
        var (model, database, folder) = (Model(), Path.Combine(_folder, "db.jsonl"), Path.Combine(_folder, "report", "nested"));
        var (exitCode, output, error) = Report("--onnx", model, "--out", folder, "--batch", "1", "--database", database, "--fresh");
        Assert.That(exitCode, Is.EqualTo(0), error);

        var tuned = Network.FromOnnx(model, new OnnxImportOptions { BatchSize = 1 }).Tune(Sw26010Target.Default, new TuningOptions { Database = new TuningDatabase(database) });
        var table = CsvTable.Read(new StringReader(output), "output");
        var rows = table.Records.Select(r => r.Fields).ToList();
        string Column(IReadOnlyList<string> row, string name) => row[table.Columns.ToList().IndexOf(name)];
        var layers = tuned.Profile.Layers;
        Assert.Multiple(() =>
        {
            Assert.That(ReportOnnxCommand.Files.Select(f => File.Exists(Path.Combine(folder, f))), Is.All.True, "the folder made, the files in it");
            Assert.That(Directory.GetFiles(folder).Select(Path.GetFileName), Is.EquivalentTo(ReportOnnxCommand.Files), "no temporary file left behind");
            Assert.That(File.ReadAllText(Path.Combine(folder, "layers.csv")), Is.EqualTo(output), "the file holds what was printed");
            Assert.That(table.Columns, Is.EqualTo(new[] { "layer" }.Concat(OperatorFields.Columns).Concat(LayersCsv.ResultColumns)));
            Assert.That(rows.Select(r => r[0]), Is.EqualTo(layers.Select(l => l.Name).Append("total")));
            Assert.That(rows.SkipLast(1).Select(r => Column(r, "epilogue")), Is.EqualTo(layers.Select(l => l.Epilogue.ToString())));
            Assert.That(rows.SkipLast(1).Select(r => Number(Column(r, "kernel_ms"))), Is.EqualTo(layers.Select(l => l.KernelSeconds * 1e3)).Within(0.0005));
            Assert.That(rows.SkipLast(1).Select(r => Number(Column(r, "layout_ms"))), Is.EqualTo(layers.Select(l => l.LayoutSeconds * 1e3)).Within(0.0005));
            Assert.That(Number(Column(rows[^1], "end_to_end_ms")), Is.EqualTo(tuned.Profile.EndToEndSeconds * 1e3).Within(0.0005));
            Assert.That(Number(Column(rows[^1], "kernel_ms")), Is.EqualTo(tuned.Profile.KernelSeconds * 1e3).Within(0.0005));
            foreach (var row in rows)
            {
                Assert.That(Number(Column(row, "gflops")), Is.LessThanOrEqualTo(Number(Column(row, "roofline_gflops"))), $"{row[0]}: no kernel above its roofline");
                Assert.That(Number(Column(row, "arithmetic_intensity")), Is.GreaterThan(0), row[0]);
            }

            Assert.That(error, Does.Contain($"report: wrote {Path.Combine(folder, "layers.csv")}"));
            Assert.That(error, Does.Not.Contain("not timed"), "the pools are timed and the flatten is a view");
            Assert.That(tuned.Profile.Nodes, Is.Not.Empty, "the pools' times are in the total");
        });
    }

    [Test]
    public void The_charts_parse_as_svg_with_a_marker_per_layer_keyed_by_name()
    {
        var (model, folder) = (Model(), Path.Combine(_folder, "report"));
        var (exitCode, output, error) = Report("--onnx", model, "--out", folder, "--batch", "1", "--database", Path.Combine(_folder, "db.jsonl"), "--fresh");
        Assert.That(exitCode, Is.EqualTo(0), error);
        var names = CsvTable.Read(new StringReader(output), "output").Records.Select(r => r.Fields[0]).SkipLast(1).ToList();
        var graph = Network.FromOnnx(model, new OnnxImportOptions { BatchSize = 1 }).Graph;
        var roofline = XDocument.Load(Path.Combine(folder, "roofline.svg")).Root!;
        var breakdown = XDocument.Load(Path.Combine(folder, "breakdown.svg")).Root!;
        static IEnumerable<XElement> All(XElement root, string name) => root.Descendants().Where(e => e.Name.LocalName == name);
        static IEnumerable<string> Texts(XElement root) => All(root, "text").Select(t => t.Value);
        static int Filled(XElement root, string name, string colour) => All(root, name).Count(e => (string?)e.Attribute("style") is { } style && style.StartsWith($"fill:{colour};", StringComparison.Ordinal));

        // On the roofline each layer is a circle on the plot and a circle beside its name in the key, the key's in one column.
        var circles = All(roofline, "ellipse").Select(e => double.Parse(e.Attribute("cx")!.Value, CultureInfo.InvariantCulture)).ToList();
        var keyColumn = circles.Max();
        var keys = names.Select((name, i) => $"{i + 1} {name}").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(names, Has.Count.EqualTo(graph.OperatorNodes.Length));
            Assert.That(roofline.Name.LocalName, Is.EqualTo("svg"));
            Assert.That(circles.Count(x => x < keyColumn), Is.EqualTo(names.Count), "a point per layer");
            Assert.That(circles.Count(x => x == keyColumn), Is.EqualTo(names.Count), "a key entry per layer");
            Assert.That(Texts(roofline), Is.SupersetOf(keys), "each layer keyed by its number and name");
            Assert.That(Texts(roofline), Is.SupersetOf(Enumerable.Range(1, names.Count).Select(n => n.ToString(CultureInfo.InvariantCulture))), "each point labelled by its number");
            Assert.That(Texts(roofline), Has.Some.EqualTo("Roofline: net, batch 1, float32"));
            Assert.That(Texts(roofline), Has.Some.StartsWith("roof: DMA ").And.Contain(" GB/s, peak 2969.6 GFLOPS"));

            // On the breakdown each layer is a kernel bar and a layout bar, stacked, each colour once more in the key.
            Assert.That(breakdown.Name.LocalName, Is.EqualTo("svg"));
            Assert.That(Filled(breakdown, "rect", "rgb(31,119,180)"), Is.EqualTo(names.Count + 1), "a kernel bar per layer");
            Assert.That(Filled(breakdown, "rect", "rgb(255,127,14)"), Is.EqualTo(names.Count + 1), "a layout bar per layer");
            Assert.That(Texts(breakdown), Is.SupersetOf(keys));
            Assert.That(Texts(breakdown), Has.None.Contain("not timed yet"), "the pools are timed and the flatten is a view");
            Assert.That(Texts(breakdown), Has.Some.Contain(" ms of other nodes"), "the subtitle counts the pools' time");
        });
    }

    [Test]
    public void A_missing_model_is_refused_with_the_importers_diagnostic_and_nothing_written()
    {
        var folder = Path.Combine(_folder, "report");
        var (exitCode, output, error) = Report("--onnx", Path.Combine(_folder, "absent.onnx"), "--out", folder);
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(output, Is.Empty);
            Assert.That(error, Does.StartWith("report: SWO").And.Contain("absent.onnx"));
            Assert.That(Directory.Exists(folder), Is.False);
        });
    }

    [Test]
    public void An_out_that_is_a_file_is_refused_before_tuning_and_left_as_it_was()
    {
        var file = Path.Combine(_folder, "taken");
        File.WriteAllText(file, "mine");
        var (exitCode, output, error) = Report("--onnx", Model(), "--out", file);
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(output, Is.Empty);
            Assert.That(error, Is.EqualTo($"report: --out '{file}' is a file: it must be a folder, made when missing.{Environment.NewLine}"));
            Assert.That(File.ReadAllText(file), Is.EqualTo("mine"));
        });
    }

    [TestCase(new[] { "--onnx", "m.onnx", "--out", "r", "--shapes", "s.csv" }, "--onnx takes the operators from the model: --shapes is not one of its options")]
    [TestCase(new[] { "--onnx", "m.onnx", "--out", "r", "--samples", "3" }, "--samples is not one of its options")]
    [TestCase(new[] { "--onnx", "m.onnx", "--out", "r", "--dtype", "float64" }, "--dtype is not one of its options")]
    [TestCase(new[] { "--onnx", "m.onnx" }, "--onnx needs --out DIR, the folder the report is written to")]
    [TestCase(new[] { "--onnx", "m.onnx", "--out", "r", "--batch", "0" }, "--batch '0' must be a whole number of images, at least 1")]
    [TestCase(new[] { "--shapes", "s.csv", "--out", "r" }, "--out is an option of --onnx")]
    [TestCase(new[] { "--out", "r" }, "expected --shapes FILE.csv, the operators to report on, or --onnx MODEL.onnx --out DIR")]
    public void Bad_option_combinations_are_refused_by_name_with_nothing_written(string[] arguments, string message)
    {
        var current = Environment.CurrentDirectory;
        Environment.CurrentDirectory = _folder;
        try
        {
            var (exitCode, output, error) = Report(arguments);
            Assert.Multiple(() =>
            {
                Assert.That(exitCode, Is.EqualTo(2));
                Assert.That(output, Is.Empty);
                Assert.That(error, Does.StartWith("report: ").And.Contain(message));
                Assert.That(Directory.GetFileSystemEntries(_folder), Is.Empty);
            });
        }
        finally
        {
            Environment.CurrentDirectory = current;
        }
    }
}
