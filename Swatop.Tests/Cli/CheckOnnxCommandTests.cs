using Swatop.Cli.Commands;
using Swatop.Core;
using Swatop.Core.Onnx;
using Swatop.Hardware.Sw26010.Calibration;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Tests.Onnx;

namespace Swatop.Tests.Cli;

/// <summary>
/// <c>swatop check --onnx MODEL.onnx [--batch N]</c>: one CSV row per node of the fused network compared with ONNX
/// Runtime, then the row <c>network</c>; exit 0 when everything matches, 1 on a mismatch, 2 on a bad model or options.
/// </summary>
public sealed class CheckOnnxCommandTests
{
    private static (int ExitCode, List<string[]> Rows, string Error) Check(params string[] arguments)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = CheckCommand.Run(arguments, output, error);
        return (exitCode, Rows(output.ToString()), error.ToString());
    }

    /// <summary>The header, then each record, parsed as CSV (an operation's text holds commas, so it is quoted).</summary>
    private static List<string[]> Rows(string csv)
    {
        if (csv.Length == 0)
        {
            return [];
        }

        var table = CsvTable.Read(new StringReader(csv));
        return [[.. table.Columns], .. table.Records.Select(r => r.Fields.ToArray())];
    }

    private static string WriteModel(string folder)
    {
        var path = Path.Combine(folder, "block.onnx");
        File.WriteAllBytes(path, OnnxTestModels.ResidualBlock().Bytes());
        return path;
    }

    [Test]
    public void A_model_that_matches_ONNX_Runtime_prints_a_row_per_node_then_network_ok_and_exits_0()
    {
        var folder = Directory.CreateTempSubdirectory("swatop-check-").FullName;
        try
        {
            var path = WriteModel(folder);
            var (exitCode, rows, error) = Check("--onnx", path, "--batch", "3");
            var nodes = Network.FromOnnx(path, new OnnxImportOptions { BatchSize = 3 }).Graph.Nodes;
            using (Assert.EnterMultipleScope())
            {
                Assert.That(exitCode, Is.EqualTo(0), error);
                Assert.That(rows[0], Is.EqualTo(CheckOnnxCommand.Columns));
                Assert.That(rows.Skip(1).Select(r => r[0]), Is.EqualTo(nodes.Select(n => n.Name).Append("network")));
                Assert.That(rows.Skip(1).Select(r => r[2]), Is.All.EqualTo("ok"));
                Assert.That(double.Parse(rows[^1][3], System.Globalization.CultureInfo.InvariantCulture), Is.LessThanOrEqualTo(CheckOnnxCommand.Bound));
                Assert.That(error, Does.Contain("at batch 3"));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void A_run_that_differs_from_ONNX_Runtime_names_the_node_and_the_network_and_exits_1()
    {
        var folder = Directory.CreateTempSubdirectory("swatop-check-").FullName;
        try
        {
            var path = WriteModel(folder);
            var first = Network.FromOnnx(path).Graph.Nodes[0].Name;
            using var output = new StringWriter();
            using var error = new StringWriter();

            // The first node's value off by one in one element, as a wrong kernel would leave it.
            var exitCode = CheckOnnxCommand.Run(path, null, 1, output, error, Sw26010Target.Default, (node, values) =>
            {
                if (node == first)
                {
                    values[5] += 1 + values.Max(Math.Abs);
                }
            });

            var rows = Rows(output.ToString());
            using (Assert.EnterMultipleScope())
            {
                Assert.That(exitCode, Is.EqualTo(1));
                Assert.That(rows[1][0], Is.EqualTo(first));
                Assert.That(rows[1][2], Does.StartWith("differs from ONNX Runtime").And.Contain("element 5"));
                Assert.That(rows[2][2], Is.EqualTo("ok"), "the next node is computed from the emulator's own values, not the perturbed copy");
                Assert.That(rows[^1][0], Is.EqualTo("network"));
                Assert.That(rows[^1][2], Is.EqualTo($"1 of 2 nodes differ from ONNX Runtime, the first '{first}'"));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestCase(new[] { "--onnx", "m.onnx", "--shapes", "s.csv" }, "--shapes and --onnx are two ways to say what to check: give one of them")]
    [TestCase(new[] { "--onnx", "m.onnx", "--batch", "0" }, "--batch '0' must be a whole number of images, at least 1")]
    [TestCase(new[] { "--shapes", "s.csv", "--batch", "2" }, "--batch goes with --onnx")]
    public void Bad_options_are_refused_before_the_model_is_read(string[] arguments, string message)
    {
        var (exitCode, rows, error) = Check(arguments);
        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(rows, Is.Empty);
        Assert.That(error, Does.Contain(message));
    }

    [Test]
    public void A_file_that_is_not_a_model_is_refused_with_the_importer_s_diagnostic()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, [0x0a, 0xff, 0xff, 0xff]);
            var (exitCode, rows, error) = Check("--onnx", path);
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(rows, Is.Empty);
            Assert.That(error, Does.StartWith("check: SWO"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
