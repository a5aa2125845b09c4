using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Swatop.Primitives;

namespace Swatop.Tests.PrimitiveKernels;

/// <summary>
/// Seeded property tests: the fast GEMM kernels against <see cref="ReferenceGemm"/>, bit for bit,
/// over random shapes (sizes 0..70, leading dimensions and spans with slack, mixed values).
/// Whole arrays are compared, so a write outside C's m x n elements fails too.
/// </summary>
public sealed class GemmKernelTests
{
    private const int ShapesPerSeed = 30;
    private const int MaxSize = 70;

    [Test]
    public void DoubleMatchesReferenceBitwise([Range(1, 6)] int seed)
    {
        var random = new Random(seed);
        for (int s = 0; s < ShapesPerSeed; s++)
        {
            GemmProblem p = GemmProblem.Random(random, MaxSize);
            double[] expected = (double[])p.C.Clone();
            double[] actual = (double[])p.C.Clone();
            ReferenceGemm.MultiplyAdd(p.M, p.N, p.K, p.A, p.Lda, p.B, p.Ldb, expected, p.Ldc);
            GemmKernel.MultiplyAdd(p.M, p.N, p.K, p.A, p.Lda, p.B, p.Ldb, actual, p.Ldc);
            Assert.That(Bits.Of(actual), Is.EqualTo(Bits.Of(expected)).AsCollection, p.ToString());
        }
    }

    [Test]
    public void FloatMatchesReferenceBitwise([Range(1, 6)] int seed)
    {
        var random = new Random(seed);
        for (int s = 0; s < ShapesPerSeed; s++)
        {
            GemmProblem p = GemmProblem.Random(random, MaxSize);
            float[] a = p.SingleA, b = p.SingleB, expected = p.SingleC, actual = p.SingleC;
            ReferenceGemm.MultiplyAdd(p.M, p.N, p.K, a, p.Lda, b, p.Ldb, expected, p.Ldc);
            GemmKernel.MultiplyAdd(p.M, p.N, p.K, a, p.Lda, b, p.Ldb, actual, p.Ldc);
            Assert.That(Bits.Of(actual), Is.EqualTo(Bits.Of(expected)).AsCollection, p.ToString());
        }
    }

    [Test]
    public void FloatInDoubleMatchesReferenceBitwise([Range(1, 6)] int seed)
    {
        var random = new Random(seed);
        for (int s = 0; s < ShapesPerSeed; s++)
        {
            GemmProblem p = GemmProblem.Random(random, MaxSize);
            float[] a = p.SingleA, b = p.SingleB, expected = p.SingleC, actual = p.SingleC;
            var scratch = new double[GemmKernel.FloatInDoubleScratchLength(p.M, p.N, p.K) + random.Next(3)];
            ReferenceGemm.MultiplyAddFloatInDouble(p.M, p.N, p.K, a, p.Lda, b, p.Ldb, expected, p.Ldc);
            GemmKernel.MultiplyAddFloatInDouble(p.M, p.N, p.K, a, p.Lda, b, p.Ldb, actual, p.Ldc, scratch);
            Assert.That(Bits.Of(actual), Is.EqualTo(Bits.Of(expected)).AsCollection, p.ToString());
        }
    }

    /// <summary>Every remainder path: all M up to two wide blocks of floats, N up to two register blocks.</summary>
    [Test]
    public void EdgeShapesMatchReferenceBitwise([Values(1, 3, 17)] int k)
    {
        var random = new Random(k);
        for (int m = 0; m <= 2 * 4 * Vector512<float>.Count + 1; m++)
        {
            for (int n = 0; n <= 9; n++)
            {
                GemmProblem p = GemmProblem.Create(random, m, n, k, slack: m % 3);
                double[] expected = (double[])p.C.Clone(), actual = (double[])p.C.Clone();
                ReferenceGemm.MultiplyAdd(m, n, k, p.A, p.Lda, p.B, p.Ldb, expected, p.Ldc);
                GemmKernel.MultiplyAdd(m, n, k, p.A, p.Lda, p.B, p.Ldb, actual, p.Ldc);
                Assert.That(Bits.Of(actual), Is.EqualTo(Bits.Of(expected)).AsCollection, p.ToString());

                float[] a = p.SingleA, b = p.SingleB, expectedF = p.SingleC, actualF = p.SingleC;
                ReferenceGemm.MultiplyAdd(m, n, k, a, p.Lda, b, p.Ldb, expectedF, p.Ldc);
                GemmKernel.MultiplyAdd(m, n, k, a, p.Lda, b, p.Ldb, actualF, p.Ldc);
                Assert.That(Bits.Of(actualF), Is.EqualTo(Bits.Of(expectedF)).AsCollection, p.ToString());
            }
        }
    }

    /// <summary>The narrower drivers the dispatch picks on other machines, run directly.</summary>
    [Test]
    public void EveryVectorWidthMatchesReferenceBitwise([Range(1, 3)] int seed)
    {
        var random = new Random(seed);
        for (int s = 0; s < ShapesPerSeed; s++)
        {
            GemmProblem p = GemmProblem.Random(random, MaxSize);
            if (p.M == 0 || p.N == 0 || p.K == 0)
            {
                continue;
            }

            double[] expected = (double[])p.C.Clone();
            ReferenceGemm.MultiplyAdd(p.M, p.N, p.K, p.A, p.Lda, p.B, p.Ldb, expected, p.Ldc);
            Assert.Multiple(() =>
            {
                Assert.That(Bits.Of(RunDouble<Vector512<double>, Double512Ops>(p, scalar: false)), Is.EqualTo(Bits.Of(expected)).AsCollection, "Vector512 " + p);
                Assert.That(Bits.Of(RunDouble<Vector256<double>, Double256Ops>(p, scalar: false)), Is.EqualTo(Bits.Of(expected)).AsCollection, "Vector256 " + p);
                Assert.That(Bits.Of(RunDouble<Vector256<double>, Double256Ops>(p, scalar: true)), Is.EqualTo(Bits.Of(expected)).AsCollection, "scalar " + p);
            });

            float[] expectedF = p.SingleC;
            ReferenceGemm.MultiplyAdd(p.M, p.N, p.K, p.SingleA, p.Lda, p.SingleB, p.Ldb, expectedF, p.Ldc);
            Assert.Multiple(() =>
            {
                Assert.That(Bits.Of(RunSingle<Vector512<float>, Single512Ops>(p, scalar: false)), Is.EqualTo(Bits.Of(expectedF)).AsCollection, "Vector512 " + p);
                Assert.That(Bits.Of(RunSingle<Vector256<float>, Single256Ops>(p, scalar: false)), Is.EqualTo(Bits.Of(expectedF)).AsCollection, "Vector256 " + p);
                Assert.That(Bits.Of(RunSingle<Vector256<float>, Single256Ops>(p, scalar: true)), Is.EqualTo(Bits.Of(expectedF)).AsCollection, "scalar " + p);
            });
        }
    }

    [Test]
    public void ZeroSizesLeaveCUntouched([Values(0, 1)] int m, [Values(0, 1)] int n, [Values(0, 1)] int k)
    {
        double[] c = [1.5, -2.5];
        GemmKernel.MultiplyAdd(m, n, k, [3.0], 1, [4.0], 1, c, 1);
        double expected = m == 1 && n == 1 && k == 1 ? Math.FusedMultiplyAdd(3.0, 4.0, 1.5) : 1.5;
        Assert.That(Bits.Of(c), Is.EqualTo(Bits.Of(new[] { expected, -2.5 })).AsCollection);
    }

    [Test]
    public void EmptySpansAreAcceptedForEmptyProducts()
    {
        Assert.DoesNotThrow(() => GemmKernel.MultiplyAdd(0, 0, 0, ReadOnlySpan<double>.Empty, 0, ReadOnlySpan<double>.Empty, 0, Span<double>.Empty, 0));
        Assert.DoesNotThrow(() => GemmKernel.MultiplyAddFloatInDouble(0, 5, 5, [], 0, new float[25], 5, [], 0, []));
    }

    /// <summary>The reference is sensitive to the chain: the fused chain differs from unfused products somewhere.</summary>
    [Test]
    public void ReferenceChainIsFused()
    {
        var p = GemmProblem.Create(new Random(7), 16, 16, 64, slack: 0);
        double[] fused = (double[])p.C.Clone();
        ReferenceGemm.MultiplyAdd(p.M, p.N, p.K, p.A, p.Lda, p.B, p.Ldb, fused, p.Ldc);
        double[] unfused = (double[])p.C.Clone();
        for (int j = 0; j < p.N; j++)
        {
            for (int i = 0; i < p.M; i++)
            {
                double acc = unfused[i + (j * p.Ldc)];
                for (int q = 0; q < p.K; q++)
                {
                    acc += p.A[i + (q * p.Lda)] * p.B[q + (j * p.Ldb)];
                }

                unfused[i + (j * p.Ldc)] = acc;
            }
        }

        Assert.That(Bits.Of(fused), Is.Not.EqualTo(Bits.Of(unfused)).AsCollection);
    }

    [Test]
    public void FloatInDoubleDiffersFromFloatChains()
    {
        var p = GemmProblem.Create(new Random(11), 32, 8, 64, slack: 0);
        float[] inFloat = p.SingleC, inDouble = p.SingleC;
        GemmKernel.MultiplyAdd(p.M, p.N, p.K, p.SingleA, p.Lda, p.SingleB, p.Ldb, inFloat, p.Ldc);
        GemmKernel.MultiplyAddFloatInDouble(
            p.M, p.N, p.K, p.SingleA, p.Lda, p.SingleB, p.Ldb, inDouble, p.Ldc, new double[GemmKernel.FloatInDoubleScratchLength(p.M, p.N, p.K)]);
        Assert.That(Bits.Of(inDouble), Is.Not.EqualTo(Bits.Of(inFloat)).AsCollection);
    }

    [Test]
    public void ScratchLengthPacksAllThreeOperands() =>
        Assert.That(GemmKernel.FloatInDoubleScratchLength(3, 5, 7), Is.EqualTo((3 * 7) + (7 * 5) + (3 * 5)));

    [Test]
    public void ImplementationNamesTheVectorWidth() =>
        Assert.That(GemmKernel.Implementation, Is.AnyOf("Vector512", "Vector256", "Scalar"));

    private static double[] RunDouble<TVector, TOps>(GemmProblem p, bool scalar)
        where TVector : struct
        where TOps : struct, IGemmVectorOps<double, TVector>
    {
        double[] c = (double[])p.C.Clone();
        ref double a = ref MemoryMarshal.GetArrayDataReference(p.A);
        ref double b = ref MemoryMarshal.GetArrayDataReference(p.B);
        ref double rc = ref MemoryMarshal.GetArrayDataReference(c);
        if (scalar)
        {
            GemmDriver<double, TVector, TOps>.RunScalar(p.M, p.N, p.K, ref a, p.Lda, ref b, p.Ldb, ref rc, p.Ldc);
        }
        else
        {
            GemmDriver<double, TVector, TOps>.Run(p.M, p.N, p.K, ref a, p.Lda, ref b, p.Ldb, ref rc, p.Ldc);
        }

        return c;
    }

    private static float[] RunSingle<TVector, TOps>(GemmProblem p, bool scalar)
        where TVector : struct
        where TOps : struct, IGemmVectorOps<float, TVector>
    {
        float[] a = p.SingleA, b = p.SingleB, c = p.SingleC;
        ref float ra = ref MemoryMarshal.GetArrayDataReference(a);
        ref float rb = ref MemoryMarshal.GetArrayDataReference(b);
        ref float rc = ref MemoryMarshal.GetArrayDataReference(c);
        if (scalar)
        {
            GemmDriver<float, TVector, TOps>.RunScalar(p.M, p.N, p.K, ref ra, p.Lda, ref rb, p.Ldb, ref rc, p.Ldc);
        }
        else
        {
            GemmDriver<float, TVector, TOps>.Run(p.M, p.N, p.K, ref ra, p.Lda, ref rb, p.Ldb, ref rc, p.Ldc);
        }

        return c;
    }
}
