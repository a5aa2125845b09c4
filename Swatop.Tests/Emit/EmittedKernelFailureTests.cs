using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Cli.Commands;
using Swatop.Core;
using Swatop.Hardware.Sw26010.Emit;
using Swatop.Hardware.Sw26010.Emit.Verification;
using Swatop.Hardware.Sw26010.Target;

namespace Swatop.Tests.Emit;

/// <summary>
/// The emitter's verification path fails loudly: a missing gcc, a failing compile and a wrong result
/// each throw an error naming the kernel and keep its emitted files for inspection, and
/// <c>swatop emit --verify</c> prints the error in the operator's CSV row and exits non-zero.
/// </summary>
public sealed class EmittedKernelFailureTests
{
    private static readonly OperatorSpec Spec = Operator.Gemm(128, 32, 16);

    private static Sw26010Kernel Kernel() => (Sw26010Kernel)Spec.WithSchedule(ImplicitGemmSpace.For(Spec, Sw26010Target.Default.Limits).Default()).Emit(Sw26010Target.Default);

    private static void AssertNamedAndKept(GccShimException error, string what)
    {
        try
        {
            using (Assert.EnterMultipleScope())
            {
                Assert.That(error.Kernel, Is.EqualTo(Spec.Signature));
                Assert.That(error.Message, Does.StartWith($"Kernel '{Spec.Signature}': ").And.Contain(what).And.Contain($"Its files are kept in {error.Directory}"));
                foreach (var file in new[] { KernelFiles.Cpe, KernelFiles.Host, KernelFiles.Header, KernelFiles.Main, KernelFiles.Primitives })
                {
                    Assert.That(File.Exists(Path.Combine(error.Directory, file)), $"{file} is kept");
                }
            }
        }
        finally
        {
            Directory.Delete(error.Directory, recursive: true);
        }
    }

    [Test]
    public void A_missing_gcc_names_the_kernel_and_keeps_the_emitted_files()
    {
        var options = GccShimOptions.Default with { Compiler = "/nonexistent/swatop/gcc-13" };
        var error = Assert.Throws<GccShimException>(() => EmittedKernelCheck.Run(Kernel(), seed: 1, options));
        AssertNamedAndKept(error, "gcc was not found (looked for '/nonexistent/swatop/gcc-13')");
    }

    [Test]
    public void A_failing_compile_names_the_kernel_and_keeps_the_emitted_files()
    {
        var kernel = Kernel();
        var files = new Dictionary<string, string>(kernel.Sources.Files, StringComparer.Ordinal);
        // Only the shim build sees the unused variable: the SW5 header check, which runs first, passes.
        files[KernelFiles.Cpe] = files[KernelFiles.Cpe].Replace("(void)row;", "\n#ifdef SWATOP_HOST_SHIM\nint swatop_unused_here;\n#endif\n(void)row;", StringComparison.Ordinal);
        var error = Assert.Throws<GccShimException>(() => EmittedKernelCheck.Run(kernel, files, seed: 1));
        AssertNamedAndKept(error, "the compile failed");
        Assert.That(error.Message, Does.Contain("swatop_unused_here"));
    }

    [Test]
    public void A_wrong_result_names_the_kernel_and_keeps_the_emitted_files()
    {
        var kernel = Kernel();
        var files = new Dictionary<string, string>(kernel.Sources.Files, StringComparer.Ordinal);
        var cpe = files[KernelFiles.Cpe];
        Assert.That(cpe, Does.Contain("swatop_fill_d(ldm_c, ").And.Contain(", 0.0);"), "the output tile is zeroed before the reduction");
        files[KernelFiles.Cpe] = cpe.Replace(", 0.0);", ", 0.25);", StringComparison.Ordinal);
        var error = Assert.Throws<GccShimException>(() => EmittedKernelCheck.Run(kernel, files, seed: 1));
        AssertNamedAndKept(error, "the emitted C's output does not match the reference");
    }

    [Test]
    public void Swatop_emit_verify_prints_the_error_in_the_row_and_exits_non_zero()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"swatop-emit-fail-{Guid.NewGuid():N}");
        using var output = new StringWriter();
        using var error = new StringWriter();
        try
        {
            var exitCode = EmitCommand.Run(["--out", folder, "--op", "gemm", "--m", "128", "--n", "32", "--k", "16", "--verify", "--gcc", "/nonexistent/swatop/gcc-13"], output, error);
            var lines = output.ToString().ReplaceLineEndings("\n").Trim().Split('\n');
            using (Assert.EnterMultipleScope())
            {
                Assert.That(exitCode, Is.EqualTo(1));
                Assert.That(lines, Has.Length.EqualTo(2));
                Assert.That(lines[1], Does.Contain("Kernel 'gemm").And.Contain("gcc was not found").And.Contain("Its files are kept in"));
                Assert.That(error.ToString(), Does.Contain("emit: 0 of 1 operators emitted and verified"));
                Assert.That(File.Exists(Path.Combine(folder, KernelFiles.Cpe)), "the sources are written before the verification");
            }

            var kept = lines[1][(lines[1].IndexOf("Its files are kept in ", StringComparison.Ordinal) + "Its files are kept in ".Length)..].Split(',')[0].Trim('"', ' ');
            if (Directory.Exists(kept))
            {
                Directory.Delete(kept, recursive: true);
            }
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
