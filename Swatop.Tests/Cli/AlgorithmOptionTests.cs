using Swatop.Cli.Commands;

namespace Swatop.Tests.Cli;

/// <summary><c>--algorithm</c> on <c>run</c>, <c>check</c>, <c>tune</c> and <c>emit</c>: forcing an algorithm, refusing one not built or not applicable, and the <c>algorithm</c> column.</summary>
public sealed class AlgorithmOptionTests
{
    private static readonly string[] Depthwise = ["--op", "conv2d", "--batch", "2", "--in-channels", "8", "--out-channels", "8", "--in-height", "9", "--in-width", "9",
        "--kernel", "3", "--pad", "1", "--groups", "8", "--dtype", "float64"];

    private static (int ExitCode, string Output, string Error) Invoke(Func<IReadOnlyList<string>, TextWriter, TextWriter, int> command, params string[] arguments)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = command(arguments, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    [Test]
    public void Run_with_the_direct_algorithm_runs_a_depthwise_convolution_with_a_direct_schedule()
    {
        var (exitCode, output, error) = Invoke((a, o, e) => RunCommand.Run(a, o, e), [.. Depthwise, "--algorithm", "direct"]);
        Assert.That(exitCode, Is.Zero, output + error);
        Assert.That(output, Does.Contain("direct rows").And.Contain("result     PASS"));
    }

    [TestCase("auto", "schedule   ")]
    [TestCase("implicit", "schedule   M=")]
    [TestCase("implicit-gemm", "schedule   M=")]
    public void An_algorithm_named_as_the_option_or_the_algorithm_column_names_it_runs(string algorithm, string schedule)
    {
        var (exitCode, output, error) = Invoke((a, o, e) => RunCommand.Run(a, o, e), [.. Depthwise, "--algorithm", algorithm]);
        Assert.That(exitCode, Is.Zero, output + error);
        Assert.That(output, Does.Contain(schedule).And.Contain("result     PASS"));
    }

    [Test]
    public void Run_and_emit_with_the_im2col_algorithm_use_an_im2col_schedule()
    {
        string[] conv1 = ["--op", "conv2d", "--batch", "2", "--in-channels", "3", "--out-channels", "16", "--in-height", "17", "--in-width", "17",
            "--kernel", "7", "--stride", "2", "--pad", "3", "--dtype", "float64", "--algorithm", "im2col"];
        var (exitCode, output, error) = Invoke((a, o, e) => RunCommand.Run(a, o, e), conv1);
        Assert.That(exitCode, Is.Zero, output + error);
        Assert.That(output, Does.Contain("im2col columns").And.Contain("result     PASS"));
        var folder = Directory.CreateTempSubdirectory("swatop-im2col-");
        try
        {
            var emit = Invoke((a, o, e) => EmitCommand.Run(a, o, e), [.. conv1, "--out", folder.FullName]);
            Assert.That(emit.ExitCode, Is.Zero, emit.Output + emit.Error);
            Assert.That(File.ReadAllText(Path.Combine(folder.FullName, "slave.c")), Does.Contain("pack_input"));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Test]
    public void Forcing_im2col_on_a_pointwise_convolution_says_it_does_not_apply()
    {
        var (exitCode, _, error) = Invoke((a, o, e) => RunCommand.Run(a, o, e),
            "--op", "conv2d", "--batch", "2", "--in-channels", "8", "--out-channels", "8", "--in-height", "9", "--in-width", "9", "--kernel", "1", "--algorithm", "im2col");
        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(error, Does.Contain("SWS0009").And.Contain("'im2col' does not apply"));
    }

    [TestCase("fft", "must be one of auto, implicit, im2col, winograd and direct")]
    public void An_algorithm_of_no_such_name_is_a_usage_error_listing_the_names(string algorithm, string message)
    {
        var (exitCode, _, error) = Invoke((a, o, e) => RunCommand.Run(a, o, e), [.. Depthwise, "--algorithm", algorithm]);
        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(error, Does.Contain($"--algorithm '{algorithm}'").And.Contain(message));
    }

    [Test]
    public void Run_with_the_winograd_algorithm_runs_a_3x3_convolution_with_a_winograd_schedule()
    {
        var (exitCode, output, error) = Invoke((a, o, e) => RunCommand.Run(a, o, e),
            "--op", "conv2d", "--batch", "2", "--in-channels", "4", "--out-channels", "4", "--in-height", "9", "--in-width", "9", "--kernel", "3", "--pad", "1", "--dtype", "float64", "--algorithm", "winograd");
        Assert.That(exitCode, Is.Zero, output + error);
        Assert.That(output, Does.Contain("winograd F(").And.Contain("result     PASS"));
    }

    [Test]
    public void Run_with_the_fused_winograd_named_as_the_algorithm_column_names_it_runs_a_fused_winograd_schedule()
    {
        var (exitCode, output, error) = Invoke((a, o, e) => RunCommand.Run(a, o, e),
            "--op", "conv2d", "--batch", "2", "--in-channels", "8", "--out-channels", "32", "--in-height", "9", "--in-width", "9", "--kernel", "3", "--pad", "1", "--dtype", "float64", "--algorithm", "winograd-mesh");
        Assert.That(exitCode, Is.Zero, output + error);
        Assert.That(output, Does.Contain("winograd-mesh F(").And.Contain("result     PASS"));
    }

    [Test]
    public void Forcing_winograd_on_a_strided_convolution_says_it_does_not_apply()
    {
        var (exitCode, _, error) = Invoke((a, o, e) => RunCommand.Run(a, o, e),
            "--op", "conv2d", "--batch", "2", "--in-channels", "8", "--out-channels", "8", "--in-height", "9", "--in-width", "9", "--kernel", "3", "--stride", "2", "--algorithm", "winograd");
        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(error, Does.Contain("SWS0009").And.Contain("'winograd' does not apply").And.Contain("stride 1"));
    }

    [Test]
    public void Forcing_the_direct_algorithm_on_an_ordinary_convolution_says_it_does_not_apply()
    {
        var (exitCode, _, error) = Invoke((a, o, e) => RunCommand.Run(a, o, e),
            "--op", "conv2d", "--batch", "2", "--in-channels", "8", "--out-channels", "8", "--in-height", "9", "--in-width", "9", "--kernel", "3", "--algorithm", "direct");
        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(error, Does.Contain("SWS0009").And.Contain("'direct' does not apply"));
    }

    [Test]
    public void Check_and_tune_with_shapes_name_each_row_s_algorithm()
    {
        var folder = Directory.CreateTempSubdirectory("swatop-algorithm-");
        try
        {
            var shapes = Path.Combine(folder.FullName, "shapes.csv");
            File.WriteAllText(shapes, "layer,op,batch,in_channels,out_channels,in_height,in_width,kernel_h,kernel_w,stride_h,stride_w,pad_h,pad_w,dilation_h,dilation_w,groups,m,n,k,dtype\n"
                + "dw,conv2d,2,8,8,9,9,3,3,1,1,1,1,1,1,8,,,,float64\n");
            var check = Invoke((a, o, e) => CheckCommand.Run(a, o, e), "--shapes", shapes, "--algorithm", "direct");
            Assert.That(check.ExitCode, Is.Zero, check.Output + check.Error);
            var lines = check.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.That(lines[0], Does.EndWith("host_seconds,algorithm,schedule"));
            Assert.That(lines[1], Does.Contain(",ok,").And.Contain(",direct,"));
            var tune = Invoke((a, o, e) => TuneCommand.Run(a, o, e), "--shapes", shapes, "--algorithm", "direct", "--fresh", "--measured", "2", "--database", Path.Combine(folder.FullName, "db.jsonl"));
            Assert.That(tune.ExitCode, Is.Zero, tune.Output + tune.Error);
            lines = tune.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.That(lines[0], Does.EndWith("candidates_measured,algorithm,schedule"));
            Assert.That(lines[1], Does.Contain(",direct,"));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
