using Swatop.Core.Ir;
using Swatop.Hardware.Sw26010.Emit;
using Swatop.Hardware.Sw26010.Emit.Verification;
using Swatop.Primitives;
using Swatop.Tests.Execution;

namespace Swatop.Tests.Emit;

/// <summary>
/// The transpose statement in emitted C: the layout-step kernel written as IR, printed by the C emitter
/// and built with gcc against the athread shim, writes the emulator's output bit for bit with the
/// emulator's per-CPE counts, cleanly under the sanitizers; and the CPE file spells the call as the
/// primitive's description says, source first.
/// </summary>
public sealed class EmittedTransposeTests
{
    [TestCase(ElementType.Float64, 1)]
    [TestCase(ElementType.Float32, 2)]
    public void The_emitted_C_matches_the_emulator_bit_for_bit_with_the_same_counts(ElementType type, int seed) => Check(type, seed, GccShimOptions.Default);

    [Test]
    public void The_emitted_C_is_clean_under_the_sanitizers() => Check(ElementType.Float64, 3, GccShimOptions.Default with { Sanitize = true });

    [Test]
    public void The_CPE_file_spells_the_call()
    {
        var text = CpeFilePrinter.Print(TransposeIrKernels.Kernel(ElementType.Float32), tiles: null, "/* */");
        Assert.That(text, Does.Contain("swatop_transpose_f(a, b, 12, 10);"));
    }

    [Test]
    public void Offsets_halves_and_shapes_that_vary_are_spelled_as_C()
    {
        var kernel = IrParser.ParseKernel("""
            kernel k float64
            buffer a[64] x2
            buffer b[64]
            body {
              for n < 4 {
                transpose b[n * 16 +: 16] <- a.next[0 +: 16] rows n + 1 cols 16 / (n + 1)
              }
            }
            """);
        Assert.That(CpeFilePrinter.Print(kernel, tiles: null, "/* */"), Does.Contain("swatop_transpose_d(a_next, b + (n * 16), n + 1, swatop_div(16, n + 1));"));
    }

    private static void Check(ElementType type, int seed, GccShimOptions options)
    {
        var kernel = TransposeIrKernels.Kernel(type);
        var x = TransposeIrKernels.Input(seed);
        using var build = IrKernelHostBuild.Build(kernel, options);
        IrKernelHostBuild.WriteInput(build, kernel, "x", x);
        var run = build.Run();
        var (emulated, report) = TransposeIrKernels.Emulate(type, x);
        build.CompareBits("y from the emitted C against the emulator", emulated, IrKernelHostBuild.ReadOutput(build, kernel, "y"));
        build.CompareCounts(run, report.Cpes);
        Assert.That(run.Counts.Select(c => c.Activity.TransposeElements), Has.All.EqualTo(TransposeIrKernels.TileElements));
    }
}
