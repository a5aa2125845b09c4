namespace Swatop.Hardware.Sw26010.Calibration;

/// <summary>The DMA access patterns of the measured bandwidth table that the emulator repeats.</summary>
public enum DmaPattern
{
    /// <summary>One contiguous request per CPE, get then put, no overlap (<c>contiguous_copy</c>).</summary>
    ContiguousCopy,

    /// <summary>One 24 KB request per CPE in blocks with 8-byte gaps, get then put (<c>strided_gap8</c>).</summary>
    StridedGap8,

    /// <summary>Strided gets of GEMM tiles, a block per CPE per tile column, gets only (<c>tile_get</c>).</summary>
    TileGet,
}
