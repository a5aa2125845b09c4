using Swatop.Core;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Ir;
using Swatop.Core.Lowering;
using Swatop.Core.Scheduling;
using Swatop.Hardware.Sw26010.Target;

namespace Swatop.Tests.Lowering;

/// <summary>The whole lowered kernel of one small GEMM under a fixed schedule, as text: a change in lowering is a reviewed change of this text.</summary>
public sealed class GemmLoweringGoldenTests
{
    /// <summary>
    /// C = A B with M = 256 (two full tiles of 128, one per core group of two), N = 40 (a tile of 32 and a border tile of 8,
    /// padded to 32 for the GEMM call), K = 16 (two tiles of 8). N outermost; A's DMA inside the K loop, double-buffered;
    /// B's before it, holding both K tiles.
    /// </summary>
    internal static readonly ImplicitGemmSchedule Schedule = new()
    {
        Mapping = new GemmMapping("m", "n", "k"),
        TileM = 128, TileN = 32, TileK = 8,
        IndexOrder = ["n", "m"],
        ReductionOrder = ["k"],
        Operands = [new(OperandRole.A, "k_t", DoubleBuffer: true), new(OperandRole.B), new(OperandRole.Output)],
        CoreGroups = 2, SplitAxis = "m",
    };

    private const string Expected = """
        kernel gemm float64
        tensor A[4096] in
        tensor B[640] in
        tensor C[10240] out
        buffer ldm_a[16] double
        buffer ldm_b[8]
        buffer ldm_c[64]
        buffer ldm_w[20]
        reply reply_a
        reply reply_b
        reply reply_c
        body {
          for n_t < 2 {
            for m_t_i < 1 {
              let m_t = cg + m_t_i {
                reset reply_b
                for k_t < 2 {
                  tile get ldm_b[k_t * 4 +: min(32, (40 - n_t * 32 + 31) / 32 * 32) / 8] B[k_t * 8 + row + (n_t * 32 + col * (min(32, (40 - n_t * 32 + 31) / 32 * 32) / 8)) * 16] rows 1 cols min(32, (40 - n_t * 32 + 31) / 32 * 32) / 8 valid 1, max(0, min(min(32, 40 - n_t * 32) - col * (min(32, (40 - n_t * 32 + 31) / 32 * 32) / 8), min(32, (40 - n_t * 32 + 31) / 32 * 32) / 8)) strides 1, 16 reply reply_b
                }
                wait reply_b
                fill ldm_c[0 +: 64] = 0
                for k_t < 2 {
                  reset reply_a
                  tile get ldm_a[0 +: 16] A[m_t * 128 + row * 16 + (k_t * 8 + col) * 256] rows 16 cols 1 valid 16, 1 strides 1, 256 reply reply_a
                  wait reply_a
                  gemm m=128 n=min(32, (40 - n_t * 32 + 31) / 32 * 32) k=8 a=ldm_a[0 +: 16] b=ldm_b[k_t * 4 +: min(32, (40 - n_t * 32 + 31) / 32 * 32) / 8] c=ldm_c[0 +: 16 * (min(32, (40 - n_t * 32 + 31) / 32 * 32) / 8)]
                }
                reset reply_c
                tile put ldm_c[0 +: 16 * (min(32, (40 - n_t * 32 + 31) / 32 * 32) / 8)] C[m_t * 128 + row * 16 + (n_t * 32 + col * (min(32, (40 - n_t * 32 + 31) / 32 * 32) / 8)) * 256] rows 16 cols min(32, (40 - n_t * 32 + 31) / 32 * 32) / 8 valid 16, max(0, min(min(32, 40 - n_t * 32) - col * (min(32, (40 - n_t * 32 + 31) / 32 * 32) / 8), min(32, (40 - n_t * 32 + 31) / 32 * 32) / 8)) strides 1, 256 reply reply_c
                wait reply_c
              }
            }
          }
        }
        """;

    [Test]
    public void Lowered_gemm_prints_as_the_golden_text()
    {
        var lowered = KernelLowering.Lower(Operator.Gemm(256, 40, 16), Schedule, Sw26010Target.Default.Limits);
        Assert.That(IrPrinter.Print(lowered.Kernel).ReplaceLineEndings("\n").TrimEnd('\n'), Is.EqualTo(Expected.ReplaceLineEndings("\n")));
    }

    [Test]
    public void Golden_text_is_well_formed_ir_that_prints_back_unchanged() =>
        Assert.That(IrPrinter.Print(IrParser.ParseKernel(Expected)).ReplaceLineEndings("\n").TrimEnd('\n'), Is.EqualTo(Expected.ReplaceLineEndings("\n")));

    [Test]
    public void Lowering_is_a_function_of_the_operator_and_schedule()
    {
        var first = KernelLowering.Lower(Operator.Gemm(256, 40, 16), Schedule, Sw26010Target.Default.Limits);
        var again = KernelLowering.Lower(Operator.Gemm(256, 40, 16), Core.Scheduling.Schedule.FromJson(Schedule.ToJson()), Sw26010Target.Default.Limits);
        Assert.That(IrPrinter.Print(again.Kernel), Is.EqualTo(IrPrinter.Print(first.Kernel)));
    }
}
