using Swatop.Cli.Commands;
using Swatop.Hardware.Sw26010.Calibration;

namespace Swatop.Tests.Cli;

/// <summary>
/// <c>swatop emit --shapes FILE --check-headers</c>: every operator of the repository's shapes files,
/// under its default schedule, is emitted and every C file compiles as the emitted Makefile compiles
/// it for sw5cc, against the SW5 header stand-ins.
/// </summary>
public sealed class EmitCommandTests
{
    private string _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("swatop-emit-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void Every_kernel_of_the_shapes_files_compiles_against_the_SW5_headers()
    {
        var files = Directory.GetFiles(RepositoryFiles.PathOf(Path.Combine("data", "shapes")), "*.csv").Order(StringComparer.Ordinal).ToList();
        Assert.That(files, Has.Count.GreaterThanOrEqualTo(5));
        var kernels = 0;
        using (Assert.EnterMultipleScope())
        {
            foreach (var file in files)
            {
                using var output = new StringWriter();
                using var error = new StringWriter();
                var exitCode = EmitCommand.Run(["--out", Path.Combine(_directory, Path.GetFileNameWithoutExtension(file)), "--shapes", file, "--check-headers"], output, error);
                var table = CsvTable.Read(new StringReader(output.ToString()), "output");
                Assert.That(exitCode, Is.Zero, $"{file}: {error}");
                foreach (var record in table.Records)
                {
                    Assert.That(record.Fields[2], Is.EqualTo("ok"), $"{file}: {record.Fields[0]}");
                    kernels++;
                }

                Assert.That(error.ToString(), Does.Contain($"{table.Records.Count} of {table.Records.Count} operators emitted and compiled against the SW5 headers"));
            }
        }

        Assert.That(kernels, Is.GreaterThanOrEqualTo(128), "the ResNet-50, VGG-16 and swDNN calibration shapes");
    }
}
