using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Cli.Commands;

namespace Swatop.Tests.Cli;

/// <summary><c>swatop run</c>: one operator from options, checked against the reference, and its errors.</summary>
public sealed class RunCommandTests
{
    private static (int ExitCode, string Output, string Error) Run(params string[] arguments)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = RunCommand.Run(arguments, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    [Test]
    public void A_strided_padded_convolution_runs_and_matches_the_reference()
    {
        var (exitCode, output, error) = Run("--op", "conv2d", "--batch", "2", "--in-channels", "6", "--out-channels", "10", "--in-height", "9",
            "--in-width", "7", "--kernel", "3", "--stride", "2", "--pad", "1", "--dtype", "float64");
        Assert.That(error, Is.Empty);
        Assert.That(exitCode, Is.Zero, output);
        Assert.That(output, Does.Contain("conv2d n=2 ci=6 co=10 h=9 w=7 k=3x3 s=2x2 p=1,1,1,1").And.Contain("check      ok:").And.Contain("result     PASS"));
        Assert.That(output, Does.Contain("GFLOPS").And.Contain("% of peak"));
    }

    [Test]
    public void A_tuned_schedule_is_recorded_in_the_database_named_and_applied_from_it_the_second_time()
    {
        var folder = Directory.CreateTempSubdirectory("swatop-run-tuned-");
        try
        {
            var database = Path.Combine(folder.FullName, "tuning.jsonl");
            string[] arguments = ["--op", "gemm", "--m", "40", "--n", "24", "--k", "16", "--schedule", "tuned", "--database", database];
            var first = Run(arguments);
            Assert.That(first.ExitCode, Is.Zero, first.Output + first.Error);
            var records = File.ReadAllLines(database);
            Assert.That(records, Has.Length.EqualTo(1));
            var second = Run(arguments);
            Assert.That(second.ExitCode, Is.Zero, second.Output + second.Error);
            Assert.That(File.ReadAllLines(database), Is.EqualTo(records), "the second run applied the record and added none");
            var schedule = first.Output.Split('\n').Single(line => line.TrimStart().StartsWith("schedule   ", StringComparison.Ordinal));
            Assert.That(second.Output, Does.Contain(schedule));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Test]
    public void A_database_that_is_a_folder_is_bad_input()
    {
        var folder = Directory.CreateTempSubdirectory("swatop-run-tuned-");
        try
        {
            var (exitCode, _, error) = Run("--op", "gemm", "--m", "40", "--n", "24", "--k", "16", "--schedule", "tuned", "--database", folder.FullName);
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(error, Does.Contain("run: ").And.Contain(folder.FullName));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Test]
    public void A_transposed_float_gemm_runs_with_the_schedule_of_a_json_file()
    {
        var spec = Core.Operator.Gemm(19, 33, 7, transposeA: true, elementType: Primitives.ElementType.Float32);
        var schedule = Core.OperatorScheduling.Space(spec, Hardware.Sw26010.Target.Sw26010Target.Default.Limits).Sample(new Random(4));
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, schedule.ToJson());
            var (exitCode, output, _) = Run("--op", "gemm", "--m", "19", "--n", "33", "--k", "7", "--transpose-a", "1", "--schedule", path);
            Assert.That(exitCode, Is.Zero, output);
            Assert.That(output, Does.Contain($"schedule   {schedule}"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void An_impossible_operator_is_refused_with_the_parameter_its_value_and_the_rule()
    {
        var (exitCode, output, error) = Run("--op", "conv2d", "--batch", "1", "--in-channels", "4", "--out-channels", "6", "--in-height", "5",
            "--in-width", "5", "--kernel", "3", "--groups", "4");
        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(output, Is.Empty);
        Assert.That(error, Does.Contain("SWD").And.Contain("groups").And.Contain("4"));
    }

    [TestCase(new[] { "--op", "gemm", "--m", "3", "--n", "4" }, "SWD0025: k is missing or empty")]
    [TestCase(new[] { "--op", "gemm", "--m", "3", "--n", "4", "--k", "x" }, "SWD0026: k = 'x' is not an integer")]
    [TestCase(new[] { "--op", "gemm", "--m", "3", "--n", "4", "--k", "5", "--transpose-a", "yes" }, "transpose_a = 'yes' is not a flag")]
    [TestCase(new[] { "--op", "conv2d", "--batch", "1", "--in-channels", "4", "--out-channels", "6", "--in-height", "5", "--in-width", "5" }, "kernel_h is missing or empty")]
    [TestCase(new[] { "--op", "conv2d", "--batch", "1", "--in-channels", "4", "--out-channels", "6", "--in-height", "5", "--in-width", "5", "--kernel", "3", "--layout", "nwhc" }, "'nwhc' is not a layout")]
    [TestCase(new[] { "--op", "pool" }, "SWD0024: op = 'pool' is not an operator")]
    [TestCase(new[] { "--op", "gemm", "--m", "3", "--n", "4", "--k", "5", "--dtype", "half" }, "'half' is not an element type")]
    [TestCase(new[] { "--op", "gemm", "--m", "3", "--n", "4", "--k", "5", "--schedule", "swdnn" }, "SWS0009")]
    [TestCase(new[] { "--op", "gemm", "--m", "3", "--n", "4", "--k", "5", "--schedule", "/no/such/schedule.json" }, "schedule.json")]
    public void Bad_options_are_named(string[] arguments, string message)
    {
        var (exitCode, output, error) = Run(arguments);
        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(output, Is.Empty);
        Assert.That(error, Does.Contain(message));
    }

    [TestCase(new string[0], "--in-channels")]
    [TestCase(new[] { "--op", "gemm", "--colour", "red" }, "run: Unrecognized command or argument '--colour'")]
    [TestCase(new[] { "--op" }, "run: Required argument missing for option: '--op'")]
    [TestCase(new[] { "--op", "gemm", "--op", "fc" }, "run: Option '--op' expects a single argument but 2 were provided")]
    [TestCase(new[] { "gemm" }, "run: Unrecognized command or argument 'gemm'")]
    [TestCase(new[] { "--op", "gemm", "--m", "3", "--n", "4", "--k", "5", "--seed", "x" }, "--seed 'x' is not an integer")]
    [TestCase(new[] { "--op", "conv2d", "--kernel", "3", "--kernel-h", "2" }, "--kernel and --kernel-h are both given")]
    public void Malformed_arguments_print_the_usage(string[] arguments, string message)
    {
        var (exitCode, _, error) = Run(arguments);
        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(error, Does.Contain(message).And.Contain("swatop run [options]").And.Contain("--transpose-b"));
    }
}
