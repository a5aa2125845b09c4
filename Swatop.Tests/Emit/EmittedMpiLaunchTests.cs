using System.Runtime.InteropServices;
using Swatop.Core;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Hardware.Sw26010.Emit;
using Swatop.Hardware.Sw26010.Emit.Verification;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Tests.Emit;

/// <summary>
/// The emitted launch a TaihuLight job runs, one MPI rank per core group, exercised on the host: the
/// MPE files built with <c>SWATOP_MPI</c> against a fake MPI that runs one rank per process (the real
/// machine's ranks are processes too). Each rank computes its core group's share alone, the shares
/// merged as <c>_gather</c>'s <c>MPI_BOR</c> merges them are the shim's output bit for bit, and the ranks'
/// per-CPE counts add up to the one-process run's; a job with the wrong number of ranks is refused.
/// </summary>
public sealed class EmittedMpiLaunchTests
{
    private static readonly OperatorSpec Gemm = Operator.Gemm(256, 40, 16);

    private static readonly OperatorSpec FloatConvolution = Operator.Conv2d(4, 16, 32, 6, 6, 3, padding: 1, elementType: ElementType.Float32);

    [Test]
    public void Two_ranks_of_a_double_gemm_merge_into_the_one_process_output() =>
        CheckRanks(EmittedC.Kernel(Gemm, Lowering.GemmLoweringGoldenTests.Schedule), seed: 3);

    [Test]
    public void Four_ranks_of_a_float_convolution_merge_into_the_one_process_output()
    {
        var schedule = ImplicitGemmSpace.For(FloatConvolution, Sw26010Target.Default.Limits).Enumerate().First(s => s.CoreGroups == 4);
        CheckRanks(EmittedC.Kernel(FloatConvolution, schedule), seed: 5);
    }

    [Test]
    public void A_job_without_one_rank_per_core_group_is_refused()
    {
        var kernel = EmittedC.Kernel(Gemm, Lowering.GemmLoweringGoldenTests.Schedule);
        using var build = Build(kernel);
        WriteOperands(build, kernel, seed: 1);
        File.WriteAllText(build.PathOf("rank.txt"), "0 3\n");
        var run = build.RunExpectingFailure("run", "left.bin", "right.bin", "out.bin");
        Assert.That(run.StandardError, Does.Contain("swatop_gemm: the kernel runs as 2 MPI ranks, one per core group; the job has 3."));
        Assert.That(File.Exists(build.PathOf("out.bin")), Is.False, "nothing is written");
    }

    private static void CheckRanks(Sw26010Kernel kernel, int seed)
    {
        var groups = kernel.Lowered.Schedule.CoreGroups;
        var whole = EmittedKernelCheck.Run(kernel, seed);
        var single = kernel.Operator.ElementType == ElementType.Float32;
        var expected = single ? MemoryMarshal.AsBytes(whole.Output.Select(v => (float)v).ToArray().AsSpan()).ToArray() : MemoryMarshal.AsBytes(whole.Output.AsSpan()).ToArray();

        using var build = Build(kernel);
        WriteOperands(build, kernel, seed);
        var merged = new byte[expected.Length];
        var counts = new long[64][];
        for (var rank = 0; rank < groups; rank++)
        {
            File.WriteAllText(build.PathOf("rank.txt"), $"{rank} {groups}\n");
            File.Delete(build.PathOf($"reduce-{rank}.bin"));
            var run = build.Run("run", "left.bin", "right.bin", "out.bin");
            var share = build.ReadBytes($"reduce-{rank}.bin");
            Assert.That(share, Has.Length.EqualTo(expected.Length), $"rank {rank} reduces the whole output");
            Assert.That(share.Any(b => b != 0), $"rank {rank} computed something");
            if (groups > 1)
            {
                Assert.That(share, Is.Not.EqualTo(expected), $"rank {rank} computed its core group's share, not the whole output");
            }

            for (var i = 0; i < merged.Length; i++)
            {
                merged[i] |= share[i];
            }

            foreach (var cpe in run.Counts)
            {
                var row = counts[cpe.Id] ??= new long[Hardware.Sw26010.Primitives.ActivityColumns.All.Count];
                for (var c = 0; c < row.Length; c++)
                {
                    row[c] += Hardware.Sw26010.Primitives.ActivityColumns.All[c].Get(cpe.Activity);
                }
            }
        }

        Assert.That(merged, Is.EqualTo(expected), "the ranks' shares, merged by a bitwise OR, are the one-process output");
        foreach (var cpe in whole.Counts)
        {
            Assert.That(counts[cpe.Id], Is.EqualTo(Hardware.Sw26010.Primitives.ActivityColumns.All.Select(c => c.Get(cpe.Activity))), $"{cpe.Cpe}: the ranks' counts add up to the one-process run's");
        }
    }

    /// <summary>The kernel's sources with the MPE files built for MPI (as the Makefile builds them for the Sunway), the fake MPI beside them.</summary>
    private static GccShimBuild Build(Sw26010Kernel kernel)
    {
        var files = new Dictionary<string, string>(kernel.Sources.Files, StringComparer.Ordinal);
        foreach (var file in new[] { KernelFiles.Host, KernelFiles.Main })
        {
            Assert.That(files[file], Does.Contain($"#ifdef {HostFilePrinter.MpiMacro}"), file);
            files[file] = $"#define {HostFilePrinter.MpiMacro} 1\n" + files[file];
        }

        foreach (var (name, text) in ShimPrograms.Files("mpi.h", "fake_mpi.c"))
        {
            files[name] = text;
        }

        return GccShim.Build($"{kernel.Operator.Signature} under MPI", files);
    }

    private static void WriteOperands(GccShimBuild build, Sw26010Kernel kernel, int seed)
    {
        var (left, right) = ReferenceOperands.Draw(kernel.Operator.Expression, seed);
        foreach (var (name, values) in new[] { ("left.bin", left), ("right.bin", right) })
        {
            File.WriteAllBytes(build.PathOf(name), kernel.Operator.ElementType == ElementType.Float32
                ? MemoryMarshal.AsBytes(values.Select(v => (float)v).ToArray().AsSpan()).ToArray()
                : MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
        }
    }
}
