using Swatop.Hardware.Sw26010.Emulation;

namespace Swatop.Hardware.Sw26010.Primitives;

/// <summary>
/// The counts the emulator and the host shim both keep per CPE, in the order of the shim's CSV: the
/// one list that the shim's reader, the comparison of the two and the primitive descriptions name.
/// </summary>
internal static class ActivityColumns
{
    /// <summary>DMA gets issued.</summary>
    public static ActivityColumn DmaGets { get; } = new("dma_gets", nameof(CpeActivity.DmaGets), a => a.DmaGets, (a, v) => a with { DmaGets = v });

    /// <summary>DMA puts issued.</summary>
    public static ActivityColumn DmaPuts { get; } = new("dma_puts", nameof(CpeActivity.DmaPuts), a => a.DmaPuts, (a, v) => a with { DmaPuts = v });

    /// <summary>Bytes got.</summary>
    public static ActivityColumn DmaGetBytes { get; } = new("dma_get_bytes", nameof(CpeActivity.DmaGetBytes), a => a.DmaGetBytes, (a, v) => a with { DmaGetBytes = v });

    /// <summary>Bytes put.</summary>
    public static ActivityColumn DmaPutBytes { get; } = new("dma_put_bytes", nameof(CpeActivity.DmaPutBytes), a => a.DmaPutBytes, (a, v) => a with { DmaPutBytes = v });

    /// <summary>Contiguous blocks of the transfers.</summary>
    public static ActivityColumn DmaBlocks { get; } = new("dma_blocks", nameof(CpeActivity.DmaBlocks), a => a.DmaBlocks, (a, v) => a with { DmaBlocks = v });

    /// <summary><c>dma_wait</c> calls.</summary>
    public static ActivityColumn DmaWaits { get; } = new("dma_waits", nameof(CpeActivity.DmaWaits), a => a.DmaWaits, (a, v) => a with { DmaWaits = v });

    /// <summary>Registers sent.</summary>
    public static ActivityColumn RlcPuts { get; } = new("rlc_puts", nameof(CpeActivity.RlcPuts), a => a.RlcPuts, (a, v) => a with { RlcPuts = v });

    /// <summary>Registers received.</summary>
    public static ActivityColumn RlcGets { get; } = new("rlc_gets", nameof(CpeActivity.RlcGets), a => a.RlcGets, (a, v) => a with { RlcGets = v });

    /// <summary>Mesh GEMM calls.</summary>
    public static ActivityColumn MeshGemmCalls { get; } = new("mesh_gemm_calls", nameof(CpeActivity.MeshGemmCalls), a => a.MeshGemmCalls, (a, v) => a with { MeshGemmCalls = v });

    /// <summary>Floating-point operations of the primitives.</summary>
    public static ActivityColumn Flops { get; } = new("flops", nameof(CpeActivity.Flops), a => a.Flops, (a, v) => a with { Flops = v });

    /// <summary>Elements filled.</summary>
    public static ActivityColumn FillElements { get; } = new("fill_elements", nameof(CpeActivity.FillElements), a => a.FillElements, (a, v) => a with { FillElements = v });

    /// <summary>Elements converted.</summary>
    public static ActivityColumn ConvertElements { get; } = new("convert_elements", nameof(CpeActivity.ConvertElements), a => a.ConvertElements, (a, v) => a with { ConvertElements = v });

    /// <summary>Elements copied inside LDM.</summary>
    public static ActivityColumn CopyElements { get; } = new("copy_elements", nameof(CpeActivity.CopyElements), a => a.CopyElements, (a, v) => a with { CopyElements = v });

    /// <summary>Elements moved by the LDM transpose.</summary>
    public static ActivityColumn TransposeElements { get; } = new("transpose_elements", nameof(CpeActivity.TransposeElements), a => a.TransposeElements, (a, v) => a with { TransposeElements = v });

    /// <summary>Barriers passed.</summary>
    public static ActivityColumn Synchronizations { get; } = new("synchronizations", nameof(CpeActivity.Synchronizations), a => a.Synchronizations, (a, v) => a with { Synchronizations = v });

    /// <summary>Every column, in the shim's order.</summary>
    public static IReadOnlyList<ActivityColumn> All { get; } =
    [
        DmaGets, DmaPuts, DmaGetBytes, DmaPutBytes, DmaBlocks, DmaWaits, RlcPuts, RlcGets,
        MeshGemmCalls, Flops, FillElements, ConvertElements, CopyElements, TransposeElements, Synchronizations,
    ];
}
