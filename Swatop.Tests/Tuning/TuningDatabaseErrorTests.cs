using Swatop.Core.Tuning;
using static Swatop.Tests.Tuning.TuningRecords;

namespace Swatop.Tests.Tuning;

/// <summary>A path the database cannot use is refused with an id, the path and the reason.</summary>
public sealed class TuningDatabaseErrorTests
{
    [Test]
    public void A_directory_is_refused_when_opened_naming_the_path_and_a_file_to_use_instead()
    {
        using var directory = new TemporaryDirectory();
        var error = Assert.Throws<TuningException>(() => _ = new TuningDatabase(directory.Path));
        Assert.Multiple(() =>
        {
            Assert.That(error!.Id, Is.EqualTo(TuningDiagnostics.PathIsDirectory));
            Assert.That(error.Path, Is.EqualTo(directory.Path));
            Assert.That(error.Message, Is.EqualTo(
                $"SWT0005: The tuning database path '{directory.Path}' is a directory, not a file: give the path of a file, such as '{Path.Combine(directory.Path, "tuning.jsonl")}'."));
        });
    }

    [Test]
    public void A_path_that_became_a_directory_is_refused_when_read_and_when_appended_to()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("tuning.jsonl");
        var database = new TuningDatabase(path);
        Directory.CreateDirectory(path);

        Assert.Multiple(() =>
        {
            Assert.That(() => database.Read(), Throws.TypeOf<TuningException>().With.Property("Id").EqualTo(TuningDiagnostics.PathIsDirectory));
            Assert.That(() => database.Append(Of(Gemm, 1e-3)), Throws.TypeOf<TuningException>().With.Property("Id").EqualTo(TuningDiagnostics.PathIsDirectory));
        });
    }

    [Test]
    public void A_directory_that_cannot_be_created_is_named_with_the_reason()
    {
        using var directory = new TemporaryDirectory();
        var file = directory.File("plain-file");
        File.WriteAllText(file, "not a directory");
        var path = Path.Combine(file, "tuning.jsonl");
        var database = new TuningDatabase(path);

        var error = Assert.Throws<TuningException>(() => database.Append(Of(Gemm, 1e-3)));
        Assert.Multiple(() =>
        {
            Assert.That(error!.Id, Is.EqualTo(TuningDiagnostics.WriteFailed));
            Assert.That(error.Path, Is.EqualTo(path));
            Assert.That(error.Message, Does.StartWith($"SWT0007: Cannot append to the tuning database '{path}': its directory '{file}' cannot be created: "));
            Assert.That(error.InnerException, Is.InstanceOf<IOException>());
            Assert.That(error, Is.InstanceOf<IOException>());
        });
    }

    [Test]
    public void An_empty_path_is_refused()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => new TuningDatabase(""), Throws.ArgumentException.With.Property("ParamName").EqualTo("path"));
            Assert.That(() => new TuningDatabase("  "), Throws.ArgumentException.With.Property("ParamName").EqualTo("path"));
        });
    }

    [Test]
    public void A_file_name_the_file_system_refuses_is_named_with_the_reason_when_read_and_when_appended_to()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File(new string('x', 300) + ".jsonl");
        var database = new TuningDatabase(path);

        var read = Assert.Throws<TuningException>(() => database.Read());
        var append = Assert.Throws<TuningException>(() => database.Append(Of(Gemm, 1e-3)));
        Assert.Multiple(() =>
        {
            Assert.That(read!.Id, Is.EqualTo(TuningDiagnostics.ReadFailed));
            Assert.That(read.Message, Does.StartWith($"SWT0006: Cannot read the tuning database '{path}': "));
            Assert.That(append!.Id, Is.EqualTo(TuningDiagnostics.WriteFailed));
            Assert.That(append.Message, Does.StartWith($"SWT0007: Cannot append to the tuning database '{path}': "));
        });
    }
}
