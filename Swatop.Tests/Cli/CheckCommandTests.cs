using Swatop.Cli.Commands;
using Swatop.Cli.Operators;
using Swatop.Hardware.Sw26010.Calibration;

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

    /// <summary>The output read back as a table: the header's columns and each row's fields.</summary>
    private static CsvTable Table(string[] lines) => CsvTable.Read(new StringReader(string.Join('\n', lines)), "output");

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
        Assert.That(lines[0], Is.EqualTo(Header + ",result,simulated_gflops,peak_percent,host_seconds,algorithm,schedule"));
        foreach (var (record, name) in Table(lines).Records.Zip(new[] { "a", "b", "c" }))
        {
            var (line, fields) = (string.Join(",", record.Fields), record.Fields);
            Assert.That(fields, Has.Count.EqualTo(26));
            Assert.That(fields[0], Is.EqualTo(name));
            Assert.That(fields[20], Is.EqualTo("ok"), line);
            Assert.That(double.Parse(fields[21], System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(0));
            Assert.That(fields[24], Is.EqualTo("implicit-gemm"));
            Assert.That(fields[25], Does.StartWith("M="));
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
        var table = Table(lines);
        var bad = table.Records[0].Fields;
        Assert.That(bad[20], Does.Contain("SWD").And.Contain("kernel"), "the error, quoted, in the result column");
        Assert.That(bad[21], Is.Empty);
        Assert.That(table.Records[1].Fields[20], Is.EqualTo("ok"));
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
    public void Quoted_fields_are_read_and_written_back_quoted()
    {
        var (exitCode, lines, error) = Check($""""
            {Header}
            "res2, ""first""",gemm, 1 ,,,,,,,,,,,,,,"4",4,4,float64
            """");
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(lines[1], Does.StartWith("\"res2, \"\"first\"\"\",gemm,1,"));
        var row = Table(lines).Records[0].Fields;
        Assert.That(row.Take(20), Is.EqualTo(new[] { "res2, \"first\"", "gemm", "1", "", "", "", "", "", "", "", "", "", "", "", "", "", "4", "4", "4", "float64" }));
        Assert.That(row[20], Is.EqualTo("ok"));
    }

    [Test]
    public void An_unclosed_quote_is_a_malformed_file_naming_its_line()
    {
        var (exitCode, lines, error) = Check($"{Header}\nx,gemm,1,,,,,,,,,,,,,,4,4,\"4,float64\n");
        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(lines, Is.Empty);
        Assert.That(error, Does.Contain("line 2").And.Contain("quoted field is not closed"));
    }

    [Test]
    public void An_operator_that_cannot_be_described_is_a_failed_row_naming_the_field()
    {
        var (exitCode, lines, _) = Check($"""
            {Header}
            p,pool,1,,,,,,,,,,,,,,,,,
            k,gemm,1,,,,,,,,,,,,,,4,4,,
            t,gemm,1,,,,,,,,,,,,,,4,4,4,half
            """);
        Assert.That(exitCode, Is.EqualTo(1));
        var results = Table(lines).Records.Select(r => r.Fields[20]).ToList();
        Assert.That(results[0], Does.StartWith("SWD0024: op = 'pool' is not an operator"));
        Assert.That(results[1], Does.StartWith("SWD0025: k is missing or empty"));
        Assert.That(results[2], Does.StartWith("SWD0026: dtype = 'half' is not an element type"));
    }
}
