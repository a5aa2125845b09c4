using Swatop.Hardware.Sw26010;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Kernels;
using Swatop.Primitives;
using static Swatop.Tests.Emulator.EmulatorHarness;

namespace Swatop.Tests.Emulator;

/// <summary>The hand-written tiled GEMM kernel on one and four core groups, against the reference GEMM.</summary>
public sealed class TiledGemmKernelTests
{
    /// <summary>
    /// Runs C (m x n) += A (m x k) * B (k x n) with the kernel on <paramref name="groups"/> core
    /// groups, each computing n / groups columns of C, and returns the assembled C.
    /// </summary>
    private static (double[] C, ChipRunReport Report) RunDouble(int groups, int m, int n, int k, int tileM, int tileN, int tileK, double[] a, double[] b, double[] c)
    {
        var chip = Chip(groups, EmulatorOptions.Default);
        var columns = n / groups;
        var kernel = new TiledGemmKernel(m, columns, k, tileM, tileN, tileK);
        var buffers = chip.CoreGroups.Select(group =>
        {
            var ga = group.Memory.Allocate<double>("A", m * k);
            var gb = group.Memory.Allocate<double>("B", k * columns);
            var gc = group.Memory.Allocate<double>("C", m * columns);
            a.CopyTo(ga.AsSpan<double>());
            b.AsSpan(group.Index * columns * k, columns * k).CopyTo(gb.AsSpan<double>());
            c.AsSpan(group.Index * columns * m, columns * m).CopyTo(gc.AsSpan<double>());
            return (A: ga, B: gb, C: gc);
        }).ToList();

        var report = chip.Run(group => kernel.Program(buffers[group.Index].A, buffers[group.Index].B, buffers[group.Index].C));
        return ([.. buffers.SelectMany(x => x.C.AsSpan<double>().ToArray())], report);
    }

    private static float[] RunFloat(int groups, int m, int n, int k, int tileM, int tileN, int tileK, float[] a, float[] b, float[] c)
    {
        var chip = Chip(groups, EmulatorOptions.Default);
        var columns = n / groups;
        var kernel = new TiledGemmKernel(m, columns, k, tileM, tileN, tileK, ElementType.Float32);
        var buffers = chip.CoreGroups.Select(group =>
        {
            var ga = group.Memory.Allocate<float>("A", m * k);
            var gb = group.Memory.Allocate<float>("B", k * columns);
            var gc = group.Memory.Allocate<float>("C", m * columns);
            a.CopyTo(ga.AsSpan<float>());
            b.AsSpan(group.Index * columns * k, columns * k).CopyTo(gb.AsSpan<float>());
            c.AsSpan(group.Index * columns * m, columns * m).CopyTo(gc.AsSpan<float>());
            return (A: ga, B: gb, C: gc);
        }).ToList();

        chip.Run(group => kernel.Program(buffers[group.Index].A, buffers[group.Index].B, buffers[group.Index].C));
        return [.. buffers.SelectMany(x => x.C.AsSpan<float>().ToArray())];
    }

    /// <summary>
    /// What the kernel computes in float: each mesh call widens its C tile, accumulates one k-tile of
    /// products in double and rounds C back to float, so the reference is applied once per k-tile, in order.
    /// </summary>
    private static float[] FloatReferencePerKTile(int m, int n, int k, int tileK, float[] a, float[] b, float[] c)
    {
        var expected = c.ToArray();
        for (var k0 = 0; k0 < k; k0 += tileK)
        {
            ReferenceGemm.MultiplyAddFloatInDouble(m, n, tileK, a.AsSpan(k0 * m), m, b.AsSpan(k0), k, expected, m);
        }

        return expected;
    }

    [TestCase(1, 256, 64, 192, 128, 32, 64)]
    [TestCase(4, 256, 128, 128, 128, 32, 64)]
    [TestCase(4, 128, 256, 64, 128, 64, 64)]
    public void DoubleMatchesTheReferenceBitForBit(int groups, int m, int n, int k, int tileM, int tileN, int tileK)
    {
        double[] a = RandomDoubles(1, m * k), b = RandomDoubles(2, k * n), c = RandomDoubles(3, m * n);
        var (actual, report) = RunDouble(groups, m, n, k, tileM, tileN, tileK, a, b, c);
        var expected = c.ToArray();
        ReferenceGemm.MultiplyAdd(m, n, k, a, m, b, k, expected, m);

        var tiles = (long)(m / tileM) * (n / groups / tileN);
        var calls = tiles * (k / tileK);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Bits(actual), Is.EqualTo(Bits(expected)));
            Assert.That(report.CoreGroups, Has.Count.EqualTo(groups));
            Assert.That(report.CoreGroups.SelectMany(g => g.Cpes).Select(x => x.MeshGemmCalls), Has.All.EqualTo(calls));
            Assert.That(report.CoreGroups.SelectMany(g => g.Cpes).Select(x => x.DmaGets), Has.All.EqualTo(tiles + (2 * calls)));
            Assert.That(report.CoreGroups.SelectMany(g => g.Cpes).Select(x => x.DmaPuts), Has.All.EqualTo(tiles));
            Assert.That(report.Total.Flops, Is.EqualTo(2L * m * n * k));
        }
    }

    [TestCase(1, 128, 64, 256, 128, 32, 64)]
    [TestCase(4, 256, 128, 128, 128, 32, 32)]
    public void FloatEqualsTheFloatInDoubleReferenceAppliedOncePerKTile(int groups, int m, int n, int k, int tileM, int tileN, int tileK)
    {
        float[] a = RandomFloats(4, m * k), b = RandomFloats(5, k * n), c = RandomFloats(6, m * n);
        var actual = RunFloat(groups, m, n, k, tileM, tileN, tileK, a, b, c);
        var expected = FloatReferencePerKTile(m, n, k, tileK, a, b, c);
        var wholeK = c.ToArray();
        ReferenceGemm.MultiplyAddFloatInDouble(m, n, k, a, m, b, k, wholeK, m);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Bits(actual), Is.EqualTo(Bits(expected)));
            Assert.That(Bits(actual), Is.Not.EqualTo(Bits(wholeK)), "C is rounded to float after every k-tile, not once over the whole K");
        }
    }

    [Test]
    public void FloatWithOneKTileEqualsOneFloatInDoubleReference()
    {
        int m = 128, n = 64, k = 64;
        float[] a = RandomFloats(7, m * k), b = RandomFloats(8, k * n), c = RandomFloats(9, m * n);
        var actual = RunFloat(1, m, n, k, 128, 32, 64, a, b, c);
        var expected = c.ToArray();
        ReferenceGemm.MultiplyAddFloatInDouble(m, n, k, a, m, b, k, expected, m);
        Assert.That(Bits(actual), Is.EqualTo(Bits(expected)));
    }

    [TestCase(250, 64, 64, 128, 32, 64, "m", "m = 250")]
    [TestCase(0, 64, 64, 128, 32, 64, "m", "m = 0")]
    [TestCase(256, 48, 64, 128, 32, 64, "n", "n = 48")]
    [TestCase(256, 64, 100, 128, 32, 64, "k", "k = 100")]
    [TestCase(256, 64, 64, 100, 32, 64, "tileM", "M = 100")]
    [TestCase(256, 64, 64, 128, 33, 64, "tileN", "N = 33")]
    [TestCase(256, 64, 64, 128, 32, 12, "tileK", "K = 12")]
    public void ABadSizeNamesItsParameter(int m, int n, int k, int tileM, int tileN, int tileK, string parameter, string value)
    {
        var error = Assert.Throws<ArgumentException>(() => _ = new TiledGemmKernel(m, n, k, tileM, tileN, tileK));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.ParamName, Is.EqualTo(parameter));
            Assert.That(error.Message, Does.Contain(value));
        }
    }

    [Test]
    public void ABufferSmallerThanItsMatrixIsNamed()
    {
        var kernel = new TiledGemmKernel(128, 32, 16, 128, 32, 8);
        var memory = Group().Memory;
        var a = memory.Allocate<double>("A", 128 * 16);
        var b = memory.Allocate<double>("B", (16 * 32) - 1);
        var c = memory.Allocate<double>("C", 128 * 32);
        var error = Assert.Throws<ArgumentException>(() => kernel.Program(a, b, c));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.ParamName, Is.EqualTo("b"));
            Assert.That(error.Message, Does.Contain("'B'").And.Contain("512 Float64 elements"));
        }
    }

    [Test]
    public void LdmBytesPerCpeIsOneBlockOfEachOperand()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(new TiledGemmKernel(256, 128, 256, 256, 128, 256).LdmBytesPerCpe, Is.EqualTo(((32 * 32) + (32 * 16) + (32 * 16)) * 8));
            Assert.That(new TiledGemmKernel(128, 32, 8, 128, 32, 8, ElementType.Float32).LdmBytesPerCpe, Is.EqualTo((16 + 4 + 64) * 4));
        }
    }
}
