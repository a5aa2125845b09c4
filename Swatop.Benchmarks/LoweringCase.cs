using Swatop.Core;

namespace Swatop.Benchmarks;

/// <summary>A case of <see cref="LoweringBenchmarks"/>: a ResNet-50 layer at batch 128 and which schedule it gets.</summary>
/// <param name="Name">The name the results table shows.</param>
/// <param name="Layer">Describes the layer.</param>
/// <param name="SwDnn">Whether the schedule is swDNN's (<c>Schedules.SwDnn</c>) rather than the space's default.</param>
public sealed record LoweringCase(string Name, Func<OperatorSpec> Layer, bool SwDnn)
{
    /// <summary>The cases, in the order of the table.</summary>
    public static IReadOnlyList<LoweringCase> All { get; } =
    [
        new("3x3 s3 default", Conv3x3, SwDnn: false),
        new("3x3 s3 prepad swDNN", Conv3x3Prepadded, SwDnn: true),
        new("1x1 s2 default", Conv1x1, SwDnn: false),
        new("1x1 s2 swDNN", Conv1x1, SwDnn: true),
    ];

    /// <summary>The name, which BenchmarkDotNet shows as the parameter's value.</summary>
    public override string ToString() => Name;

    /// <summary>Stage 3's 3 x 3 convolution: 128 -> 128 channels, 28 x 28, padding 1.</summary>
    private static OperatorSpec Conv3x3() => Operator.Conv2d(128, 128, 128, 28, 28, 3, padding: 1);

    /// <summary>The same layer on an input padded on the host, as swDNN runs it: 30 x 30, no padding, the same 28 x 28 output.</summary>
    private static OperatorSpec Conv3x3Prepadded() => Operator.Conv2d(128, 128, 128, 30, 30, 3);

    /// <summary>Stage 2's 1 x 1 reduction: 256 -> 64 channels, 56 x 56.</summary>
    private static OperatorSpec Conv1x1() => Operator.Conv2d(128, 256, 64, 56, 56, 1);
}
