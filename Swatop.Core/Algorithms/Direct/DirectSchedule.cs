using System.Globalization;
using System.Text.Json.Serialization;
using Swatop.Core.Scheduling;

namespace Swatop.Core.Algorithms.Direct;

/// <summary>
/// A schedule of the direct convolution: the work of each core group cut into tasks of
/// <see cref="TileGroups"/> channel groups by <see cref="TileRows"/> output rows of one image, dealt to the 64
/// CPEs in turn. Each CPE gets a task's input rows (with the window's halo) and weights into LDM, adds the
/// window's products a row at a time with the multiply-accumulate primitive, vectorized over the output
/// row, and puts the task's output rows. No mesh GEMM: each CPE computes alone.
/// </summary>
public sealed record DirectSchedule : Schedule
{
    /// <summary>The algorithm's name, its schedules' JSON discriminator.</summary>
    public const string AlgorithmName = "direct";

    /// <inheritdoc/>
    [JsonIgnore]
    public override string Algorithm => AlgorithmName;

    /// <summary>Output rows of one task, 1 to the output height; the last task of an image may have fewer.</summary>
    [JsonRequired]
    public int TileRows { get; init; } = 1;

    /// <summary>Channel groups of one task: a divisor of the operator's groups.</summary>
    [JsonRequired]
    public int TileGroups { get; init; } = 1;

    /// <summary>Whether the input and weights buffers are doubled, so that the next task's gets overlap this task's multiply-adds.</summary>
    public bool DoubleBuffer { get; init; }

    /// <summary>
    /// Whether the kernel keeps its tensors in each core group's own memory (<see cref="Lowering.TensorLayout.RowMajorInCoreGroups"/>):
    /// the input and the output as the group's share of the batch, the weights and the bias a copy in each group, all in
    /// NCHW order, so that its transfers pay a group's own byte cost. Layout steps around a lone call pack the input
    /// and unpack the output; in a graph, a neighbour that keeps the same share in its own memory needs no step
    /// through the shared memory. Otherwise every tensor is the framework's, read and written in place in the shared memory.
    /// </summary>
    public bool GroupMemory { get; init; }

    /// <summary>Equal when every decision is equal.</summary>
    public bool Equals(DirectSchedule? other) => base.Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => base.GetHashCode();

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"direct rows {TileRows} groups {TileGroups}{(DoubleBuffer ? " double" : "")}{(GroupMemory ? " group memory" : "")} cg {CoreGroups}{(SplitAxis is null ? "" : $" on {SplitAxis}")}");

    /// <inheritdoc/>
    public override string ToCSharp() => string.Create(CultureInfo.InvariantCulture,
        $"new DirectSchedule {{ TileRows = {TileRows}, TileGroups = {TileGroups}, DoubleBuffer = {(DoubleBuffer ? "true" : "false")}, {(GroupMemory ? "GroupMemory = true, " : "")}CoreGroups = {CoreGroups}, SplitAxis = {(SplitAxis is null ? "null" : $"\"{SplitAxis}\"")} }}");

    /// <inheritdoc/>
    private protected override Schedule Checked() => this;
}
