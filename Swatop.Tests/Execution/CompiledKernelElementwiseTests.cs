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
/// The element-wise statement on the emulator: an epilogue kernel computes what the reference
/// semantics compute, bit for bit, in both element types and host modes; each call spends the cycles
/// of its description and counts its flops; and misuse is refused with its rule.
/// </summary>
public sealed class CompiledKernelElementwiseTests
{
    private static readonly Sw26010Timing Timing = Sw26010Timing.Default;

    [TestCase(1)]
    [TestCase(2)]
    public void A_double_epilogue_matches_the_reference_bit_for_bit(int seed)
    {
        var (x, residual, bias) = ElementwiseIrKernels.Operands(seed);
        foreach (var options in Modes)
        {
            var (y, _) = ElementwiseIrKernels.Emulate(ElementType.Float64, x, residual, bias, options);
            Assert.That(PrimitiveKernels.Bits.Of(y), Is.EqualTo(PrimitiveKernels.Bits.Of(ElementwiseIrKernels.Expected<double>(x, residual, bias))).AsCollection);
        }
    }

    [Test]
    public void A_float_epilogue_matches_the_reference_bit_for_bit()
    {
        var (x, residual, bias) = ElementwiseIrKernels.Operands(7);
        var (y, _) = ElementwiseIrKernels.Emulate(ElementType.Float32, x, residual, bias);
        var expected = ElementwiseIrKernels.Expected<float>(x, residual, bias);
        Assert.That(PrimitiveKernels.Bits.Of(y.Select(v => (float)v).ToArray()), Is.EqualTo(PrimitiveKernels.Bits.Of(expected)).AsCollection);
    }

    [Test]
    public void Every_CPE_counts_the_flops_of_its_calls()
    {
        var (x, residual, bias) = ElementwiseIrKernels.Operands(3);
        var (_, report) = ElementwiseIrKernels.Emulate(ElementType.Float64, x, residual, bias);
        // Five calls on 64 elements, a clamp among them counting twice, and a ReLU on 32.
        Assert.That(report.Cpes.Select(c => c.Flops), Has.All.EqualTo((6 * 64) + 32));
    }

    [Test]
    public void A_timing_only_run_reports_the_same_cycles()
    {
        var (x, residual, bias) = ElementwiseIrKernels.Operands(4);
        var (_, full) = ElementwiseIrKernels.Emulate(ElementType.Float64, x, residual, bias);
        var (_, timed) = ElementwiseIrKernels.Emulate(ElementType.Float64, x, residual, bias, EmulatorOptions.Sequential with { TimingOnly = true });
        Assert.That(timed.Profile.Cpes, Is.EqualTo(full.Profile.Cpes));
    }

    [TestCase(ElementwiseOperandKind.Span, 64, 8)]
    [TestCase(ElementwiseOperandKind.PerRow, 6, 6)]
    [TestCase(ElementwiseOperandKind.PerColumn, 6, 10)]
    [TestCase(ElementwiseOperandKind.Scalar, 0, 60)]
    public void A_call_spends_the_cycles_of_its_description(ElementwiseOperandKind kind, int length, int rows)
    {
        var count = kind == ElementwiseOperandKind.Span ? length : 60;
        var report = Group().Run(On(0, 0, cpe =>
        {
            var t = cpe.Ldm.Allocate("t", ElementType.Float64, count);
            var o = cpe.Ldm.Allocate("o", ElementType.Float64, Math.Max(length, 1));
            var operand = kind == ElementwiseOperandKind.Scalar ? ElementwiseSource.Scalar(2) : new ElementwiseSource(kind, o.Slice(0, length), 0);
            cpe.Elementwise(ElementwiseOp.Add, t.All, operand);
        }));
        var expected = ElementwisePrimitive.Cycles(Timing, Sw26010Spec.Default.SimdLanes, ElementwiseOp.Add, count, rows, [kind]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Profile.Cpes[0].ComputeCycles, Is.EqualTo(expected));
            Assert.That(report.Cpes[0].Flops, Is.EqualTo(count));
        }
    }

    [Test]
    public void The_cycle_model_is_the_busier_pipe_of_what_the_C_issues()
    {
        // 60 elements in 6 rows: 10 columns of 6, a column at element 6j: an even one is a vector and a tail of 2, an
        // odd one a head of 2 and a vector. A per-row operand at p + head is on a vector boundary in even columns only.
        var perRow = ElementwisePrimitive.Issue(ElementwiseOp.Add, 4, 60, 6, 0, [ElementwiseOperandKind.PerRow], [0]);
        // A per-column value and a scalar are splat once a column; 20 elements one at a time, each loading the target and the per-column value and storing.
        var perColumn = ElementwisePrimitive.Issue(ElementwiseOp.Add, 4, 60, 6, 0, [ElementwiseOperandKind.PerColumn, ElementwiseOperandKind.Scalar], [0, 0]);
        // Spans and scalars only: the block is one run of 15 vectors; a clamp is a compare and a select twice a vector, so P0 is the busier pipe.
        var clamp = ElementwisePrimitive.Issue(ElementwiseOp.Clamp, 4, 60, 6, 0, [ElementwiseOperandKind.Scalar, ElementwiseOperandKind.Scalar], [0, 0]);
        var span = ElementwisePrimitive.Issue(ElementwiseOp.Add, 4, 60, 6, 1, [ElementwiseOperandKind.Span], [2]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(perRow, Is.EqualTo(new VectorIssue(Loads: 15, UnalignedLoads: 5, Splats: 0, Gathers: 0, Stores: 10, Fmas: 0, Arithmetic: 10, ScalarIssues: 60, ScalarOperations: 20)));
            Assert.That(perRow.Cycles(Timing, 4), Is.EqualTo(Timing.LoopSetupCycles + (90 * Timing.FillCyclesPerVector)));
            Assert.That(perColumn, Is.EqualTo(new VectorIssue(10, 0, 20, 0, 10, 0, 10, 60, 20)));
            Assert.That(clamp, Is.EqualTo(new VectorIssue(15, 0, 2, 0, 15, 0, 60, 0, 0)));
            Assert.That(clamp.Cycles(Timing, 4), Is.EqualTo(Timing.LoopSetupCycles + (60 * Timing.FillCyclesPerVector)));
            // The target at element 1: a head of 3, 14 vectors, a tail of 1; the span at 2 + 3 is off a boundary.
            Assert.That(span, Is.EqualTo(new VectorIssue(14, 14, 0, 0, 14, 0, 14, 12, 4)));
        }
    }

    [Test]
    public void An_operand_that_overlaps_the_target_at_run_time_is_misuse()
    {
        // The offset is a let the verifier cannot see through here; the emulator checks the spans.
        var kernel = IrParser.ParseKernel("""
            kernel k float64
            buffer c[64]
            body {
              let o = row * 0 + 16 {
                eltwise c[0 +: 32] add c[o +: 32]
              }
            }
            """);
        var e = Assert.Throws<EmulatorException>(() => Group().Run(CompiledKernel.Compile(kernel).Program(new Dictionary<string, GlobalBuffer>())));
        Assert.That(e!.Id, Is.EqualTo(EmulatorDiagnostics.PrimitiveMisuse));
        Assert.That(e.Message, Does.Contain("overlaps the target"));
    }

    [Test]
    public void A_shape_that_breaks_the_rules_at_run_time_is_misuse()
    {
        var kernel = IrParser.ParseKernel("""
            kernel k float64
            buffer c[64]
            buffer v[8]
            body {
              let n = row * 0 + 7 {
                eltwise c[0 +: 64] add v[0 +: n] per row
              }
            }
            """);
        var e = Assert.Throws<EmulatorException>(() => Group().Run(CompiledKernel.Compile(kernel).Program(new Dictionary<string, GlobalBuffer>())));
        Assert.That(e!.Message, Does.Contain("a per-row vector of 7 elements must have a positive length that divides the target's 64"));
    }

    [Test]
    public void SWX0012_the_wrong_number_of_operands_is_refused_when_compiling()
    {
        var kernel = IrParser.ParseKernel("kernel k float64\nbuffer c[64]\nbody {\n  eltwise c[0 +: 64] clamp 0\n}\n");
        var e = Assert.Throws<ExecutionException>(() => CompiledKernel.Compile(kernel));
        Assert.That(e!.Id, Is.EqualTo(ExecutionDiagnostics.InvalidOperands));
        Assert.That(e.Message, Does.Contain("clamp takes 2 operands"));
    }
}
