using System.Globalization;
using Swatop.Primitives;

namespace Swatop.Hardware.Sw26010.Kernels;

/// <summary>
/// swDNN's hand-written "batch-size-aware" implicit convolution (IPDPS 2017, algorithm 2 with its
/// DMA promoted to outer loops), the baseline the tuner has to beat: a valid, stride-1, double
/// convolution over the layouts of <see cref="SwDnnShape"/>, on 1 to 4 core groups, each computing
/// an equal share of the output rows.
/// </summary>
/// <remarks>
/// <para>
/// In a core group, CPE (r, c) holds a (B/8 x Ni/8) input block, a (Ni/8 x No/8) weight block for
/// each of the K kernel columns of one kernel row, and a (B/8 x No/8) output block for each of
/// <see cref="CoStride"/> output columns; input and weights are double-buffered, the output is not.
/// Every mesh GEMM multiplies one input column (M = B, K = Ni) by one kernel column's weights
/// (N = No) into one output column.
/// </para>
/// <para>
/// Loop nest on every CPE: for each band of CoStride output columns; for each output row: zero the
/// output blocks; for each kernel row kr: start the K gets of the next kernel row's weights; for
/// each of the band's CoStride + K - 1 input columns: start the get of the next input column, run
/// the mesh GEMM for each kernel column kc whose output column ci - kc lies in the band, wait for
/// the input; then wait for the weights. After the kernel rows, put the band's output columns back,
/// each put and waited in turn.
/// </para>
/// <para>
/// Double buffering, the choice made here: "next" means the following one in loop order across
/// kernel-row, output-row and band boundaries. Before the loops a prologue fetches the first kernel
/// row's weights and the first input column and waits for them; from then on every input column
/// and every kernel row's weights were prefetched during the previous input column or kernel row
/// (the next input column after a kernel row's last one is the first column of the band in the
/// following kernel row; the kernel row after the last one is kernel row 0 of the next output row
/// or band, fetched again as swDNN does). The very last input column and kernel row prefetch
/// nothing and skip their wait. The control flow depends only on the shape, never on data values.
/// </para>
/// <para>
/// Each output element is one chain of fused multiply-adds from zero over kr, then kc, then the
/// input channel, the order <see cref="SwDnnReferenceConvolution"/> computes: results are
/// bit-identical to it.
/// </para>
/// </remarks>
public sealed partial record SwDnnConvolution
{
    /// <summary>The batch must be a multiple of this: the mesh GEMM's whole-mesh M rule (swGEMM's 128).</summary>
    public const int BatchMultiple = 128;

    /// <summary>Input channels must be a multiple of this: the mesh GEMM's whole-mesh K rule.</summary>
    public const int InChannelMultiple = 8;

    /// <summary>Output channels must be a multiple of this: the mesh GEMM's whole-mesh N rule.</summary>
    public const int OutChannelMultiple = 32;

    private const int Mesh = MeshGemmRules.MeshSize;

    /// <summary>Describes the kernel for <paramref name="shape"/> on the first <paramref name="coreGroups"/> core groups of a chip like <paramref name="spec"/>.</summary>
    /// <param name="shape">The convolution.</param>
    /// <param name="coreGroups">Core groups that share the output rows, 1 to the spec's count (4 as swDNN ran).</param>
    /// <param name="spec">The chip; its LDM planning budget (55 KB) and CPE count set <see cref="CoStride"/>. The real chip by default.</param>
    /// <exception cref="ArgumentException">The shape breaks a rule of the kernel; the message names the parameter, its value and the rule.</exception>
    public SwDnnConvolution(SwDnnShape shape, int coreGroups = 4, Sw26010Spec? spec = null)
    {
        ArgumentNullException.ThrowIfNull(shape);
        Spec = spec ?? Sw26010Spec.Default;
        Spec.Validate();
        if (coreGroups < 1 || coreGroups > Spec.CoreGroups)
        {
            throw Rule(nameof(coreGroups), $"coreGroups = {coreGroups} must be between 1 and the chip's {Spec.CoreGroups} core groups.");
        }

        RequireMultiple(shape.Batch, BatchMultiple, "batch", "the mesh GEMM's M = B must be a multiple of 128");
        RequireMultiple(shape.InChannels, InChannelMultiple, "inChannels", "the mesh GEMM's K = Ni must be a multiple of 8");
        RequireMultiple(shape.OutChannels, OutChannelMultiple, "outChannels", "the mesh GEMM's N = No must be a multiple of 32");
        if (shape.OutHeight % coreGroups != 0)
        {
            throw Rule(nameof(coreGroups), $"the output rows Ro = inHeight - kernel + 1 = {shape.OutHeight} must divide evenly among coreGroups = {coreGroups}: the core groups split Ro in equal parts.");
        }

        Shape = shape;
        CoreGroups = coreGroups;
        LdmCoStride = BudgetCoStride(shape, Spec);
        if (LdmCoStride < 1)
        {
            throw Rule(nameof(shape), $"{shape} does not fit the LDM: CoStride = floor(({Spec.LdmPlanningBytes} * {Spec.CpesPerCoreGroup} / 8 - 2 Ni B - 2 Ni No K) / (No B)) - (K - 1) = {LdmCoStride}, but the kernel needs at least 1 output column in LDM; the shape is not supported.");
        }
    }

    /// <summary>The convolution.</summary>
    public SwDnnShape Shape { get; }

    /// <summary>Core groups that run it, each on its own share of the output rows.</summary>
    public int CoreGroups { get; }

    /// <summary>The chip the kernel is planned for.</summary>
    public Sw26010Spec Spec { get; }

    /// <summary>
    /// swDNN's formula for the output columns kept in LDM, uncapped:
    /// <c>floor((55*1024*64/8 - 2 Ni B - 2 Ni No K) / (No B)) - (K - 1)</c> with the spec's planning
    /// budget and CPE count. The measured runs' <c>co_stride</c> column reports this value.
    /// </summary>
    public long LdmCoStride { get; }

    /// <summary>Output columns kept in LDM and computed per band: <see cref="LdmCoStride"/> capped at Co.</summary>
    public int CoStride => (int)Math.Min(LdmCoStride, Shape.OutWidth);

    /// <summary>Bands of output columns: ceil(Co / CoStride); the last one is narrower when CoStride does not divide Co.</summary>
    public int Bands => (Shape.OutWidth + CoStride - 1) / CoStride;

    /// <summary>Output rows each core group computes: Ro / G.</summary>
    public int RowsPerCoreGroup => Shape.OutHeight / CoreGroups;

    /// <summary>Input rows each core group holds: Ro / G + K - 1.</summary>
    public int InputRowsPerCoreGroup => RowsPerCoreGroup + Shape.Kernel - 1;

    /// <summary>Flops of one spawn on all the core groups: the whole convolution, 2 B Ni No Ro Co K K.</summary>
    public long Flops => Shape.Flops;

    /// <summary>
    /// LDM bytes each CPE allocates: two input blocks, two kernel rows of weight blocks, CoStride
    /// output blocks. (The measured runs' <c>ldm_bytes_per_cpe</c> is the budget the CoStride formula
    /// fills, with CoStride + K - 1 output blocks; this is never more.)
    /// </summary>
    public int LdmBytesPerCpe => ((2 * InputBlock) + (2 * Shape.Kernel * WeightBlock) + (CoStride * OutputBlock)) * sizeof(double);

    /// <summary>Elements of a CPE's input block: B/8 x Ni/8.</summary>
    private int InputBlock => Shape.Batch / Mesh * (Shape.InChannels / Mesh);

    /// <summary>Elements of a CPE's weight block for one kernel column: Ni/8 x No/8.</summary>
    private int WeightBlock => Shape.InChannels / Mesh * (Shape.OutChannels / Mesh);

    /// <summary>Elements of a CPE's output block for one output column: B/8 x No/8.</summary>
    private int OutputBlock => Shape.Batch / Mesh * (Shape.OutChannels / Mesh);

    /// <summary>swDNN's CoStride formula for <paramref name="shape"/> on <paramref name="spec"/>, uncapped; it may be zero or negative.</summary>
    public static long BudgetCoStride(SwDnnShape shape, Sw26010Spec spec)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(spec);
        long b = shape.Batch, ni = shape.InChannels, no = shape.OutChannels, k = shape.Kernel;
        var budgetDoubles = (long)spec.LdmPlanningBytes * spec.CpesPerCoreGroup / sizeof(double);
        return FloorDivide(budgetDoubles - (2 * ni * b) - (2 * ni * no * k), no * b) - (k - 1);
    }

    private static long FloorDivide(long numerator, long denominator) =>
        numerator >= 0 ? numerator / denominator : -((-numerator + denominator - 1) / denominator);

    private static void RequireMultiple(int value, int multiple, string name, string reason)
    {
        if (value % multiple != 0)
        {
            throw Rule(name, $"{name} = {value} must be a multiple of {multiple}: {reason}.");
        }
    }

    private static ArgumentException Rule(string parameter, FormattableString message) =>
        new(message.ToString(CultureInfo.InvariantCulture), parameter);
}
