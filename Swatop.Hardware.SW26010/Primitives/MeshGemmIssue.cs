using Swatop.Hardware.Sw26010.Timing;
using Swatop.Primitives;

namespace Swatop.Hardware.Sw26010.Primitives;

/// <summary>
/// The instructions one mesh GEMM call issues on each CPE, as the cycle model (<see cref="MeshGemmPrimitive.Cycles"/>)
/// charges them: the account the emitted primitive is held to. Every CPE issues the same over a call,
/// since each owns one SUMMA step's A broadcast (the step of its column) and one's B broadcast (its row's).
/// </summary>
/// <remarks>
/// Per register block (4 x 4 <c>doublev4</c> accumulators: 16 rows, 4 columns of C) and SUMMA step, the
/// 16 accumulators are loaded and stored once (<see cref="Sw26010Timing.GemmAccumulatorCycles"/>, one memory
/// issue a cycle); per reduction index of a block (a k step: 16 vector FMAs, 64 lane FMAs,
/// <see cref="Sw26010Timing.GemmInnerLoopCycles"/>) the step's owners load A's 4 vectors and B's 4 elements,
/// each splat across the lanes, and broadcast them, and the 7 other CPEs of each row and column receive
/// them. A float call also converts what the model's conversion term charges (<see cref="ConvertedElements"/>):
/// C widened before the steps and narrowed after them, a vector pass each, a load and a store per 4
/// elements; A and B are loaded as float vectors and widened in their registers, with no load or store
/// of their own.
/// </remarks>
/// <param name="BlockSteps">Register blocks times SUMMA steps.</param>
/// <param name="KSteps">Register blocks times reduction indices over the call: <see cref="BlockSteps"/> x K/8.</param>
/// <param name="ConvertedElements">Elements the model converts between float and double (0 for double).</param>
internal sealed record MeshGemmIssue(long BlockSteps, long KSteps, long ConvertedElements)
{
    /// <summary>Vector FMAs per k step of a register block: 4 vectors of A times 4 columns of B.</summary>
    public const int FmasPerKStep = 16;

    /// <summary>Accumulators of a register block, each loaded and stored once a SUMMA step.</summary>
    public const int Accumulators = 16;

    /// <summary>Vectors of A a k step broadcasts: 16 rows, 4 lanes each.</summary>
    public const int AVectorsPerKStep = 4;

    /// <summary>Splat elements of B a k step broadcasts: the block's 4 columns.</summary>
    public const int BSplatsPerKStep = 4;

    /// <summary>
    /// Integer instructions the emitted C's k loop adds to each 4 k steps of its unrolled part, beside their
    /// 64 vector FMAs and the owner's 64 loads and puts: the counter's update and branch (2), the addresses
    /// of A's 3 other columns (3) and the updates of A's pointer and B's four (5), all on the pipe the owner's
    /// loads and puts fill. An estimate from the C as written, for a compiler that does not software-pipeline
    /// the loop; the time model, calibrated on swDNN's hand-scheduled assembly, charges none of them.
    /// </summary>
    public const int LoopIntegerInstructionsPerUnrolledStep = 10;

    /// <summary>The k steps the emitted loop's unrolled part runs together.</summary>
    public const int Unroll = 4;

    /// <summary>Integer instructions of each of the last <c>K/8 % 4</c> k steps, run one at a time: the counter's update and branch (2) and the 5 pointer updates.</summary>
    public const int LoopIntegerInstructionsPerRemainderStep = 7;

    /// <summary>Integer instructions the k loops of a call add on each CPE (<see cref="LoopIntegerInstructionsPerUnrolledStep"/>, <see cref="LoopIntegerInstructionsPerRemainderStep"/>).</summary>
    public long LoopIntegerInstructions
    {
        get
        {
            var k = BlockSteps == 0 ? 0 : KSteps / BlockSteps;
            return BlockSteps * ((k / Unroll * LoopIntegerInstructionsPerUnrolledStep) + (k % Unroll * LoopIntegerInstructionsPerRemainderStep));
        }
    }

    /// <summary>The account of one call of shape (<paramref name="m"/>, <paramref name="n"/>, <paramref name="k"/>) over the whole mesh.</summary>
    public static MeshGemmIssue For(int m, int n, int k, ElementType elementType)
    {
        var mesh = MeshGemmRules.MeshSize;
        long mb = m / mesh, nb = n / mesh, kb = k / mesh;
        var blocks = ((mb + MeshGemmRules.PerCpeMQuantum - 1) / MeshGemmRules.PerCpeMQuantum) * ((nb + MeshGemmRules.PerCpeNQuantum - 1) / MeshGemmRules.PerCpeNQuantum);
        var converted = elementType == ElementType.Float32 ? 2 * mb * nb : 0;
        return new MeshGemmIssue(mesh * blocks, mesh * blocks * kb, converted);
    }

    /// <summary>
    /// How much longer than <paramref name="modelledCycles"/> (the call's cycles under the time model) the
    /// emitted C's call may take: its <see cref="LoopIntegerInstructions"/>, a cycle each, on the step
    /// owners that pace their row and column, as a fraction of the modelled cycles.
    /// </summary>
    public double LoopSlowdown(double modelledCycles) => modelledCycles > 0 ? LoopIntegerInstructions / modelledCycles : 0;

    /// <summary>Vector FMAs (4 lanes each).</summary>
    public long Fmas => FmasPerKStep * KSteps;

    /// <summary>Vector loads and splat loads: the accumulators, the owned steps' A vectors and B elements, and the conversion passes' loads.</summary>
    public long Loads => (Accumulators * BlockSteps) + OwnedOperands + ConversionVectors;

    /// <summary>Vector stores: the accumulators and the conversion passes' stores.</summary>
    public long Stores => (Accumulators * BlockSteps) + ConversionVectors;

    /// <summary>B's elements loaded into every lane (<c>simd_loade</c>): a k step's 4 in the step the CPE owns, of the 8.</summary>
    public long Splats => BSplatsPerKStep * KSteps / MeshGemmRules.MeshSize;

    /// <summary>Adds the call's SIMD instructions to a CPE's tallies: <see cref="Loads"/> less the <see cref="Splats"/> as whole vectors, the splats, the stores and the FMAs.</summary>
    public void Count(Emulation.ActivityCounters counters)
    {
        ArgumentNullException.ThrowIfNull(counters);
        counters.SimdLoads += Loads - Splats;
        counters.SimdSplats += Splats;
        counters.SimdStores += Stores;
        counters.SimdFmas += Fmas;
    }

    /// <summary>Registers broadcast: the A vectors and B splats of the CPE's two owned steps.</summary>
    public long Broadcasts => OwnedOperands;

    /// <summary>Registers received: the other seven steps' A vectors along the row and B splats down the column.</summary>
    public long Receives => (MeshGemmRules.MeshSize - 1) * OwnedOperands;

    /// <summary>The CPE's own A vectors and B elements over the call: a k step's 8 in each of the two steps it owns, of the 8.</summary>
    private long OwnedOperands => (AVectorsPerKStep + BSplatsPerKStep) * KSteps / MeshGemmRules.MeshSize;

    /// <summary>Vectors of the conversion passes, 4 elements each.</summary>
    private long ConversionVectors => (ConvertedElements + MeshGemmRules.VectorLanes - 1) / MeshGemmRules.VectorLanes;

    /// <summary>The accounts of two calls together.</summary>
    public static MeshGemmIssue operator +(MeshGemmIssue left, MeshGemmIssue right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return new(left.BlockSteps + right.BlockSteps, left.KSteps + right.KSteps, left.ConvertedElements + right.ConvertedElements);
    }

    /// <summary>The accounts of two calls together (the named form of <c>+</c>).</summary>
    public static MeshGemmIssue Add(MeshGemmIssue left, MeshGemmIssue right) => left + right;
}
