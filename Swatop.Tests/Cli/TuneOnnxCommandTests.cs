using Swatop.Cli.Commands;
using Swatop.Cli.Operators;
using Swatop.Core.GraphFusion;
using Swatop.Core.Onnx;
using Swatop.Tests.Onnx;

namespace Swatop.Tests.Cli;

/// <summary><c>swatop tune --onnx MODEL.onnx [--batch N]</c>: a model tuned as a graph, printed as <c>tune --network</c> prints a network; bad options and files refused by name.</summary>
public sealed class TuneOnnxCommandTests
{
    private static (int ExitCode, string Output, string Error) Tune(params string[] arguments)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = TuneCommand.Run(arguments, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    private static string Model(string folder)
    {
        var path = Path.Combine(folder, "block.onnx");
        File.WriteAllBytes(path, OnnxTestModels.ResidualBlock().Bytes());
        return path;
    }

    [Test]
    public void A_model_tunes_to_a_row_per_operator_then_a_total()
    {
        var folder = Directory.CreateTempSubdirectory("swatop-onnx-").FullName;
        try
        {
            var (exitCode, output, error) = Tune("--onnx", Model(folder), "--batch", "1", "--database", Path.Combine(folder, "db.jsonl"), "--fresh");
            var lines = output.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
            var header = lines[0].Split(',');
            var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
            var operators = OnnxImport.Load(Path.Combine(folder, "block.onnx"), new OnnxImportOptions { BatchSize = 1 }).Graph.FuseEpilogues().OperatorNodes;
            Assert.Multiple(() =>
            {
                Assert.That(exitCode, Is.EqualTo(0), error);
                Assert.That(header, Is.EqualTo(new[] { "layer" }.Concat(OperatorFields.Columns).Concat(TuneNetworkCommand.ResultColumns)));
                Assert.That(rows.Select(r => r[0]), Is.EqualTo(operators.Select(n => n.Name).Append("total")));
                Assert.That(rows[0][1..3], Is.EqualTo(new[] { "conv2d", "1" }), "op, and the batch given instead of the file's 2");
                Assert.That(error, Does.Contain("ms end to end"));
                Assert.That(operators.Select(n => n.Spec.Epilogue.ToString()), Is.EqualTo(new[] { "bias relu", "bias residual relu" }), "the biases, ReLUs and the add fused");
                Assert.That(error, Does.Not.Contain("not timed"), "nothing is left outside the kernels");
            });
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void A_file_that_is_not_a_model_is_refused_with_the_importers_diagnostic()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, [0x0a, 0xff, 0xff, 0xff]);
            var (exitCode, output, error) = Tune("--onnx", path);
            Assert.Multiple(() =>
            {
                Assert.That(exitCode, Is.EqualTo(2));
                Assert.That(output, Is.Empty);
                Assert.That(error, Does.StartWith("tune: SWO"));
            });
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestCase(new[] { "--onnx", "m.onnx", "--network", "resnet50", "--batch", "2" }, "--onnx takes the operators from the model: --network is not one of its options")]
    [TestCase(new[] { "--onnx", "m.onnx", "--op", "gemm" }, "--op is not one of its options")]
    [TestCase(new[] { "--onnx", "m.onnx", "--batch", "0" }, "--batch '0' must be a whole number of images, at least 1")]
    public void Bad_options_are_refused_by_name_before_the_model_is_read(string[] arguments, string message)
    {
        var (exitCode, output, error) = Tune(arguments);
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(output, Is.Empty);
            Assert.That(error, Does.Contain(message));
        });
    }
}
