using Swatop.Core.Ir;
using Swatop.Hardware.Sw26010.Emit;
using Swatop.Hardware.Sw26010.Emit.Verification;
using Swatop.Primitives;
using Swatop.Tests.Execution;

namespace Swatop.Tests.Emit;

/// <summary>
/// The element-wise statement in emitted C: an epilogue kernel written as IR, printed by the C
/// emitter and built with gcc against the athread shim, writes the emulator's output bit for bit
/// with the emulator's per-CPE counts, cleanly under the sanitizers; the C spells each operand kind as
/// its description says; and a scalar without a C literal is diagnostic SWC0003.
/// </summary>
public sealed class EmittedElementwiseTests
{
    [TestCase(ElementType.Float64, 1)]
    [TestCase(ElementType.Float32, 2)]
    public void The_emitted_C_matches_the_emulator_bit_for_bit_with_the_same_counts(ElementType type, int seed) => Check(type, seed, GccShimOptions.Default);

    [Test]
    public void The_emitted_C_is_clean_under_the_sanitizers() => Check(ElementType.Float64, 3, GccShimOptions.Default with { Sanitize = true });

    [Test]
    public void The_CPE_file_spells_each_operand_kind()
    {
        var text = CpeFilePrinter.Print(ElementwiseIrKernels.Kernel(ElementType.Float32), tiles: null, "/* */");
        Assert.That(text, Does.Contain("swatop_eltwise_add_f(c, 64, 8, swatop_per_row_f(v));")
            .And.Contain("swatop_eltwise_add_f(c, 64, 64, swatop_span_f(r, 64));")
            .And.Contain("swatop_eltwise_clamp_f(c, 64, 64, swatop_scalar_f(-0.75), swatop_scalar_f(6.0));")
            .And.Contain("swatop_eltwise_mul_f(c, 64, 64, swatop_scalar_f(0.1));")
            .And.Contain("swatop_eltwise_add_f(c, 64, 8, swatop_per_column_f(v));")
            .And.Contain("swatop_eltwise_max_f(c + 32, 32, 32, swatop_scalar_f(0.0));"));
    }

    [TestCase(double.NaN, "NaN")]
    [TestCase(double.NegativeInfinity, "-Infinity")]
    public void SWC0003_a_scalar_with_no_C_literal_is_named(double value, string printed)
    {
        var kernel = IrParser.ParseKernel("kernel k float64\nbuffer c[8]\nbody {\n}\n");
        kernel = kernel with { Body = new Elementwise(new LdmRef("c", 0, 8), ElementwiseOp.Multiply, [ElementwiseOperand.Scalar(value)]) };
        var error = Assert.Throws<EmitException>(() => CpeFilePrinter.Print(kernel, tiles: null, "/* */"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.Id, Is.EqualTo(EmitDiagnostics.UnprintableValue));
            Assert.That(error.Message, Does.Contain($"the operand value {printed} has no C literal").And.Contain($"eltwise c[0 +: 8] mul {printed}"));
        }
    }

    private static void Check(ElementType type, int seed, GccShimOptions options)
    {
        var kernel = ElementwiseIrKernels.Kernel(type);
        var (x, residual, bias) = ElementwiseIrKernels.Operands(seed);
        using var build = IrKernelHostBuild.Build(kernel, options);
        IrKernelHostBuild.WriteInput(build, kernel, "x", x);
        IrKernelHostBuild.WriteInput(build, kernel, "res", residual);
        IrKernelHostBuild.WriteInput(build, kernel, "bias", bias);
        var run = build.Run();
        var (emulated, report) = ElementwiseIrKernels.Emulate(type, x, residual, bias);
        build.CompareBits("y from the emitted C against the emulator", emulated, IrKernelHostBuild.ReadOutput(build, kernel, "y"));
        build.CompareCounts(run, report.Cpes);
        Assert.That(run.Counts.Select(c => c.Activity.Flops), Has.All.EqualTo((6 * 64) + 32));
    }
}
