using Swatop.Core.Ir;
using Swatop.Hardware.Sw26010;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Execution;
using Swatop.Hardware.Sw26010.Kernels;
using Swatop.Primitives;
using static Swatop.Tests.Emulator.EmulatorHarness;

namespace Swatop.Tests.Execution;

/// <summary>Hand-built GEMM kernels run by the executor: bit-exact against the reference, and the same cycles as the hand-written kernel.</summary>
public sealed class CompiledKernelGemmTests
{
    private const int M = 256;
    private const int N = 64;
    private const int K = 192;

    /// <summary>Runs a GEMM IR kernel on one core group over copies of <paramref name="a"/>, <paramref name="b"/>, <paramref name="c"/>; returns C and the report.</summary>
    private static (double[] C, CoreGroupRunReport Report) Run(CompiledKernel kernel, double[] a, double[] b, double[] c, EmulatorOptions options)
    {
        var group = Group(options);
        var buffers = new Dictionary<string, GlobalBuffer>
        {
            ["A"] = group.Memory.Allocate<double>("A", a.Length),
            ["B"] = group.Memory.Allocate<double>("B", b.Length),
            ["C"] = group.Memory.Allocate<double>("C", c.Length),
        };
        a.CopyTo(buffers["A"].AsSpan<double>());
        b.CopyTo(buffers["B"].AsSpan<double>());
        c.CopyTo(buffers["C"].AsSpan<double>());
        var report = group.Run(kernel.Program(buffers));
        return (buffers["C"].AsSpan<double>().ToArray(), report);
    }

    private static (double[] A, double[] B, double[] C, long[] Expected) Problem(int seed)
    {
        double[] a = RandomDoubles(seed, M * K), b = RandomDoubles(seed + 1, K * N), c = RandomDoubles(seed + 2, M * N);
        var expected = c.ToArray();
        ReferenceGemm.MultiplyAdd(M, N, K, a, M, b, K, expected, M);
        return (a, b, c, Bits(expected));
    }

    [TestCase(128, 32, 64)]
    [TestCase(256, 64, 64)]
    [TestCase(128, 32, 192)]
    public void SingleBufferedGemmMatchesTheReferenceBitForBit(int tileM, int tileN, int tileK)
    {
        var (a, b, c, expected) = Problem(1);
        var kernel = CompiledKernel.Compile(GemmIrKernels.SingleBuffered(M, N, K, tileM, tileN, tileK));
        var (actual, report) = Run(kernel, a, b, c, EmulatorOptions.Sequential);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Bits(actual), Is.EqualTo(expected));
            Assert.That(report.Cpes.Select(x => x.MeshGemmCalls), Has.All.EqualTo((M / tileM) * (N / tileN) * (K / tileK)));
        }
    }

    [Test]
    public void SingleBufferedGemmTakesTheHandWrittenKernelsCycles()
    {
        var (a, b, c, _) = Problem(2);
        var (_, viaIr) = Run(CompiledKernel.Compile(GemmIrKernels.SingleBuffered(M, N, K, 128, 32, 64)), a, b, c, EmulatorOptions.Sequential);
        var group = Group();
        var handWritten = new TiledGemmKernel(M, N, K, 128, 32, 64);
        var report = group.Run(handWritten.Program(group.Memory.Allocate<double>("A", M * K), group.Memory.Allocate<double>("B", K * N), group.Memory.Allocate<double>("C", M * N)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(viaIr.Profile.KernelCycles, Is.EqualTo(report.Profile.KernelCycles));
            Assert.That(viaIr.Profile.Cpes, Is.EqualTo(report.Profile.Cpes));
            Assert.That(viaIr.Cpes, Is.EqualTo(report.Cpes));
        }
    }

    [TestCase(128, 32, 64)]
    [TestCase(128, 64, 32)]
    public void DoubleBufferedAGivesTheSameBits(int tileM, int tileN, int tileK)
    {
        var (a, b, c, expected) = Problem(3);
        var single = Run(CompiledKernel.Compile(GemmIrKernels.SingleBuffered(M, N, K, tileM, tileN, tileK)), a, b, c, EmulatorOptions.Sequential);
        var doubled = Run(CompiledKernel.Compile(GemmIrKernels.DoubleBufferedA(M, N, K, tileM, tileN, tileK)), a, b, c, EmulatorOptions.Sequential);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Bits(doubled.C), Is.EqualTo(expected));
            Assert.That(doubled.Report.Total.DmaGets, Is.EqualTo(single.Report.Total.DmaGets), "each A block is still fetched once");
            Assert.That(doubled.Report.Profile.KernelCycles, Is.LessThan(single.Report.Profile.KernelCycles), "the prefetch overlaps A's transfer with B's and the multiply");
        }

        TestContext.Out.WriteLine($"tile {tileM} x {tileN} x {tileK}: {single.Report.Profile.KernelCycles:F0} cycles single-buffered, {doubled.Report.Profile.KernelCycles:F0} with A double-buffered");
    }

    [Test]
    public void ParallelAndSequentialModesGiveTheSameBitsAndCycles()
    {
        var (a, b, c, expected) = Problem(4);
        var kernel = CompiledKernel.Compile(GemmIrKernels.DoubleBufferedA(M, N, K, 128, 32, 64));
        var runs = Modes.Select(options => Run(kernel, a, b, c, options)).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(runs.Select(r => Bits(r.C)), Has.All.EqualTo(expected));
            Assert.That(runs.Select(r => r.Report.Profile.KernelCycles).Distinct().Count(), Is.EqualTo(1));
            Assert.That(runs[1].Report.Cpes, Is.EqualTo(runs[0].Report.Cpes));
        }
    }

    [Test]
    public void TimingOnlyGivesTheFullRunsCyclesAndLeavesTheOutput()
    {
        var (a, b, c, _) = Problem(5);
        var kernel = CompiledKernel.Compile(GemmIrKernels.DoubleBufferedA(M, N, K, 128, 32, 64));
        var full = Run(kernel, a, b, c, EmulatorOptions.Sequential);
        var timed = Run(kernel, a, b, c, EmulatorOptions.Sequential with { TimingOnly = true });
        using (Assert.EnterMultipleScope())
        {
            Assert.That(timed.Report.Profile.KernelCycles, Is.EqualTo(full.Report.Profile.KernelCycles));
            Assert.That(timed.Report.Profile.Cpes, Is.EqualTo(full.Report.Profile.Cpes));
            Assert.That(Bits(timed.C), Is.EqualTo(Bits(c)), "a timing-only run moves no data");
        }
    }

    [Test]
    public void AKernelRunOftenEnoughForCompiledAddressesKeepsItsBitsAndCycles()
    {
        // A run evaluates each address 64 CPEs x 12 tiles times; ten runs pass the point at which
        // the executor turns an expression into machine code (4,096 evaluations) on every address.
        var (a, b, c, expected) = Problem(7);
        var kernel = CompiledKernel.Compile(GemmIrKernels.DoubleBufferedA(M, N, K, 128, 32, 64));
        var first = Run(kernel, a, b, c, EmulatorOptions.Sequential);
        var firstTimed = Run(kernel, a, b, c, EmulatorOptions.Sequential with { TimingOnly = true });
        for (var run = 0; run < 8; run++)
        {
            Run(kernel, a, b, c, EmulatorOptions.Sequential with { TimingOnly = true });
        }

        var late = Run(kernel, a, b, c, EmulatorOptions.Sequential);
        var lateTimed = Run(kernel, a, b, c, EmulatorOptions.Sequential with { TimingOnly = true });
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Bits(first.C), Is.EqualTo(expected));
            Assert.That(Bits(late.C), Is.EqualTo(expected));
            Assert.That(late.Report.Profile.Cpes, Is.EqualTo(first.Report.Profile.Cpes));
            Assert.That(late.Report.Cpes, Is.EqualTo(first.Report.Cpes));
            Assert.That(lateTimed.Report.Profile.Cpes, Is.EqualTo(first.Report.Profile.Cpes));
            Assert.That(firstTimed.Report.Profile.KernelCycles, Is.EqualTo(first.Report.Profile.KernelCycles));
        }
    }

    [Test]
    public void OneCompiledKernelServesManyPrograms()
    {
        var (a, b, c, expected) = Problem(6);
        var kernel = CompiledKernel.Compile(GemmIrKernels.SingleBuffered(M, N, K, 128, 32, 64));
        var first = Run(kernel, a, b, c, EmulatorOptions.Sequential);
        var second = Run(kernel, a, b, c, EmulatorOptions.Sequential);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Bits(second.C), Is.EqualTo(expected));
            Assert.That(second.Report.Profile.KernelCycles, Is.EqualTo(first.Report.Profile.KernelCycles));
            Assert.That(kernel.Kernel.Name, Is.EqualTo("gemm"));
        }
    }

    [Test]
    public void FloatKernelsMoveFourByteElements()
    {
        int m = 128, n = 32, k = 64;
        float[] a = RandomFloats(7, m * k), b = RandomFloats(8, k * n), c = RandomFloats(9, m * n);
        var expected = c.ToArray();
        ReferenceGemm.MultiplyAddFloatInDouble(m, n, k, a, m, b, k, expected, m);
        var kernel = CompiledKernel.Compile(GemmIrKernels.SingleBuffered(m, n, k, 128, 32, 64, ElementType.Float32));
        var group = Group();
        var buffers = new Dictionary<string, GlobalBuffer>
        {
            ["A"] = group.Memory.Allocate<float>("A", a.Length),
            ["B"] = group.Memory.Allocate<float>("B", b.Length),
            ["C"] = group.Memory.Allocate<float>("C", c.Length),
        };
        a.CopyTo(buffers["A"].AsSpan<float>());
        b.CopyTo(buffers["B"].AsSpan<float>());
        c.CopyTo(buffers["C"].AsSpan<float>());
        group.Run(kernel.Program(buffers));
        Assert.That(Bits(buffers["C"].AsSpan<float>()), Is.EqualTo(Bits(expected)));
    }
}
