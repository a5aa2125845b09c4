using Swatop.Core.Ir;
using Swatop.Hardware.Sw26010;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Execution;
using Swatop.Hardware.Sw26010.Primitives;
using Swatop.Hardware.Sw26010.Timing;
using Swatop.Primitives;
using static Swatop.Tests.Emulator.EmulatorHarness;

namespace Swatop.Tests.Execution;

/// <summary>
/// The transpose statement on the emulator: a layout-step kernel (get a tile, transpose it, put it)
/// transposes a whole matrix bit for bit, in both element types and host modes; each call spends the
/// cycles of its description and counts its elements; and misuse is refused with its rule, when
/// compiling (SWX0013) or when running.
/// </summary>
public sealed class CompiledKernelTransposeTests
{
    private static readonly Sw26010Timing Timing = Sw26010Timing.Default;

    [TestCase(1)]
    [TestCase(2)]
    public void A_double_matrix_is_transposed_bit_for_bit(int seed)
    {
        var x = TransposeIrKernels.Input(seed);
        var expected = TransposeIrKernels.Expected(x);
        foreach (var options in Modes)
        {
            var (y, _) = TransposeIrKernels.Emulate(ElementType.Float64, x, options);
            Assert.That(PrimitiveKernels.Bits.Of(y), Is.EqualTo(PrimitiveKernels.Bits.Of(expected)).AsCollection);
        }
    }

    [Test]
    public void A_float_matrix_is_transposed_bit_for_bit()
    {
        var x = TransposeIrKernels.Input(7);
        var (y, _) = TransposeIrKernels.Emulate(ElementType.Float32, x);
        var expected = TransposeIrKernels.Expected(x.Select(v => (float)v).ToArray());
        Assert.That(PrimitiveKernels.Bits.Of(y.Select(v => (float)v).ToArray()), Is.EqualTo(PrimitiveKernels.Bits.Of(expected)).AsCollection);
    }

    [Test]
    public void Every_CPE_counts_the_elements_it_transposed()
    {
        var (_, report) = TransposeIrKernels.Emulate(ElementType.Float64, TransposeIrKernels.Input(3));
        Assert.That(report.Cpes.Select(c => c.TransposeElements), Has.All.EqualTo(TransposeIrKernels.TileElements));
    }

    [Test]
    public void A_timing_only_run_reports_the_same_cycles()
    {
        var x = TransposeIrKernels.Input(4);
        var (_, full) = TransposeIrKernels.Emulate(ElementType.Float64, x);
        var (_, timed) = TransposeIrKernels.Emulate(ElementType.Float64, x, EmulatorOptions.Sequential with { TimingOnly = true });
        Assert.That(timed.Profile.Cpes, Is.EqualTo(full.Profile.Cpes));
    }

    [TestCase(ElementType.Float64, 16, 32)]
    [TestCase(ElementType.Float32, 5, 7)]
    [TestCase(ElementType.Float64, 1, 1)]
    public void A_call_spends_the_cycles_of_its_description_and_transposes(ElementType type, int rows, int columns)
    {
        var values = RandomDoubles(rows + columns, rows * columns).Select(v => type == ElementType.Float32 ? (float)v : v).ToArray();
        double[] result = [];
        var report = Group().Run(On(0, 0, cpe =>
        {
            var source = cpe.Ldm.Allocate("s", type, rows * columns);
            var target = cpe.Ldm.Allocate("t", type, rows * columns);
            Write(cpe, source.All, values);
            cpe.Transpose(source.All, target.All, rows, columns);
            result = Read(cpe, target.All);
        }));
        var expected = new double[rows * columns];
        BlockTranspose.Reference<double>(values, expected, rows, columns);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result, Is.EqualTo(expected).AsCollection);
            Assert.That(report.Profile.Cpes[0].ComputeCycles, Is.EqualTo(TransposePrimitive.Cycles(Timing, Sw26010Spec.Default.SimdLanes, rows, columns)));
            Assert.That(report.Cpes[0].TransposeElements, Is.EqualTo(rows * columns));
        }
    }

    [Test]
    public void The_cycle_model_is_a_loop_setup_and_a_register_transpose_per_4_x_4_block()
    {
        using (Assert.EnterMultipleScope())
        {
            // 13 x 6: 4 x 2 blocks, the edge ones partly filled.
            Assert.That(TransposePrimitive.Cycles(Timing, 4, 13, 6), Is.EqualTo(Timing.LoopSetupCycles + (8 * Timing.TransposeCyclesPerBlock)));
            Assert.That(TransposePrimitive.Cycles(Timing, 4, 16, 32), Is.EqualTo(Timing.LoopSetupCycles + (32 * Timing.TransposeCyclesPerBlock)));
            Assert.That(Timing.TransposeCyclesPerBlock, Is.EqualTo(16));
        }
    }

    [Test]
    public void A_source_that_overlaps_the_target_at_run_time_is_misuse()
    {
        // The offset is a let the verifier cannot see through here; the emulator checks the spans.
        var kernel = IrParser.ParseKernel("""
            kernel k float64
            buffer c[64]
            body {
              let o = row * 0 + 16 {
                transpose c[0 +: 32] <- c[o +: 32] rows 4 cols 8
              }
            }
            """);
        var e = Assert.Throws<EmulatorException>(() => Group().Run(CompiledKernel.Compile(kernel).Program(new Dictionary<string, GlobalBuffer>())));
        Assert.That(e!.Id, Is.EqualTo(EmulatorDiagnostics.PrimitiveMisuse));
        Assert.That(e.Message, Does.Contain("must not overlap"));
    }

    [Test]
    public void A_shape_that_breaks_the_rules_at_run_time_is_misuse()
    {
        var kernel = IrParser.ParseKernel("""
            kernel k float64
            buffer a[64]
            buffer b[64]
            body {
              let n = row * 0 + 7 {
                transpose b[0 +: 64] <- a[0 +: 64] rows n cols 8
              }
            }
            """);
        var e = Assert.Throws<EmulatorException>(() => Group().Run(CompiledKernel.Compile(kernel).Program(new Dictionary<string, GlobalBuffer>())));
        Assert.That(e!.Id, Is.EqualTo(EmulatorDiagnostics.PrimitiveMisuse));
        Assert.That(e.Message, Does.Contain("the source holds 64 elements but a 7 x 8 block holds 56"));
    }

    [Test]
    public void A_call_on_spans_of_two_element_types_is_misuse()
    {
        var e = Assert.Throws<EmulatorException>(() => Group().Run(On(1, 2, cpe =>
            cpe.Transpose(cpe.Ldm.Allocate("s", ElementType.Float64, 16).All, cpe.Ldm.Allocate("t", ElementType.Float32, 16).All, 4, 4))));
        Assert.That(e!.Id, Is.EqualTo(EmulatorDiagnostics.PrimitiveMisuse));
        Assert.That(e.Message, Does.Contain(Name(1, 2)).And.Contain("of one type"));
    }

    [Test]
    public void SWX0013_a_constant_shape_that_breaks_the_rules_is_refused_when_compiling()
    {
        var kernel = IrParser.ParseKernel("kernel k float64\nbuffer a[64]\nbuffer b[64]\nbody {\n  transpose b[0 +: 64] <- a[0 +: 32] rows 8 cols 8\n}\n");
        var e = Assert.Throws<ExecutionException>(() => CompiledKernel.Compile(kernel));
        Assert.That(e!.Id, Is.EqualTo(ExecutionDiagnostics.TransposeShape));
        Assert.That(e.Message, Does.Contain("Kernel 'k', at `transpose b[0 +: 64] <- a[0 +: 32] rows 8 cols 8`").And.Contain("the source holds 32 elements but a 8 x 8 block holds 64"));
    }

    private static void Write(ICpe cpe, LdmSpan span, double[] values)
    {
        if (span.ElementType == ElementType.Float64)
        {
            values.CopyTo(cpe.Ldm.Doubles(span));
        }
        else
        {
            values.Select(v => (float)v).ToArray().CopyTo(cpe.Ldm.Floats(span));
        }
    }

    private static double[] Read(ICpe cpe, LdmSpan span) => span.ElementType == ElementType.Float64
        ? cpe.Ldm.Doubles(span).ToArray()
        : [.. cpe.Ldm.Floats(span).ToArray().Select(v => (double)v)];
}
