using System.Runtime.InteropServices;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Primitives;
using static Swatop.Tests.Emulator.EmulatorHarness;

namespace Swatop.Tests.Emulator;

/// <summary>DMA between main memory and LDM: strided gets and puts, reply words, descriptor and range rules.</summary>
public sealed class DmaTests
{
    [Test]
    public void StridedGetAndPutMatchANaiveGatherAndScatter([Values(1, 2, 3, 4, 5)] int seed, [Values] ElementType type)
    {
        var random = new Random(seed);
        var elementBytes = type == ElementType.Float64 ? 8 : 4;
        var contiguous = random.Next(4) == 0;
        var blocks = contiguous ? 1 : random.Next(1, 13);
        var blockBytes = random.Next(1, 9) * elementBytes;
        var strideBytes = contiguous ? 0 : random.Next(0, 10) * 4;
        var size = blocks * blockBytes;
        var offset = random.Next(0, 8) * 4;
        var extent = ((blocks - 1) * (blockBytes + strideBytes)) + blockBytes;
        var length = offset + extent + random.Next(0, 16);

        var group = Group();
        var source = group.Memory.Allocate<byte>("source", length);
        var target = group.Memory.Allocate<byte>("target", length);
        random.NextBytes(source.AsSpan<byte>());
        target.AsSpan<byte>().Fill(0xEE);
        var original = source.AsSpan<byte>().ToArray();

        var got = new byte[size];
        var report = group.Run(async cpe =>
        {
            if (cpe.Id is not { Row: 1, Column: 3 })
            {
                return;
            }

            var local = cpe.Ldm.Allocate("local", type, size / elementBytes);
            var reply = cpe.CreateReplyWord("reply");
            cpe.DmaGet(local.All, source.At(offset), reply, contiguous ? 0 : blockBytes, strideBytes);
            await cpe.DmaWait(reply, 1);
            Invert(cpe, local, got);
            cpe.DmaPut(local.All, target.At(offset), reply, contiguous ? 0 : blockBytes, strideBytes);
            await cpe.DmaWait(reply, 2);
        });

        var gathered = new byte[size];
        var scattered = Enumerable.Repeat((byte)0xEE, length).ToArray();
        for (var block = 0; block < blocks; block++)
        {
            for (var i = 0; i < blockBytes; i++)
            {
                var memory = offset + (block * (blockBytes + strideBytes)) + i;
                gathered[(block * blockBytes) + i] = original[memory];
                scattered[memory] = (byte)~original[memory];
            }
        }

        var activity = report.Cpes[(1 * 8) + 3];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(got, Is.EqualTo(gathered), "get");
            Assert.That(target.AsSpan<byte>().ToArray(), Is.EqualTo(scattered), "put writes the blocks and leaves the gaps alone");
            Assert.That(source.AsSpan<byte>().ToArray(), Is.EqualTo(original), "a get leaves main memory alone");
            Assert.That(activity.DmaGets, Is.EqualTo(1));
            Assert.That(activity.DmaPuts, Is.EqualTo(1));
            Assert.That(activity.DmaGetBytes, Is.EqualTo(size));
            Assert.That(activity.DmaPutBytes, Is.EqualTo(size));
            Assert.That(activity.DmaBlocks, Is.EqualTo(2 * blocks));
            Assert.That(activity.DmaWaits, Is.EqualTo(2));
            Assert.That(report.Total.DmaGets, Is.EqualTo(1), "no other CPE moved anything");
        }

        // Records what arrived, then inverts every byte in LDM so the put is told apart from the get.
        static void Invert(ICpe cpe, LdmBuffer local, byte[] got)
        {
            var bytes = local.ElementType == ElementType.Float64
                ? MemoryMarshal.AsBytes(cpe.Ldm.Doubles(local.All))
                : MemoryMarshal.AsBytes(cpe.Ldm.Floats(local.All));
            bytes.CopyTo(got);
            foreach (ref var b in bytes)
            {
                b = (byte)~b;
            }
        }
    }

    [Test]
    public void ReplyWordsCountTheirTransfers()
    {
        var group = Group();
        var memory = group.Memory.Allocate<double>("memory", 64);
        var observed = new List<(int Issued, int Completed)>();
        var report = group.Run(async cpe =>
        {
            if (cpe.Id is not { Row: 2, Column: 7 })
            {
                return;
            }

            var local = cpe.Ldm.Allocate("local", ElementType.Float64, 16);
            var gets = cpe.CreateReplyWord("gets");
            var puts = cpe.CreateReplyWord("puts");
            observed.Add((gets.Issued, gets.Completed));
            cpe.DmaGet(local.Slice(0, 8), memory.At(0), gets);
            cpe.DmaGet(local.Slice(8, 4), memory.AtElement<double>(8), gets);
            cpe.DmaGet(local.Slice(12, 4), memory.AtElement<double>(16), gets, 16, 16);
            await cpe.DmaWait(gets, 3);
            observed.Add((gets.Issued, gets.Completed));
            cpe.DmaPut(local.All, memory.AtElement<double>(32), puts);
            await cpe.DmaWait(puts, 1);
            observed.Add((puts.Issued, puts.Completed));
            gets.Reset();
            observed.Add((gets.Issued, gets.Completed));
            await cpe.DmaWait(gets, 0);
        });

        var activity = report.Cpes[(2 * 8) + 7];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(observed, Is.EqualTo(new[] { (0, 0), (3, 3), (1, 1), (0, 0) }));
            Assert.That(activity.DmaGets, Is.EqualTo(3));
            Assert.That(activity.DmaGetBytes, Is.EqualTo(128));
            Assert.That(activity.DmaBlocks, Is.EqualTo(1 + 1 + 2 + 1));
            Assert.That(activity.DmaWaits, Is.EqualTo(3));
        }
    }

    [Test]
    public void WaitingForMoreRepliesThanIssuedIsADeadlock()
    {
        var group = Group();
        var memory = group.Memory.Allocate<double>("memory", 16);
        var error = Throws<DeadlockException>(
            () => group.Run(async cpe =>
            {
                var local = cpe.Ldm.Allocate("local", ElementType.Float64, 8);
                var reply = cpe.CreateReplyWord("pair");
                cpe.DmaGet(local.Slice(0, 4), memory.At(0), reply);
                cpe.DmaGet(local.Slice(4, 4), memory.At(32), reply);
                await cpe.DmaWait(reply, cpe.Id is { Row: 2, Column: 7 } ? 3 : 2);
            }),
            EmulatorDiagnostics.Deadlock, Name(2, 7), "3 replies", "pair", "only 2 transfers");
        Assert.That(error.BlockedCpes, Is.EqualTo(new[] { new CpeId(0, 2, 7) }));
    }

    [TestCase(6, 40, 0, 0, "the block size must divide the size")]
    [TestCase(6, 0, 16, 0, "a stride needs a block size")]
    [TestCase(6, -8, 0, 0, "the block size must not be negative")]
    [TestCase(6, 8, -8, 0, "the stride must not be negative")]
    [TestCase(6, 6, 0, 0, "multiples of 4 bytes")]
    [TestCase(6, 8, 6, 0, "multiples of 4 bytes")]
    [TestCase(6, 8, 8, 2, "multiples of 4 bytes")]
    [TestCase(0, 0, 0, 0, "the size must be positive")]
    public void ABrokenDescriptorIsRefusedWithItsRule(int doubles, int blockBytes, int strideBytes, int memoryOffset, string rule)
    {
        foreach (var put in new[] { false, true })
        {
            var group = Group();
            var memory = group.Memory.Allocate<byte>("memory", 1024);
            Throws<EmulatorException>(
                () => group.Run(On(1, 2, cpe =>
                {
                    var local = cpe.Ldm.Allocate("local", ElementType.Float64, 8).Slice(0, doubles);
                    var reply = cpe.CreateReplyWord("reply");
                    if (put)
                    {
                        cpe.DmaPut(local, memory.At(memoryOffset), reply, blockBytes, strideBytes);
                    }
                    else
                    {
                        cpe.DmaGet(local, memory.At(memoryOffset), reply, blockBytes, strideBytes);
                    }
                })),
                EmulatorDiagnostics.InvalidDmaDescriptor,
                Name(1, 2), put ? "DMA put" : "DMA get", "'local'", "'memory'",
                $"size {doubles * 8}", $"block size {blockBytes}", $"stride {strideBytes}", rule);
        }
    }

    [Test]
    public void AContiguousDmaPastTheEndOfItsBufferIsRefused([Values] bool put)
    {
        var group = Group();
        var memory = group.Memory.Allocate<double>("src", 100);
        Throws<EmulatorException>(
            () => group.Run(On(4, 4, cpe =>
            {
                var local = cpe.Ldm.Allocate("local", ElementType.Float64, 16);
                Transfer(cpe, put, local.All, memory.AtElement<double>(90), 0, 0);
            })),
            EmulatorDiagnostics.DmaOutOfBounds, Name(4, 4), "'src'", "128 bytes", "[720, 848)", "800 bytes");
    }

    [Test]
    public void AStridedDmaThatStridesPastTheEndIsRefused([Values] bool put)
    {
        var group = Group();
        var memory = group.Memory.Allocate<double>("src", 100);
        Throws<EmulatorException>(
            () => group.Run(On(4, 4, cpe =>
            {
                var local = cpe.Ldm.Allocate("local", ElementType.Float64, 8);
                Transfer(cpe, put, local.All, memory.At(0), 16, 256);
            })),
            EmulatorDiagnostics.DmaOutOfBounds, Name(4, 4), "'src'", "4 blocks of 16 bytes, stride 256", "[0, 832)", "800 bytes");
        Assert.That(memory.AsSpan<double>().ToArray(), Is.All.Zero, "nothing was written");
    }

    [Test]
    public void AnAddressOutsideItsBufferCannotBeFormed()
    {
        var memory = Group().Memory.Allocate<double>("src", 4);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => memory.At(33));
        Assert.That(error!.ParamName, Is.EqualTo("byteOffset"));
    }

    [Test]
    public void ACpeReachesOnlyItsOwnCoreGroupsMemory([Values] bool put)
    {
        var chip = Chip(2);
        var remote = chip.CoreGroups[1].Memory.Allocate<double>("remote", 16);
        Throws<EmulatorException>(
            () => chip.CoreGroups[0].Run(On(0, 3, cpe => Transfer(cpe, put, cpe.Ldm.Allocate("local", ElementType.Float64, 16).All, remote.At(0), 0, 0))),
            EmulatorDiagnostics.DmaOutOfBounds, Name(0, 3, 0), "'remote'", "of CG 1", "128 bytes");
    }

    private static void Transfer(ICpe cpe, bool put, LdmSpan local, GlobalAddress memory, int blockBytes, int strideBytes)
    {
        var reply = cpe.CreateReplyWord("reply");
        if (put)
        {
            cpe.DmaPut(local, memory, reply, blockBytes, strideBytes);
        }
        else
        {
            cpe.DmaGet(local, memory, reply, blockBytes, strideBytes);
        }
    }
}
