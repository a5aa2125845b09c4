using Swatop.Core;
using Swatop.Core.Layouts;
using Swatop.Core.LayoutSteps;
using Swatop.Core.Lowering;
using Swatop.Primitives;

namespace Swatop.Benchmarks;

/// <summary>
/// A case of <see cref="LayoutStepBandwidthBenchmarks"/>: a layout step of a ResNet-50 activation at batch 128
/// (stage 3: 128 channels of 28 x 28) as the kernels of the batch-innermost schedules ask for it.
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

    /// <summary>Four core groups, each a quarter of dimension <paramref name="dimension"/> of <paramref name="extent"/> positions.</summary>
    private static SplitDistribution SplitBy(int dimension, int extent) => new(4, dimension, 1, extent, extent / 4, 1);
}
