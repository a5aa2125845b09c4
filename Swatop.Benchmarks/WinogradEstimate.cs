using System.Diagnostics;
using System.Globalization;
using Swatop.Core;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Primitives;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Hardware.Sw26010.Timing;
using Swatop.Primitives;

namespace Swatop.Benchmarks;

/// <summary>
/// What Winograd built as batched mesh GEMMs would take, estimated before it is built, on every stride-1 3 x 3 layer
/// of ResNet-50 and VGG-16 at batch 128 in double (<c>docs/winograd.md</c>, "Estimate"). For each layer and tile
/// m = 2, 4, 6 (alpha = m + 2, T tiles an image):
/// <list type="bullet">
/// <item>the unfused composite: the batched GEMM, alpha^2 GEMMs of Co x (N T) x Ci, tuned and measured as the
/// grouped 1 x 1 convolution it is (alpha^2 Ci input and alpha^2 Co output channels in alpha^2 groups, so each group
/// has its own filters), over N images of th x tw positions or four images (one a core group) of N / 4 x T positions, whichever is faster,
/// implicit GEMM only and for its kernel time (the transforms
/// would write and read V and M in whatever placement the kernel keeps them); plus the input transform (the input
/// got from the shared memory, alpha / m times over for a task of one row of tiles, V put into the groups' own
/// memories) and the output transform (M got, the output put into the shared memory), each at the DMA model's byte
/// plateaus on the four core groups, requests and blocks not counted (a bound: the column step of explicit im2col
/// reached 1.65 times its);</item>
/// <item>the fused variant: the transforms in LDM around the mesh GEMM, so V and M never reach the memory. A core
/// group walks chunks of M tiles and blocks of N output channels; for each block of K input channels it gets the
/// input rows, transforms the tiles (alpha^2 x K x M in LDM), gets the block's transformed filters (alpha^2 x N x K)
/// and runs alpha^2 mesh GEMM calls of (M, N, K) into alpha^2 x M x N accumulators, which the output transform
/// turns into the output at the end. The three buffers must fit the LDM budget; the input is got and transformed
/// again for every block of output channels and the filters again for every chunk of tiles. Its time is the larger
/// of the compute (the mesh calls' cycles, <see cref="MeshGemmPrimitive.Cycles"/>, and the transforms at the
/// multiply-accumulate primitive's rate, dense) and the DMA at the byte plateaus, as if double buffering overlapped
/// them perfectly; the best (M, N, K) of a grid.</item>
/// </list>
/// Both are compared with the implicit GEMM's tuned end-to-end time of the layer itself. <c>dotnet run -c Release
/// --project Swatop.Benchmarks -- winograd-estimate</c>; prints a Markdown table.
/// </summary>
public static class WinogradEstimate
{
    private const int Batch = 128;

    /// <summary>The core groups, each of which takes one image of the batched GEMM's second form.</summary>
    private const int Groups = 4;

    /// <summary>The stride-1 3 x 3 layers (name, input channels, output channels, side), the rows of <c>data/shapes/*-conv-b128.csv</c>.</summary>
    public static IReadOnlyList<(string Name, int In, int Out, int Side)> Layers { get; } =
    [
        ("res2_3x3", 64, 64, 56), ("res3_3x3", 128, 128, 28), ("res4_3x3", 256, 256, 14), ("res5_3x3", 512, 512, 7),
        ("conv1_1", 3, 64, 224), ("conv1_2", 64, 64, 224), ("conv2_1", 64, 128, 112), ("conv2_2", 128, 128, 112),
        ("conv3_1", 128, 256, 56), ("conv3_2", 256, 256, 56), ("conv4_1", 256, 512, 28), ("conv4_2", 512, 512, 28),
        ("conv5_1", 512, 512, 14),
    ];

    /// <summary>The output tiles m estimated when the command names none: F(2 x 2), F(4 x 4) and F(6 x 6, 3 x 3).</summary>
    public static IReadOnlyList<int> DefaultTiles { get; } = [2, 4, 6];

    /// <summary>
    /// Tunes and estimates every layer, or those whose name contains <paramref name="part"/>, for each output tile of
    /// <paramref name="tiles"/> (<see cref="DefaultTiles"/> when null), and prints the table.
    /// </summary>
    public static void Run(string part, IReadOnlyList<int>? tiles = null)
    {
        var clock = Stopwatch.StartNew();
        var target = Sw26010Target.Default;
        Print($"| layer | implicit, end to end ms | m | batched GEMM kernel ms | transforms ms (bound) | composite ms | speedup | fused ms (bound) | fused M x N x K | fused speedup |");
        Print($"| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |");
        foreach (var (name, ci, co, side) in Layers.Where(l => l.Name.Contains(part, StringComparison.Ordinal)))
        {
            var layer = Operator.Conv2d(Batch, ci, co, side, side, 3, padding: 1, elementType: ElementType.Float64);
            var implicitTuned = layer.Tune(target, new TuningOptions { Algorithm = ImplicitGemmSchedule.AlgorithmName, Seed = 1 });
            var implicitMs = implicitTuned.MeasuredSeconds * 1e3;
            foreach (var m in tiles ?? DefaultTiles)
            {
                var alpha = m + 2;
                var sideTiles = (side + m - 1) / m;
                var gemmMs = new[]
                {
                    Operator.Conv2d(Batch, alpha * alpha * ci, alpha * alpha * co, sideTiles, sideTiles, 1, groups: alpha * alpha, elementType: ElementType.Float64),
                    Operator.Conv2d(Groups, alpha * alpha * ci, alpha * alpha * co, Batch / Groups, sideTiles * sideTiles, 1, groups: alpha * alpha, elementType: ElementType.Float64),
                }.Min(KernelSeconds) * 1e3;
                var transformsMs = TransformSeconds(ci, co, side, m) * 1e3;
                var composite = gemmMs + transformsMs;
                var fused = Fused(ci, co, side, m);
                Print($"| {name} | {implicitMs:F3} | {m} | {gemmMs:F3} | {transformsMs:F3} | {composite:F3} | {implicitMs / composite:F2} | {fused.Seconds * 1e3:F3} | {fused.M} x {fused.N} x {fused.K} ({(fused.ComputeBound ? "compute" : "DMA")}) | {implicitMs / (fused.Seconds * 1e3):F2} |");
            }
        }

        Print($"host seconds: {clock.Elapsed.TotalSeconds:F1}");
    }

    /// <summary>
    /// The tuned kernel seconds of <paramref name="gemm"/>, implicit GEMM only; infinite when the tuner measures a candidate
    /// whose tensors one core group's memory cannot hold (an <see cref="EmulatorException"/>: the search does not skip it).
    /// </summary>
    private static double KernelSeconds(OperatorSpec gemm)
    {
        try
        {
            return gemm.Tune(Sw26010Target.Default, new TuningOptions { Algorithm = ImplicitGemmSchedule.AlgorithmName, Objective = TuningObjective.Kernel, Seed = 1 }).MeasuredSeconds;
        }
        catch (EmulatorException e)
        {
            Console.Error.WriteLine($"{gemm.Signature}: {e.Message}");
            return double.PositiveInfinity;
        }
    }

    /// <summary>Seconds of the input and the output transform at the DMA byte plateaus on four core groups (the unfused composite's steps).</summary>
    public static double TransformSeconds(int ci, int co, int side, int m)
    {
        var dma = DmaTimingModel.Default;
        var spec = Sw26010Spec.Default;
        var alpha = m + 2;
        var tiles = (double)Batch * Math.Pow((side + m - 1) / m, 2);
        const double eb = sizeof(double);
        double input = (double)Batch * ci * side * side * eb, output = (double)Batch * co * side * side * eb;
        double v = tiles * alpha * alpha * ci * eb, mBytes = tiles * alpha * alpha * co * eb;
        var inputStep = (input * alpha / m * dma.GetNanosecondsPerByte * dma.CrossSegmentByteFactor) + (v * dma.PutNanosecondsPerByte);
        var outputStep = (mBytes * dma.GetNanosecondsPerByte) + (output * dma.PutNanosecondsPerByte * dma.CrossSegmentByteFactor);
        return (inputStep + outputStep) * 1e-9 / spec.CoreGroups;
    }

    /// <summary>
    /// The fused variant's best time over a grid of mesh GEMM shapes (<paramref name="ci"/> input and <paramref name="co"/>
    /// output channels, a side of <paramref name="side"/>, tile <paramref name="m"/>): the shape (M tiles, N output channels,
    /// K input channels) and whether its compute or its DMA bounds it.
    /// </summary>
    public static (double Seconds, int M, int N, int K, bool ComputeBound) Fused(int ci, int co, int side, int m)
    {
        var dma = DmaTimingModel.Default;
        var spec = Sw26010Spec.Default;
        var timing = Sw26010Timing.Default;
        var budget = Sw26010Target.Default.Limits.LdmBudgetBytes;
        var cpes = spec.CpesPerCoreGroup;
        var alpha = m + 2;
        var positions = alpha * alpha;
        var tilesPerGroup = (double)Batch * Math.Pow((side + m - 1) / m, 2) / spec.CoreGroups;
        const int eb = sizeof(double);
        const int lanes = 4;
        var best = (Seconds: double.PositiveInfinity, M: 0, N: 0, K: 0, ComputeBound: false);
        var macPerOutputTap = MultiplyAccumulatePrimitive.Cycles(timing, lanes, 256, alpha, 1) / (256.0 * alpha);
        foreach (var mc in new[] { 128, 256, 384, 512 })
        {
            foreach (var nc in new[] { 32, 64, 96, 128, 192, 256, 512 }.Where(n => n <= MeshGemmRules.PaddedN(co) || n == 32))
            {
                foreach (var kc in new[] { 8, 16, 24, 32, 48, 64, 96, 128, 256, 512 }.Where(k => k <= MeshGemmRules.PaddedK(ci) || k == 8))
                {
                    var ldm = (double)positions * ((kc * mc) + (mc * nc) + (nc * kc)) / cpes * eb;
                    if (ldm > budget)
                    {
                        continue;
                    }

                    var chunks = Math.Ceiling(tilesPerGroup / mc);
                    var coBlocks = Math.Ceiling((double)co / nc);
                    var ciBlocks = Math.Ceiling((double)ci / kc);
                    var gemmCycles = chunks * coBlocks * ciBlocks * positions * MeshGemmPrimitive.Cycles(timing, mc, nc, kc, ElementType.Float64);

                    // Per CPE: the input transform of K channels x M tiles (2 alpha^2 outputs of alpha taps a tile and channel), again for each
                    // block of output channels; the output transform of N channels x M tiles (m alpha + m^2 outputs of alpha taps) once.
                    var inputTransform = chunks * coBlocks * ciBlocks * ((double)kc * mc / cpes) * 2 * positions * alpha * macPerOutputTap;
                    var outputTransform = chunks * coBlocks * ((double)nc * mc / cpes) * ((m * alpha) + (m * m)) * alpha * macPerOutputTap;
                    var compute = (gemmCycles + inputTransform + outputTransform) / spec.ClockHz;

                    var inputBytes = tilesPerGroup * m * m * ci * eb * Math.Pow((double)alpha / m, 1) * coBlocks;
                    var filterBytes = chunks * positions * (double)ci * co * eb;
                    var outputBytes = tilesPerGroup * m * m * co * eb;
                    var dmaSeconds = ((inputBytes * dma.CrossSegmentByteFactor * dma.GetNanosecondsPerByte) + (filterBytes * dma.GetNanosecondsPerByte)
                        + (outputBytes * dma.CrossSegmentByteFactor * dma.PutNanosecondsPerByte)) * 1e-9;
                    var seconds = Math.Max(compute, dmaSeconds);
                    if (seconds < best.Seconds)
                    {
                        best = (seconds, mc, nc, kc, compute >= dmaSeconds);
                    }
                }
            }
        }

        return best;
    }

    private static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));
}
