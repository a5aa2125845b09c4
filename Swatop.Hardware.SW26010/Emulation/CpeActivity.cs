namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>
/// What a CPE did during one run: the operations it issued and the bytes, registers and flops they
/// moved. Later work prices each of these; the code generator's checks compare them with what
/// emitted C does.
/// </summary>
public sealed record CpeActivity
{
    /// <summary>No activity.</summary>
    public static CpeActivity None { get; } = new();

    /// <summary>DMA gets issued.</summary>
    public long DmaGets { get; init; }

    /// <summary>DMA puts issued.</summary>
    public long DmaPuts { get; init; }

    /// <summary>Bytes moved from main memory to LDM.</summary>
    public long DmaGetBytes { get; init; }

    /// <summary>Bytes moved from LDM to main memory.</summary>
    public long DmaPutBytes { get; init; }

    /// <summary>Contiguous blocks the DMA transfers were made of.</summary>
    public long DmaBlocks { get; init; }

    /// <summary><c>dma_wait</c> calls.</summary>
    public long DmaWaits { get; init; }

    /// <summary>256-bit registers sent by register communication (a broadcast counts once).</summary>
    public long RlcPuts { get; init; }

    /// <summary>256-bit registers received by register communication.</summary>
    public long RlcGets { get; init; }

    /// <summary>Mesh GEMM calls.</summary>
    public long MeshGemmCalls { get; init; }

    /// <summary>Floating-point operations of the primitives (a fused multiply-add counts two).</summary>
    public long Flops { get; init; }

    /// <summary>Elements written by fill.</summary>
    public long FillElements { get; init; }

    /// <summary>Elements converted between float and double.</summary>
    public long ConvertElements { get; init; }

    /// <summary>Elements moved by the LDM strided copy.</summary>
    public long CopyElements { get; init; }

    /// <summary>Elements moved by the LDM transpose.</summary>
    public long TransposeElements { get; init; }

    /// <summary><c>athread_syn</c> barriers passed.</summary>
    public long Synchronizations { get; init; }

    /// <summary>Aligned vector loads of the primitives' C (<c>simd_load</c>) as the time model charges them.</summary>
    public long SimdLoads { get; init; }

    /// <summary>Vector loads off a vector boundary (<c>simd_loadu</c>) as the time model charges them.</summary>
    public long SimdUnalignedLoads { get; init; }

    /// <summary>Loads of one element into every lane (<c>simd_loade</c>) as the time model charges them.</summary>
    public long SimdSplats { get; init; }

    /// <summary>Vectors set lane by lane from scalar loads (<c>simd_set_doublev4</c>) as the time model charges them.</summary>
    public long SimdGathers { get; init; }

    /// <summary>Vector stores (<c>simd_store</c>) as the time model charges them.</summary>
    public long SimdStores { get; init; }

    /// <summary>Vector fused multiply-adds (<c>simd_vmad</c>) as the time model charges them.</summary>
    public long SimdFmas { get; init; }

    /// <summary>Other vector arithmetic (add, multiply, compare, select) as the time model charges it.</summary>
    public long SimdArithmetic { get; init; }

    /// <summary>The sum of two activities.</summary>
    public static CpeActivity operator +(CpeActivity left, CpeActivity right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return new CpeActivity
        {
            DmaGets = left.DmaGets + right.DmaGets,
            DmaPuts = left.DmaPuts + right.DmaPuts,
            DmaGetBytes = left.DmaGetBytes + right.DmaGetBytes,
            DmaPutBytes = left.DmaPutBytes + right.DmaPutBytes,
            DmaBlocks = left.DmaBlocks + right.DmaBlocks,
            DmaWaits = left.DmaWaits + right.DmaWaits,
            RlcPuts = left.RlcPuts + right.RlcPuts,
            RlcGets = left.RlcGets + right.RlcGets,
            MeshGemmCalls = left.MeshGemmCalls + right.MeshGemmCalls,
            Flops = left.Flops + right.Flops,
            FillElements = left.FillElements + right.FillElements,
            ConvertElements = left.ConvertElements + right.ConvertElements,
            CopyElements = left.CopyElements + right.CopyElements,
            TransposeElements = left.TransposeElements + right.TransposeElements,
            Synchronizations = left.Synchronizations + right.Synchronizations,
            SimdLoads = left.SimdLoads + right.SimdLoads,
            SimdUnalignedLoads = left.SimdUnalignedLoads + right.SimdUnalignedLoads,
            SimdSplats = left.SimdSplats + right.SimdSplats,
            SimdGathers = left.SimdGathers + right.SimdGathers,
            SimdStores = left.SimdStores + right.SimdStores,
            SimdFmas = left.SimdFmas + right.SimdFmas,
            SimdArithmetic = left.SimdArithmetic + right.SimdArithmetic,
        };
    }

    /// <summary>The sum of two activities (named alternative of <c>+</c>).</summary>
    public static CpeActivity Add(CpeActivity left, CpeActivity right) => left + right;

    /// <summary>The sum of many activities.</summary>
    public static CpeActivity Sum(IEnumerable<CpeActivity> activities) => activities.Aggregate(None, (sum, a) => sum + a);
}
