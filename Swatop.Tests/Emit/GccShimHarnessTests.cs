using Swatop.Hardware.Sw26010.Emit.Verification;

namespace Swatop.Tests.Emit;

/// <summary>The harness's own failures name the kernel and keep its files: no gcc, a failing compile, a failing or hanging run, a mismatch.</summary>
public sealed class GccShimHarnessTests
{
    private const string Ok = """
        #include "swatop_athread.h"
        void nothing(void *arg) { (void)arg; }
        int main(void) { athread_init(); athread_spawn(nothing, 0); athread_join(); athread_halt(); return 0; }
        """;

    [Test]
    public void AMissingGccNamesTheKernelAndKeepsTheFiles()
    {
        var options = GccShimOptions.Default with { Compiler = "/nonexistent/swatop/gcc" };
        var error = Assert.Throws<GccShimException>(() => GccShim.Build("no_compiler", new Dictionary<string, string> { ["k.c"] = Ok }, options));
        try
        {
            using (Assert.EnterMultipleScope())
            {
                Assert.That(error.Message, Does.Contain("Kernel 'no_compiler'").And.Contain("gcc was not found").And.Contain("/nonexistent/swatop/gcc"));
                Assert.That(error.Message, Does.Contain(error.Directory));
                Assert.That(File.Exists(Path.Combine(error.Directory, "k.c")), "the emitted file is kept");
                Assert.That(File.Exists(Path.Combine(error.Directory, "athread_shim.h")), "the shim is written beside it");
            }
        }
        finally
        {
            Directory.Delete(error.Directory, recursive: true);
        }
    }

    [Test]
    public void AFailingCompileNamesTheKernelAndKeepsTheFiles()
    {
        // -Werror turns the unused variable into an error.
        var source = Ok.Replace("(void)arg; }", "(void)arg; int unused_here; }", StringComparison.Ordinal);
        var error = Assert.Throws<GccShimException>(() => GccShim.Build("bad_compile", new Dictionary<string, string> { ["k.c"] = source }));
        try
        {
            using (Assert.EnterMultipleScope())
            {
                Assert.That(error.Message, Does.Contain("Kernel 'bad_compile': the compile failed").And.Contain("unused_here").And.Contain("-Werror"));
                Assert.That(File.Exists(Path.Combine(error.Directory, "k.c")), "the emitted file is kept");
            }
        }
        finally
        {
            Directory.Delete(error.Directory, recursive: true);
        }
    }

    [Test]
    public void AFailingRunNamesTheKernelAndKeepsTheFiles()
    {
        var source = Ok.Replace("athread_halt(); return 0;", "athread_halt(); fputs(\"mismatch at 5\\n\", stderr); return 3;", StringComparison.Ordinal)
            .Replace("#include \"swatop_athread.h\"", "#include <stdio.h>\n#include \"swatop_athread.h\"", StringComparison.Ordinal);
        var build = GccShim.Build("bad_run", new Dictionary<string, string> { ["k.c"] = source });
        var error = Assert.Throws<GccShimException>(() => build.Run());
        build.Dispose();
        try
        {
            using (Assert.EnterMultipleScope())
            {
                Assert.That(error.Message, Does.Contain("Kernel 'bad_run': the program (no arguments) failed with exit code 3").And.Contain("mismatch at 5"));
                Assert.That(File.Exists(build.Executable), "the program is kept after a failure");
            }
        }
        finally
        {
            Directory.Delete(error.Directory, recursive: true);
        }
    }

    [Test]
    public void AHangingRunIsKilledAndNamed()
    {
        var source = Ok.Replace("(void)arg; }", "(void)arg; volatile int reply = 0; if (_MYID == 9) while (reply != 1) { } }", StringComparison.Ordinal);
        var build = GccShim.Build("hang", new Dictionary<string, string> { ["k.c"] = source }, GccShimOptions.Default with { RunTimeout = TimeSpan.FromSeconds(0.5) });
        var error = Assert.Throws<GccShimException>(() => build.Run());
        build.Dispose();
        try
        {
            Assert.That(error.Message, Does.Contain("Kernel 'hang': the program (no arguments) did not finish in 0.5 s and was killed"));
        }
        finally
        {
            Directory.Delete(error.Directory, recursive: true);
        }
    }

    [Test]
    public void AMismatchNamesTheKernelAndTheFirstDifferences()
    {
        var directory = Path.Combine(Path.GetTempPath(), "swatop-shim", $"mismatch-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var build = new GccShimBuild("mismatch", directory, Path.Combine(directory, "kernel"), GccShimOptions.Default);
        var error = Assert.Throws<GccShimException>(() => build.CompareBits("C", [1.0, 2.0, 3.0], [1.0, 2.5, 3.0]));
        build.Dispose();
        try
        {
            Assert.That(error.Message, Does.Contain("Kernel 'mismatch': C differs from the reference in 1 of 3 values: [1] is 2.5, the reference 2."));
            Assert.That(Directory.Exists(error.Directory));
        }
        finally
        {
            Directory.Delete(error.Directory, recursive: true);
        }
    }

    [Test]
    public void ASuccessfulBuildCleansUpAfterItself()
    {
        string directory;
        using (var build = GccShim.Build("clean", new Dictionary<string, string> { ["k.c"] = Ok }))
        {
            directory = build.Directory;
            var run = build.Run();
            Assert.That(run.Counts, Has.Count.EqualTo(64));
        }

        Assert.That(Directory.Exists(directory), Is.False);
    }
}
