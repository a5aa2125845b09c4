using Swatop.Hardware.Sw26010.Emit.Verification;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Primitives;
using static Swatop.Tests.Emulator.EmulatorHarness;

namespace Swatop.Tests.Emit;

/// <summary>The shim's DMA: strided gets and puts land the right bytes, leave the gaps alone, and count as the emulator counts.</summary>
public sealed class ShimDmaTests
{
    private const int TlsBytes = 4096; // the program's __thread_local buffer
    private GccShimBuild _build = null!;

    [OneTimeSetUp]
    public void Build() => _build = GccShim.Build("dma_round_trip", ShimPrograms.Files("dma_round_trip.c"));

    [OneTimeTearDown]
    public void Clean() => _build.Dispose();

    [TestCase(4096, 0, 0, 0, TestName = "one contiguous block of 4 KB")]
    [TestCase(1024, 128, 896, 0, TestName = "C-block shape: 8 blocks of 128 B, stride 896 B")]
    [TestCase(32, 8, 56, 8, TestName = "B-block shape: 4 blocks of 8 B, stride 56 B, offset 8")]
    [TestCase(120, 12, 4, 4, TestName = "15 blocks of 12 B, stride 4 B, offset 4")]
    [TestCase(40, 4, 124, 12, TestName = "10 blocks of 4 B, stride 124 B, offset 12")]
    [TestCase(256, 256, 0, 64, TestName = "one block named by its size")]
    public void ARoundTripMovesTheBlocksAndCountsThem(int size, int bsize, int stride, int offset)
    {
        var run = _build.Run($"{size}", $"{bsize}", $"{stride}", $"{offset}");

        var block = bsize > 0 ? bsize : size;
        var blocks = size / block;
        var extent = ((blocks - 1) * (block + stride)) + block;
        var region = (offset + extent + 127) / 128 * 128;
        var expected = Enumerable.Repeat((byte)0xEE, 64 * region).ToArray();
        for (var id = 0; id < 64; id++)
        {
            for (var b = 0; b < blocks; b++)
            {
                for (var i = 0; i < block; i++)
                {
                    long at = (id * region) + offset + (b * (block + stride)) + i;
                    expected[at] = (byte)~(byte)((at * 131) + 17);
                }
            }
        }

        var actual = _build.ReadBytes("dst.bin");
        if (!actual.AsSpan().SequenceEqual(expected))
        {
            var first = Enumerable.Range(0, Math.Min(actual.Length, expected.Length)).FirstOrDefault(i => actual[i] != expected[i]);
            throw _build.Mismatch($"dst.bin differs from the expected scatter (first at byte {first} of {expected.Length}: {actual.ElementAtOrDefault(first)} instead of {expected[first]}).");
        }

        Assert.That(run.Counts, Has.Count.EqualTo(64));
        using (Assert.EnterMultipleScope())
        {
            foreach (var cpe in run.Counts)
            {
                Assert.That(cpe.Activity, Is.EqualTo(new CpeActivity
                {
                    DmaGets = 1,
                    DmaPuts = 1,
                    DmaGetBytes = size,
                    DmaPutBytes = size,
                    DmaBlocks = 2 * blocks,
                    DmaWaits = 2,
                }), cpe.Cpe.ToString());
                Assert.That(cpe.LdmPeakBytes, Is.EqualTo(TlsBytes + ((size + 31) / 32 * 32)), $"{cpe.Cpe}: __thread_local data and the ldm_malloc block");
            }
        }

        _build.CompareCounts(run, Emulate(size, bsize, stride, offset, region));
    }

    /// <summary>The same DMA on the emulator, for its counts.</summary>
    private static IReadOnlyList<CpeActivity> Emulate(int size, int bsize, int stride, int offset, int region)
    {
        var group = Group();
        var source = group.Memory.Allocate<byte>("src", 64 * region);
        var target = group.Memory.Allocate<byte>("dst", 64 * region);
        var report = group.Run(async cpe =>
        {
            var local = cpe.Ldm.Allocate("local", ElementType.Float32, size / 4);
            var reply = cpe.CreateReplyWord("reply");
            var at = (cpe.IdInGroup * region) + offset;
            cpe.DmaGet(local.All, source.At(at), reply, bsize, stride);
            await cpe.DmaWait(reply, 1);
            cpe.DmaPut(local.All, target.At(at), reply, bsize, stride);
            await cpe.DmaWait(reply, 2);
        });
        return report.Cpes;
    }
}
