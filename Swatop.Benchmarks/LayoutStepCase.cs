using Swatop.Core;
using Swatop.Core.Layouts;
using Swatop.Core.LayoutSteps;
using Swatop.Core.Lowering;
using Swatop.Primitives;

namespace Swatop.Benchmarks;

/// <summary>
/// A case of <see cref="LayoutStepBandwidthBenchmarks"/>: a layout step of a ResNet-50 activation at batch 128
/// (stage 3: 128 channels of 28 x 28) as the kernels of the batch-innermost schedules ask for it, or a reorder
/// between two blocked layouts that a graph tuner chooses between ResNet-50's layers (split by batch over 4 core
/// groups, both sides in each group's own memory).
/// </summary>
/// <param name="Name">The name the results table shows.</param>
/// <param name="Step">Builds the step.</param>
public sealed record LayoutStepCase(string Name, Func<LayoutStep> Step)
{
    private const int Batch = 128;
    private const int Channels = 128;
    private const int Size = 28;

    /// <summary>The cases, in the order of the table.</summary>
    public static IReadOnlyList<LayoutStepCase> All { get; } =
    [
        new("pack b-inner pad double x4", () => LayoutStep.Pack(new TensorPlacement(BatchInnermost(padding: 1), Distribution.Replicated(4)), ElementType.Float64)),
        new("pack b-inner pad float x4", () => LayoutStep.Pack(new TensorPlacement(BatchInnermost(padding: 1), Distribution.Replicated(4)), ElementType.Float32)),
        new("pack b-inner double split-n", () => LayoutStep.Pack(new TensorPlacement(BatchInnermost(padding: 0), SplitBy(0, Batch)), ElementType.Float64)),
        new("pack b-inner double split-c", () => LayoutStep.Pack(new TensorPlacement(BatchInnermost(padding: 0), SplitBy(1, Channels)), ElementType.Float64)),
        new("unpack b-inner double split-h", () => LayoutStep.Unpack(new TensorPlacement(BatchInnermost(padding: 0), SplitBy(2, Size)), ElementType.Float64)),
        new("unpack b-inner float split-h", () => LayoutStep.Unpack(new TensorPlacement(BatchInnermost(padding: 0), SplitBy(2, Size)), ElementType.Float32)),
        new("pack pad double x4", () => LayoutStep.Pack(new TensorPlacement(Padded(padding: 1), Distribution.Replicated(4)), ElementType.Float64)),
        new("pack pad float x4", () => LayoutStep.Pack(new TensorPlacement(Padded(padding: 1), Distribution.Replicated(4)), ElementType.Float32)),
        .. Reorders(ElementType.Float64, "double"),
        .. Reorders(ElementType.Float32, "float"),
        .. Mixed(ElementType.Float64, "double"),
        .. Mixed(ElementType.Float32, "float").Take(2),
    ];

    /// <summary>The name, which BenchmarkDotNet shows as the parameter's value.</summary>
    public override string ToString() => Name;

    private static TensorDeclaration Activation => new("x", [Batch, Channels, Size, Size]);

    /// <summary>swDNN's input layout <c>[H][W][C][N]</c>, the batch innermost, rows and columns zero-padded by <paramref name="padding"/>.</summary>
    private static TensorLayout BatchInnermost(int padding) =>
        new(Activation, [2, 3, 1, 0], [0, 0, padding, padding], [Batch, Channels, Size + (2 * padding), Size + (2 * padding)], [0, 0, 0, 0]);

    /// <summary>The framework's order <c>[N][C][H][W]</c>, rows and columns zero-padded by <paramref name="padding"/>: a copy, no transpose.</summary>
    private static TensorLayout Padded(int padding) =>
        new(Activation, [0, 1, 2, 3], [0, 0, padding, padding], [Batch, Channels, Size + (2 * padding), Size + (2 * padding)], [0, 0, 0, 0]);

    /// <summary>
    /// Reorders of ResNet-50 activations (<c>[N][C][H][W]</c>) between blocked layouts, as a graph tuner chooses them at
    /// batch 128: the batch and channel blocks swapped (stage 2, 256 channels of 56 x 56); rows blocked into batch
    /// blocked; into a padded destination with narrower channel blocks (64 channels of 56 x 56); into wider channel
    /// blocks, padded (stage 5, 512 channels of 7 x 7).
    /// </summary>
    private static IEnumerable<LayoutStepCase> Reorders(ElementType type, string name)
    {
        var stage2 = new TensorDeclaration("output", [Batch, 256, 56, 56]);
        var reduced = new TensorDeclaration("output", [Batch, 64, 56, 56]);
        var stage5 = new TensorDeclaration("output", [Batch, 512, 7, 7]);
        yield return Reorder($"reorder nb16-cb32 to cb32-nb16 {name}", type,
            Blocked(stage2, [2, 3, 0, 1], [0, 0, 0, 0], [Batch, 256, 56, 56], [16, 32, 0, 0]), Blocked(stage2, [2, 3, 1, 0], [0, 0, 0, 0], [Batch, 256, 56, 56], [16, 32, 0, 0]));
        yield return Reorder($"reorder hb8-cb32 to nb4-cb32 {name}", type,
            Blocked(stage2, [0, 3, 2, 1], [0, 0, 0, 0], [Batch, 256, 64, 56], [0, 32, 8, 0]), Blocked(stage2, [2, 3, 0, 1], [0, 0, 0, 0], [Batch, 256, 56, 56], [4, 32, 0, 0]));
        yield return Reorder($"reorder cb16 to cb8 padded {name}", type,
            Blocked(reduced, [2, 3, 0, 1], [0, 0, 0, 0], [Batch, 128, 56, 56], [4, 16, 0, 0]), Blocked(reduced, [2, 3, 0, 1], [0, 0, 1, 1], [Batch, 64, 58, 58], [4, 8, 0, 0]));
        yield return Reorder($"reorder cb16 to cb32 padded {name}", type,
            Blocked(stage5, [2, 3, 0, 1], [0, 0, 0, 0], [Batch, 512, 7, 7], [4, 16, 0, 0]), Blocked(stage5, [2, 3, 0, 1], [0, 0, 1, 1], [Batch, 512, 9, 9], [4, 32, 0, 0]));
    }

    /// <summary>
    /// Steps between a blocked layout and a plain one, as a graph tuner chooses them at batch 128 (split by batch over 4
    /// core groups unless named otherwise): a channel-blocked output reordered into channels-last rows; a batch-and-channel
    /// blocked output, its channels padded, into channels-last rows; the framework's input packed into batch and channel
    /// blocks; rows blocked into batch blocked, cropped to a stride-2 consumer's 55 x 55; an output of 112 x 112 in channel
    /// and batch blocks unpacked into the framework's order, split by rows. The first two come first, so the float
    /// variants take only those.
    /// </summary>
    private static IEnumerable<LayoutStepCase> Mixed(ElementType type, string name)
    {
        var stage2 = new TensorDeclaration("output", [Batch, 256, 56, 56]);
        var reduced = new TensorDeclaration("output", [Batch, 64, 56, 56]);
        var input = new TensorDeclaration("input", [Batch, 64, 56, 56]);
        var stem = new TensorDeclaration("output", [Batch, 64, 112, 112]);
        yield return Reorder($"reorder hb8-cb32 to nwhc {name}", type,
            Blocked(stage2, [0, 3, 2, 1], [0, 0, 0, 0], [Batch, 256, 64, 56], [0, 32, 8, 0]), Blocked(stage2, [0, 3, 2, 1], [0, 0, 0, 0], [Batch, 256, 56, 56], [0, 0, 0, 0]));
        yield return Reorder($"reorder nb4-cb16 to nwhc {name}", type,
            Blocked(reduced, [2, 3, 0, 1], [0, 0, 0, 0], [Batch, 128, 56, 56], [4, 16, 0, 0]), Blocked(reduced, [0, 3, 2, 1], [0, 0, 0, 0], [Batch, 64, 56, 56], [0, 0, 0, 0]));
        yield return new($"pack nb4-cb8 split-n {name}", () => LayoutStep.Pack(
            new TensorPlacement(Blocked(input, [2, 3, 0, 1], [0, 0, 0, 0], [Batch, 64, 56, 56], [4, 8, 0, 0]), SplitBy(0, Batch)), type));
        yield return Reorder($"reorder hb8-cb32 to nb4-cb32 cropped 55 {name}", type,
            Blocked(stage2, [0, 3, 2, 1], [0, 0, 0, 0], [Batch, 256, 64, 56], [0, 32, 8, 0]), Blocked(stage2, [2, 3, 0, 1], [0, 0, 0, 0], [Batch, 256, 55, 55], [4, 32, 0, 0]));
        yield return new($"unpack cb8-nb16 split-h {name}", () => LayoutStep.Unpack(
            new TensorPlacement(Blocked(stem, [2, 3, 1, 0], [0, 0, 0, 0], [Batch, 64, 112, 112], [16, 8, 0, 0]), SplitBy(2, 112)), type));
    }

    private static LayoutStepCase Reorder(string name, ElementType type, TensorLayout from, TensorLayout to) =>
        new(name, () => LayoutStep.Reorder(name, new TensorPlacement(from, SplitBy(0, Batch)), new TensorPlacement(to, SplitBy(0, Batch)), type));

    private static TensorLayout Blocked(TensorDeclaration tensor, int[] order, long[] origins, long[] lengths, long[] blocks) =>
        new(tensor, [.. order], [.. origins], [.. lengths], [.. blocks]);

    /// <summary>Four core groups, each a quarter of dimension <paramref name="dimension"/> of <paramref name="extent"/> positions.</summary>
    private static SplitDistribution SplitBy(int dimension, int extent) => new(4, dimension, 1, extent, extent / 4, 1);
}
