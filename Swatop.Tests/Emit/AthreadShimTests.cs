using Swatop.Hardware.Sw26010.Emit.Shim;

namespace Swatop.Tests.Emit;

/// <summary>The shim's files travel inside the assembly and are written next to emitted files unchanged.</summary>
public sealed class AthreadShimTests
{
    [Test]
    public void TheEmbeddedFilesAreTheRepositorysFiles()
    {
        using (Assert.EnterMultipleScope())
        {
            foreach (var name in AthreadShim.FileNames)
            {
                var onDisk = File.ReadAllText(RepositoryFiles.PathOf(Path.Combine("Swatop.Hardware.SW26010", "Emit", "Shim", name)));
                Assert.That(AthreadShim.Text(name), Is.EqualTo(onDisk), name);
            }
        }
    }

    [Test]
    public void WriteToPutsTheThreeFilesInTheFolder()
    {
        var directory = Path.Combine(Path.GetTempPath(), "swatop-shim", $"write-{Guid.NewGuid():N}");
        try
        {
            var paths = AthreadShim.WriteTo(directory);
            Assert.That(paths.Select(Path.GetFileName), Is.EqualTo(AthreadShim.FileNames));
            Assert.That(File.ReadAllText(paths[0]), Does.Contain("#ifdef SWATOP_HOST_SHIM").And.Contain("#include \"athread_shim.h\"").And.Contain("#include <athread.h>"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public void AnUnknownFileIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => AthreadShim.Text("athread.h"));
        Assert.That(error.Message, Does.Contain("swatop_athread.h, athread_shim.h, athread_shim.c"));
    }
}
