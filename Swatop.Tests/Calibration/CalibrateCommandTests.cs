using Swatop.Cli.Commands;
using Swatop.Hardware.Sw26010.Kernels;

namespace Swatop.Tests.Calibration;

/// <summary><c>swatop calibrate</c> with an injected simulation: the CSV it writes, the summary, and its errors.</summary>
public sealed class CalibrateCommandTests
{
    private string _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("swatop-calibrate-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    private string Write(string text)
    {
        var path = Path.Combine(_directory, "shapes.csv");
        File.WriteAllText(path, text);
        return path;
    }

    private static (int ExitCode, string Output, string Error, List<SwDnnShape> Ran) Calibrate(IReadOnlyList<string> arguments, Func<SwDnnShape, double>? simulated = null)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var ran = new List<SwDnnShape>();
        var exitCode = CalibrateCommand.Run(arguments, output, error, shape =>
        {
            ran.Add(shape);
            return simulated?.Invoke(shape) ?? shape.InChannels;
        });
        return (exitCode, output.ToString(), error.ToString(), ran);
    }

    [Test]
    public void WritesTheInputColumnsPlusTheSimulatedGflops()
    {
        var path = Write("# two shapes\nkernel,batch,in_channels,out_channels,in_height,in_width,note\n3,128,64,32,6,6,a\n\n2,128,32,64,5,5,b\n");
        var (exitCode, output, error, ran) = Calibrate(["--shapes", path], shape => shape.InChannels + 0.25);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero, error);
            Assert.That(output, Is.EqualTo(
                "kernel,batch,in_channels,out_channels,in_height,in_width,note,simulated_gflops\n" +
                "3,128,64,32,6,6,a,64.25\n" +
                "2,128,32,64,5,5,b,32.25\n"));
            Assert.That(error, Is.Empty, "no measured column, no summary");
            Assert.That(ran, Is.EqualTo(new[] { new SwDnnShape(128, 64, 32, 6, 6, 3), new SwDnnShape(128, 32, 64, 5, 5, 2) }));
        }
    }

    [Test]
    public void SummarizesTheAgreementWithMeasuredFigures()
    {
        // Simulated vs measured: 100 vs 110 (within 20%), 200 vs 95 (not), 300 vs 290 (within), 480 vs 400 (exactly 20%: within).
        // Ranks 1, 2, 3, 4 against 2, 1, 3, 4: 1 - 6 * 2 / (4 * 15) = 0.8.
        var path = Write("""
            batch,in_channels,out_channels,in_height,in_width,kernel,measured_gflops_4cg
            128,128,128,18,18,3,110
            128,200,128,18,18,3,95
            128,256,128,18,18,3,290
            128,320,128,18,18,3,400
            """);
        var (exitCode, output, error, _) = Calibrate(["--shapes", path], shape => shape.InChannels switch { 128 => 100, 200 => 200, 256 => 300, _ => 480 });
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero, error);
            Assert.That(output.Split('\n')[1], Is.EqualTo("128,128,128,18,18,3,110,100"));
            Assert.That(error.Trim(), Is.EqualTo("calibrate: 3 of 4 rows (75.0%) within 20% of measured_gflops_4cg; Spearman rank correlation 0.800"));
        }
    }

    [Test]
    public void TheMeasuredRunsFileReplaysWithEveryRow()
    {
        var (exitCode, output, error, ran) = Calibrate(["--shapes", RepositoryFiles.PathOf("data/swdnn-conv-calibration.csv")]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero, error);
            Assert.That(ran, Has.Count.EqualTo(64));
            Assert.That(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(65));
            Assert.That(output, Does.StartWith("batch,in_channels,out_channels,in_height,in_width,out_height,out_width,kernel,measured_gflops_4cg,co_stride,ldm_bytes_per_cpe,simulated_gflops\n"));
            Assert.That(error, Does.StartWith("calibrate: ").And.Contain(" of 64 rows").And.Contain("Spearman rank correlation"));
        }
    }

    [TestCase("batch,in_channels,out_channels,in_height,in_width,kernel\n128,64,32,6,six,3\n", "line 2, column 'in_width': SWD0026: in_width = 'six' is not an integer")]
    [TestCase("batch,in_channels,out_channels,in_height,in_width\n128,64,32,6,6\n", "line 1, column 'kernel': the header has no such column")]
    [TestCase("batch,in_channels,out_channels,in_height,in_width,kernel\n128,64,32,6,6,3\n128,64,32,6,6\n", "line 3, column 'kernel': 5 fields")]
    [TestCase("batch,in_channels,out_channels,in_height,in_width,kernel\n128,64,32,6,6,3\n128,64,0,6,6,3\n", "line 3, column 'out_channels': SWD0014: outChannels = 0 is not a valid output channel count")]
    [TestCase("batch,in_channels,out_channels,in_height,in_width,kernel,measured_gflops_4cg\n128,64,32,6,6,3,n/a\n", "line 2, column 'measured_gflops_4cg': 'n/a' is not a number")]
    [TestCase("batch,in_channels,out_channels,in_height,in_width,kernel\n128,64,32,6,6,3\n64,64,32,6,6,3\n", "line 3, column 'batch': the swDNN kernel does not support this shape: batch = 64 must be a multiple of 128")]
    [TestCase("batch,in_channels,out_channels,in_height,in_width,kernel\n128,384,160,18,18,3\n", "line 2: the swDNN kernel does not support this shape: B = 128, Ni = 384")]
    public void ABadFileFailsNamingTheLineAndColumnBeforeAnythingRuns(string text, string message)
    {
        var path = Write(text);
        var (exitCode, output, error, ran) = Calibrate(["--shapes", path]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(error, Does.StartWith($"calibrate: {path}, ").And.Contain(message));
            Assert.That(output, Is.Empty);
            Assert.That(ran, Is.Empty);
        }
    }

    [Test]
    public void BadArgumentsAndMissingFilesAreUsageErrors()
    {
        var (noArguments, _, usage, _) = Calibrate([]);
        var (wrongFlag, _, _, _) = Calibrate(["--shape", "x.csv"]);
        var (missing, _, missingError, _) = Calibrate(["--shapes", Path.Combine(_directory, "absent.csv")]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(noArguments, Is.EqualTo(2));
            Assert.That(usage, Does.Contain("calibrate: expected --shapes FILE.csv or --dma").And.Contain("swatop calibrate [options]"));
            Assert.That(wrongFlag, Is.EqualTo(2));
            Assert.That(missing, Is.EqualTo(2));
            Assert.That(missingError, Does.StartWith("calibrate: ").And.Contain("absent.csv"));
        }
    }

    [Test]
    public void TheSwatopCommandSimulatesEachRowWithTheTimeModel()
    {
        var path = Path.Combine(Path.GetTempPath(), $"swatop-calibrate-{Guid.NewGuid():N}.csv");
        File.WriteAllLines(path,
        [
            "batch,in_channels,out_channels,in_height,in_width,kernel,measured_gflops_4cg",
            "128,128,128,18,18,3,1329.33622",
            "128,384,128,18,18,3,815.19058",
        ]);
        var (output, error) = (Console.Out, Console.Error);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        Console.SetOut(stdout);
        Console.SetError(stderr);
        int exitCode;
        try
        {
            exitCode = Swatop.Cli.Program.Main(["calibrate", "--shapes", path]);
        }
        finally
        {
            Console.SetOut(output);
            Console.SetError(error);
            File.Delete(path);
        }

        var lines = stdout.ToString().Trim().Split('\n');
        var fast = double.Parse(lines[1].Split(',')[^1], System.Globalization.CultureInfo.InvariantCulture);
        var slow = double.Parse(lines[2].Split(',')[^1], System.Globalization.CultureInfo.InvariantCulture);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero);
            Assert.That(lines, Has.Length.EqualTo(3));
            Assert.That(lines[0], Does.EndWith(",simulated_gflops"));
            Assert.That(fast, Is.GreaterThan(slow), "the weight-bound shape (CoStride 1) runs slower");
            Assert.That(stderr.ToString(), Does.Contain("of 2 rows").And.Contain("Spearman"));
        }
    }
}
