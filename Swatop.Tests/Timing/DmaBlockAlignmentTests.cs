using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Timing;
using Swatop.Primitives;
using Swatop.Tests.Emulator;

namespace Swatop.Tests.Timing;

/// <summary>How much of a kernel's DMA moves in 128-byte-aligned blocks of 256 bytes or more, the form the references issue.</summary>
public sealed class DmaBlockAlignmentTests
{
    [Test]
    public void CountsTheWideBlocksThatStartOnALine([Values(1, 2, 3, 4, 5, 6, 7, 8)] int seed)
    {
        var random = new Random(seed);
        for (var trial = 0; trial < 200; trial++)
        {
            var start = random.Next(0, 1 << 20) * 4L;
            var blocks = random.Next(1, 300);
            var block = random.Next(1, 200) * 4;
            var stride = random.Next(0, 2) == 0 ? 0 : random.Next(0, 500) * 4;
            var expected = Enumerable.Range(0, blocks).Count(i => block >= 256 && (start + ((long)i * (block + stride))) % 128 == 0);

            Assert.That(DmaBlockAlignment.AlignedWideBlocks(start, blocks, block, stride), Is.EqualTo(expected), $"start {start}, {blocks} blocks of {block} bytes, stride {stride}");
        }
    }

    [Test]
    public void AProfileTellsTheShareOfItsBytesInAlignedWideBlocks()
    {
        // One CPE gets 256 bytes from a line's start (counted), 256 bytes from 64 bytes into a line and
        // 128 bytes from a line's start (neither counted), then puts 4 blocks of 256 bytes 128 bytes apart
        // from a line's start (all counted): 1,280 of 1,664 bytes.
        var group = EmulatorHarness.Group(EmulatorOptions.Sequential);
        var memory = group.Memory.Allocate<byte>("memory", 4096);
        var report = group.Run(async cpe =>
        {
            if (cpe.Id is not { Row: 0, Column: 0 })
            {
                return;
            }

            var local = cpe.Ldm.Allocate("local", ElementType.Float64, 128);
            var reply = cpe.CreateReplyWord("reply");
            cpe.DmaGet(local.Slice(0, 32), memory.At(0), reply);
            cpe.DmaGet(local.Slice(32, 32), memory.At(64), reply);
            cpe.DmaGet(local.Slice(64, 16), memory.At(1024), reply);
            await cpe.DmaWait(reply, 3);
            cpe.DmaPut(local.All, memory.At(2048), reply, blockBytes: 256, strideBytes: 128);
            await cpe.DmaWait(reply, 4);
        });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Profile.DmaBytes, Is.EqualTo(1664));
            Assert.That(report.Profile.DmaAlignedWideBytes, Is.EqualTo(1280));
            Assert.That(report.Profile.DmaAlignedWideShare, Is.EqualTo(1280.0 / 1664).Within(1e-12));
            Assert.That(report.Profile.ToString(), Does.Contain("77% of it in 128-byte-aligned blocks of 256 bytes or more"));
        }
    }
}
