using Swatop.Core;
using Swatop.Core.Scheduling;
using Swatop.Hardware.Sw26010.Target;

namespace Swatop.Tests.Scheduling;

/// <summary>Operators whose schedule spaces are small enough to enumerate in a test, and the target they are scheduled for.</summary>
internal static class SmallOperators
{
    public static TargetLimits Limits => Sw26010Target.Default.Limits;

    /// <summary>A GEMM with a border tile on every axis: 130 = 128 + 2, 40 = 32 + 8, 20 = 2 * 8 + 4.</summary>
    public static OperatorSpec Gemm => Operator.Gemm(130, 40, 20);

    /// <summary>A batched GEMM with B stored transposed.</summary>
    public static OperatorSpec BatchedGemm => Operator.Gemm(200, 70, 30, transposeB: true, batch: 2);

    public static OperatorSpec FullyConnected => Operator.FullyConnected(5, 17, 33);

    /// <summary>A padded, strided convolution: 3 x 3 output, windows along both output axes.</summary>
    public static OperatorSpec Conv => Operator.Conv2d(1, 2, 3, 5, 4, 3, stride: 2, padding: 1);

    /// <summary>The smallest convolution the swDNN schedule takes: batch 128, 8 in and 32 out channels, a 4 x 4 output.</summary>
    public static OperatorSpec SwDnnConv => Operator.Conv2d(128, 8, 32, 6, 6, 3);

    /// <summary>Every small operator, for tests over all of them.</summary>
    public static IEnumerable<OperatorSpec> All => [Gemm, BatchedGemm, FullyConnected, Conv];

    /// <summary>
    /// <c>C[x0]..[x6][m][n] = sum_k A[x0]..[x6][m][k] * B[x0]..[x6][k][n]</c> with the xs of extent 2 and
    /// m = n = k = 1: one GEMM mapping each way, and seven loops that move, which both operands read:
    /// 5,040 index orders that all run alike.
    /// </summary>
    public static OperatorSpec SevenBatchAxes()
    {
        Axis[] batch = [.. Enumerable.Range(0, 7).Select(i => Axis.Index($"x{i}", 2))];
        var m = Axis.Index("m", 1);
        var n = Axis.Index("n", 1);
        var k = Axis.Reduction("k", 1);
        int[] shape = [.. batch.Select(a => a.Extent)];
        AffineExpression[] prefix = [.. batch.Select(AffineExpression.Of)];
        var a = new TensorDeclaration("A", [.. shape, 1, 1]);
        var b = new TensorDeclaration("B", [.. shape, 1, 1]);
        var c = new TensorDeclaration("C", [.. shape, 1, 1]);
        return Operator.Define(Contraction.Create("seven_batch_axes", [.. batch, m, n], [k], c[[.. prefix, m, n]], a[[.. prefix, m, k]], b[[.. prefix, k, n]]));
    }
}
