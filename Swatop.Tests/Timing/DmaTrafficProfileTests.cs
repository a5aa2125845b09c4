using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Primitives;
using Swatop.Tests.Emulator;

namespace Swatop.Tests.Timing;

/// <summary>
/// What a core group's profile says about its DMA traffic: how busy the memory controller was, how many requests
/// and blocks it served, and how many of the bytes went to or from the shared memory, where the framework's tensors lie.
/// </summary>
public sealed class DmaTrafficProfileTests
{
    [Test]
    public void A_profile_counts_the_requests_blocks_and_shared_bytes_the_controller_served()
    {
        // One CPE gets 512 bytes from its group's memory in one block, 1,024 bytes from the shared memory in 4 blocks of
        // 256, then puts 512 bytes into the shared memory in 2 blocks of 256: 3 requests, 7 blocks, 1,536 of 2,048 bytes shared.
        var chip = EmulatorHarness.Chip(1, EmulatorOptions.Sequential);
        var group = chip.CoreGroups[0];
        var own = group.Memory.Allocate<byte>("own", 4096);
        var shared = chip.SharedMemory.Allocate<byte>("shared", 8192);
        var report = group.Run(async cpe =>
        {
            if (cpe.Id is not { Row: 0, Column: 0 })
            {
                return;
            }

            var local = cpe.Ldm.Allocate("local", ElementType.Float64, 192);
            var reply = cpe.CreateReplyWord("reply");
            cpe.DmaGet(local.Slice(0, 64), own.At(0), reply);
            cpe.DmaGet(local.Slice(64, 128), shared.At(0), reply, blockBytes: 256, strideBytes: 256);
            await cpe.DmaWait(reply, 2);
            cpe.DmaPut(local.Slice(0, 64), shared.At(4096), reply, blockBytes: 256, strideBytes: 128);
            await cpe.DmaWait(reply, 3);
        });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Profile.DmaBytes, Is.EqualTo(2048));
            Assert.That(report.Profile.DmaRequests, Is.EqualTo(3));
            Assert.That(report.Profile.DmaBlocks, Is.EqualTo(7));
            Assert.That(report.Profile.DmaSharedBytes, Is.EqualTo(1536));
            Assert.That(report.Profile.DmaMeanBlockBytes, Is.EqualTo(2048.0 / 7).Within(1e-12));
            Assert.That(report.Profile.ToString(), Does.Contain("3 requests of 7 blocks (293 bytes a block), 75% of the bytes to or from the shared memory"));
        }
    }

    [Test]
    public void A_kernel_that_only_moves_data_keeps_the_controller_busy_and_one_that_only_waits_does_not()
    {
        // Every CPE gets and puts 4 KB back to back: the controller is the bottleneck and busy nearly all the kernel.
        var busy = EmulatorHarness.Group(EmulatorOptions.Sequential);
        var memory = busy.Memory.Allocate<byte>("memory", 64 * 4096);
        var moving = busy.Run(async cpe =>
        {
            var local = cpe.Ldm.Allocate("local", ElementType.Float64, 512);
            var reply = cpe.CreateReplyWord("reply");
            var at = memory.At(((cpe.Id.Row * 8) + cpe.Id.Column) * 4096);
            cpe.DmaGet(local.All, at, reply);
            await cpe.DmaWait(reply, 1);
            cpe.DmaPut(local.All, at, reply);
            await cpe.DmaWait(reply, 2);
        });

        // One CPE moves 8 bytes and the kernel ends: the controller is busy for a small part of it (the reply's latency is not service).
        var idle = EmulatorHarness.Group(EmulatorOptions.Sequential);
        var word = idle.Memory.Allocate<byte>("word", 128);
        var waiting = idle.Run(async cpe =>
        {
            if (cpe.Id is not { Row: 0, Column: 0 })
            {
                return;
            }

            var local = cpe.Ldm.Allocate("local", ElementType.Float64, 1);
            var reply = cpe.CreateReplyWord("reply");
            cpe.DmaGet(local.All, word.At(0), reply);
            await cpe.DmaWait(reply, 1);
        });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(moving.Profile.ControllerBusyShare, Is.GreaterThan(0.9), moving.Profile.ToString());
            Assert.That(waiting.Profile.ControllerBusyShare, Is.LessThan(0.5), waiting.Profile.ToString());
            Assert.That(waiting.Profile.DmaSharedBytes, Is.Zero);
        }
    }
}
