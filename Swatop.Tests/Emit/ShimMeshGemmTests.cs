using Swatop.Hardware.Sw26010.Emit.Verification;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Primitives;
using static Swatop.Tests.Emulator.EmulatorHarness;

namespace Swatop.Tests.Emit;

/// <summary>
/// A SUMMA mesh GEMM written in athread C (host and CPE files, register broadcasts, vmad) runs on
/// the shim bit for bit like the reference and the emulator's mesh GEMM, with the same per-CPE
/// counts, and is clean under AddressSanitizer and UndefinedBehaviorSanitizer.
/// </summary>
public sealed class ShimMeshGemmTests
{
    private const int M = 128, N = 32, K = 8, Mb = M / 8, Nb = N / 8, Kb = K / 8;

    private static readonly string[] Files = ["gemm.h", "gemm_host.c", "gemm_slave.c"];
    private GccShimBuild _build = null!;

    [OneTimeSetUp]
    public void Build() => _build = GccShim.Build("summa", ShimPrograms.Files(Files));

    [OneTimeTearDown]
    public void Clean() => _build.Dispose();

    [TestCase(1)]
    [TestCase(2)]
    public void TheShimMatchesTheReferenceAndTheEmulator(int seed)
    {
        var (a, b, c) = Inputs(seed);
        var build = _build;
        var run = RunOn(build, a, b, c);

        var reference = c.ToArray();
        ReferenceGemm.MultiplyAdd(M, N, K, a, M, b, K, reference, M);
        var (emulated, activity) = Emulate(a, b, c);
        var shim = build.ReadDoubles("c_out.bin");
        build.CompareBits("C from the shim against the reference", reference, shim);
        build.CompareBits("C from the shim against the emulator", emulated, shim);
        build.CompareCounts(run, activity);
        Assert.That(run.Counts.Select(x => x.Activity.RlcGets), Is.All.EqualTo(7 * 2 * (Mb / 16) * (Nb / 4) * Kb * 4), "4 A vectors and 4 B splats per register block and reduction index, from each of 7 step owners");
    }

    [Test]
    public void TheSanitizersReportNothing()
    {
        var (a, b, c) = Inputs(seed: 3);
        using var build = GccShim.Build("summa_sanitized", ShimPrograms.Files(Files), GccShimOptions.Default with { Sanitize = true });
        var run = RunOn(build, a, b, c); // Run fails on any sanitizer report

        var reference = c.ToArray();
        ReferenceGemm.MultiplyAdd(M, N, K, a, M, b, K, reference, M);
        build.CompareBits("C from the sanitized shim build against the reference", reference, build.ReadDoubles("c_out.bin"));
        Assert.That(run.StandardError, Is.Empty);
    }

    private static (double[] A, double[] B, double[] C) Inputs(int seed) =>
        (RandomDoubles(seed * 3, M * K), RandomDoubles((seed * 3) + 1, K * N), RandomDoubles((seed * 3) + 2, M * N));

    private static GccShimRun RunOn(GccShimBuild build, double[] a, double[] b, double[] c)
    {
        build.WriteDoubles("a.bin", a);
        build.WriteDoubles("b.bin", b);
        build.WriteDoubles("c.bin", c);
        return build.Run();
    }

    /// <summary>The same kernel on the emulator: the same DMA, its mesh GEMM primitive instead of the hand-written SUMMA.</summary>
    private static (double[] C, IReadOnlyList<CpeActivity> Activity) Emulate(double[] a, double[] b, double[] c)
    {
        var group = Group();
        var memoryA = group.Memory.Allocate<double>("A", M * K);
        var memoryB = group.Memory.Allocate<double>("B", K * N);
        var memoryC = group.Memory.Allocate<double>("C", M * N);
        a.CopyTo(memoryA.AsSpan<double>());
        b.CopyTo(memoryB.AsSpan<double>());
        c.CopyTo(memoryC.AsSpan<double>());
        var report = group.Run(async cpe =>
        {
            int row = cpe.Id.Row, column = cpe.Id.Column;
            var blockA = cpe.Ldm.Allocate("A block", ElementType.Float64, Mb * Kb);
            var blockB = cpe.Ldm.Allocate("B block", ElementType.Float64, Kb * Nb);
            var blockC = cpe.Ldm.Allocate("C block", ElementType.Float64, Mb * Nb);
            var got = cpe.CreateReplyWord("got");
            var put = cpe.CreateReplyWord("put");
            var atC = memoryC.AtElement<double>((column * Nb * M) + (row * Mb));
            cpe.DmaGet(blockA.All, memoryA.AtElement<double>((column * Kb * M) + (row * Mb)), got, Mb * 8, (M - Mb) * 8);
            cpe.DmaGet(blockB.All, memoryB.AtElement<double>((column * Nb * K) + (row * Kb)), got, Kb * 8, (K - Kb) * 8);
            cpe.DmaGet(blockC.All, atC, got, Mb * 8, (M - Mb) * 8);
            await cpe.DmaWait(got, 3);
            await cpe.MeshGemm(M, N, K, blockA.All, blockB.All, blockC.All);
            cpe.DmaPut(blockC.All, atC, put, Mb * 8, (M - Mb) * 8);
            await cpe.DmaWait(put, 1);
        });
        return (memoryC.AsSpan<double>().ToArray(), report.Cpes);
    }
}
