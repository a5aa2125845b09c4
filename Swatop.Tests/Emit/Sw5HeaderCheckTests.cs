using Swatop.Core;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Hardware.Sw26010.Emit;
using Swatop.Hardware.Sw26010.Emit.Shim;
using Swatop.Hardware.Sw26010.Emit.Verification;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Tests.Emit;

/// <summary>
/// The emitted C compiles for the real machine as far as a host can tell: each file with the emitted
/// Makefile's defines and C dialect (gnu89, as sw5cc's CPE compiler) against stand-ins that declare the
/// public SW5 API of <c>slave.h</c>, <c>simd.h</c> and <c>athread.h</c>; and the check fails on what sw5cc
/// would refuse: a C99 loop declaration, a declaration after a statement, a missing include, an LDM
/// allocator nobody declares, a CPE file compiled without the Makefile's define, <c>simd_vmad</c> on a
/// float vector, a C file no rule compiles.
/// </summary>
public sealed class Sw5HeaderCheckTests
{
    private static readonly Lazy<Sw26010Kernel> Gemm = new(() => EmittedC.Kernel(Operator.Gemm(256, 40, 16), Lowering.GemmLoweringGoldenTests.Schedule));

    private static readonly Lazy<Sw26010Kernel> FloatConvolution = new(() =>
    {
        var spec = Operator.Conv2d(1, 8, 32, 7, 7, 3, stride: 2, padding: 1, elementType: ElementType.Float32);
        return EmittedC.Kernel(spec, ImplicitGemmSpace.For(spec, Sw26010Target.Default.Limits).Default());
    });

    [Test]
    public void Every_file_the_makefile_compiles_passes_with_its_defines_in_gnu89()
    {
        foreach (var kernel in new[] { Gemm.Value, FloatConvolution.Value })
        {
            var rules = kernel.CheckEmittedCForSw5();
            Assert.That(rules.Select(r => (r.File, r.EffectiveDialect, string.Join(' ', r.Defines))), Is.EqualTo(new[]
            {
                (KernelFiles.Cpe, "gnu89", "-DSWATOP_CPE"),
                (KernelFiles.Host, "gnu89", "-DSWATOP_MPE -DSWATOP_MPI"),
                (KernelFiles.Main, "gnu89", "-DSWATOP_MPE -DSWATOP_MPI"),
            }), kernel.Operator.Signature);
            Assert.That(rules.Select(r => r.Dialect), Is.All.Null, "the Makefile names no dialect: sw5cc's default");
        }
    }

    [Test]
    public void A_C99_loop_declaration_in_the_CPE_file_is_refused()
    {
        var error = Fails(KernelFiles.Cpe, text => text + "\nlong swatop_extra(long n)\n{\n    long sum = 0;\n    for (long i = 0; i < n; i++) sum += i;\n    return sum;\n}\n");
        Assert.That(Plain(error), Does.Contain("slave.c (gnu89, -DSWATOP_CPE").And.Contain("'for' loop initial declarations are only allowed in C99 or C11 mode"));
    }

    [Test]
    public void A_declaration_after_a_statement_in_the_MPE_file_is_refused()
    {
        var error = Fails(KernelFiles.Host, text => text + "\nint swatop_extra(int a)\n{\n    a++;\n    int b = a;\n    return b;\n}\n");
        Assert.That(error.Message, Does.Contain("host.c (gnu89, -DSWATOP_MPE -DSWATOP_MPI").And.Contain("ISO C90 forbids mixed declarations and code"));
    }

    [Test]
    public void A_missing_include_is_refused()
    {
        var error = Fails(KernelFiles.Main, text => text.Replace("#include <sys/time.h>\n", "", StringComparison.Ordinal));
        Assert.That(error.Message, Does.Contain("main.c (gnu89, -DSWATOP_MPE -DSWATOP_MPI").And.Contain("gettimeofday"));
    }

    [Test]
    public void An_LDM_allocator_nobody_declares_is_refused()
    {
        // The real slave.h does not declare ldm_malloc: the emitted swatop_athread.h must.
        var error = Fails(AthreadShim.IncludeFileName, text => text
            .Replace("extern void *ldm_malloc(size_t size);\n", "", StringComparison.Ordinal)
            .Replace("extern void ldm_free(void *addr, size_t size);\n", "", StringComparison.Ordinal));
        Assert.That(Plain(error), Does.Contain("slave.c (gnu89, -DSWATOP_CPE").And.Contain("implicit declaration of function 'ldm_malloc'"));
    }

    [Test]
    public void A_CPE_file_compiled_without_the_makefiles_define_is_refused()
    {
        // What the old header relied on: sw5cc defines no __sw_slave__, so nothing but the Makefile can choose the CPE headers.
        var error = Fails(KernelFiles.Makefile, text => text.Replace("$(CFLAGS) $(CPE_DEFINES) -c slave.c", "$(CFLAGS) -c slave.c", StringComparison.Ordinal));
        Assert.That(error.Message, Does.Contain("slave.c (gnu89, no defines").And.Contain("compile the CPE file with -DSWATOP_CPE"));
    }

    [Test]
    public void A_float_vector_given_to_simd_vmad_is_refused_and_simd_vmas_takes_it()
    {
        const string Vmad = "\nfloatv4 swatop_extra(floatv4 a)\n{\n    return simd_vmad(a, a, a);\n}\n";
        var error = Fails(KernelFiles.Cpe, text => text + Vmad);
        Assert.That(Plain(error), Does.Contain("incompatible type for argument 1 of 'simd_vmad'"));

        var files = Changed(KernelFiles.Cpe, text => text + Vmad.Replace("simd_vmad", "simd_vmas", StringComparison.Ordinal));
        Assert.That(Sw5HeaderCheck.Run(Gemm.Value.Operator.Signature, files), Has.Count.EqualTo(3));
    }

    [Test]
    public void A_C_file_no_rule_compiles_is_refused()
    {
        var files = Changed(KernelFiles.Cpe, text => text);
        files["extra.c"] = "int swatop_extra;\n";
        var error = Assert.Throws<GccShimException>(() => Sw5HeaderCheck.Run(Gemm.Value.Operator.Signature, files));
        Discard(error);
        Assert.That(error.Message, Does.Contain("no rule of the Makefile compiles extra.c for the real machine"));
    }

    [Test]
    public void A_dialect_the_makefile_names_is_the_one_checked()
    {
        // Declared in the Makefile, gnu99 lets a loop declare its variable; without it the same file fails above.
        var files = Changed(KernelFiles.Cpe, text => text + "\nlong swatop_extra(long n)\n{\n    long sum = 0;\n    for (long i = 0; i < n; i++) sum += i;\n    return sum;\n}\n");
        files[KernelFiles.Makefile] = files[KernelFiles.Makefile].Replace("CFLAGS = -O3", "CFLAGS = -O3 -std=gnu99", StringComparison.Ordinal);
        var rules = Sw5HeaderCheck.Run(Gemm.Value.Operator.Signature, files);
        Assert.That(rules.Select(r => r.EffectiveDialect), Is.All.EqualTo("gnu99"));
    }

    [Test]
    public void The_embedded_stand_ins_are_the_repositorys_files()
    {
        foreach (var name in Sw5Headers.FileNames)
        {
            var onDisk = File.ReadAllText(RepositoryFiles.PathOf(Path.Combine("Swatop.Hardware.SW26010", "Emit", "Verification", "Sw5Headers", name)));
            Assert.That(Sw5Headers.Text(name), Is.EqualTo(onDisk), name);
        }

        Assert.Throws<ArgumentException>(() => Sw5Headers.Text("dma.h"));
    }

    private static Dictionary<string, string> Changed(string file, Func<string, string> change)
    {
        var files = new Dictionary<string, string>(Gemm.Value.Sources.Files, StringComparer.Ordinal);
        var changed = change(files[file]);
        files[file] = changed;
        return files;
    }

    private static GccShimException Fails(string file, Func<string, string> change)
    {
        var files = Changed(file, change);
        Assert.That(files[file], Is.Not.EqualTo(Gemm.Value.Sources.Files[file]), $"the change to {file} applies");
        var error = Assert.Throws<GccShimException>(() => Sw5HeaderCheck.Run(Gemm.Value.Operator.Signature, files));
        Discard(error);
        Assert.That(error.Message, Does.Contain("does not compile against the SW5 headers"));
        return error;
    }

    /// <summary>The error's message with gcc's typographic quotes (in a UTF-8 locale) as plain ones.</summary>
    private static string Plain(GccShimException error) => error.Message.Replace('\u2018', '\'').Replace('\u2019', '\'');

    /// <summary>Deletes the folder a failed check kept.</summary>
    private static void Discard(GccShimException error)
    {
        if (Directory.Exists(error.Directory))
        {
            Directory.Delete(error.Directory, recursive: true);
        }
    }
}
