using System.Globalization;
using System.Text.Json.Serialization;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Scheduling;

namespace Swatop.Core.Algorithms.Im2col;

/// <summary>
/// A schedule of explicit im2col with the column block built in LDM inside the GEMM (the placement of the column
/// matrix other than <see cref="Im2colSchedule"/>'s whole matrix in memory): no column step. Per tile of
/// 8 x <see cref="RowsPerCpe"/> output rows of one image (mesh row i takes <see cref="RowsPerCpe"/> of them, the mesh
/// GEMM's M / 8 being those rows' output columns rounded up to the mesh's quantum) and per block of
/// <see cref="InBlock"/> taps (the mesh GEMM's K, channel by tap row by tap column as the filter lies), CPE (i, j)
/// gets the input rows its taps of block j read (one get a channel and tap row), gathers each tap's columns (a
/// stride-<c>sw</c> transpose) into its A block, and the mesh GEMM adds A times the weights' block (B, gotten once a
/// group and output block when one tap block holds every tap) into the accumulators; after the last tap block each CPE
/// puts its output rows of its <see cref="OutBlock"/> / 8 output channels (while the next tile computes, with <see cref="OverlapPuts"/>). The input moves instead of the column matrix,
/// Kh x Kw / (sh x sw) times larger. With <see cref="ImagesPerTile"/> above 1, a tile holds rows of that many images, a run of
/// mesh rows each, so that a small output's layer reads its weights once for several images. Its algorithm is <c>im2col</c>; its JSON discriminator is <see cref="Discriminator"/>.
/// </summary>
public sealed record Im2colLdmSchedule : Schedule
{
    /// <summary>The schedule's JSON discriminator: explicit im2col with the column block in LDM.</summary>
    public const string Discriminator = "im2col-ldm";

    private readonly int _imagesPerTile = 1;

    /// <inheritdoc/>
    [JsonIgnore]
    public override string Algorithm => Im2colSchedule.AlgorithmName;

    /// <summary>Output rows a mesh row of CPEs takes per tile, at least 1: a CPE's M extent is these rows' output columns, rounded up to a multiple of 16.</summary>
    [JsonRequired]
    public int RowsPerCpe { get; init; } = 1;

    /// <summary>Output channels of a block, the mesh GEMM's N: a positive multiple of 32, at most a group's output channels rounded up to 32 (the channels past them are computed on zero weights and not put).</summary>
    [JsonRequired]
    public int OutBlock { get; init; } = 32;

    /// <summary>Taps of a block, the mesh GEMM's K: a positive multiple of 8, at most a group's taps (channels x Kh x Kw) rounded up to 8 (the taps past them are zero weights).</summary>
    [JsonRequired]
    public int InBlock { get; init; } = 8;

    /// <summary>
    /// Whether the accumulators are kept twice, a tile's output puts issued from one copy while the next tile computes
    /// into the other and waited for only at the end of that tile (and before the next output block); each tap block's
    /// input rows are then gotten during the tap block before (the first's during the tile before), and, with more than one
    /// tap block, its weights too, into the other half of a doubled weights buffer. Off, each tile waits for its own puts
    /// and each tap block for its own gets. Absent from a schedule's JSON, it is off.
    /// </summary>
    public bool OverlapPuts { get; init; }

    /// <summary>
    /// Images a tile takes, 1, 2, 4 or 8: the mesh's rows are cut into this many runs of 8 / images rows, run r taking
    /// image r of the tile, each of its mesh rows <see cref="RowsPerCpe"/> of that image's output rows. The weights of a
    /// tap block are then gotten once for that many images. A core group's images must be a multiple of it. Absent from a
    /// schedule's JSON (read as 0), it is 1 (a tile is output rows of one image).
    /// </summary>
    public int ImagesPerTile { get => _imagesPerTile; init => _imagesPerTile = value == 0 ? 1 : value; }

    /// <summary>
    /// Whether every tap block's weights of a CPE stay in LDM (a B block each, one after the other), gotten once a group
    /// and output block before the tiles, instead of a tap block's weights gotten again every tile (or, with one tap
    /// block, its only block gotten so, as always). Absent from a schedule's JSON, it is off.
    /// </summary>
    public bool ResidentWeights { get; init; }

    /// <summary>
    /// With <see cref="OverlapPuts"/>: whether a tile's output puts are issued a part during each tap block of the next
    /// tile (the part of tap block k the CPE's output channels k x n / T to (k + 1) x n / T of its n, T tap blocks),
    /// after that block's prefetch, instead of all at the tile's end, so that the controller serves them between the
    /// tap blocks' gets rather than ahead of the next block's. They are waited for at the end of that next tile. Absent
    /// from a schedule's JSON, it is off.
    /// </summary>
    public bool SpreadPuts { get; init; }

    /// <summary>
    /// For a convolution of stride 1 along the width: whether each tap's output columns are copied from its span into its
    /// column of A by the multiply-accumulate primitive times one (into A zeroed once a tap block: exact) instead of a
    /// transpose of the span seen as 1 x Ow, which costs a vector block a vector. Absent from a schedule's JSON, it is off.
    /// </summary>
    public bool CopyTaps { get; init; }

    /// <summary>
    /// For a layer whose taps read past the input's right edge (its right padding) and whose tap rows cover the stride
    /// along the height: whether a CPE still gets each input channel's rows for all its output rows in one get
    /// (<see cref="Im2colLdmPlan.ChannelRowGets"/>), the output columns that read past the edge (the next row's first
    /// elements in LDM) zeroed in A after the gather or, with <see cref="CopyTaps"/>, left out of the copy. Off, such a
    /// layer gets a (channel, tap row) pair's span an output row. Absent from a schedule's JSON, it is off.
    /// </summary>
    public bool ChannelRowsPastEdge { get; init; }

    /// <summary>
    /// With one image a tile: whether a group's output rows run on from one image into the next, numbered as one
    /// sequence of images x output rows, so that a tile cut across an image's last row goes on with the next image's first
    /// instead of computing rows past the output. A mesh row's <see cref="RowsPerCpe"/> rows then lie in one image only when
    /// they divide the output's rows, which is the rule. Absent from a schedule's JSON, it is off.
    /// </summary>
    public bool RowsAcrossImages { get; init; }

    /// <summary>
    /// Positions the output's layout holds around the framework's (<see cref="ImplicitGemm.OutputMargins"/>), so that the
    /// kernel writes its output into a slice of a larger NCHW tensor: with margins along the channels, a concatenation's
    /// joined tensor, each image <c>C_total x Oh x Ow</c> elements from the next and the output's first channel at
    /// <c>c0 x Oh x Ow</c>. The puts' addresses move; each put is still one run of a channel's rows. Margins along the
    /// width (which would cut a put's run into rows) or along a dimension split over the core groups are refused;
    /// <see langword="null"/> for none, the output's own tensor.
    /// </summary>
    /// <remarks>Left out of the JSON when null, so schedules without margins read and write as before.</remarks>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public OutputMargins? OutputMargins { get; init; }

    /// <summary>
    /// Whether the kernel keeps its tensors in each core group's own memory, row-major at the framework's offsets
    /// (<see cref="Lowering.TensorLayout.RowMajorInCoreGroups"/>): the input and the output as the group's share of the
    /// batch, the weights and the bias a copy in each group (constants, prepared once there), so that its transfers pay a
    /// group's own byte cost; the transfers are otherwise those of the kernel in place. A caller that keeps each group's
    /// share of the batch in its memory (<see cref="Scheduling.CallerMemory.CoreGroups"/>) calls it without a step; from the
    /// shared memory, steps pack the input and unpack the output. Not with <see cref="OutputMargins"/>. Absent from a
    /// schedule's JSON, it is off.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool GroupMemory { get; init; }

    /// <summary>Equal when every decision is equal.</summary>
    public bool Equals(Im2colLdmSchedule? other) => base.Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => base.GetHashCode();

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"im2col column block in LDM: rows {RowsPerCpe} a CPE{(ImagesPerTile == 1 ? "" : $", {ImagesPerTile} images a tile")}, co {OutBlock} taps {InBlock}{(OverlapPuts ? " overlapped puts" : "")}{(SpreadPuts ? " spread" : "")}{(ResidentWeights ? " resident weights" : "")}{(CopyTaps ? " copied taps" : "")}{(ChannelRowsPastEdge ? " channel rows past the edge" : "")}{(RowsAcrossImages ? " rows across images" : "")}{(GroupMemory ? " group memory" : "")} cg {CoreGroups}{(SplitAxis is null ? "" : $" on {SplitAxis}")}{(OutputMargins is null ? "" : $" margins {OutputMargins}")}");

    /// <inheritdoc/>
    public override string ToCSharp() => string.Create(CultureInfo.InvariantCulture,
        $"new Im2colLdmSchedule {{ RowsPerCpe = {RowsPerCpe}, OutBlock = {OutBlock}, InBlock = {InBlock}, {(OverlapPuts ? "OverlapPuts = true, " : "")}{(SpreadPuts ? "SpreadPuts = true, " : "")}{(ResidentWeights ? "ResidentWeights = true, " : "")}{(CopyTaps ? "CopyTaps = true, " : "")}{(ChannelRowsPastEdge ? "ChannelRowsPastEdge = true, " : "")}{(RowsAcrossImages ? "RowsAcrossImages = true, " : "")}{(ImagesPerTile == 1 ? "" : $"ImagesPerTile = {ImagesPerTile}, ")}{(GroupMemory ? "GroupMemory = true, " : "")}{(OutputMargins is null ? "" : $"OutputMargins = new OutputMargins([{string.Join(", ", OutputMargins.Before)}], [{string.Join(", ", OutputMargins.After)}]), ")}CoreGroups = {CoreGroups}, SplitAxis = {(SplitAxis is null ? "null" : $"\"{SplitAxis}\"")} }}");

    /// <inheritdoc/>
    private protected override Schedule Checked() => this;
}
