using System.Globalization;
using Swatop.Cli.Commands;
using Swatop.Cli.Operators;
using Swatop.Core.Scheduling;
using Swatop.Hardware.Sw26010.Calibration;

namespace Swatop.Tests.Cli;

/// <summary><c>swatop tune</c>: one operator or a shapes file, the database read and written, CSV only on standard output.</summary>
public sealed class TuneCommandTests
{
    private const string Header = "layer,op,batch,in_channels,out_channels,in_height,in_width,kernel_h,kernel_w,stride_h,stride_w,pad_h,pad_w,dilation_h,dilation_w,groups,m,n,k,dtype";

    private string _directory = null!;

    private string Database => Path.Combine(_directory, "tuning.jsonl");

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("swatop-tune-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    private static (int ExitCode, string Output, string Error) Tune(params string[] arguments)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = TuneCommand.Run(arguments, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    [Test]
    public void One_operator_is_tuned_recorded_and_the_second_time_looked_up()
    {
        string[] gemm = ["--op", "gemm", "--m", "64", "--n", "40", "--k", "24", "--database", Database, "--measured", "2"];
        var (exitCode, output, error) = Tune(gemm);
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(output, Does.Contain("simulated").And.Contain("2 measured").And.Contain("swdnn      does not apply"));
        var json = output.Split('\n').Single(l => l.TrimStart().StartsWith("json", StringComparison.Ordinal)).Trim()[4..].Trim();
        Assert.DoesNotThrow(() => Schedule.FromJson(json));
        Assert.That(File.ReadAllLines(Database), Has.Length.EqualTo(1));

        var again = Tune(gemm);
        Assert.That(again.ExitCode, Is.Zero, again.Error);
        Assert.That(again.Output, Does.Contain("applied the record").And.Contain(json));
        Assert.That(File.ReadAllLines(Database), Has.Length.EqualTo(1));

        var fresh = Tune([.. gemm, "--fresh"]);
        Assert.That(fresh.Output, Does.Contain("2 measured"));
        Assert.That(File.ReadAllLines(Database), Has.Length.EqualTo(2));
    }

    [Test]
    public void A_shapes_file_gives_one_csv_row_per_operator_with_swdnn_where_it_applies()
    {
        var shapes = Path.Combine(_directory, "shapes.csv");
        File.WriteAllText(shapes, $"""
            {Header}
            swdnn,conv2d,128,8,32,6,6,3,3,1,1,0,0,1,1,1,,,,float64
            gemm,gemm,1,,,,,,,,,,,,,,40,24,16,float32
            """);
        var (exitCode, output, error) = Tune("--shapes", shapes, "--database", Database, "--measured", "2");
        Assert.That(exitCode, Is.Zero, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(3));
        Assert.That(lines[0], Is.EqualTo(Header + ",tuned_gflops,swdnn_gflops,peak_percent,kernel_ms,layout_ms,end_to_end_ms,end_to_end_gflops,tuning_seconds,candidates_ranked,candidates_measured,algorithm,schedule"));
        var table = CsvTable.Read(new StringReader(output), "output");
        var conv = table.Records[0].Fields;
        var gemm = table.Records[1].Fields;
        Assert.That(conv, Has.Count.EqualTo(32));
        // The Winograd kernels and the column block in LDM read and write NCHW in place, so they need none of the layout steps
        // that dominate this tiny layer; the direct convolution does not apply to it.
        Assert.That(conv[30], Is.AnyOf("implicit-gemm", "winograd", "winograd-mesh", "winograd-gemm", "im2col"));
        // Layout steps dominate this tiny layer, and the space's candidates keep the batch in blocks of 16 (runs of 16 for the
        // steps), while swDNN's layout keeps it whole (runs of 128, and its unpack's border tiles move compacted): the tuned
        // kernel is 0.897 times swDNN's speed end to end (23.80 against 26.52 GFLOPS; 25.45 before border tiles were compacted).
        Assert.That(Number(conv[20]), Is.GreaterThanOrEqualTo(0.85 * Number(conv[21])), "swDNN's layout is within reach of the space the tuner searched");
        Assert.That(Number(conv[25]), Is.EqualTo(Number(conv[23]) + Number(conv[24])).Within(0.002), "end to end is the kernel and the layout steps");
        Assert.That(Number(conv[26]), Is.EqualTo(Number(conv[20])).Within(0.05), "tuning minimizes end to end: the tuned GFLOPS are end to end");
        Assert.That(gemm[21], Is.Empty, "swDNN's schedule is for convolutions");
        Assert.That(Number(gemm[28]), Is.GreaterThan(Number(gemm[29])));
        Assert.That(gemm[29], Is.EqualTo("2"));
        Assert.DoesNotThrow(() => Schedule.FromJson(gemm[31]));
        Assert.That(error, Does.Contain("2 of 2 operators tuned").And.Contain("of the 1 rows it applies to"));
        Assert.That(error, Does.Not.Contain("["), "no progress bar when told not to draw one");

        // The schedule's JSON holds commas and quotes: it is quoted, and the output reads back as a shapes file.
        Assert.That(gemm[31], Does.Contain(",").And.Contain("\""));
        Assert.That(lines[2], Does.EndWith(",\"" + gemm[31].Replace("\"", "\"\"", StringComparison.Ordinal) + "\""));
        var again = ShapesFile.Read(new StringReader(output), "tuned.csv");
        Assert.That(again.Rows.Select(r => r.Fields), Is.EqualTo(table.Records.Select(r => r.Fields)));
        Assert.That(again.Rows[1].Operator.ToSpec(), Is.EqualTo(Core.Operator.Gemm(40, 24, 16, elementType: Primitives.ElementType.Float32)));
        Assert.That(Schedule.FromJson(again.Rows[1].Fields[31]).ToJson(), Is.EqualTo(gemm[31]));
    }

    [Test]
    public void A_progress_bar_goes_to_standard_error_and_only_csv_to_standard_output()
    {
        var shapes = Path.Combine(_directory, "shapes.csv");
        File.WriteAllText(shapes, $"{Header}\ng,gemm,1,,,,,,,,,,,,,,40,24,16,float32\n");
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = TuneCommand.Run(["--shapes", shapes, "--database", Database, "--measured", "2"], output, error, progressBar: true);
        Assert.That(exitCode, Is.Zero, error.ToString());
        Assert.That(error.ToString(), Does.Contain("measured 2/2").And.Contain("1/1 g"));
        Assert.That(output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(2));
        Assert.That(output.ToString(), Does.Not.Contain("measured 2/2").And.Not.Contain("\r"));
    }

    [Test]
    public void A_caller_in_the_core_groups_waits_for_no_step_where_a_kernel_keeps_its_shares_as_it_does()
    {
        var shapes = Path.Combine(_directory, "shapes.csv");
        File.WriteAllText(shapes, $"{Header}\nc,conv2d,8,16,32,14,14,1,1,1,1,0,0,1,1,1,,,,float64\n");
        var (sharedExit, shared, sharedError) = Tune("--shapes", shapes, "--database", Database, "--measured", "4");
        var (groupsExit, groups, groupsError) = Tune("--shapes", shapes, "--database", Database, "--measured", "4", "--caller-memory", "core-groups");
        Assert.That((sharedExit, groupsExit), Is.EqualTo((0, 0)), sharedError + groupsError);
        var inShared = CsvTable.Read(new StringReader(shared), "shared").Records[0].Fields;
        var inGroups = CsvTable.Read(new StringReader(groups), "groups").Records[0].Fields;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(groupsError, Does.Not.Contain("applied the record"), "a caller elsewhere is another target: tuned, not looked up");
            Assert.That(Number(inGroups[25]), Is.LessThan(Number(inShared[25])), "each group reads its own images at its own memory's cost");
            Assert.That(Number(inGroups[24]), Is.Zero, "the winner keeps the input and output where the caller does");
            Assert.That(inGroups[31], Does.Contain("\"groupMemory\":true"));
        }
    }

    [Test]
    public void A_caller_memory_that_is_not_one_is_a_usage_error_naming_the_choices()
    {
        var (exitCode, _, error) = Tune("--op", "gemm", "--m", "8", "--n", "8", "--k", "8", "--caller-memory", "l2", "--database", Database);
        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(error, Does.Contain("--caller-memory 'l2' must be shared or core-groups"));
        Assert.That(File.Exists(Database), Is.False);
    }

    [Test]
    public void A_caller_memory_for_a_network_is_a_usage_error()
    {
        var (exitCode, _, error) = Tune("--network", "resnet50", "--batch", "4", "--caller-memory", "core-groups", "--database", Database);
        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(error, Does.Contain("--caller-memory is where a single operator's caller keeps its tensors"));
    }

    [TestCase("--measured", "0", "--measured '0'")]
    [TestCase("--measured", "many", "--measured 'many'")]
    [TestCase("--seed", "x", "--seed 'x'")]
    public void A_bad_option_names_itself_and_its_value(string option, string value, string expected)
    {
        var (exitCode, _, error) = Tune("--op", "gemm", "--m", "8", "--n", "8", "--k", "8", option, value, "--database", Database);
        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(error, Does.Contain(expected));
        Assert.That(File.Exists(Database), Is.False);
    }

    [Test]
    public void A_dtype_option_overrides_the_files_for_every_operator_and_the_rows_written_back_say_so()
    {
        var file = ShapesFile.Read(new StringReader($"{Header}\ng,gemm,1,,,,,,,,,,,,,,40,24,16,float32\n"), "shapes.csv");
        var doubled = file.WithOperatorField("dtype", "float64");
        Assert.That(file.Rows[0].Operator.ToSpec().ElementType, Is.EqualTo(Swatop.Primitives.ElementType.Float32));
        Assert.That(doubled.Rows[0].Operator.ToSpec().ElementType, Is.EqualTo(Swatop.Primitives.ElementType.Float64));
        Assert.That(doubled.Rows[0].Fields, Is.EqualTo(file.Rows[0].Fields.Select(f => f == "float32" ? "float64" : f)));
        Assert.That(file.WithOperatorField("dtype", null), Is.SameAs(file));
    }

    [Test]
    public void An_operator_beyond_the_emulated_main_memory_is_a_clear_error_not_a_crash()
    {
        // A is 32768 x 32768 doubles, 8 GiB: as much as a core group's memory, before B and C; every schedule packs it.
        var (exitCode, output, error) = Tune("--op", "gemm", "--m", "32768", "--n", "32", "--k", "32768", "--dtype", "float64", "--database", Database, "--measured", "1");
        Assert.That(exitCode, Is.EqualTo(1));
        Assert.That(error, Does.Contain("SWS0028").And.Contain("No schedule of").And.Contain("the group holds 8589934592 bytes"));
        Assert.That(output, Is.Empty);
        Assert.That(File.Exists(Database), Is.False, "nothing was recorded");
    }

    [Test]
    public void Shapes_and_operator_options_together_are_a_usage_error()
    {
        var (exitCode, _, error) = Tune("--shapes", "x.csv", "--op", "gemm");
        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(error, Does.Contain("--shapes takes the operators from the file"));
    }

    [Test]
    public void A_flag_given_a_value_is_not_taken_for_one()
    {
        var (exitCode, _, error) = Tune("--op", "gemm", "--m", "8", "--n", "8", "--k", "8", "--fresh", "yes");
        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(error, Does.Contain("tune: Unrecognized command or argument 'yes'"));
    }

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);
}
