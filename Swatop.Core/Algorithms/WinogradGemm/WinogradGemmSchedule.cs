using System.Globalization;
using System.Text.Json.Serialization;
using Swatop.Core.Scheduling;

namespace Swatop.Core.Algorithms.WinogradGemm;

/// <summary>
/// A schedule of Winograd's F(m x m, 3 x 3) convolution in its composite form: the transformed input V and the
/// element-wise products' sums M pass through main memory between an input transform, alpha^2 mesh GEMMs (one a
/// position, over all of a group's input channels) and an output transform. A core group walks chunks of 8 x
/// <see cref="Segments"/> row segments of <see cref="TileColumns"/> tiles, as the fused form does; per chunk each CPE
/// transforms its tiles into V (a block of <see cref="InBlock"/> input channels at a time), multiplies V by the
/// transformed filters U position by position in mesh GEMM calls of (8 x <see cref="Segments"/> x
/// (<see cref="TileColumns"/> + 1), <see cref="OutBlock"/>, <see cref="GemmIn"/>) into M, and transforms M back. U is
/// made once a call, before the first chunk. Every CPE reads back only what it wrote itself, so the phases need no
/// barrier: each waits for its own puts.
/// </summary>
public sealed record WinogradGemmSchedule : Schedule
{
    /// <summary>The algorithm's name, its schedules' JSON discriminator.</summary>
    public const string AlgorithmName = "winograd-gemm";

    /// <inheritdoc/>
    [JsonIgnore]
    public override string Algorithm => AlgorithmName;

    /// <summary>The output tile's side m of F(m x m, 3 x 3): 2, 4, or 6 in double.</summary>
    [JsonRequired]
    public int OutputTile { get; init; } = 4;

    /// <summary>Output tiles of one row segment along the output's width, 1 to the tiles of a row; the last segment of a row may have fewer.</summary>
    [JsonRequired]
    public int TileColumns { get; init; } = 7;

    /// <summary>Row segments a mesh row transforms per chunk: (<see cref="TileColumns"/> + 1) x <see cref="Segments"/> is a CPE's M extent, a multiple of 16.</summary>
    [JsonRequired]
    public int Segments { get; init; } = 2;

    /// <summary>Output channels of a block, the mesh GEMM's N: a multiple of 32 that divides the output channels of a group.</summary>
    [JsonRequired]
    public int OutBlock { get; init; } = 32;

    /// <summary>Input channels the input transform and the filters' transform take at a time: a multiple of 8 that divides <see cref="GemmIn"/>.</summary>
    [JsonRequired]
    public int InBlock { get; init; } = 8;

    /// <summary>Input channels of a mesh GEMM call, its K: a multiple of <see cref="InBlock"/> that divides the input channels of a group.</summary>
    [JsonRequired]
    public int GemmIn { get; init; } = 8;

    /// <summary>
    /// Whether each CPE's region of V is laid out [input block][position][channel of the block][tile], so that an input
    /// block's transformed tiles of all alpha^2 positions are put by one request of one block, and a mesh GEMM call's A
    /// block is got as a block an input block (<see cref="GemmIn"/> / <see cref="InBlock"/> blocks). Off, the region is
    /// [position][local channel][tile]: the put is a block a position and the A block one block. Absent from a schedule's
    /// JSON, it is off.
    /// </summary>
    public bool TilesByInputBlock { get; init; }

    /// <summary>
    /// Whether each CPE's region of M is laid out [position][output channel][tile], so that a position's C blocks of all
    /// output blocks are put by one request of one block, and an output channel's sums are got as a block a position.
    /// Off, the region is [output channel][position][tile]: the put is a block an output channel and the get one block.
    /// Absent from a schedule's JSON, it is off.
    /// </summary>
    public bool SumsByPosition { get; init; }

    /// <summary>
    /// Whether each output block's C block of a position is put into M right after its last mesh GEMM call, on a reply word
    /// of its own, and waited for only after the position's last call, so that the controller moves the C blocks while the
    /// next output blocks' calls run. Off, a position's C blocks are put together after its last call and waited for at
    /// once. Absent from a schedule's JSON, it is off.
    /// </summary>
    public bool OverlapSumPuts { get; init; }

    /// <summary>The mesh GEMM's M: the tiles of a chunk, one spare tile a segment included.</summary>
    [JsonIgnore]
    public int TileChunk => 8 * Segments * (TileColumns + 1);

    /// <summary>Equal when every decision is equal.</summary>
    public bool Equals(WinogradGemmSchedule? other) => base.Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => base.GetHashCode();

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"winograd-gemm F({OutputTile}x{OutputTile},3x3) tiles {TileColumns} segments {Segments} co {OutBlock} ci {InBlock} k {GemmIn} cg {CoreGroups}{(TilesByInputBlock ? " V by input block" : "")}{(SumsByPosition ? " M by position" : "")}{(OverlapSumPuts ? " overlapped C puts" : "")}{(SplitAxis is null ? "" : $" on {SplitAxis}")}");

    /// <inheritdoc/>
    public override string ToCSharp() => string.Create(CultureInfo.InvariantCulture,
        $"new WinogradGemmSchedule {{ OutputTile = {OutputTile}, TileColumns = {TileColumns}, Segments = {Segments}, OutBlock = {OutBlock}, InBlock = {InBlock}, GemmIn = {GemmIn}, {(TilesByInputBlock ? "TilesByInputBlock = true, " : "")}{(SumsByPosition ? "SumsByPosition = true, " : "")}{(OverlapSumPuts ? "OverlapSumPuts = true, " : "")}CoreGroups = {CoreGroups}, SplitAxis = {(SplitAxis is null ? "null" : $"\"{SplitAxis}\"")} }}");

    /// <inheritdoc/>
    private protected override Schedule Checked() => this;
}
