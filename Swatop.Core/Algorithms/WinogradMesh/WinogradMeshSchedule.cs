using System.Globalization;
using System.Text.Json.Serialization;
using Swatop.Core.Scheduling;

namespace Swatop.Core.Algorithms.WinogradMesh;

/// <summary>
/// A schedule of Winograd's F(m x m, 3 x 3) convolution with the element-wise products on the mesh GEMM, the
/// transforms in LDM around it (the fused variant: one kernel, no workspace in memory). A core group walks chunks
/// of 8 x <see cref="Segments"/> row segments (one image, one row of output tiles, <see cref="TileColumns"/> tiles
/// along it); mesh row i transforms <see cref="Segments"/> of them. Per group, block of <see cref="OutBlock"/>
/// output channels and block of <see cref="InBlock"/> input channels, CPE (i, j) transforms its tiles of block i
/// for the input channels of block j (<c>B^T d B</c>) and the filters of input block i and output block j
/// (<c>G g G^T</c>), and alpha^2 mesh GEMM calls of (8 x <see cref="Segments"/> x (<see cref="TileColumns"/> + 1),
/// <see cref="OutBlock"/>, <see cref="InBlock"/>) add the products into the accumulators; after the last input
/// block each CPE turns its accumulators into outputs (<c>A^T M A</c>) and puts the rows inside the output.
/// </summary>
public sealed record WinogradMeshSchedule : Schedule
{
    /// <summary>The algorithm's name, its schedules' JSON discriminator.</summary>
    public const string AlgorithmName = "winograd-mesh";

    /// <inheritdoc/>
    [JsonIgnore]
    public override string Algorithm => AlgorithmName;

    /// <summary>The output tile's side m of F(m x m, 3 x 3): 2 or 4.</summary>
    [JsonRequired]
    public int OutputTile { get; init; } = 2;

    /// <summary>Output tiles of one row segment along the output's width, 1 to the tiles of a row; the last segment of a row may have fewer.</summary>
    [JsonRequired]
    public int TileColumns { get; init; } = 15;

    /// <summary>Row segments a mesh row transforms per chunk: (<see cref="TileColumns"/> + 1) x <see cref="Segments"/> is a CPE's M extent, a multiple of 16.</summary>
    [JsonRequired]
    public int Segments { get; init; } = 1;

    /// <summary>Output channels of a block, the mesh GEMM's N: a multiple of 32 that divides the output channels of a group.</summary>
    [JsonRequired]
    public int OutBlock { get; init; } = 32;

    /// <summary>Input channels of a block, the mesh GEMM's K: a multiple of 8 that divides the input channels of a group.</summary>
    [JsonRequired]
    public int InBlock { get; init; } = 8;

    /// <summary>
    /// Whether each input block's input rows and filters are fetched while the block before computes: two copies of a
    /// raw input buffer and of a raw filter buffer, each block's gets issued as a prefetch into the copy the block before
    /// does not read (the <c>double-buffer</c> pass). Off, the block's gets and their waits come before its transforms.
    /// Absent from a schedule's JSON, it is off.
    /// </summary>
    public bool DoubleBuffer { get; init; }

    /// <summary>
    /// Whether each segment's output rows of a channel are packed in LDM (two copies) and put by one request, a block
    /// when the segment spans the output's width and a block a row otherwise, while the next channel transforms (the
    /// <c>overlap-puts</c> pass). Off, each output row is a put of its own and the channel waits for its puts. Absent
    /// from a schedule's JSON, it is off.
    /// </summary>
    public bool BlockPuts { get; init; }

    /// <summary>
    /// Whether each position's A and B blocks are transformed just before its mesh GEMM call, into buffers that hold one
    /// position (the filters' first stage a row of positions at a time), rather than all alpha^2 positions' blocks before
    /// the first call: the same multiply-adds in the same order, so the same results, in less LDM, which leaves room for
    /// larger input blocks (the mesh GEMM's K). The input rows then have a buffer of their own. Absent from a schedule's
    /// JSON, it is off.
    /// </summary>
    public bool PerPosition { get; init; }

    /// <summary>The mesh GEMM's M: the tiles of a chunk, one spare tile a segment included.</summary>
    [JsonIgnore]
    public int TileChunk => 8 * Segments * (TileColumns + 1);

    /// <summary>Equal when every decision is equal.</summary>
    public bool Equals(WinogradMeshSchedule? other) => base.Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => base.GetHashCode();

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"winograd-mesh F({OutputTile}x{OutputTile},3x3) tiles {TileColumns} segments {Segments} co {OutBlock} ci {InBlock} cg {CoreGroups}{(DoubleBuffer ? " double-buffered" : "")}{(BlockPuts ? " block puts" : "")}{(PerPosition ? " per position" : "")}{(SplitAxis is null ? "" : $" on {SplitAxis}")}");

    /// <inheritdoc/>
    public override string ToCSharp() => string.Create(CultureInfo.InvariantCulture,
        $"new WinogradMeshSchedule {{ OutputTile = {OutputTile}, TileColumns = {TileColumns}, Segments = {Segments}, OutBlock = {OutBlock}, InBlock = {InBlock}, {(DoubleBuffer ? "DoubleBuffer = true, " : "")}{(BlockPuts ? "BlockPuts = true, " : "")}{(PerPosition ? "PerPosition = true, " : "")}CoreGroups = {CoreGroups}, SplitAxis = {(SplitAxis is null ? "null" : $"\"{SplitAxis}\"")} }}");

    /// <inheritdoc/>
    private protected override Schedule Checked() => this;
}
