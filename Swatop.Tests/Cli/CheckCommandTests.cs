using Swatop.Cli.Commands;
using Swatop.Cli.Operators;

namespace Swatop.Tests.Cli;

/// <summary><c>swatop check --shapes</c>: one CSV row per operator with <c>ok</c> or the error, and the exit code.</summary>
public sealed class CheckCommandTests
{
    private const string Header = "layer,op,batch,in_channels,out_channels,in_height,in_width,kernel_h,kernel_w,stride_h,stride_w,pad_h,pad_w,dilation_h,dilation_w,groups,m,n,k,dtype";

    private string _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("swatop-check-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    private (int ExitCode, string[] Lines, string Error) Check(string text)
    {
        var path = Path.Combine(_directory, "shapes.csv");
        File.WriteAllText(path, text);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = CheckCommand.Run(["--shapes", path], output, error);
        return (exitCode, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries), error.ToString());
    }

    [Test]
    public void Every_row_is_written_back_with_ok_and_its_figures()
    {
        var (exitCode, lines, error) = Check($"""
            # a comment
            {Header}
            a,conv2d,2,4,6,7,5,3,3,2,1,1,0,1,2,2,,,,float32

            b,gemm,3,,,,,,,,,,,,,,5,7,9,float64
            c,fc,3,11,5,,,,,,,,,,,,,,,
            """);
        Assert.That(exitCode, Is.Zero, string.Join('\n', lines));
        Assert.That(lines, Has.Length.EqualTo(4));
        Assert.That(lines[0], Is.EqualTo(Header + ",result,simulated_gflops,peak_percent,host_seconds,schedule"));
        foreach (var (line, name) in lines.Skip(1).Zip(new[] { "a", "b", "c" }))
        {
            var fields = CsvLine.Split(line);
            Assert.That(fields, Has.Count.EqualTo(25));
            Assert.That(fields[0], Is.EqualTo(name));
            Assert.That(fields[20], Is.EqualTo("ok"), line);
            Assert.That(double.Parse(fields[21], System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(0));
            Assert.That(fields[24], Does.StartWith("M="));
        }

        Assert.That(error, Does.Contain("3 of 3 operators match the reference"));
    }

    [Test]
    public void A_row_that_cannot_run_is_a_failed_row_and_the_others_still_run()
    {
        var (exitCode, lines, error) = Check($"""
            {Header}
            bad,conv2d,1,3,4,5,5,7,7,1,1,0,0,1,1,1,,,,float32
            good,gemm,1,,,,,,,,,,,,,,4,4,4,float64
            """);
        Assert.That(exitCode, Is.EqualTo(1));
        var bad = CsvLine.Split(lines[1]);
        Assert.That(bad[20], Does.Contain("SWD").And.Contain("kernel"), "the error, quoted, in the result column");
        Assert.That(bad[21], Is.Empty);
        Assert.That(CsvLine.Split(lines[2])[20], Is.EqualTo("ok"));
        Assert.That(error, Does.Contain("1 of 2 operators"));
    }

    [Test]
    public void A_malformed_file_writes_nothing_and_names_the_line()
    {
        var (exitCode, lines, error) = Check($"{Header}\nx,gemm,1,,,,,,,,,,,,,,4,4,4\n");
        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(lines, Is.Empty);
        Assert.That(error, Does.Contain("line 2").And.Contain("19 fields").And.Contain("20 columns"));
    }

    [Test]
    public void A_header_without_a_required_column_names_it()
    {
        var (exitCode, lines, error) = Check("op,batch\ngemm,1\n");
        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(lines, Is.Empty);
        Assert.That(error, Does.Contain("line 1").And.Contain("in_channels").And.Contain("dtype"));
    }

    [Test]
    public void The_resnet50_and_vgg16_shape_files_describe_every_layer()
    {
        foreach (var (file, layers) in new[] { ("resnet50-conv-b1.csv", 23), ("resnet50-conv-b128.csv", 23), ("vgg16-conv-b1.csv", 9), ("vgg16-conv-b128.csv", 9) })
        {
            var shapes = ShapesFile.Read(RepositoryFiles.PathOf(Path.Combine("data", "shapes", file)));
            Assert.That(shapes.Rows, Has.Count.EqualTo(layers), file);
            Assert.That(shapes.Rows.Select(r => r.Operator.ToSpec().Kind), Is.All.EqualTo(Core.OperatorKind.Conv2d), file);
        }
    }

    [TestCase("resnet50-conv-b1.csv", 23)]
    [TestCase("vgg16-conv-b1.csv", 9)]
    public void Every_layer_at_batch_1_matches_the_reference(string file, int layers)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = CheckCommand.Run(["--shapes", RepositoryFiles.PathOf(Path.Combine("data", "shapes", file))], output, error);
        Assert.That(exitCode, Is.Zero, output.ToString());
        Assert.That(error.ToString(), Does.Contain($"{layers} of {layers} operators match the reference"));
    }

    [Test]
    public void Quoted_fields_round_trip()
    {
        var fields = new[] { "plain", "a, b", "say \"hi\"", string.Empty };
        Assert.That(CsvLine.Split(CsvLine.Join(fields)), Is.EqualTo(fields));
        Assert.Throws<FormatException>(() => CsvLine.Split("\"open"));
    }
}
