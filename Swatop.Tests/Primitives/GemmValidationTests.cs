using Swatop.Primitives;

namespace Swatop.Tests.PrimitiveKernels;

/// <summary>Must-fail tests of the GEMM arguments: each names the parameter and states its value.</summary>
public sealed class GemmValidationTests
{
    private static readonly double[] Four = new double[4];

    /// <summary>A 2 x 2 x 2 product with one argument replaced; the others are valid.</summary>
    private static void Run(
        int m = 2, int n = 2, int k = 2, double[]? a = null, int lda = 2, double[]? b = null, int ldb = 2, double[]? c = null, int ldc = 2) =>
        GemmKernel.MultiplyAdd(m, n, k, a ?? Four, lda, b ?? Four, ldb, c ?? new double[4], ldc);

    [Test]
    public void NegativeMIsRejected() => Must.ThrowOutOfRange(() => Run(m: -1), "m", "-1");

    [Test]
    public void NegativeNIsRejected() => Must.ThrowOutOfRange(() => Run(n: -3), "n", "-3");

    [Test]
    public void NegativeKIsRejected() => Must.ThrowOutOfRange(() => Run(k: -2), "k", "-2");

    [Test]
    public void SmallLdaIsRejected() => Must.ThrowOutOfRange(() => Run(lda: 1), "lda", "lda = 1");

    [Test]
    public void SmallLdbIsRejected() => Must.ThrowOutOfRange(() => Run(ldb: 1), "ldb", "ldb = 1");

    [Test]
    public void SmallLdcIsRejected() => Must.ThrowOutOfRange(() => Run(ldc: 1), "ldc", "ldc = 1");

    [Test]
    public void ShortAIsRejected() => Must.ThrowArgument(() => Run(a: new double[3]), "a", "a.Length = 3");

    [Test]
    public void ShortBIsRejected() => Must.ThrowArgument(() => Run(b: new double[3]), "b", "b.Length = 3");

    [Test]
    public void ShortCIsRejected() => Must.ThrowArgument(() => Run(c: new double[3]), "c", "c.Length = 3");

    /// <summary>A short span is measured against its leading dimension: (k - 1) * lda + m.</summary>
    [Test]
    public void ShortAIsMeasuredWithLda() =>
        Must.ThrowArgument(() => Run(a: new double[5], lda: 4), "a", "(k - 1) * lda + m = 6");

    [Test]
    public void FloatKernelValidatesToo() =>
        Must.ThrowOutOfRange(() => GemmKernel.MultiplyAdd(2, 2, 2, new float[4], 2, new float[4], 2, new float[4], 1), "ldc", "ldc = 1");

    [Test]
    public void ReferenceValidatesToo() =>
        Must.ThrowArgument(() => ReferenceGemm.MultiplyAdd(2, 2, 2, Four, 2, Four, 2, new double[3], 2), "c", "c.Length = 3");

    [Test]
    public void ShortScratchIsRejected() =>
        Must.ThrowArgument(
            () => GemmKernel.MultiplyAddFloatInDouble(2, 2, 2, new float[4], 2, new float[4], 2, new float[4], 2, new double[11]),
            "scratch",
            "scratch.Length = 11");

    [Test]
    public void NegativeScratchSizeIsRejected() =>
        Must.ThrowOutOfRange(() => GemmKernel.FloatInDoubleScratchLength(4, -5, 4), "n", "-5");

    [Test]
    public void HugeScratchIsRejected() =>
        Must.ThrowOutOfRange(() => GemmKernel.FloatInDoubleScratchLength(50_000, 50_000, 50_000), "m", "50000");

    [Test]
    public void COverlappingAIsRejected()
    {
        double[] memory = new double[8];
        Must.ThrowArgument(
            () => GemmKernel.MultiplyAdd(2, 2, 2, memory.AsSpan(0, 4), 2, Four, 2, memory.AsSpan(2, 4), 2), "c", "c overlaps a");
    }

    [Test]
    public void COverlappingBIsRejected()
    {
        float[] memory = new float[8];
        Must.ThrowArgument(
            () => ReferenceGemm.MultiplyAdd(2, 2, 2, new float[4], 2, memory.AsSpan(0, 4), 2, memory.AsSpan(3, 4), 2), "c", "c overlaps b");
    }

    [Test]
    public void ScratchOverlappingAnOperandIsRejected()
    {
        double[] scratch = new double[12];
        ArgumentException? caught = null;
        try
        {
            // C lives inside the scratch's memory.
            Span<float> c = System.Runtime.InteropServices.MemoryMarshal.Cast<double, float>(scratch.AsSpan())[..4];
            GemmKernel.MultiplyAddFloatInDouble(2, 2, 2, new float[4], 2, new float[4], 2, c, 2, scratch);
        }
        catch (ArgumentException e)
        {
            caught = e;
        }

        Assert.That(caught, Is.Not.Null);
        Assert.That(caught!.ParamName, Is.EqualTo("scratch"));
        Assert.That(caught.Message, Does.Contain("overlaps"));
    }
}
