using Swatop.Hardware.Sw26010.Emit.Verification;
namespace Swatop.Tests.Emit;

/// <summary>
/// The shim stops a program that breaks a rule of the machine, with a message naming the CPE and
/// the sizes, as the emulator does: LDM overflow (counting __thread_local data), DMA outside the
/// CPE's LDM, bad descriptors, waits that never end, misaligned vectors, refused or unreceived
/// register words, deadlocks.
/// </summary>
public sealed class ShimRuleTests
{
    private GccShimBuild _build = null!;

    [OneTimeSetUp]
    public void Build() => _build = GccShim.Build("misuse", ShimPrograms.Files("misuse.c"));

    [OneTimeTearDown]
    public void Clean() => _build.Dispose();

    [Test]
    public void AProgramThatBreaksNothingRunsToTheEnd()
    {
        var run = _build.Run("none");
        Assert.That(run.StandardOutput, Does.Contain("finished"));
    }

    [TestCase("ldm-overflow", "CPE (2, 5) of CG 0",
        "ldm_malloc(10000) overflows its LDM of 65536 bytes: 56384 bytes are taken (40000 by 1 ldm_malloc blocks, 16384 by __thread_local data), 9152 are free")]
    [TestCase("dma-outside-ldm", "CPE (3, 1) of CG 0", "athread_get of 256 bytes: LDM side", "is not inside one of its LDM buffers")]
    [TestCase("dma-past-buffer", "CPE (0, 7) of CG 0", "athread_get of 128 bytes: LDM side", "is not inside one of its LDM buffers (1 ldm_malloc blocks")]
    [TestCase("dma-other-ldm", "CPE (1, 1) of CG 0", "lies in the LDM of CPE (1, 2); a CPE reaches only its own LDM")]
    [TestCase("dma-descriptor", "CPE (6, 6) of CG 0", "athread_get of 100 bytes (block size 24, stride 8)", "the block size must divide the size")]
    [TestCase("wait-never", "CPE (7, 0) of CG 0", "the reply word counts 0", "the real machine would wait forever")]
    [TestCase("bad-free", "CPE (5, 5) of CG 0", ", 32): the block was allocated with ldm_malloc(64)")]
    [TestCase("misaligned-simd", "CPE (4, 4) of CG 0", "simd_load of a doublev4 at", "must be a multiple of 32 bytes")]
    [TestCase("rlc-to-self", "CPE (6, 2) of CG 0", "simd_putr to column 2: the destination must be another column 0..7")]
    [TestCase("rlc-unreceived", "CPE (5, 1) of CG 0", "1 register word on its row bus was never received")]
    [TestCase("partial-mask", "CPE (3, 3) of CG 0", "athread_syn(ROW_SCOPE, 0xf): the shim models the whole row only")]
    [TestCase("ldm-on-mpe", "ldm_malloc called outside a CPE")]
    public void ABrokenRuleAbortsNamingTheCpe(string variant, params string[] expected)
    {
        var run = _build.RunExpectingFailure(variant);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.EqualTo(GccShimRun.AbortExitCode), run.StandardError);
            foreach (var text in expected)
            {
                Assert.That(run.StandardError, Does.Contain(text));
            }

            Assert.That(run.StandardError, Does.StartWith("swatop athread shim: "));
            Assert.That(run.StandardOutput, Does.Not.Contain("finished"));
            Assert.That(run.Counts, Is.Empty, "an aborted program writes no counts");
        }
    }

    [Test]
    public void CpesThatAllWaitForRegistersThatNeverComeAreADeadlock()
    {
        var run = _build.RunExpectingFailure("deadlock-get");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.EqualTo(GccShimRun.AbortExitCode));
            Assert.That(run.StandardError, Does.Contain("deadlock in 'misuse', where the real machine would hang: 8 CPEs wait for another and 56 finished:"));
            for (var column = 0; column < 8; column++)
            {
                Assert.That(run.StandardError, Does.Contain($"CPE (2, {column}): simd_getr on its row bus, whose FIFO is empty"));
            }
        }
    }

    [Test]
    public void ASenderBlocksWhenTheReceiversFifoIsFull()
    {
        // Five words to a CPE that takes none: the fifth waits for room that never comes.
        var run = _build.RunExpectingFailure("fifo-full");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.EqualTo(GccShimRun.AbortExitCode));
            Assert.That(run.StandardError, Does.Contain("1 CPE waits for another and 63 finished:"));
            Assert.That(run.StandardError, Does.Contain("CPE (0, 0): simd_putr on its row bus, a receiver's FIFO full (4 words)"));
        }
    }

    [Test]
    public void ABarrierARowNeverReachesIsADeadlock()
    {
        var run = _build.RunExpectingFailure("deadlock-syn");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.EqualTo(GccShimRun.AbortExitCode));
            Assert.That(run.StandardError, Does.Contain("56 CPEs wait for another and 8 finished:"));
            Assert.That(run.StandardError, Does.Contain("CPE (7, 7): athread_syn(ARRAY_SCOPE), 56 of 64 arrived"));
            Assert.That(run.StandardError, Does.Not.Contain("CPE (0, 3):"), "row 0 finished and waits for nothing");
        }
    }
}
