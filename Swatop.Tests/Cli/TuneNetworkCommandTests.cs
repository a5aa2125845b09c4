using Swatop.Cli.Commands;
using Swatop.Cli.Operators;
using Swatop.Tests.GraphTuning;

namespace Swatop.Tests.Cli;

/// <summary><c>swatop tune --network</c>: its options checked before any tuning, its CSV a row per operator and a total.</summary>
public sealed class TuneNetworkCommandTests
{
    private static (int ExitCode, string Output, string Error) Tune(params string[] arguments)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = TuneCommand.Run(arguments, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    [TestCase(new[] { "--network", "alexnet", "--batch", "2" }, "--network 'alexnet' is not a built-in network: it must be one of resnet50, vgg16")]
    [TestCase(new[] { "--network", "resnet50" }, "--network needs --batch N")]
    [TestCase(new[] { "--network", "vgg16", "--batch", "0" }, "--batch '0' must be a whole number of images, at least 1")]
    [TestCase(new[] { "--network", "vgg16", "--batch", "2", "--dtype", "float16" }, "--dtype 'float16' must be float32 or float64")]
    [TestCase(new[] { "--network", "vgg16", "--batch", "2", "--op", "gemm" }, "--op is not one of its options")]
    public void Bad_network_options_are_refused_by_name_before_anything_is_tuned(string[] arguments, string message)
    {
        var (exitCode, output, error) = Tune(arguments);
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(output, Is.Empty);
            Assert.That(error, Does.Contain(message));
        });
    }

    [Test]
    public void The_csv_has_a_row_per_operator_and_timed_node_in_execution_order_then_a_total_that_sums_them()
    {
        var tuned = GraphTunerTests.TunedSmallNetwork();
        using var output = new StringWriter();
        TuneNetworkCommand.Write(tuned, output);
        var lines = output.ToString().TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var header = lines[0].Split(',');
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        double Column(string[] row, string name) => double.Parse(row[Array.IndexOf(header, name)], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Multiple(() =>
        {
            Assert.That(header, Is.EqualTo(new[] { "layer" }.Concat(OperatorFields.Columns).Concat(["kernel_ms", "layout_ms", "end_to_end_ms", "schedule"])));
            Assert.That(rows.Select(r => r[0]), Is.EqualTo(new[] { "stem", "pool", "reduce", "middle", "expand", "join", "gap", "fc", "total" }), "the timed nodes in execution order, the flatten (a view) left out");
            Assert.That(rows[1][1], Is.Empty, "a node's operator columns are empty");
            Assert.That(Column(rows[1], "kernel_ms"), Is.GreaterThan(0), "the pooling's time");
            Assert.That(rows[0][1..4], Is.EqualTo(new[] { "conv2d", "8", "8" }), "op, batch, in_channels");
            Assert.That(rows[^2][1], Is.EqualTo("fc"));
            Assert.That(Column(rows[^1], "end_to_end_ms"), Is.EqualTo(rows.SkipLast(1).Sum(r => Column(r, "end_to_end_ms"))).Within(0.01));
            Assert.That(Column(rows[^1], "end_to_end_ms"), Is.EqualTo(tuned.EndToEndSeconds * 1e3).Within(0.001));
        });
    }
}
