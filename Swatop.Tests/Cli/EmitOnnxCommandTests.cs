using Swatop.Cli.Commands;
using Swatop.Hardware.Sw26010.Calibration;
using Swatop.Hardware.Sw26010.Emit.Network;
using Swatop.Tests.Emit;

namespace Swatop.Tests.Cli;

/// <summary>
/// <c>swatop emit --onnx MODEL.onnx --out FOLDER [--batch N] [--database PATH] [--fresh] [--verify]</c>: the model imported,
/// tuned and written as one network library, the folder replaced whole; verified on the shim with <c>--verify</c> (exit 1
/// when the check fails); bad options and files refused by name (exit 2) before anything is written.
/// </summary>
public sealed class EmitOnnxCommandTests
{
    private string _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("swatop-emit-onnx-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    private static (int ExitCode, string Output, string Error) Emit(params string[] arguments)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = EmitCommand.Run(arguments, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    private string Model()
    {
        var path = Path.Combine(_directory, "small.onnx");
        File.WriteAllBytes(path, EmittedNetworkModels.SmallResidual().Bytes());
        return path;
    }

    [Test]
    public void A_model_is_emitted_as_a_network_into_a_folder_replaced_whole_and_verified_on_the_shim()
    {
        var folder = Path.Combine(_directory, "out");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "stale.c"), "/* from an earlier emission */");

        var (exitCode, output, error) = Emit("--onnx", Model(), "--out", folder, "--batch", "1", "--database", Path.Combine(_directory, "db.jsonl"), "--verify");
        var table = CsvTable.Read(new StringReader(output), "output");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero, error);
            Assert.That(table.Records.Single().Fields.Take(3), Is.EqualTo(new[] { "network test", folder, "ok" }));
            Assert.That(Directory.GetFiles(folder).Select(Path.GetFileName), Is.EquivalentTo(NetworkFiles.All));
            Assert.That(Directory.GetFileSystemEntries(_directory).Select(Path.GetFileName).Where(name => name!.StartsWith('.')), Is.Empty, "no staging folder left behind");
            Assert.That(File.Exists(Path.Combine(folder, "stale.c")), Is.False, "the folder is replaced whole");
            Assert.That(File.ReadAllText(Path.Combine(folder, NetworkFiles.Header)), Does.Contain("#define SWATOP_NETWORK_INPUTS 1"));
            Assert.That(error, Does.Contain("verified on the gcc shim, 8 values against the emulator's"));
        }
    }

    [Test]
    public void A_failed_verification_exits_with_1_and_says_why()
    {
        var folder = Path.Combine(_directory, "out");
        var (exitCode, output, error) = Emit("--onnx", Model(), "--out", folder, "--batch", "1", "--database", Path.Combine(_directory, "db.jsonl"), "--verify",
            "--gcc", Path.Combine(_directory, "no-such-gcc"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(1));
            Assert.That(output, Does.Contain("gcc was not found"));
            Assert.That(Directory.GetFiles(folder), Is.Not.Empty, "the sources are written whole before the check");
        }
    }

    [Test]
    public void A_file_that_is_not_a_model_is_refused_with_the_importers_diagnostic_and_nothing_is_written()
    {
        var path = Path.Combine(_directory, "bad.onnx");
        File.WriteAllBytes(path, [0x0a, 0xff, 0xff, 0xff]);
        var folder = Path.Combine(_directory, "out");
        var (exitCode, output, error) = Emit("--onnx", path, "--out", folder);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(output, Is.Empty);
            Assert.That(error, Does.StartWith("emit: SWO"));
            Assert.That(Directory.Exists(folder), Is.False);
        }
    }

    [TestCase(new[] { "--onnx", "m.onnx", "--out", "d", "--shapes", "s.csv" }, "--onnx takes the operators from the model: --shapes is not one of its options")]
    [TestCase(new[] { "--onnx", "m.onnx", "--out", "d", "--op", "gemm" }, "--op is not one of its options")]
    [TestCase(new[] { "--onnx", "m.onnx", "--out", "d", "--check-headers" }, "--check-headers is not one of its options")]
    [TestCase(new[] { "--onnx", "m.onnx", "--out", "d", "--schedule", "default" }, "--schedule is not one of its options")]
    [TestCase(new[] { "--onnx", "m.onnx", "--out", "d", "--batch", "0" }, "--batch '0' must be a whole number of images, at least 1")]
    [TestCase(new[] { "--onnx", "m.onnx" }, "--out")]
    [TestCase(new[] { "--op", "gemm", "--m", "8", "--n", "8", "--k", "8", "--out", "d", "--fresh" }, "--fresh tunes a network afresh; it goes with --onnx only")]
    public void Bad_options_are_refused_by_name_before_the_model_is_read(string[] arguments, string message)
    {
        var (exitCode, output, error) = Emit(arguments);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(output, Is.Empty);
            Assert.That(error, Does.Contain(message));
        }
    }
}
