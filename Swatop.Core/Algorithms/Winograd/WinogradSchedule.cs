using System.Globalization;
using System.Text.Json.Serialization;
using Swatop.Core.Scheduling;

namespace Swatop.Core.Algorithms.Winograd;

/// <summary>
/// A schedule of Winograd's F(m x m, 3 x 3) convolution: the work of each core group cut into tasks of one
/// image, one channel group, <see cref="OutBlock"/> output channels, one row of output tiles and
/// <see cref="TileColumns"/> tiles along it, dealt to the 64 CPEs in turn. A CPE walks the task's input
/// channels <see cref="InBlock"/> at a time: it transforms their filters (<c>G g G^T</c>) and input tiles
/// (<c>B^T d B</c>) in LDM, adds the element-wise products of every transformed position into its
/// accumulators with the multiply-accumulate primitive, and at the end transforms the accumulators back
/// (<c>A^T M A</c>) and puts the task's output rows. No mesh GEMM: each CPE computes alone.
/// </summary>
public sealed record WinogradSchedule : Schedule
{
    /// <summary>The algorithm's name, its schedules' JSON discriminator.</summary>
    public const string AlgorithmName = "winograd";

    /// <inheritdoc/>
    [JsonIgnore]
    public override string Algorithm => AlgorithmName;

    /// <summary>The output tile's side m of F(m x m, 3 x 3): 2 or 4.</summary>
    [JsonRequired]
    public int OutputTile { get; init; } = 2;

    /// <summary>Output tiles of one task along the output's width, 1 to the tiles of a row; the last task of a row may have fewer.</summary>
    [JsonRequired]
    public int TileColumns { get; init; } = 1;

    /// <summary>Output channels of one task: a divisor of the output channels of a group.</summary>
    [JsonRequired]
    public int OutBlock { get; init; } = 1;

    /// <summary>Input channels transformed and summed at a time: a divisor of the input channels of a group.</summary>
    [JsonRequired]
    public int InBlock { get; init; } = 1;

    /// <summary>Equal when every decision is equal.</summary>
    public bool Equals(WinogradSchedule? other) => base.Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => base.GetHashCode();

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"winograd F({OutputTile}x{OutputTile},3x3) tiles {TileColumns} co {OutBlock} ci {InBlock} cg {CoreGroups}{(SplitAxis is null ? "" : $" on {SplitAxis}")}");

    /// <inheritdoc/>
    public override string ToCSharp() => string.Create(CultureInfo.InvariantCulture,
        $"new WinogradSchedule {{ OutputTile = {OutputTile}, TileColumns = {TileColumns}, OutBlock = {OutBlock}, InBlock = {InBlock}, CoreGroups = {CoreGroups}, SplitAxis = {(SplitAxis is null ? "null" : $"\"{SplitAxis}\"")} }}");

    /// <inheritdoc/>
    private protected override Schedule Checked() => this;
}
