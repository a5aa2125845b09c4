using System.Globalization;

namespace Swatop.Hardware.Sw26010.Timing;

/// <summary>
/// The time model's constants, in CPE cycles unless named otherwise. Each states its source: the
/// reference page (swDNN, swGEMM, Lin et al. 2018), a fit to the measured swDNN convolution runs of
/// <c>data/swdnn-conv-calibration.csv</c> (and to nothing else), or a stated assumption.
/// </summary>
public sealed record Sw26010Timing
{
    /// <summary>The SW26010's constants.</summary>
    public static Sw26010Timing Default { get; } = new();

    /// <summary>The memory controller's DMA model, built from the measured bandwidth tables.</summary>
    public DmaTimingModel Dma { get; init; } = DmaTimingModel.Default;

    /// <summary>CPE cycles to issue a DMA descriptor. Assumption: a handful of stores to the descriptor and the issue, about 8.</summary>
    public double DmaIssueCycles { get; init; } = 8;

    /// <summary>Cycles a sent register spends between two CPEs of a row or column. Assumption: no figure was found; 10.</summary>
    public double RlcHopCycles { get; init; } = 10;

    /// <summary>Cycles of a register put on the sender (one P1 issue; Lin et al. 2018).</summary>
    public double RlcPutCycles { get; init; } = 1;

    /// <summary>Cycles of a register get once the data is there (Lin et al. 2018: a receive can take 1 cycle).</summary>
    public double RlcGetCycles { get; init; } = 1;

    /// <summary>Cycles an <c>athread_syn</c> barrier adds after its last arrival. Assumption: a row or column round trip of the sync network, about 40.</summary>
    public double SyncCycles { get; init; } = 40;

    /// <summary>Cycles of one k step of the 4 x 4 register-blocked GEMM kernel: 16 <c>vmad</c> in a 16-cycle software pipeline (the reference page).</summary>
    public double GemmInnerLoopCycles { get; init; } = 16;

    /// <summary>Cycles to load and store the 16 accumulators of a 4 x 4 register block, once per SUMMA step (16 loads + 16 stores on P1; the reference page).</summary>
    public double GemmAccumulatorCycles { get; init; } = 32;

    /// <summary>
    /// Further cycles per 4 x 4 register block and SUMMA step: the software pipeline's fill and
    /// drain, the loop overhead and the register-communication stalls at block boundaries.
    /// Fitted to the swDNN calibration runs: over 60 to 180 with the step and call overheads below,
    /// every value up to 120 puts all 64 rows within 20%; 100 leaves the mean simulated / measured
    /// ratio at 1.03 with a Spearman correlation of 0.90 (see docs/performance.md).
    /// </summary>
    public double GemmBlockOverheadCycles { get; init; } = 100;

    /// <summary>Cycles per SUMMA step beyond its blocks: the step's loop setup and synchronisation (the broadcast's first hop is <see cref="RlcHopCycles"/>). Fitted with <see cref="GemmBlockOverheadCycles"/>; the rows barely constrain it.</summary>
    public double GemmStepOverheadCycles { get; init; } = 40;

    /// <summary>Cycles per mesh GEMM call: the call and its argument setup. Fitted with <see cref="GemmBlockOverheadCycles"/>; the rows barely constrain it.</summary>
    public double GemmCallOverheadCycles { get; init; } = 100;

    /// <summary>Cycles per element to convert between float and double (a load, a convert and a store, pipelined). Assumption: 1. The float mesh GEMM pays it for its C block, widened and narrowed once a call; its A and B vectors widen in their registers at no cost.</summary>
    public double ConvertCyclesPerElement { get; init; } = 1;

    /// <summary>Cycles per vector of a fill (one <c>simd_store</c> on P1).</summary>
    public double FillCyclesPerVector { get; init; } = 1;

    /// <summary>Cycles per vector of the LDM strided copy (a load and a store, both on P1).</summary>
    public double CopyCyclesPerVector { get; init; } = 2;

    /// <summary>
    /// Cycles per 4 x 4 block of the LDM transpose (16 elements: four vector loads, eight shuffles, four
    /// vector stores, the in-register transpose of a 256-bit vector's lanes). Assumption: no figure was
    /// found; 16, one instruction a cycle. The loads and stores issue on P1 (8 cycles) and the shuffles on
    /// P0, but within a block every shuffle waits for its loads and every store for its shuffles, so we
    /// do not count on the two pipelines overlapping: a software-pipelined kernel could approach 8.
    /// </summary>
    public double TransposeCyclesPerBlock { get; init; } = 16;

    /// <summary>Cycles to set up a fill, convert, copy or transpose loop, and per block of a copy. Assumption: 8.</summary>
    public double LoopSetupCycles { get; init; } = 8;

    /// <summary>MPE cycles of an <c>athread_spawn</c>. Assumption: no public figure; about 10 microseconds (14,500 cycles).</summary>
    public double SpawnCycles { get; init; } = 14_500;

    /// <summary>MPE cycles of an <c>athread_join</c> after the last CPE finished. Assumption: about 2 microseconds.</summary>
    public double JoinCycles { get; init; } = 2_900;

    /// <summary>Bytes a host-side step on the MPE moves per cycle. Assumption: one core streaming about 8 GB/s, 5.5 bytes a cycle.</summary>
    public double MpeBytesPerCycle { get; init; } = 5.5;

    /// <summary>Flops a host-side step on the MPE retires per cycle. Assumption: a quarter of its 16-flop peak, 4.</summary>
    public double MpeFlopsPerCycle { get; init; } = 4;

    /// <summary>Checks every constant is finite and not negative (the per-unit rates positive).</summary>
    /// <exception cref="ArgumentException">A constant is out of range; the message names it.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Dma);
        Dma.Validate();
        foreach (var (name, value, positive) in new (string, double, bool)[]
        {
            (nameof(DmaIssueCycles), DmaIssueCycles, false), (nameof(RlcHopCycles), RlcHopCycles, false),
            (nameof(RlcPutCycles), RlcPutCycles, false), (nameof(RlcGetCycles), RlcGetCycles, false),
            (nameof(SyncCycles), SyncCycles, false), (nameof(GemmInnerLoopCycles), GemmInnerLoopCycles, true),
            (nameof(GemmAccumulatorCycles), GemmAccumulatorCycles, false), (nameof(GemmBlockOverheadCycles), GemmBlockOverheadCycles, false),
            (nameof(GemmStepOverheadCycles), GemmStepOverheadCycles, false), (nameof(GemmCallOverheadCycles), GemmCallOverheadCycles, false),
            (nameof(ConvertCyclesPerElement), ConvertCyclesPerElement, false), (nameof(FillCyclesPerVector), FillCyclesPerVector, false),
            (nameof(CopyCyclesPerVector), CopyCyclesPerVector, false), (nameof(TransposeCyclesPerBlock), TransposeCyclesPerBlock, false),
            (nameof(LoopSetupCycles), LoopSetupCycles, false),
            (nameof(SpawnCycles), SpawnCycles, false), (nameof(JoinCycles), JoinCycles, false),
            (nameof(MpeBytesPerCycle), MpeBytesPerCycle, true), (nameof(MpeFlopsPerCycle), MpeFlopsPerCycle, true),
        })
        {
            if (!double.IsFinite(value) || value < 0 || (positive && value == 0))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"Sw26010Timing.{name} = {value} must be finite and {(positive ? "positive" : "not negative")}."), name);
            }
        }
    }
}
